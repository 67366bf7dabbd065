import type { Language } from "~/i18n/config";

/**
 * Calendar days in German time. Round dates are whole days: a round opens at 00:00 and a
 * deadline ends at 24:00 (Europe/Berlin) of the day entered, whatever the server's zone.
 */
const ZONE = "Europe/Berlin";
const ymdFormat = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const partsFormat = new Intl.DateTimeFormat("en-US", {
  timeZone: ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

/** Is this a real date written YYYY-MM-DD (no 2027-02-30)? */
export function isCalendarDay(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split("-").map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Milliseconds German local time is ahead of UTC at this instant (3600000 or 7200000). */
function offsetMs(instant: Date) {
  const p = Object.fromEntries(partsFormat.formatToParts(instant).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return local - Math.floor(instant.getTime() / 1000) * 1000;
}

/** 00:00 German time on this day. */
export function startOfDay(day: string) {
  const [y, m, d] = day.split("-").map(Number);
  const guess = Date.UTC(y, m - 1, d);
  const first = guess - offsetMs(new Date(guess));
  // Re-check at the found instant (a DST switch between guess and result).
  return new Date(guess - offsetMs(new Date(first)));
}

/** The last millisecond of this day in German time (a deadline "until 31 March" includes the 31st). */
export function endOfDay(day: string) {
  const [y, m, d] = day.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(startOfDay(next).getTime() - 1);
}

/** The German calendar day of an instant, as YYYY-MM-DD (for date inputs). */
export function toCalendarDay(instant: Date) {
  return ymdFormat.format(instant);
}

/** "31. März 2027" / "31 March 2027", in German time. */
export function formatDay(instant: Date, language: Language) {
  return new Intl.DateTimeFormat(language === "de" ? "de-DE" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: ZONE,
  }).format(instant);
}

/** The calendar day `days` days after `day` (negative: before), both YYYY-MM-DD. */
export function addDays(day: string, days: number) {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (YYYY-MM-DD; negative when `to` is earlier). */
export function daysBetween(from: string, to: string) {
  const at = (day: string) => {
    const [y, m, d] = day.split("-").map(Number);
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((at(to) - at(from)) / 86_400_000);
}
