import type { TFunction } from "i18next";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useHydrated } from "~/ui/use-hydrated";
import { Bar, CartesianGrid, ComposedChart, Line, LineChart, Scatter, XAxis, YAxis } from "recharts";
import type { GroupKey, PublicFigure } from "~/domains/comparison/anonymity";
import { DataTable } from "~/ui/layout";

/**
 * Shared comparison charts (Recharts 2). Charts are decorative for assistive technology:
 * the SVG wrapper is aria-hidden, a table next to it carries the data and a one-sentence
 * summary says what the chart shows. Fixed width/height (scaled down by CSS through the
 * viewBox) so the server renders the same SVG as the browser; ids come from useId so they
 * match after hydration. Without JavaScript the tables still work.
 */

const RATING_TICKS = [1, 2, 3, 4, 5];
const COLOURS = { own: "#0a58a3", median: "#1b1f24", band: "#b9c6d3", grid: "#c9d2db" };

export type ProfileGoal = {
  number: number;
  shortTitle: string;
  /** The office's own consensus rating; null: not rated (or not in this round). */
  own: number | null;
  /** The comparison group's figure as the anonymity rule released it. */
  figure: PublicFigure;
};

/** Formats a rating or median with the UI language's decimal separator, at most two decimals. */
export function useRatingFormat() {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "de-DE", { maximumFractionDigits: 2 });
  return (value: number | null | undefined) => (value === null || value === undefined ? "—" : format.format(value));
}

/** How many goals (with an own rating and a shown figure) lie below / above / at the median. */
export function profileCounts(goals: readonly ProfileGoal[]) {
  let below = 0;
  let above = 0;
  let compared = 0;
  for (const goal of goals) {
    if (goal.own === null || !goal.figure.shown) continue;
    compared++;
    if (goal.own < goal.figure.median) below++;
    else if (goal.own > goal.figure.median) above++;
  }
  return { below, above, compared, total: goals.length };
}

/** A comparison group's name: "Netzwerk", "Landkreise", "Landkreise · 10 000 bis 30 000 Kundinnen und Kunden" … */
export function groupName(t: TFunction, group: GroupKey) {
  if (group.kind && group.size)
    return t("dashboard:groups.kindSize", {
      kind: t(`dashboard:groups.kind.${group.kind}`),
      size: t(`dashboard:groups.size.${group.size}`),
    });
  if (group.kind) return t(`dashboard:groups.kind.${group.kind}`);
  if (group.size) return t(`dashboard:groups.size.${group.size}`);
  return t("dashboard:groups.network");
}

function chartId(id: string) {
  return `chart${id.replace(/[^a-zA-Z0-9_-]/g, "")}`;
}

