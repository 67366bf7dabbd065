/**
 * The plan's timeline (issue 21, item 4): the progress summary, then the activities as bars
 * over the months, grouped by measure, then the same data as a table. Read-only: whoever may
 * read the plan (planScope checks "plan.read"; an admin sees only a released plan).
 *
 * The bars are SVG (the CSP allows no inline styles) and hidden from assistive technology:
 * every row says in words what its bar shows – dates, status with the aid's symbol and text,
 * "überfällig" – and the table below holds the same data.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { planScope } from "./behoerden.$office.plan";
import { can } from "~/platform/auth/can";
import { loadPlanTimeline } from "~/domains/plan/progress.server";
import {
  type ActivityStatus,
  DUE_SOON_DAYS,
  isDueSoon,
  isOverdue,
  planProgress,
  STATUS_SYMBOL,
  timeline,
} from "~/domains/plan/progress";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { formatDay, startOfDay, toCalendarDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { ProgressSummary } from "~/ui/plan-progress";
import { Section } from "~/ui/layout";

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "planProgress");
  const base = { office: { id: office.id, name: office.name }, pageTitle: `${t("timeline.title")} – ${office.name}` };
  // An admin reaches the page without a released plan: nothing is shown, nor whether a plan exists.
  if (!can(actor, "plan.read", subject)) return { ...base, state: "notReleased" as const };
  if (!plan) return { ...base, state: "noPlan" as const };

  const today = toCalendarDay(new Date());
  const measures = await loadPlanTimeline(actor, plan.id);
  const progress = planProgress(measures, today);
  const chart = timeline(
    measures.flatMap((m) => m.activities),
    today,
  );
  const show = (day: string | null) => (day ? formatDay(startOfDay(day), language) : null);
  const monthName = new Intl.DateTimeFormat(language === "de" ? "de-DE" : "en-GB", {
    month: "short",
    year: "2-digit",
    timeZone: "UTC",
  });
  const shares = new Map(progress.measures.map((m) => [m.id, m]));
  return {
    ...base,
    state: "plan" as const,
    progress,
    months: chart.months.map((m) => ({ key: m.key, label: monthName.format(Date.UTC(m.year, m.month - 1, 1)) })),
    today: chart.today,
    measures: measures.map((m) => ({
      id: m.id,
      code: m.code,
      title: m.title,
      share: (shares.get(m.id) as (typeof progress.measures)[number]).share,
      overdue: (shares.get(m.id) as (typeof progress.measures)[number]).overdue,
      activities: m.activities.map((a) => {
        const bar = chart.bars[a.id] ?? null;
        return {
          id: a.id,
          title: a.title,
          status: a.status as ActivityStatus,
          from: show(a.startsOn),
          to: show(a.endsOn),
          responsible: a.responsible,
          overdue: isOverdue(a, today),
          dueSoon: isDueSoon(a, today),
          bar: bar ? { left: bar.left, width: bar.width } : null,
          partial: bar?.partial ? (a.startsOn ? ("onlyStart" as const) : ("onlyEnd" as const)) : null,
        };
      }),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

/** Track geometry in SVG units: the width is the viewBox's, scaled to the column by CSS. */
const TRACK = { width: 1000, height: 28, bar: 16 };

export default function PlanTimelinePage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("planProgress");
  return (
    <>
      <p className="eyebrow">{data.office.name}</p>
      <h1>{t("timeline.title")}</h1>
      {data.state === "notReleased" ? <p>{t("timeline.notReleased")}</p> : null}
      {data.state === "noPlan" ? <p>{t("timeline.noPlan")}</p> : null}
      {data.state === "plan" ? <Timeline data={data} /> : null}
    </>
  );
}

type PlanData = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { state: "plan" }>;
type Row = PlanData["measures"][number]["activities"][number];

function StatusText({ status }: { status: ActivityStatus }) {
  const { t } = useTranslation("planProgress");
  return (
    <span className={`plan-status plan-status-${status.toLowerCase()}`}>
      <span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {t(`status.${status}`)}
    </span>
  );
}

/** In words what a row's bar or dates do not say: overdue, ending soon, one date only, no dates. */
function Note({ row }: { row: Row }) {
  const { t } = useTranslation("planProgress");
  const notes: string[] = [];
  if (row.overdue) notes.push(t("timeline.overdue", { date: row.to }));
  else if (row.dueSoon) notes.push(t("timeline.dueSoon"));
  if (row.partial) notes.push(t(`timeline.${row.partial}`));
  if (!row.from && !row.to) notes.push(t("timeline.undated"));
  return notes.length ? notes.join(" · ") : t("timeline.none");
}

