import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { officeScope } from "./behoerden.$office";
import { type GroupKey, groupId, LATTICE, type PublicFigure, SIZE_CLASS_LOWER_BOUNDS } from "~/domains/comparison/anonymity";
import { BandChart, TrendChart, useRatingFormat } from "~/ui/comparison-charts";
import { FormAlert } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { getComparison } from "~/domains/comparison/comparison.server";
import { listRounds } from "~/domains/assessment/rounds.server";
import { documentTitle } from "~/ui/meta";

/**
 * The comparison of an office with the other offices of its network, for one closed
 * round: per goal the distribution in a chosen group, the office's own groups side by
 * side, and the network median over the closed rounds. Every figure comes from
 * getComparison, i.e. through the anonymity rule (app/domains/comparison/anonymity.ts); the page
 * only arranges what that rule released and never computes a statistic of its own.
 * Filters are a GET form: ?runde=&ziel=&gruppe=.
 */

type FilterName = "runde" | "ziel" | "gruppe";
type FilterErrors = Partial<Record<FilterName, string>>;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.compare");
  const t = await i18next.getFixedT(request, "comparison");
  const url = new URL(request.url);
  const asked = Object.fromEntries(
    (["runde", "ziel", "gruppe"] as const).map((name) => [name, (url.searchParams.get(name) ?? "").trim()]),
  ) as Record<FilterName, string>;
  const errors: FilterErrors = {};

  // Row-level security shows an office's members only the rounds their office takes part
  // in – the rounds in which it has a position to compare. Rounds that have not begun
  // have nothing to show. Newest first.
  const now = new Date();
  const rounds = (await listRounds(actor, office.networkId)).filter((r) => r.closedAt !== null || r.opensAt <= now);
  let round = asked.runde ? rounds.find((r) => r.id === asked.runde) : undefined;
  if (asked.runde && !round) errors.runde = "comparison:errors.round";
  // Default: the newest closed round (figures exist only for closed rounds), else the newest open one.
  round ??= rounds.find((r) => r.closedAt !== null) ?? rounds[0];

  let group = LATTICE.find((g) => g.id === (asked.gruppe || "network"));
  if (!group) {
    errors.gruppe = "comparison:errors.group";
    group = LATTICE[0];
  }

  const comparison = round ? await getComparison(actor, office.id, round.id) : null;
  if (round && !comparison) throw new Response("Not Found", { status: 404 });
  const goals = comparison?.goals.map((g) => ({ number: g.number, shortTitle: g.shortTitle })) ?? [];
  let goal: number | null = null;
  if (asked.ziel) {
    const number = /^\d{1,3}$/.test(asked.ziel) ? Number(asked.ziel) : Number.NaN;
    if (goals.some((g) => g.number === number)) goal = number;
    else errors.ziel = "comparison:errors.goal";
  }

  // An open round's figures would follow each submission; the page shows them only once
  // the round is closed and its cohort frozen (docs/decisions/0005-anonymity-rule.md).
  let view = null;
  if (comparison && comparison.round.closedAt && !comparison.pending) {
    const { kind, sizeClass } = comparison.office;
    const ownGroups: GroupKey[] = [
      { kind: null, size: null },
      { kind, size: null },
      ...(sizeClass === "unknown"
        ? []
        : [
            { kind: null, size: sizeClass },
            { kind, size: sizeClass },
          ]),
    ];
    const closed = new Set(rounds.filter((r) => r.closedAt !== null).map((r) => r.id));
    const figureOf = (g: (typeof comparison.goals)[number], id: string): PublicFigure =>
      g.groups.find((entry) => entry.group.id === id)!.figure;
    view = {
      k: comparison.k,
      ownGroups: ownGroups.map(groupId),
      sizeKnown: sizeClass !== "unknown",
      goals: comparison.goals
        .filter((g) => goal === null || g.number === goal)
        .map((g) => ({
          number: g.number,
          shortTitle: g.shortTitle,
          own: g.own,
          selected: figureOf(g, group.id),
          peers: ownGroups.map((key) => ({ id: groupId(key), figure: figureOf(g, groupId(key)) })),
          // The trend over closed rounds only: an earlier round still open has no published figure.
          trend: g.trend
            .filter((point) => closed.has(point.roundId))
            .map((point) => ({ id: point.roundId, name: point.name, figure: point.figure })),
        })),
    };
  }

  return data(
    {
      office: { id: office.id, name: office.name },
      rounds: rounds.map((r) => ({ id: r.id, name: r.name, closed: r.closedAt !== null })),
      goals,
      chosen: { runde: round?.id ?? "", ziel: goal === null ? "" : String(goal), gruppe: group.id },
      round: round ? { id: round.id, name: round.name, closed: round.closedAt !== null } : null,
      errors,
      view,
      pending: comparison?.pending ?? false,
      pageTitle: `${t("title")} – ${office.name}`,
    },
    { status: Object.keys(errors).length > 0 ? 400 : 200 },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type View = NonNullable<LoaderData["view"]>;
type GoalView = View["goals"][number];
type Format = (value: number) => string;

/** German (or English) label of a lattice group; size classes from the bounds in anonymity.ts. */
function groupLabel(t: TFunction, id: string, format: Format) {
  const group = LATTICE.find((g) => g.id === id);
  if (!group || (!group.kind && !group.size)) return t("groups.network");
  const [medium, large] = SIZE_CLASS_LOWER_BOUNDS;
  const size = group.size
    ? t(`groups.size.${group.size}`, {
        below: format(medium),
        from: format(medium),
        to: format(large - 1),
        above: format(large - 1),
      })
    : null;
  const kind = group.kind ? t(`groups.kind.${group.kind}`) : null;
  if (kind && size) return t("groups.kindSize", { kind, size });
  return kind ?? t("groups.sizeGroup", { size });
}

/** Where the own rating lies against a shown median; null without either. */
function position(own: number | null, figure: PublicFigure) {
  if (own === null || !figure.shown) return null;
  return own < figure.median ? "below" : own > figure.median ? "above" : "equal";
}

export default function ComparisonPage() {
  const { office, rounds, goals, chosen, round, errors, view, pending } = useLoaderData<typeof loader>();
  const { t } = useTranslation("comparison");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      <FilterForm rounds={rounds} goals={goals} chosen={chosen} errors={errors} />
      {round === null ? (
        <p className="note">{t("noRounds")}</p>
      ) : view === null ? (
        <p className="note">{t(pending ? "pending" : "notClosed")}</p>
      ) : (
        <>
          <p>
            {t("threshold", { k: view.k })} {t("explain")}
          </p>
          <p>{t("othersOnly")}</p>
          <Distribution view={view} groupId={chosen.gruppe} roundName={round.name} />
          <Peers view={view} roundName={round.name} />
          <Trend view={view} />
        </>
      )}
    </>
  );
}

