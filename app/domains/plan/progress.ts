/**
 * Progress of an implementation plan (issue 21, item 4) – pure rules, no database: the share
 * of activities done per measure and overall, which activities are overdue or due soon, and
 * the timeline model (months spanned, where each activity's bar starts and ends).
 *
 * Days are German calendar days written YYYY-MM-DD (app/utils/calendar-day.ts): an activity's
 * time frame is whole days, "today" is toCalendarDay(now). Strings of that form compare in
 * calendar order, so no Date arithmetic in time zones is needed here.
 */
import { addDays, daysBetween } from "~/utils/calendar-day";

import type { ActivityStatus } from "./status";

// The statuses and the aid's symbols (✗ / ! / ✓) are defined once, in status.ts.
export { ACTIVITY_STATUSES, type ActivityStatus, STATUS_SYMBOL } from "./status";

/** Days before an activity's end date that its responsible person is reminded (a week: time to act, not to forget). */
export const REMINDER_DAYS_BEFORE = 7;

/** An activity "due soon" ends within this many days from today (today included). */
export const DUE_SOON_DAYS = 14;

export type ProgressActivity = {
  id: string;
  status: ActivityStatus;
  /** YYYY-MM-DD or null (no time frame entered). */
  startsOn: string | null;
  endsOn: string | null;
};
export type ProgressMeasure<A extends ProgressActivity = ProgressActivity> = { id: string; activities: readonly A[] };

export type Share = {
  done: number;
  total: number;
  /** Whole per cent done, rounded down (100 only when everything is done); null without activities. */
  percent: number | null;
};

/** How many of these activities are done, and the share in whole per cent (rounded down, so 199 of 200 is 99 %, not 100 %). */
export function shareDone(activities: readonly Pick<ProgressActivity, "status">[]): Share {
  const total = activities.length;
  const done = activities.filter((a) => a.status === "DONE").length;
  return { done, total, percent: total === 0 ? null : Math.floor((done * 100) / total) };
}

/** Overdue: the end date has passed (it is before today) and the activity is not done. The end day itself is not overdue. */
export function isOverdue(activity: Pick<ProgressActivity, "status" | "endsOn">, today: string) {
  return activity.status !== "DONE" && activity.endsOn !== null && activity.endsOn < today;
}

/** Due soon: not done and ending today or within `days` days (not overdue yet). */
export function isDueSoon(activity: Pick<ProgressActivity, "status" | "endsOn">, today: string, days = DUE_SOON_DAYS) {
  return (
    activity.status !== "DONE" && activity.endsOn !== null && activity.endsOn >= today && activity.endsOn <= addDays(today, days)
  );
}

/** Days an overdue activity is past its end date (0 when it is not overdue). */
export function daysOverdue(activity: Pick<ProgressActivity, "status" | "endsOn">, today: string) {
  return isOverdue(activity, today) ? daysBetween(activity.endsOn as string, today) : 0;
}

export type MeasureProgress = { id: string; share: Share; overdue: number; dueSoon: number };
export type PlanProgress = {
  overall: Share;
  measures: MeasureProgress[];
  /** Ids of the overdue activities, earliest end date first. */
  overdue: string[];
  /** Ids of the activities due soon, earliest end date first. */
  dueSoon: string[];
};

/** The plan's progress on `today`: per measure (in the order given) and overall. */
export function planProgress(measures: readonly ProgressMeasure[], today: string, soonDays = DUE_SOON_DAYS): PlanProgress {
  const all = measures.flatMap((m) => m.activities);
  const byEnd = (a: ProgressActivity, b: ProgressActivity) => (a.endsOn as string).localeCompare(b.endsOn as string);
  return {
    overall: shareDone(all),
    measures: measures.map((m) => ({
      id: m.id,
      share: shareDone(m.activities),
      overdue: m.activities.filter((a) => isOverdue(a, today)).length,
      dueSoon: m.activities.filter((a) => isDueSoon(a, today, soonDays)).length,
    })),
    overdue: all
      .filter((a) => isOverdue(a, today))
      .sort(byEnd)
      .map((a) => a.id),
    dueSoon: all
      .filter((a) => isDueSoon(a, today, soonDays))
      .sort(byEnd)
      .map((a) => a.id),
  };
}