function Timeline({ data }: { data: PlanData }) {
  const { t } = useTranslation("planProgress");
  const hasBars = data.months.length > 0;
  const step = Math.max(1, Math.ceil(data.months.length / 12));
  const monthWidth = hasBars ? TRACK.width / data.months.length : 0;
  return (
    <>
      <p>{t("timeline.intro")}</p>
      <ProgressSummary progress={data.progress} measures={data.measures} headingLevel={2} soonDays={DUE_SOON_DAYS} />

      <section aria-labelledby="timeline-chart-title" className="plan-timeline">
        <h2 id="timeline-chart-title">{t("timeline.chartTitle")}</h2>
        {hasBars ? <p className="note">{t("timeline.chartHint")}</p> : <p>{t("timeline.noDates")}</p>}
        {hasBars ? (
          <div className="timeline-row timeline-months" aria-hidden="true">
            <span />
            <svg viewBox={`0 0 ${TRACK.width} ${TRACK.height}`} className="timeline-track" focusable="false">
              {data.months.map((m, i) =>
                i % step === 0 ? (
                  <text key={m.key} x={i * monthWidth + 4} y={20} className="timeline-month-label">
                    {m.label}
                  </text>
                ) : null,
              )}
              {data.today !== null ? (
                <text
                  x={Math.min((data.today / 100) * TRACK.width + 4, TRACK.width - 60)}
                  y={10}
                  className="timeline-today-label"
                >
                  {t("timeline.today")}
                </text>
              ) : null}
            </svg>
          </div>
        ) : null}
        {data.measures.map((m) => (
          <div key={m.id} className="timeline-measure">
            <h3>{m.code ? `${m.code} ${m.title}` : m.title}</h3>
            {m.activities.length === 0 ? (
              <p>{t("timeline.noActivities")}</p>
            ) : (
              <ul className="timeline-list">
                {m.activities.map((a) => (
                  <li key={a.id} className="timeline-row">
                    <div className="timeline-label">
                      <strong>{a.title}</strong>
                      <br />
                      <StatusText status={a.status} />
                      {a.from || a.to ? ` · ${a.from ?? a.to}${a.from && a.to && a.from !== a.to ? ` – ${a.to}` : ""}` : ""}
                      {a.overdue ? <strong className="timeline-overdue"> · {t("timeline.overdueShort")}</strong> : null}
                      {!a.from && !a.to ? ` · ${t("timeline.undated")}` : ""}
                    </div>
                    {hasBars ? (
                      <svg
                        viewBox={`0 0 ${TRACK.width} ${TRACK.height}`}
                        className="timeline-track"
                        aria-hidden="true"
                        focusable="false"
                      >
                        {data.months.map((mo, i) => (
                          <line
                            key={mo.key}
                            x1={i * monthWidth}
                            x2={i * monthWidth}
                            y1={0}
                            y2={TRACK.height}
                            className="timeline-grid"
                          />
                        ))}
                        {a.bar ? (
                          <rect
                            x={(a.bar.left / 100) * TRACK.width}
                            y={(TRACK.height - TRACK.bar) / 2}
                            width={Math.max((a.bar.width / 100) * TRACK.width, 4)}
                            height={TRACK.bar}
                            rx={3}
                            className={`timeline-bar timeline-bar-${a.overdue ? "overdue" : a.status.toLowerCase()}`}
                          />
                        ) : null}
                        {data.today !== null ? (
                          <line
                            x1={(data.today / 100) * TRACK.width}
                            x2={(data.today / 100) * TRACK.width}
                            y1={0}
                            y2={TRACK.height}
                            className="timeline-today"
                          />
                        ) : null}
                      </svg>
                    ) : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </section>

      <Section id="timeline-table-title" title={t("timeline.tableTitle")}>
        <table className="data">
          <caption>{t("timeline.tableCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("timeline.activity")}</th>
              <th scope="col">{t("timeline.from")}</th>
              <th scope="col">{t("timeline.to")}</th>
              <th scope="col">{t("timeline.statusColumn")}</th>
              <th scope="col">{t("timeline.responsible")}</th>
              <th scope="col">{t("timeline.notes")}</th>
            </tr>
          </thead>
          {data.measures.map((m) => (
            <tbody key={m.id}>
              <tr>
                <th scope="rowgroup" colSpan={6}>
                  {m.code ? `${m.code} ${m.title}` : m.title}
                </th>
              </tr>
              {m.activities.length === 0 ? (
                <tr>
                  <td colSpan={6}>{t("timeline.noActivities")}</td>
                </tr>
              ) : (
                m.activities.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.title}</th>
                    <td>{a.from ?? t("timeline.none")}</td>
                    <td>{a.to ?? t("timeline.none")}</td>
                    <td>
                      <StatusText status={a.status} />
                    </td>
                    <td>{a.responsible ?? t("timeline.none")}</td>
                    <td>
                      <Note row={a} />
                    </td>
                  </tr>
                ))
              )}
            </tbody>
          ))}
        </table>
        <p>
          <Link to={`/behoerden/${data.office.id}/plan`}>{t("panel.link")}</Link>
        </p>
      </Section>
    </>
  );
}