function FilterForm({ rounds, goals, chosen, errors }: Pick<LoaderData, "rounds" | "goals" | "chosen" | "errors">) {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  const select = (name: FilterName, label: string, options: Array<{ value: string; label: string }>) => {
    const id = `filter-${name}`;
    const error = errors[name];
    return (
      <div className={error ? "field field-invalid" : "field"}>
        <label htmlFor={id}>{label}</label>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {t(error)}
          </p>
        ) : null}
        <select
          id={id}
          name={name}
          defaultValue={chosen[name]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
    );
  };
  return (
    <section aria-labelledby="filter-heading">
      <h2 id="filter-heading" className="visually-hidden">
        {t("filter.title")}
      </h2>
      <FormAlert message={Object.keys(errors).length > 0 ? t("filter.invalid") : null} />
      {/* Keyed by the choice so the selects show it after a client-side navigation too. */}
      <Form
        method="get"
        className="form audit-filter"
        key={`${chosen.runde}-${chosen.ziel}-${chosen.gruppe}`}
        aria-labelledby="filter-heading"
      >
        {rounds.length > 0
          ? select(
              "runde",
              t("filter.round"),
              rounds.map((r) => ({
                value: r.id,
                label: t(r.closed ? "filter.roundClosed" : "filter.roundOpen", { name: r.name }),
              })),
            )
          : null}
        {select("ziel", t("filter.goal"), [
          { value: "", label: t("filter.allGoals") },
          ...goals.map((g) => ({
            value: String(g.number),
            label: t("filter.goalOption", { number: g.number, title: g.shortTitle }),
          })),
        ])}
        {select(
          "gruppe",
          t("filter.group"),
          LATTICE.map((g) => ({ value: g.id, label: groupLabel(t, g.id, format) })),
        )}
        <button type="submit" className="button-secondary">
          {t("filter.submit")}
        </button>
      </Form>
    </section>
  );
}

