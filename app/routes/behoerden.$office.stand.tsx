import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { can } from "~/platform/auth/can";
import { officeScope } from "./behoerden.$office";
import { GoalProfileChart, groupName, OwnTrendChart, profileCounts, useRatingFormat } from "~/ui/charts";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { getComparison } from "~/domains/comparison/comparison.server";
import {
  DEADLINE_SOON_DAYS,
  figureOf,
  loadDashboard,
  measuresOfGoals,
  ownGroups,
  whereToLook,
} from "~/domains/comparison/dashboard.server";
import { loadOfficeHistory } from "~/domains/assessment/history.server";
import { formatDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { progressPanelFor } from "~/domains/plan/progress.server";
import { DUE_SOON_DAYS as PLAN_SOON_DAYS } from "~/domains/plan/progress";
import { PlanProgressPanel } from "~/ui/plan-progress";
import { DataTable, Section } from "~/ui/layout";

/** One suggestion under "Was als Nächstes?": an i18n key with its values, optionally a link. */
type NextStep = { key: string; values?: Record<string, string | number>; to?: string; link?: string };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.compare");
  const language = (await i18next.getLocale(request)) as Language;
  const target = { networkId: office.networkId, officeId: office.id };
  const base = `/behoerden/${office.id}`;
  const [dashboard, history, planPanel] = await Promise.all([
    loadDashboard(actor, office),
    loadOfficeHistory(actor, office, { measures: false }),
    progressPanelFor(actor, office),
  ]);

  // The comparison: always the most recent closed round (its cohort is frozen).
  const latestClosed = dashboard.closed[0] ?? null;
  const comparison = latestClosed ? await getComparison(actor, office.id, latestClosed.id) : null;
  const groups = comparison ? ownGroups(comparison) : [];
  const requested = new URL(request.url).searchParams.get("gruppe");
  const group = groups.find((g) => g.id === requested) ?? groups[0] ?? null;
  const look = comparison ? whereToLook(comparison) : [];
  const lookMeasures = latestClosed
    ? await measuresOfGoals(
        actor,
        latestClosed.versionSlug,
        look.map((l) => l.number),
      )
    : null;

  // The trend of the office's own ratings: rounds it submitted in, oldest first.
  const trendIndexes = history.rounds.flatMap((r, i) => (r.submittedAt ? [i] : []));
  const trend = {
    rounds: trendIndexes.map((i) => ({ id: history.rounds[i].id, name: history.rounds[i].name })),
    goals: history.goals.map((g) => ({
      number: g.number,
      shortTitle: g.shortTitle,
      ratings: trendIndexes.map((i) => (typeof g.ratings[i] === "number" ? (g.ratings[i] as number) : null)),
    })),
  };

  const mayAssess = can(actor, "office.assess", target);
  const maySubmit = can(actor, "office.submitAssessment", target);
  const next: NextStep[] = [];
  for (const round of dashboard.current) {
    const to = `${base}/runden/${round.id}`;
    const openGoals = round.goalCount - round.goalsDone;
    const openMeasures = round.measureCount - round.measuresDone;
    const values = {
      round: round.name,
      date: formatDay(round.deadline, language),
      days: round.daysLeft,
      goals: openGoals,
      measures: openMeasures,
    };
    if (round.state === "upcoming")
      next.push({ key: "next.upcoming", values: { round: round.name, date: formatDay(round.opensAt, language) } });
    else if (round.state === "submitted") next.push({ key: "next.submitted", values });
    else if (round.daysLeft < 0) next.push({ key: "next.overdue", values, to, link: "next.toAssessment" });
    else if (openGoals === 0 && openMeasures === 0)
      next.push(
        maySubmit
          ? { key: "next.readyHead", values, to: `${to}/abgeben`, link: "next.toSubmit" }
          : { key: "next.readyStaff", values, to, link: "next.toAssessment" },
      );
    else if (round.daysLeft <= DEADLINE_SOON_DAYS) next.push({ key: "next.deadlineSoon", values, to, link: "next.toAssessment" });
    else next.push({ key: "next.continue", values, to, link: "next.toAssessment" });
    if (round.surveyStarted === false && (round.state === "draft" || round.state === "submitted"))
      next.push({ key: "next.survey", values, to: `${to}/umfrage`, link: "next.toSurvey" });
  }
  if (look.length) next.push({ key: "next.look", values: { count: look.length }, to: "#wo-ansetzen", link: "next.toLook" });
  if (latestClosed)
    next.push({ key: "next.report", values: { round: latestClosed.name }, to: `${base}/bericht`, link: "next.toReport" });
  if (next.length === 0) next.push({ key: "next.nothing" });

  return {
    office: { id: office.id, name: office.name },
    mayAssess,
    current: dashboard.current.map((r) => ({
      id: r.id,
      name: r.name,
      state: r.state,
      opensAt: formatDay(r.opensAt, language),
      deadline: formatDay(r.deadline, language),
      extended: r.extended,
      submittedAt: r.submittedAt ? formatDay(r.submittedAt, language) : null,
      goalsDone: r.goalsDone,
      goalCount: r.goalCount,
      measuresDone: r.measuresDone,
      measureCount: r.measureCount,
    })),
    next,
    // The implementation plan's progress (issue 21): absent for who may not read the plan.
    plan: planPanel === undefined ? { shown: false as const } : { shown: true as const, panel: planPanel },
    comparison: comparison
      ? {
          round: {
            id: comparison.round.id,
            name: comparison.round.name,
            closedAt: latestClosed ? formatDay(latestClosed.closedAt, language) : "",
          },
          k: comparison.k,
          ownInCohort: comparison.ownInCohort,
          pending: comparison.pending,
          groups,
          group,
          profile: comparison.goals.map((g) => ({
            number: g.number,
            shortTitle: g.shortTitle,
            own: g.own,
            figure: figureOf(g, group?.id),
          })),
        }
      : null,
    look: look.map((l) => ({ ...l, measures: lookMeasures?.get(l.number) ?? [] })),
    lookVersion: latestClosed?.versionSlug ?? null,
    priorities: dashboard.priorities,
    versionSlug: dashboard.versionSlug,
    trend,
    pageTitle: `${office.name} – ${(await i18next.getFixedT(request, "dashboard"))("title")}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function Dashboard() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation("dashboard");
  const format = useRatingFormat();
  const base = `/behoerden/${page.office.id}`;
  const c = page.comparison;
  const groupLabel = c?.group ? groupName(t, c.group) : t("groups.network");
  const counts = c ? profileCounts(c.profile) : null;
  const suppressedCount = c ? c.profile.filter((g) => !g.figure.shown).length : 0;
  const nothingShown = c ? suppressedCount === c.profile.length : false;

  return (
    <>
      <nav className="breadcrumbs" aria-label={t("common:breadcrumb")}>
        <ol>
          <li>
            <Link to={base}>{page.office.name}</Link>
          </li>
          <li aria-current="page">{t("title")}</li>
        </ol>
      </nav>
      <p className="eyebrow">{page.office.name}</p>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>

      <section aria-labelledby="next-heading" className="card">
        <h2 id="next-heading">{t("next.title")}</h2>
        <ul className="next-steps">
          {page.next.map((step, i) => (
            <li key={i}>
              {t(step.key, step.values)}
              {step.to && step.link ? (
                <> {step.to.startsWith("#") ? <a href={step.to}>{t(step.link)}</a> : <Link to={step.to}>{t(step.link)}</Link>}</>
              ) : null}
            </li>
          ))}
        </ul>
      </section>

      {page.plan.shown ? <PlanProgressPanel officeId={page.office.id} panel={page.plan.panel} soonDays={PLAN_SOON_DAYS} /> : null}

      <Section id="rounds-heading" title={t("rounds.title")}>
        {page.current.length === 0 ? (
          <p>{t("rounds.none")}</p>
        ) : (
          <DataTable caption={t("rounds.caption")} columns={[t("rounds.round"), t("rounds.status"), t("rounds.deadline")]}>
            {page.current.map((r) => (
              <tr key={r.id}>
                <th scope="row">
                  {page.mayAssess && r.state !== "upcoming" ? <Link to={`${base}/runden/${r.id}`}>{r.name}</Link> : r.name}
                </th>
                <td>
                  {r.state === "upcoming"
                    ? t("rounds.upcoming", { date: r.opensAt })
                    : r.state === "submitted"
                      ? t("rounds.submitted", { date: r.submittedAt })
                      : t("rounds.draft", {
                          goals: r.goalsDone,
                          goalCount: r.goalCount,
                          measures: r.measuresDone,
                          measureCount: r.measureCount,
                        })}
                </td>
                <td>
                  {r.deadline}
                  {r.extended ? ` ${t("rounds.extended")}` : ""}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Section>

      <Section id="profile-heading" title={t("profile.title")}>
        {!c ? (
          <p role="status">{page.current.length ? t("profile.afterClose") : t("profile.noRound")}</p>
        ) : (
          <>
            <p>{t("profile.intro", { round: c.round.name, date: c.round.closedAt, k: c.k })}</p>
            <p>
              <Link to={`/behoerden/${page.office.id}/vergleich`}>{t("profile.details")}</Link>
            </p>
            {c.ownInCohort === false ? <p className="note">{t("profile.notInCohort")}</p> : null}
            {c.pending ? <p className="note">{t("comparison:pending")}</p> : <p>{t("comparison:othersOnly")}</p>}
            {c.groups.length > 1 ? (
              <Form method="get" className="filter-form no-print">
                <div className="field">
                  <label htmlFor="gruppe">{t("profile.groupLabel")}</label>
                  <select id="gruppe" name="gruppe" defaultValue={c.group?.id}>
                    {c.groups.map((g) => (
                      <option key={g.id} value={g.id}>
                        {groupName(t, g)}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="button-secondary">
                  {t("profile.groupSubmit")}
                </button>
              </Form>
            ) : null}
            {nothingShown ? (
              <p role="status" className="note">
                <strong>{t("comparison:suppressed")}</strong>. {t("profile.allSuppressed", { group: groupLabel, k: c.k })}
              </p>
            ) : (
              <>
                <GoalProfileChart
                  goals={c.profile}
                  groupLabel={groupLabel}
                  caption={t("profile.caption", { group: groupLabel, round: c.round.name })}
                  summary={
                    counts && counts.compared
                      ? t("profile.summary", { below: counts.below, compared: counts.compared, group: groupLabel })
                      : t("chart.summaryNone")
                  }
                  tableOpen
                />
                {suppressedCount ? <p>{t("profile.someSuppressed", { count: suppressedCount, k: c.k })}</p> : null}
              </>
            )}
            <p className="muted">{t("profile.howToRead")}</p>
          </>
        )}
      </Section>

      {c ? (
        <section aria-labelledby="wo-ansetzen">
          <h2 id="wo-ansetzen" tabIndex={-1}>
            {t("look.title")}
          </h2>
          {page.look.length === 0 ? (
            <p>{t("look.none")}</p>
          ) : (
            <>
              <p>{t("look.intro")}</p>
              <ol className="look-list">
                {page.look.map((l) => (
                  <li key={l.number}>
                    <h3 className="h4">
                      <Link to={`/katalog/${page.lookVersion}/ziele/${l.number}`}>
                        {t("look.goal", { number: l.number })} <span lang="de">{l.shortTitle}</span>
                      </Link>
                    </h3>
                    <p>{t("look.gap", { own: format(l.own), median: format(l.median), group: groupName(t, l.group) })}</p>
                    {l.measures.length ? (
                      <>
                        <p className="muted">{t("look.measures")}</p>
                        <ul>
                          {l.measures.map((m) => (
                            <li key={m.code}>
                              <Link to={`/katalog/${page.lookVersion}/massnahmen/${m.code}`}>
                                <span className="code">{m.code}</span>
                                <span lang="de">{m.title}</span>
                              </Link>
                            </li>
                          ))}
                        </ul>
                      </>
                    ) : null}
                  </li>
                ))}
              </ol>
            </>
          )}
        </section>
      ) : null}

      <Section id="priorities-heading" title={t("priorities.title")}>
        {!page.priorities ? (
          <p>{t("priorities.noRound")}</p>
        ) : page.priorities.total === 0 ? (
          <p>{t("priorities.none", { round: page.priorities.round.name })}</p>
        ) : (
          <>
            <p>{t("priorities.intro", { round: page.priorities.round.name, count: page.priorities.total })}</p>
            <ul>
              {page.priorities.items.map((m) => (
                <li key={m.code}>
                  <Link to={`/katalog/${page.versionSlug}/massnahmen/${m.code}`}>
                    <span className="code">{m.code}</span>
                    <span lang="de">{m.title}</span>
                  </Link>{" "}
                  <span className="muted">({t("priorities.goal", { number: m.goal })})</span>
                </li>
              ))}
            </ul>
            {page.mayAssess && page.priorities.round.state !== "upcoming" ? (
              <p>
                <Link to={`${base}/runden/${page.priorities.round.id}/massnahmen`}>
                  {page.priorities.total > page.priorities.items.length
                    ? t("priorities.more", { count: page.priorities.total - page.priorities.items.length })
                    : t("priorities.all")}
                </Link>
              </p>
            ) : null}
          </>
        )}
      </Section>

      <Section id="trend-heading" title={t("trend.title")}>
        {page.trend.rounds.length < 2 ? (
          <p>{t("trend.tooFew")}</p>
        ) : (
          <OwnTrendChart
            rounds={page.trend.rounds}
            goals={page.trend.goals}
            caption={t("trend.caption")}
            summary={trendSummary(t, page.trend)}
          />
        )}
        <p>
          <Link to={`${base}/verlauf`}>{t("trend.historyLink")}</Link>
        </p>
      </Section>
    </>
  );
}

/** "Von 2024 bis 2025 ist Ihre Bewertung bei 3 von 12 Zielen gestiegen, bei 1 gesunken und bei 8 gleich geblieben." */
function trendSummary(t: TFunction, trend: { rounds: Array<{ name: string }>; goals: Array<{ ratings: Array<number | null> }> }) {
  let up = 0;
  let down = 0;
  let same = 0;
  const last = trend.rounds.length - 1;
  for (const goal of trend.goals) {
    const [first, latest] = [goal.ratings[0], goal.ratings[last]];
    if (first === null || latest === null) continue;
    if (latest > first) up++;
    else if (latest < first) down++;
    else same++;
  }
  return t("dashboard:trend.summary", {
    first: trend.rounds[0].name,
    last: trend.rounds[last].name,
    up,
    down,
    same,
    total: up + down + same,
  });
}
