import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { Bar, CartesianGrid, ComposedChart, Scatter, XAxis, YAxis } from "recharts";
import { networkScope } from "./netzwerke.$network";
import { FormAlert, SubmitButton } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { NetworkProfileTable, useNetworkProfile } from "~/ui/network-profile";
import { getMonitoring, type NetworkProfile, remindOffice, type RoundFigures } from "~/domains/comparison/monitoring.server";
import { formatDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { readForm } from "~/platform/http/forms";
import { DataTable, Section } from "~/ui/layout";

/**
 * The network admin's monitoring: offices on board and active, participation and reminders
 * per round, offices that have not started (with a one-click reminder) and the network's
 * goal profile across closed rounds. Aggregates only – no office's ratings.
 */

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const language = (await i18next.getLocale(request)) as Language;
  const t = await i18next.getFixedT(request, "monitoring");
  const day = (d: Date) => formatDay(d, language);
  const now = new Date();
  const monitoring = await getMonitoring(actor, network.id, now);
  const openRounds = monitoring.rounds.filter((r) => !r.closedAt);
  return {
    network,
    uptake: monitoring.uptake,
    rounds: monitoring.rounds.map((r) => ({
      ...participation(r),
      state: roundState(r, now, day, (key, o) => t(`participation.${key}`, o)),
    })),
    notStarted: openRounds.map((r) => ({
      id: r.id,
      name: r.name,
      offices: monitoring.notStarted
        .filter((o) => o.roundId === r.id)
        .map((o) => ({
          id: o.officeId,
          name: o.name,
          deadline: day(o.deadline),
          remindable: o.remindable,
          hasHead: o.hasHead,
          reminders: o.reminders,
          lastReminder: o.lastReminderAt ? day(o.lastReminderAt) : null,
        })),
    })),
    profile: monitoring.profile,
    pending: openRounds.map((r) => r.name).reverse(),
    otherFrameworkRounds: monitoring.otherFrameworkRounds,
    pageTitle: `${t("title")} – ${network.name}`,
  };
}

/** A round's figures as the tables show them (plain numbers; shares are formatted on the page). */
function participation(r: RoundFigures) {
  return {
    id: r.id,
    name: r.name,
    participants: r.participants,
    submittedOnTime: r.submittedOnTime,
    submittedLate: r.submittedLate,
    inProgress: r.inProgress,
    notStarted: r.notStarted,
    overdue: r.overdue,
    remindersAutomatic: r.remindersAutomatic,
    remindersManual: r.remindersManual,
  };
}

function roundState(
  r: RoundFigures,
  now: Date,
  day: (d: Date) => string,
  t: (key: string, options: Record<string, string>) => string,
) {
  if (r.closedAt) return t("closed", { date: day(r.closedAt) });
  if (r.opensAt > now) return t("upcoming", { date: day(r.opensAt) });
  return t("open", { date: day(r.deadline) });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = { error: string | null; sent: { office: string; count: number } | null };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const formData = await readForm(request);
  if (formData.get("intent") !== "remind")
    return data<Result>({ error: "monitoring:errors.unknownIntent", sent: null }, { status: 400 });
  const result = await remindOffice(
    actor,
    network.id,
    String(formData.get("roundId") ?? ""),
    String(formData.get("officeId") ?? ""),
  );
  if (!result) return data<Result>({ error: "monitoring:errors.roundInvalid", sent: null }, { status: 404 });
  if (!result.ok) return data<Result>({ error: result.error, sent: null }, { status: result.status });
  return data<Result>({ error: null, sent: { office: result.value.office, count: result.value.emails } });
}

// ─── Page ───────────────────────────────────────────────────────────────────

function useFormats() {
  const { i18n } = useTranslation();
  const locale = i18n.language === "en" ? "en-GB" : "de-DE";
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  return { share: (count: number, of: number) => (of > 0 ? percent.format(count / of) : null) };
}

/** "12 (34 %)": a count with its share of a whole. */
function CountShare({ count, of }: { count: number; of: number }) {
  const { t } = useTranslation("monitoring");
  const share = useFormats().share(count, of);
  return share === null ? count : t("share", { count, share });
}