/** A vertical tick for the median; Scatter hands the point's centre in cx/cy. */
function MedianMark(props: { cx?: number; cy?: number; payload?: { median: number | null } }) {
  if (props.payload?.median == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <rect x={props.cx - 2} y={props.cy - 12} width={4} height={24} fill={COLOURS.median} />;
}

function OwnMark(props: { cx?: number; cy?: number; payload?: { own: number | null } }) {
  if (props.payload?.own == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <circle cx={props.cx} cy={props.cy} r={7} fill={COLOURS.own} stroke="#ffffff" strokeWidth={2} />;
}

/**
 * The goal profile: per goal the office's rating (dot) against the group's median (bar)
 * with the middle half of the offices (interquartile range, band) behind it. Suppressed
 * figures show no numbers, only the message in the table.
 */
export function GoalProfileChart({
  goals,
  caption,
  summary,
  groupLabel,
  tableOpen = false,
}: {
  goals: ProfileGoal[];
  /** Caption of the table (and heading of the chart's data). */
  caption: string;
  /** One sentence for screen readers and everyone; defaults to "x of y goals below the median". */
  summary?: string;
  /** Name of the comparison group in the legend and table head, e.g. "Netzwerk"; defaults to the network. */
  groupLabel?: string;
  /** Show the table openly instead of inside <details>. */
  tableOpen?: boolean;
}) {
  const { t } = useTranslation("dashboard");
  const format = useRatingFormat();
  const hydrated = useHydrated();
  const id = chartId(useId());
  const group = groupLabel ?? t("groups.network");
  const counts = profileCounts(goals);
  const sentence =
    summary ??
    (counts.compared === 0
      ? t("chart.summaryNone")
      : t("chart.summary", { below: counts.below, compared: counts.compared, above: counts.above }));

  const data = goals.map((goal) => ({
    label: `${goal.number}. ${goal.shortTitle}`,
    own: goal.own,
    median: goal.figure.shown ? goal.figure.median : null,
    band: goal.figure.shown && goal.figure.q1 !== null && goal.figure.q3 !== null ? [goal.figure.q1, goal.figure.q3] : null,
  }));
  const height = 40 + goals.length * 38;

  const table = (
    <DataTable
      className="data chart-table"
      caption={caption}
      columns={[t("chart.goal"), t("chart.own"), t("chart.median", { group }), t("chart.spread"), t("chart.n")]}
    >
      {goals.map((goal) => (
        <tr key={goal.number}>
          <th scope="row">
            {`${goal.number}. `}
            <span lang="de">{goal.shortTitle}</span>
          </th>
          <td>{goal.own === null ? t("chart.noRating") : format(goal.own)}</td>
          {goal.figure.shown ? (
            <>
              <td>{format(goal.figure.median)}</td>
              <td>
                {goal.figure.q1 !== null && goal.figure.q3 !== null
                  ? t("chart.range", { q1: format(goal.figure.q1), q3: format(goal.figure.q3) })
                  : t("chart.noSpread")}
              </td>
              <td>{goal.figure.n}</td>
            </>
          ) : (
            <td colSpan={3} className="suppressed">
              {t(goal.figure.message)}
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );

  return (
    <figure className="chart">
      <p className="chart-summary">{sentence}</p>
      <div className="chart-canvas" aria-hidden="true">
        {/* An HTML legend: Recharts' own needs the browser to measure it and colours its text like the series. */}
        <ul className="chart-legend">
          <li>
            <span className="swatch swatch-band" style={{ background: COLOURS.band }} /> {t("chart.legendBand", { group })}
          </li>
          <li>
            <span className="swatch swatch-median" style={{ background: COLOURS.median }} /> {t("chart.legendMedian", { group })}
          </li>
          <li>
            <span className="swatch swatch-own" style={{ background: COLOURS.own }} /> {t("chart.legendOwn")}
          </li>
        </ul>
        {hydrated ? (
          <ComposedChart
            id={id}
            width={760}
            height={height}
            data={data}
            layout="vertical"
            margin={{ top: 8, right: 24, bottom: 8, left: 8 }}
          >
            <CartesianGrid horizontal={false} stroke={COLOURS.grid} />
            <XAxis type="number" domain={[1, 5]} ticks={RATING_TICKS} allowDecimals={false} />
            <YAxis type="category" dataKey="label" width={260} tick={{ fontSize: 13 }} interval={0} />
            <Bar dataKey="band" fill={COLOURS.band} barSize={20} isAnimationActive={false} />
            <Scatter dataKey="median" fill={COLOURS.median} shape={MedianMark} isAnimationActive={false} />
            <Scatter dataKey="own" fill={COLOURS.own} shape={OwnMark} isAnimationActive={false} />
          </ComposedChart>
        ) : null}
      </div>
      {/* Without JavaScript there is no chart: the table is open. */}
      {tableOpen || !hydrated ? (
        table
      ) : (
        <details className="chart-data">
          <summary>{t("chart.showTable")}</summary>
          {table}
        </details>
      )}
    </figure>
  );
}

export type TrendSeries = {
  /** Column/line label, e.g. a round's name. */
  rounds: Array<{ id: string; name: string }>;
  /** Per goal the office's own rating in each round (same order as rounds; null: none). */
  goals: Array<{ number: number; shortTitle: string; ratings: Array<number | null> }>;
};

/**
 * The office's own rating per goal across rounds: one small line chart per goal
 * (small multiples) and one table with a row per goal and a column per round.
 */
export function OwnTrendChart({ rounds, goals, caption, summary }: TrendSeries & { caption: string; summary: string }) {
  const { t } = useTranslation("dashboard");
  const format = useRatingFormat();
  const hydrated = useHydrated();
  const baseId = chartId(useId());
  return (
    <figure className="chart">
      <p className="chart-summary">{summary}</p>
      {hydrated ? (
        <ul className="small-multiples" aria-hidden="true">
          {goals.map((goal) => (
            <li key={goal.number}>
              <span className="small-multiple-title">{`${goal.number}. ${goal.shortTitle}`}</span>
              <LineChart
                id={`${baseId}g${goal.number}`}
                width={220}
                height={120}
                data={rounds.map((round, i) => ({ name: round.name, rating: goal.ratings[i] }))}
                margin={{ top: 8, right: 12, bottom: 4, left: -24 }}
              >
                <CartesianGrid vertical={false} stroke={COLOURS.grid} />
                <XAxis dataKey="name" tick={{ fontSize: 11 }} interval={0} padding={{ left: 16, right: 16 }} />
                <YAxis domain={[1, 5]} ticks={RATING_TICKS} tick={{ fontSize: 11 }} />
                <Line
                  dataKey="rating"
                  stroke={COLOURS.own}
                  strokeWidth={2}
                  dot={{ r: 4, fill: COLOURS.own }}
                  connectNulls={false}
                  isAnimationActive={false}
                />
              </LineChart>
            </li>
          ))}
        </ul>
      ) : null}
      <details className="chart-data" open={!hydrated || undefined}>
        <summary>{t("chart.showTable")}</summary>
        <table className="data chart-table">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t("chart.goal")}</th>
              {rounds.map((round) => (
                <th scope="col" key={round.id}>
                  {round.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {goals.map((goal) => (
              <tr key={goal.number}>
                <th scope="row">
                  {`${goal.number}. `}
                  <span lang="de">{goal.shortTitle}</span>
                </th>
                {goal.ratings.map((rating, i) => (
                  <td key={rounds[i].id}>{rating === null ? t("chart.noRating") : format(rating)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