/** n, median, Q1, Q3 of a shown figure, or the suppression message across the four columns. */
function FigureCells({ figure }: { figure: PublicFigure }) {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  if (!figure.shown) {
    return (
      <td colSpan={4} className="suppressed" data-suppressed="">
        {t(figure.message)}
      </td>
    );
  }
  return (
    <>
      <td>{figure.n}</td>
      <td>{format(figure.median)}</td>
      <td>{figure.q1 === null ? t("table.noSpread") : format(figure.q1)}</td>
      <td>{figure.q3 === null ? t("table.noSpread") : format(figure.q3)}</td>
    </>
  );
}

function FigureHeads({ first }: { first: string }) {
  const { t } = useTranslation("comparison");
  return (
    <>
      <th scope="col">{first}</th>
      <th scope="col">{t("table.n")}</th>
      <th scope="col">{t("table.median")}</th>
      <th scope="col">{t("table.q1")}</th>
      <th scope="col">{t("table.q3")}</th>
    </>
  );
}

/** One sentence about a figure of a group, and one about the own rating against it. */
function useFigureSentences() {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  return {
    figure: (group: string, figure: PublicFigure) =>
      !figure.shown
        ? t("summary.suppressed", { group })
        : figure.q1 !== null && figure.q3 !== null
          ? t("summary.shown", {
              group,
              n: figure.n,
              median: format(figure.median),
              q1: format(figure.q1),
              q3: format(figure.q3),
            })
          : t("summary.shownNoSpread", { group, n: figure.n, median: format(figure.median) }),
    own: (own: number | null, figure: PublicFigure) => {
      if (own === null) return t("summary.noOwn");
      const where = position(own, figure);
      return where ? t(`summary.${where}`, { own: format(own) }) : "";
    },
  };
}

function goalName(t: TFunction, goal: Pick<GoalView, "number" | "shortTitle">) {
  return t("table.goalName", { number: goal.number, title: goal.shortTitle });
}