// ─── Timeline ───────────────────────────────────────────────────────────────

/** A calendar month of the timeline: "2027-03". */
export type Month = { key: string; year: number; month: number };

export type Bar = {
  id: string;
  /** The first and last day the bar covers (a missing start or end is taken from the other date). */
  from: string;
  to: string;
  /** Index of the first and last month it touches (0 = the timeline's first month), inclusive. */
  startMonth: number;
  endMonth: number;
  /** Position on the timeline in per cent of its width (for a continuous bar). */
  left: number;
  width: number;
  /** True when only one of the two dates was entered. */
  partial: boolean;
};

export type Timeline = {
  months: Month[];
  /** Bars of the activities with at least one date, by id. */
  bars: Record<string, Bar>;
  /** Ids of the activities without any date: listed, without a bar. */
  undated: string[];
  /** Where today is, in per cent of the width; null when today is outside the months shown. */
  today: number | null;
};

const monthKey = (day: string) => day.slice(0, 7);
function nextMonth(key: string) {
  const [y, m] = key.split("-").map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, "0")}`;
}
function daysInMonth(key: string) {
  const [y, m] = key.split("-").map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/**
 * The timeline of these activities: every month from the month of the earliest date to the
 * month of the latest (no gaps, whole months), a bar per dated activity from its start to the
 * end of its last day. An activity with only a start or only an end date gets a one-day bar on
 * that day (`partial`). Without any dated activity there are no months and no bars.
 */
export function timeline(activities: readonly ProgressActivity[], today: string): Timeline {
  const bars: Record<string, Bar> = {};
  const undated: string[] = [];
  const spans: Array<{ id: string; from: string; to: string; partial: boolean }> = [];
  for (const a of activities) {
    const from = a.startsOn ?? a.endsOn;
    const to = a.endsOn ?? a.startsOn;
    if (from === null || to === null) {
      undated.push(a.id);
      continue;
    }
    // The database forbids start after end; should one arrive anyway, draw it the right way round.
    spans.push({
      id: a.id,
      from: from <= to ? from : to,
      to: from <= to ? to : from,
      partial: a.startsOn === null || a.endsOn === null,
    });
  }
  if (spans.length === 0) return { months: [], bars, undated, today: null };

  const first = monthKey(spans.reduce((min, s) => (s.from < min ? s.from : min), spans[0].from));
  const last = monthKey(spans.reduce((max, s) => (s.to > max ? s.to : max), spans[0].to));
  const months: Month[] = [];
  for (let key = first; key <= last; key = nextMonth(key)) {
    const [year, month] = key.split("-").map(Number);
    months.push({ key, year, month });
  }
  const index = new Map(months.map((m, i) => [m.key, i]));
  // Position of the start of a day, in months from the first month (fractional).
  const at = (day: string) => (index.get(monthKey(day)) as number) + (Number(day.slice(8, 10)) - 1) / daysInMonth(monthKey(day));
  const endOf = (day: string) => (index.get(monthKey(day)) as number) + Number(day.slice(8, 10)) / daysInMonth(monthKey(day));
  const percent = (x: number) => Math.round((x / months.length) * 10_000) / 100;

  for (const s of spans) {
    const left = percent(at(s.from));
    bars[s.id] = {
      ...s,
      startMonth: index.get(monthKey(s.from)) as number,
      endMonth: index.get(monthKey(s.to)) as number,
      left,
      width: Math.max(percent(endOf(s.to)) - left, 0),
    };
  }
  const todayShown = monthKey(today) >= first && monthKey(today) <= last;
  return { months, bars, undated, today: todayShown ? percent(at(today)) : null };
}