export default function Monitoring() {
  const { network, uptake, rounds, notStarted, profile, pending, otherFrameworkRounds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("monitoring");
  const { t: ts } = useTranslation("settings");
  const { share } = useFormats();
  const base = `/netzwerke/${network.slug}`;
  const uptakeRows = [
    ["offices", uptake.offices],
    ["onboarded", uptake.onboarded],
    ["invited", uptake.invited],
    ["active30", uptake.active30],
    ["active90", uptake.active90],
  ] as const;
  const columns = ["submittedOnTime", "submittedLate", "inProgress", "notStarted", "overdue"] as const;
  return (
    <div className="monitoring">
      <p className="eyebrow">
        {t("eyebrow")} · {network.name}
      </p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {result?.sent ? (
        <p role="status" className="form-success">
          {ts("reminders.sent", { office: result.sent.office, count: result.sent.count })}
        </p>
      ) : null}
      {result?.error ? <FormAlert message={t(result.error)} /> : null}

      <Section id="uptake-heading" title={t("uptake.title")}>
        <DataTable caption={t("uptake.caption")} columns={[t("uptake.figure"), t("uptake.count"), t("uptake.share")]}>
          {uptakeRows.map(([key, count]) => (
            <tr key={key} data-figure={key}>
              <th scope="row">{t(`uptake.${key}`)}</th>
              <td>{count}</td>
              <td>{key === "offices" ? "" : (share(count, uptake.offices) ?? t("noShare"))}</td>
            </tr>
          ))}
        </DataTable>
        <p className="muted">{t("uptake.explain")}</p>
      </Section>

      <Section id="participation-heading" title={t("participation.title")}>
        {rounds.length === 0 ? (
          <p>{t("participation.none")}</p>
        ) : (
          <div className="table-scroll">
            <table className="data">
              <caption>{t("participation.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("participation.round")}</th>
                  <th scope="col">{t("participation.state")}</th>
                  <th scope="col">{t("participation.participants")}</th>
                  {columns.map((c) => (
                    <th scope="col" key={c}>
                      {t(`participation.${c}`)}
                    </th>
                  ))}
                  <th scope="col">{t("participation.reminders")}</th>
                  <th scope="col">{t("participation.summary")}</th>
                </tr>
              </thead>
              <tbody>
                {rounds.map((r) => (
                  <tr key={r.id} data-round={r.id}>
                    <th scope="row">{r.name}</th>
                    <td>{r.state}</td>
                    <td>{r.participants}</td>
                    {columns.map((c) => (
                      <td key={c} data-column={c}>
                        <CountShare count={r[c]} of={r.participants} />
                      </td>
                    ))}
                    <td>{t("participation.remindersValue", { automatic: r.remindersAutomatic, manual: r.remindersManual })}</td>
                    <td>
                      <Link
                        to={`${base}/runden/${r.id}/zusammenfassung`}
                        aria-label={t("participation.summaryLinkLabel", { round: r.name })}
                      >
                        {t("participation.summaryLink")}
                      </Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <Section id="not-started-heading" title={t("notStarted.title")}>
        {notStarted.length === 0 ? (
          <p>{t("notStarted.noOpen")}</p>
        ) : (
          <>
            <p>{t("notStarted.intro")}</p>
            {notStarted.map((round) =>
              round.offices.length === 0 ? (
                <p key={round.id}>{t("notStarted.none", { round: round.name })}</p>
              ) : (
                <table className="data" key={round.id} data-not-started={round.id}>
                  <caption>{t("notStarted.caption", { round: round.name })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("notStarted.office")}</th>
                      <th scope="col">{t("notStarted.deadline")}</th>
                      <th scope="col">{t("notStarted.remindersColumn")}</th>
                      <th scope="col">{t("notStarted.action")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {round.offices.map((o) => (
                      <tr key={o.id}>
                        <th scope="row">{o.name}</th>
                        <td>{o.deadline}</td>
                        <td>
                          {o.reminders === 0
                            ? t("notStarted.remindersNone")
                            : t("notStarted.reminders", { count: o.reminders, date: o.lastReminder })}
                        </td>
                        <td>
                          {o.remindable ? (
                            <Form method="post">
                              <input type="hidden" name="intent" value="remind" />
                              <input type="hidden" name="roundId" value={round.id} />
                              <input type="hidden" name="officeId" value={o.id} />
                              <SubmitButton intent="remind" className="button-secondary">
                                {ts("reminders.send")}
                                <span className="visually-hidden"> – {o.name}</span>
                              </SubmitButton>
                            </Form>
                          ) : (
                            t("notStarted.noHead")
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ),
            )}
          </>
        )}
      </Section>

      <Section id="profile-heading" title={t("profile.title")}>
        <p>{t("profile.intro")}</p>
        {profile ? <Profile profile={profile} /> : <p>{t("profile.none")}</p>}
        {profile?.rounds
          .filter((r) => profile.pending.includes(r.id))
          .map((r) => (
            <p key={r.id}>{t("profile.computing", { round: r.name })}</p>
          ))}
        {pending.map((name) => (
          <p key={name}>{t("profile.pending", { round: name })}</p>
        ))}
        {otherFrameworkRounds > 0 ? (
          <p className="muted">{t("profile.otherFramework", { count: otherFrameworkRounds })}</p>
        ) : null}
      </Section>

      <Section id="exports-heading" title={t("exports.title")}>
        <p>{t("exports.intro")}</p>
        <ul className="action-list">
          <li>
            <a href={`${base}/monitoring/export/csv`} download>
              {t("exports.csv")}
            </a>
          </li>
          <li>
            <a href={`${base}/monitoring/export/xlsx`} download>
              {t("exports.xlsx")}
            </a>
          </li>
        </ul>
      </Section>
    </div>
  );
}

// ─── The goal profile ───────────────────────────────────────────────────────

const COLOURS = { band: "#b9c6d3", median: "#1b1f24", previous: "#0a58a3", grid: "#c9d2db" };

/** Splits a label into at most two lines of about `max` characters (the second shortened with "…"). */
function wrapLabel(label: string, max: number) {
  const lines: string[] = [];
  for (const word of label.split(" ")) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.length <= 2
    ? lines
    : [
        lines[0],
        `${lines
          .slice(1)
          .join(" ")
          .slice(0, max - 1)}…`,
      ];
}

/**
 * A goal's label on the axis, wrapped by a fixed rule: Recharts' own wrapping measures the
 * text in the browser only, so the server would draw other lines and hydration would fail.
 */
function GoalTick(props: { x?: number; y?: number; payload?: { value: string } }) {
  const lines = wrapLabel(props.payload?.value ?? "", 34);
  return (
    <text x={props.x} y={props.y} textAnchor="end" fontSize={12} fill="#1b1f24">
      {lines.map((line, i) => (
        <tspan key={i} x={props.x} dy={i === 0 ? (lines.length > 1 ? -3 : 4) : 14}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

function MedianMark(props: { cx?: number; cy?: number; payload?: { median: number | null } }) {
  if (props.payload?.median == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <rect x={props.cx - 2} y={props.cy - 12} width={4} height={24} fill={COLOURS.median} />;
}

function PreviousMark(props: { cx?: number; cy?: number; payload?: { previous: number | null } }) {
  if (props.payload?.previous == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <circle cx={props.cx} cy={props.cy} r={6} fill="#ffffff" stroke={COLOURS.previous} strokeWidth={3} />;
}

/**
 * The latest closed round's profile (band: middle half, bar: median, ring: the previous
 * round's median) with a text summary and the table, then the trend over all closed rounds.
 * The chart is decorative for assistive technology; the tables carry the data.
 */
function Profile({ profile }: { profile: NetworkProfile }) {
  const { t } = useTranslation("monitoring");
  const { t: tc } = useTranslation("comparison");
  const id = `chart${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const { latest, previous, rows, summary, number } = useNetworkProfile(profile);
  const data = rows.map(({ goal, figure, before }) => ({
    label: `${goal.number}. ${goal.shortTitle}`,
    median: figure.shown ? figure.median : null,
    band: figure.shown && figure.q1 !== null && figure.q3 !== null ? [figure.q1, figure.q3] : null,
    previous: before?.shown ? before.median : null,
  }));

  return (
    <>
      <figure className="chart">
        <p className="chart-summary" data-summary="profile">
          {summary}
        </p>
        <ul className="monitoring-legend" aria-hidden="true">
          <li>
            <span className="monitoring-swatch monitoring-swatch-band" />
            {t("profile.legendBand", { round: latest.name })}
          </li>
          <li>
            <span className="monitoring-swatch monitoring-swatch-median" />
            {t("profile.legendMedian", { round: latest.name })}
          </li>
          {previous ? (
            <li>
              <span className="monitoring-swatch monitoring-swatch-previous" />
              {t("profile.legendPrevious", { round: previous.name })}
            </li>
          ) : null}
        </ul>
        <div className="chart-canvas" aria-hidden="true">
          <ComposedChart
            id={id}
            width={760}
            height={50 + rows.length * 38}
            data={data}
            layout="vertical"
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          >
            <CartesianGrid horizontal={false} stroke={COLOURS.grid} />
            <XAxis type="number" domain={[1, 5]} ticks={[1, 2, 3, 4, 5]} allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={260} tick={<GoalTick />} interval={0} />
            <Bar dataKey="band" fill={COLOURS.band} barSize={20} isAnimationActive={false} />
            <Scatter dataKey="median" fill={COLOURS.median} shape={MedianMark} isAnimationActive={false} />
            {previous ? (
              <Scatter dataKey="previous" fill={COLOURS.previous} shape={PreviousMark} isAnimationActive={false} />
            ) : null}
          </ComposedChart>
        </div>
        <details className="chart-data" open>
          <summary>{t("profile.showTable")}</summary>
          <div className="table-scroll">
            <NetworkProfileTable profile={profile} />
          </div>
        </details>
      </figure>

      {profile.rounds.length > 1 ? (
        <>
          <h3>{t("profile.trendTitle")}</h3>
          <div className="table-scroll">
            <table className="data" data-table="trend">
              <caption>{t("profile.trendCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("profile.goal")}</th>
                  {profile.rounds.map((r) => (
                    <th scope="col" key={r.id}>
                      {r.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {profile.goals.map((goal) => (
                  <tr key={goal.number}>
                    <th scope="row">
                      {`${goal.number}. `}
                      <span lang="de">{goal.shortTitle}</span>
                    </th>
                    {goal.figures.map((f, i) => (
                      <td key={profile.rounds[i].id}>
                        {!f.shown
                          ? tc(f.message)
                          : f.q1 !== null && f.q3 !== null
                            ? t("profile.trendCell", { median: number(f.median), q1: number(f.q1), q3: number(f.q3) })
                            : number(f.median)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
    </>
  );
}
