import { useHydrated } from "~/ui/use-hydrated";
import { useTranslation } from "react-i18next";
import { Area, Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, XAxis, YAxis } from "recharts";
import type { PublicFigure } from "~/domains/comparison/anonymity";

/**
 * Charts of the comparison pages (Recharts 2). They are decoration for assistive
 * technology: the wrapper is aria-hidden and the page puts a table with the same figures
 * and a text summary next to every chart. Drawn only in the browser, after hydration:
 * the server's HTML stays small and fast, the content security policy (style-src 'self')
 * would block the inline styles of server-rendered Recharts markup, and
 * ResponsiveContainer needs a real layout. Without JavaScript the tables carry the page.
 * The charts take the figures exactly as the anonymity rule released them; a hidden
 * figure draws nothing.
 */

const RATING_TICKS = [1, 2, 3, 4, 5];
const COLOURS = { own: "#0a58a3", median: "#1b1f24", band: "#b9c6d3", grid: "#c9d2db" };

export { useHydrated };

/** Ratings and medians with the UI language's decimal separator, at most two decimals. */
export function useRatingFormat() {
  const { i18n } = useTranslation();
  const format = new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "de-DE", { maximumFractionDigits: 2 });
  return (value: number) => format.format(value);
}

const bandOf = (figure: PublicFigure) =>
  figure.shown && figure.q1 !== null && figure.q3 !== null ? [figure.q1, figure.q3] : null;
const medianOf = (figure: PublicFigure) => (figure.shown ? figure.median : null);

/** A vertical tick for the median; Scatter hands over the point's centre. */
function MedianMark(props: { cx?: number; cy?: number; payload?: { median: number | null } }) {
  if (props.payload?.median == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <rect x={props.cx - 2} y={props.cy - 12} width={4} height={24} fill={COLOURS.median} />;
}

/** The office's own rating: a ringed dot, distinct in shape from the median tick. */
function OwnMark(props: { cx?: number; cy?: number; payload?: { own: number | null } }) {
  if (props.payload?.own == null || props.cx === undefined || props.cy === undefined || Number.isNaN(props.cx)) return <g />;
  return <circle cx={props.cx} cy={props.cy} r={7} fill={COLOURS.own} stroke="#ffffff" strokeWidth={2} />;
}

export type BandRow = {
  key: string;
  /** Row label (a goal or a comparison group). */
  label: string;
  figure: PublicFigure;
  own: number | null;
};

/**
 * One row per goal or group: the middle half of the offices as a band from Q1 to Q3, the
 * median as a tick, the office's own rating as a dot, on the rating scale 1–5.
 */
export function BandChart({ rows }: { rows: BandRow[] }) {
  const { t } = useTranslation("comparison");
  const hydrated = useHydrated();
  if (!hydrated || rows.length === 0) return null;
  const data = rows.map((row) => ({ label: row.label, band: bandOf(row.figure), median: medianOf(row.figure), own: row.own }));
  return (
    <div className="chart-canvas" aria-hidden="true">
      <ResponsiveContainer width="100%" height={70 + rows.length * 40}>
        <ComposedChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid horizontal={false} stroke={COLOURS.grid} />
          <XAxis type="number" domain={[1, 5]} ticks={RATING_TICKS} allowDecimals={false} />
          <YAxis type="category" dataKey="label" width={240} tick={{ fontSize: 13 }} interval={0} />
          <Bar dataKey="band" name={t("chart.band")} fill={COLOURS.band} barSize={20} isAnimationActive={false} />
          <Scatter dataKey="median" name={t("chart.median")} fill={COLOURS.median} shape={MedianMark} isAnimationActive={false} />
          <Scatter dataKey="own" name={t("chart.own")} fill={COLOURS.own} shape={OwnMark} isAnimationActive={false} />
          <Legend verticalAlign="top" height={30} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

export type TrendPoint = { key: string; label: string; figure: PublicFigure };

/**
 * The network's median over rounds as a line with the middle half as a band behind it;
 * a round whose figure is hidden leaves a gap. `compact` draws a small multiple (one of
 * twelve goals) without legend.
 */
export function TrendChart({ points, compact = false }: { points: TrendPoint[]; compact?: boolean }) {
  const { t } = useTranslation("comparison");
  const hydrated = useHydrated();
  if (!hydrated || points.length === 0) return null;
  const data = points.map((point) => ({ label: point.label, band: bandOf(point.figure), median: medianOf(point.figure) }));
  const chart = (
    <ResponsiveContainer width="100%" height={compact ? 130 : 260}>
      <ComposedChart
        data={data}
        margin={compact ? { top: 8, right: 12, bottom: 4, left: -24 } : { top: 8, right: 24, bottom: 8, left: 0 }}
      >
        <CartesianGrid vertical={false} stroke={COLOURS.grid} />
        <XAxis dataKey="label" tick={{ fontSize: compact ? 11 : 13 }} interval={0} padding={{ left: 24, right: 24 }} />
        <YAxis domain={[1, 5]} ticks={RATING_TICKS} tick={{ fontSize: compact ? 11 : 13 }} />
        <Area
          dataKey="band"
          name={t("chart.band")}
          fill={COLOURS.band}
          stroke="none"
          connectNulls={false}
          isAnimationActive={false}
        />
        <Line
          dataKey="median"
          name={t("chart.median")}
          stroke={COLOURS.median}
          strokeWidth={2}
          dot={{ r: 4, fill: COLOURS.median }}
          connectNulls={false}
          isAnimationActive={false}
        />
        {compact ? null : <Legend verticalAlign="top" height={30} />}
      </ComposedChart>
    </ResponsiveContainer>
  );
  return compact ? (
    chart
  ) : (
    <div className="chart-canvas" aria-hidden="true">
      {chart}
    </div>
  );
}