/** The chosen group per goal: chart, summary and table (n, median, quartiles, own rating). */
function Distribution({ view, groupId: selected, roundName }: { view: View; groupId: string; roundName: string }) {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  const sentences = useFigureSentences();
  const group = groupLabel(t, selected, format);
  let summary: string;
  if (view.goals.length === 1) {
    const [goal] = view.goals;
    summary = `${goalName(t, goal)}: ${sentences.figure(group, goal.selected)} ${sentences.own(goal.own, goal.selected)}`.trim();
  } else {
    const counts = { below: 0, equal: 0, above: 0 };
    for (const goal of view.goals) {
      const where = position(goal.own, goal.selected);
      if (where) counts[where]++;
    }
    const shown = view.goals.filter((g) => g.selected.shown).length;
    summary = t("distribution.summaryOverview", { shown, total: view.goals.length });
    if (counts.below + counts.equal + counts.above > 0) summary += ` ${t("distribution.summaryPosition", counts)}`;
  }
  return (
    <section aria-labelledby="distribution-heading" className="chart">
      <h2 id="distribution-heading">{t("distribution.title", { group })}</h2>
      <p className="chart-summary">{summary}</p>
      <BandChart
        rows={view.goals.map((g) => ({ key: String(g.number), label: goalName(t, g), figure: g.selected, own: g.own }))}
      />
      <table className="data chart-table" id="distribution-table">
        <caption>{t("distribution.caption", { group, round: roundName })}</caption>
        <thead>
          <tr>
            <FigureHeads first={t("table.goal")} />
            <th scope="col">{t("table.own")}</th>
          </tr>
        </thead>
        <tbody>
          {view.goals.map((g) => (
            <tr key={g.number} data-goal={g.number}>
              <th scope="row">{goalName(t, g)}</th>
              <FigureCells figure={g.selected} />
              <td data-own="">{g.own === null ? t("table.noOwn") : format(g.own)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The office's own groups side by side: network, its kind, its size class, kind × size. */
function Peers({ view, roundName }: { view: View; roundName: string }) {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  const sentences = useFigureSentences();
  const label = (id: string) => groupLabel(t, id, format);
  const single = view.goals.length === 1 ? view.goals[0] : null;
  return (
    <section aria-labelledby="peers-heading" className="chart">
      <h2 id="peers-heading">{t("peers.title")}</h2>
      <p>{t("peers.intro", { groups: view.ownGroups.map(label).join(", ") })}</p>
      {view.sizeKnown ? null : <p>{t("peers.noSize")}</p>}
      {single ? (
        <>
          <p className="chart-summary">
            {goalName(t, single)}:{" "}
            {single.own === null
              ? sentences.own(null, single.peers[0].figure)
              : t("table.ownLine", { rating: format(single.own) })}
          </p>
          <ul>
            {single.peers.map((p) => (
              <li key={p.id}>
                {sentences.figure(label(p.id), p.figure)}{" "}
                {p.figure.shown && single.own !== null ? sentences.own(single.own, p.figure) : null}
              </li>
            ))}
          </ul>
          <BandChart rows={single.peers.map((p) => ({ key: p.id, label: label(p.id), figure: p.figure, own: single.own }))} />
        </>
      ) : null}
      <table className="data chart-table" id="peers-table">
        <caption>
          {single
            ? t("peers.captionGoal", { number: single.number, round: roundName })
            : t("peers.caption", { round: roundName })}
        </caption>
        <thead>
          <tr>
            {single ? null : <th scope="col">{t("table.goal")}</th>}
            <FigureHeads first={t("table.group")} />
          </tr>
        </thead>
        {view.goals.map((g) => (
          <tbody key={g.number} data-goal={g.number}>
            {g.peers.map((p, i) => (
              <tr key={p.id} data-group={p.id}>
                {single === null && i === 0 ? (
                  <th scope="rowgroup" rowSpan={g.peers.length}>
                    {goalName(t, g)}
                    <br />
                    <span className="muted">
                      {t("table.ownLine", { rating: g.own === null ? t("table.noOwn") : format(g.own) })}
                    </span>
                  </th>
                ) : null}
                <th scope="row">{label(p.id)}</th>
                <FigureCells figure={p.figure} />
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </section>
  );
}

/** The network median over the closed rounds up to the chosen one. */
function Trend({ view }: { view: View }) {
  const { t } = useTranslation("comparison");
  const format = useRatingFormat();
  const single = view.goals.length === 1 ? view.goals[0] : null;
  const rounds = view.goals[0]?.trend.map((p) => ({ id: p.id, name: p.name })) ?? [];
  const items = (goal: GoalView) =>
    goal.trend
      .map((p) =>
        p.figure.shown
          ? t("trend.item", { round: p.name, median: format(p.figure.median) })
          : t("trend.itemSuppressed", { round: p.name }),
      )
      .join("; ");
  const points = (goal: GoalView) => goal.trend.map((p) => ({ key: p.id, label: p.name, figure: p.figure }));
  return (
    <section aria-labelledby="trend-heading" className="chart">
      <h2 id="trend-heading">{t("trend.title")}</h2>
      <p>{t("trend.intro")}</p>
      {rounds.length < 2 ? <p>{t("trend.onlyOne")}</p> : null}
      {single ? (
        <>
          <p className="chart-summary">
            {goalName(t, single)}: {t("trend.summary", { items: items(single) })}
          </p>
          <TrendChart points={points(single)} />
          <table className="data chart-table" id="trend-table">
            <caption>{t("trend.caption", { number: single.number })}</caption>
            <thead>
              <tr>
                <FigureHeads first={t("table.round")} />
              </tr>
            </thead>
            <tbody>
              {single.trend.map((p) => (
                <tr key={p.id} data-round={p.id}>
                  <th scope="row">{p.name}</th>
                  <FigureCells figure={p.figure} />
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <>
          <p className="chart-summary">{t("trend.summaryOverview", { rounds: rounds.length })}</p>
          <ul className="small-multiples" aria-hidden="true">
            {view.goals.map((g) => (
              <li key={g.number}>
                <span className="small-multiple-title">{goalName(t, g)}</span>
                <TrendChart points={points(g)} compact />
              </li>
            ))}
          </ul>
          <table className="data chart-table" id="trend-table">
            <caption>{t("trend.captionOverview")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("table.goal")}</th>
                {rounds.map((r) => (
                  <th scope="col" key={r.id}>
                    {r.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.goals.map((g) => (
                <tr key={g.number} data-goal={g.number}>
                  <th scope="row">{goalName(t, g)}</th>
                  {g.trend.map((p) =>
                    p.figure.shown ? (
                      <td key={p.id} data-round={p.id}>
                        {t("trend.cellMedian", { median: format(p.figure.median) })}
                        <br />
                        <span className="muted">{t("trend.cellN", { n: p.figure.n })}</span>
                      </td>
                    ) : (
                      <td key={p.id} data-round={p.id} className="suppressed" data-suppressed="">
                        {t(p.figure.message)}
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
