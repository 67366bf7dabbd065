/**
 * What a catalogue measure achieved in a network, and the ministry's view of the plans
 * (issue 21, items 8 and 9) – the rule. Pure: no database, no clock, no randomness. The
 * figures are computed by abh_stats in achievement.server.ts and stored; nothing else
 * computes them.
 *
 * It is the anonymity rule of app/domains/comparison/anonymity.ts (decision 0005) applied to
 * one group, the network (there are no peer groups here, so its differencing rule 6 has
 * nothing to decide):
 *
 * 1. k is the network's threshold through clampK (5 unless set, never below 3).
 * 2. What the viewer knows does not count (rule 11): an office's members see the figures
 *    over the OTHER offices; the network's admins see the figures over the offices that
 *    never released a plan or their results. Known offices are taken out before anything
 *    is counted, so no figure mixes a known office with unknown ones and the viewer cannot
 *    subtract their own.
 * 3. Per measure three figures, each over the unknown offices:
 *    - planned: how many have the measure in a plan (any cycle);
 *    - completed: how many completed it (plan_measure.completed_at);
 *    - change: the median change of the measure's goal's joint rating (measure → work field →
 *      goal) from the office's last assessment before completion to its first one after
 *      (both submitted in closed rounds; an office without both counts for completed, not
 *      for change). n is the number of changes.
 *    Ministry only: how many offices have an open plan, and the median share of activities
 *    done over the offices whose plan has at least one activity.
 * 4. A count is shown only from k offices on; a median only from k values on (rule 5).
 * 5. A median is never one office's value: besides n ≥ k ≥ 3, it is hidden when every value
 *    behind it is the same (then it would tell each office's change – the dominance case of
 *    the statistics offices). So for every shown median and every office behind it there is
 *    another office with a different value: swapping the two changes nothing shown, and no
 *    office's value can be read off the figure.
 * 6. Shown: n and the median (type 7, as anonymity.ts). Never: minimum, maximum, a mean,
 *    single values, office names, rankings of offices. Hidden figures carry the one message
 *    (anonymity.ts rule 10) and no reason.
 *
 * Known limit: the figures change as plans change (they are recomputed nightly), so two
 * computations a day apart differ by what changed in between. A count that grows by one
 * says that one (unnamed) office added or completed the measure; the median moves without
 * telling by how much any single office's rating changed. Round figures do not have this
 * (a closed round is frozen); the pages say when the figures were computed.
 */
import { clampK, SUPPRESSED_MESSAGE } from "~/domains/comparison/anonymity";

export { SUPPRESSED_MESSAGE };

export type Hidden = { shown: false; message: typeof SUPPRESSED_MESSAGE };
export type ShownCount = { shown: true; n: number };
export type ShownMedian = { shown: true; n: number; median: number };
export type CountFigure = ShownCount | Hidden;
export type MedianFigure = ShownMedian | Hidden;

export const HIDDEN: Hidden = Object.freeze({ shown: false, message: SUPPRESSED_MESSAGE }) as Hidden;

/** One office's row for one catalogue measure it has in a plan. */
export type OfficeMeasure = {
  officeKey: string;
  measureId: string;
  completed: boolean;
  /** The goal's joint rating before and after completion (1–5), null where there is none. */
  before: number | null;
  after: number | null;
};

export type Achievement = { planned: CountFigure; completed: CountFigure; change: MedianFigure };

export type ViewerKnowledge = { known?: Iterable<string> };

/** Rule 4 for a count. */
export function anonymousCount(n: number, k: number | null | undefined): CountFigure {
  return n >= clampK(k) ? { shown: true, n } : HIDDEN;
}

/** Type 7 median of the values. */
function median(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) / 2;
  const lower = Math.floor(h);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower]);
}

/** Rules 4 and 5 for a median: at least k values, not all the same. */
export function anonymousMedian(values: readonly number[], k: number | null | undefined): MedianFigure {
  if (values.length < clampK(k)) return HIDDEN;
  if (values.every((v) => v === values[0])) return HIDDEN;
  return { shown: true, n: values.length, median: median(values) };
}

function checkRows(rows: readonly OfficeMeasure[]) {
  const seen = new Set<string>();
  for (const row of rows) {
    if (!row.officeKey || !row.measureId) throw new RangeError("every row needs an office key and a measure");
    const key = `${row.officeKey}\u0000${row.measureId}`;
    if (seen.has(key)) throw new RangeError("one row per office and measure");
    seen.add(key);
    for (const rating of [row.before, row.after])
      if (rating !== null && !(Number.isInteger(rating) && rating >= 1 && rating <= 5))
        throw new RangeError("a rating must be 1–5 or null");
  }
}

/** The change an office's row contributes (completed, with a rating before and after), or null. */
export function changeOf(row: OfficeMeasure): number | null {
  return row.completed && row.before !== null && row.after !== null ? row.after - row.before : null;
}

/**
 * The figures of every measure that occurs in the rows, for one viewer (rule 2). A measure
 * that is not in the result has no office behind it: every figure hidden.
 */
export function measureAchievements(
  rows: readonly OfficeMeasure[],
  k: number | null | undefined,
  { known = [] }: ViewerKnowledge = {},
): Map<string, Achievement> {
  checkRows(rows);
  const knownKeys = new Set(known);
  const byMeasure = new Map<string, OfficeMeasure[]>();
  for (const row of rows) {
    if (knownKeys.has(row.officeKey)) continue;
    const list = byMeasure.get(row.measureId) ?? [];
    list.push(row);
    byMeasure.set(row.measureId, list);
  }
  const result = new Map<string, Achievement>();
  for (const [measureId, list] of byMeasure) {
    const changes = list.map(changeOf).filter((c): c is number => c !== null);
    result.set(measureId, {
      planned: anonymousCount(list.length, k),
      completed: anonymousCount(list.filter((r) => r.completed).length, k),
      change: anonymousMedian(changes, k),
    });
  }
  return result;
}

/** An office's open plan: its activities and how many are done. */
export type OfficeProgress = { officeKey: string; activities: number; done: number };
export type PlanProgressFigures = { plans: CountFigure; doneShare: MedianFigure };

/** Ministry: offices with an open plan, and the median share of activities done (0–1). */
export function planProgress(
  offices: readonly OfficeProgress[],
  k: number | null | undefined,
  { known = [] }: ViewerKnowledge = {},
): PlanProgressFigures {
  const knownKeys = new Set(known);
  const unknown = offices.filter((o) => !knownKeys.has(o.officeKey));
  for (const o of unknown)
    if (!(Number.isInteger(o.activities) && Number.isInteger(o.done) && o.done >= 0 && o.done <= o.activities))
      throw new RangeError("done must be between 0 and the number of activities");
  const shares = unknown.filter((o) => o.activities > 0).map((o) => o.done / o.activities);
  return { plans: anonymousCount(unknown.length, k), doneShare: anonymousMedian(shares, k) };
}

/** Stored form (NULL = hidden) → figure. */
export function countFromStore(n: number | null | undefined): CountFigure {
  return n === null || n === undefined ? HIDDEN : { shown: true, n };
}
export function medianFromStore(n: number | null | undefined, value: number | null | undefined): MedianFigure {
  return n === null || n === undefined || value === null || value === undefined ? HIDDEN : { shown: true, n, median: value };
}
