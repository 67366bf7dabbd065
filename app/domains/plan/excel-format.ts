/**
 * The Excel aid "Umsetzungsplan" (Arbeitshilfe 2.1, Orientierungsrahmen RLP 2015, Teil B) as
 * the portal writes and reads it: its title, its columns, the status values with their
 * symbols (✗ nicht begonnen, ! in Arbeit, ✓ erledigt), and German dates. Pure rules, shared
 * by the export (excel.server.ts), the import (excel-import.ts) and their tests.
 */

export const SHEET_TITLE = "Stärkung der Serviceorientierung und der Willkommenskultur der Ausländerbehörde – Umsetzungsplan";

export type ActivityStatus = "NOT_STARTED" | "IN_PROGRESS" | "DONE";

/** In the aid's order of its drop-down. */
export const STATUSES: ReadonlyArray<{ value: ActivityStatus; symbol: string; label: string }> = [
  { value: "NOT_STARTED", symbol: "✗", label: "nicht begonnen" },
  { value: "IN_PROGRESS", symbol: "!", label: "in Arbeit" },
  { value: "DONE", symbol: "✓", label: "erledigt" },
];

export const statusSymbol = (s: ActivityStatus) => STATUSES.find((x) => x.value === s)!.symbol;
export const statusLabel = (s: ActivityStatus) => STATUSES.find((x) => x.value === s)!.label;

/**
 * The columns of the aid, left to right: the number, the status symbol (second column, as in
 * the aid), the activity, the status drop-down, the four planning columns, remarks, current
 * state – and a hidden column with the portal's id of the activity, so an exported sheet
 * finds its activities again even when a title was changed.
 */
export const COLUMNS = [
  { key: "number", header: "Nr.", width: 6 },
  { key: "symbol", header: "", width: 5 },
  { key: "title", header: "Arbeitsschritte", width: 42 },
  { key: "status", header: "Status", width: 16 },
  { key: "timeFrame", header: "Zeitrahmen", width: 26 },
  { key: "responsible", header: "Verantwortliche", width: 22 },
  { key: "participants", header: "Mitwirkende", width: 24 },
  { key: "resources", header: "Inputs/Ressourcen", width: 26 },
  { key: "remarks", header: "Bemerkungen", width: 30 },
  { key: "state", header: "Aktueller Sachstand", width: 48 },
  { key: "id", header: "ID", width: 10 },
] as const;
export type ColumnKey = (typeof COLUMNS)[number]["key"];

// ─── Status ─────────────────────────────────────────────────────────────────

const STATUS_WORDS: Record<string, ActivityStatus> = {
  "✗": "NOT_STARTED",
  "✘": "NOT_STARTED",
  "×": "NOT_STARTED",
  x: "NOT_STARTED",
  "nicht begonnen": "NOT_STARTED",
  "noch nicht begonnen": "NOT_STARTED",
  offen: "NOT_STARTED",
  "not started": "NOT_STARTED",
  "!": "IN_PROGRESS",
  "in arbeit": "IN_PROGRESS",
  "in bearbeitung": "IN_PROGRESS",
  "in progress": "IN_PROGRESS",
  "✓": "DONE",
  "✔": "DONE",
  "√": "DONE",
  erledigt: "DONE",
  abgeschlossen: "DONE",
  done: "DONE",
};

/**
 * The status a cell says: a symbol, a word, or both ("✓ erledigt"); an empty cell is
 * "nicht begonnen". `undefined` for anything else (the import names it).
 */
export function parseStatus(text: string): ActivityStatus | undefined {
  const t = text.trim().toLowerCase().replace(/\s+/g, " ");
  if (!t) return "NOT_STARTED";
  if (STATUS_WORDS[t]) return STATUS_WORDS[t];
  // A symbol and a word together: both must say the same.
  const m = /^(\S)\s*(.+)$/.exec(t);
  if (m && STATUS_WORDS[m[1]] && STATUS_WORDS[m[2]] === STATUS_WORDS[m[1]]) return STATUS_WORDS[m[1]];
  return undefined;
}

// ─── Dates ──────────────────────────────────────────────────────────────────

/** A calendar day as "YYYY-MM-DD" (what the database's DATE columns hold). */
export type Day = string;

export function formatDayDe(day: Day) {
  const [y, m, d] = day.split("-");
  return `${d}.${m}.${y}`;
}

/** "TT.MM.JJJJ – TT.MM.JJJJ", "ab TT.MM.JJJJ", "bis TT.MM.JJJJ" or "" – what the import reads back. */
export function formatTimeFrame(startsOn: Day | null, endsOn: Day | null) {
  if (startsOn && endsOn) return `${formatDayDe(startsOn)} – ${formatDayDe(endsOn)}`;
  if (startsOn) return `ab ${formatDayDe(startsOn)}`;
  if (endsOn) return `bis ${formatDayDe(endsOn)}`;
  return "";
}

const MONTHS: Record<string, number> = {
  jan: 1,
  januar: 1,
  jän: 1,
  jänner: 1,
  feb: 2,
  februar: 2,
  mär: 3,
  märz: 3,
  maerz: 3,
  mrz: 3,
  apr: 4,
  april: 4,
  mai: 5,
  jun: 6,
  juni: 6,
  jul: 7,
  juli: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  okt: 10,
  oktober: 10,
  nov: 11,
  november: 11,
  dez: 12,
  dezember: 12,
};

const pad = (n: number) => String(n).padStart(2, "0");
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const fullYear = (y: string) => (y.length === 2 ? 2000 + Number(y) : Number(y));

/** A day the calendar has, or null ("31.02.2026"). */
function realDay(y: number, m: number, d: number): Day | null {
  if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > lastDay(y, m)) return null;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** One date-like piece: a day, or a month (from its first to its last day). */
const DATE_PIECE =
  /(\d{4}-\d{1,2}-\d{1,2})|(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})\b|(\d{1,2})\/(\d{4})|([A-Za-zÄÖÜäöü]{3,9})\.?\s+(\d{4})(?![-\d])/g;

export type DateProblem = { kind: "noSuchDate"; text: string } | { kind: "unreadable" } | { kind: "reversed" };

type Piece = { text: string; from: Day; to: Day; index: number; end: number };

function pieces(text: string): Piece[] | DateProblem {
  const found: Piece[] = [];
  for (const m of text.matchAll(DATE_PIECE)) {
    const whole = m[0];
    let from: Day | null = null;
    let to: Day | null = null;
    if (m[1]) {
      const [y, mo, d] = m[1].split("-").map(Number);
      from = to = realDay(y, mo, d);
    } else if (m[2]) {
      from = to = realDay(fullYear(m[4]), Number(m[3]), Number(m[2]));
    } else if (m[5]) {
      const y = Number(m[6]);
      const mo = Number(m[5]);
      from = realDay(y, mo, 1);
      to = from && realDay(y, mo, lastDay(y, mo));
    } else if (m[7]) {
      const mo = MONTHS[m[7].toLowerCase()];
      if (!mo) continue; // a word before a year that is not a month: left for "unreadable" below
      const y = Number(m[8]);
      from = realDay(y, mo, 1);
      to = from && realDay(y, mo, lastDay(y, mo));
    }
    if (!from || !to) return { kind: "noSuchDate", text: whole.trim() };
    found.push({ text: whole, from, to, index: m.index!, end: m.index! + whole.length });
  }
  return found;
}

/**
 * A time frame as people write it: "01.03.2026 – 30.06.2026", "1.3.26-30.6.26",
 * "2026-03-01 bis 2026-06-30", "ab 01.03.2026", "bis 30.06.2026", "03/2026", "März 2026",
 * "März 2026 – Juni 2026", or one day. Empty: no time frame.
 */
export function parseTimeFrame(raw: string): { startsOn: Day | null; endsOn: Day | null } | DateProblem {
  const text = raw.trim();
  if (!text) return { startsOn: null, endsOn: null };
  const found = pieces(text);
  if (!Array.isArray(found)) return found;
  // Whatever is not a date must be a joining word: "ab", "bis", "von", a dash.
  let rest = text;
  for (const p of [...found].reverse()) rest = rest.slice(0, p.index) + " " + rest.slice(p.end);
  if (found.length === 0 || found.length > 2 || rest.replace(/\b(ab|bis|von|vom|seit)\b|[-–—,]|\s/gi, "") !== "")
    return { kind: "unreadable" };
  let result: { startsOn: Day | null; endsOn: Day | null };
  if (found.length === 2) result = { startsOn: found[0].from, endsOn: found[1].to };
  else if (/^\s*(ab|seit)\b/i.test(text)) result = { startsOn: found[0].from, endsOn: null };
  else if (/^\s*bis\b/i.test(text)) result = { startsOn: null, endsOn: found[0].to };
  else result = { startsOn: found[0].from, endsOn: found[0].to };
  if (result.startsOn && result.endsOn && result.startsOn > result.endsOn) return { kind: "reversed" };
  return result;
}

/** One day written by hand ("7.3.2026", "2026-03-07"); a problem when it is none. */
export function parseDay(raw: string): Day | DateProblem {
  const found = pieces(raw.trim());
  if (!Array.isArray(found)) return found;
  if (found.length !== 1 || found[0].from !== found[0].to || raw.trim().length !== found[0].text.trim().length)
    return { kind: "unreadable" };
  return found[0].from;
}

// ─── Aktueller Sachstand ────────────────────────────────────────────────────

export type StateEntry = { notedOn: Day; body: string };

/** "TT.MM.JJJJ: text", one entry a line, oldest first (lines of one entry continue below it). */
export function formatState(entries: readonly StateEntry[]) {
  return entries.map((e) => `${formatDayDe(e.notedOn)}: ${e.body}`).join("\n");
}

const STATE_LINE = /^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2}))\s*(?::|–|—|-)?\s*(.*)$/;

/**
 * The entries of a Sachstand cell. A line starting with a date starts an entry; other lines
 * continue the one above; text before any date is one entry without a date (`notedOn` null:
 * the import dates it with the day of the import).
 */
export function parseState(raw: string): Array<{ notedOn: Day | null; body: string }> | DateProblem {
  const entries: Array<{ notedOn: Day | null; body: string }> = [];
  for (const line of raw.replace(/\r\n?/g, "\n").split("\n")) {
    const m = STATE_LINE.exec(line);
    if (m) {
      const day = parseDay(m[1]);
      if (typeof day !== "string") return day;
      entries.push({ notedOn: day, body: m[2].trim() });
    } else if (entries.length) entries[entries.length - 1].body += `\n${line}`;
    else if (line.trim()) entries.push({ notedOn: null, body: line });
  }
  return entries.map((e) => ({ ...e, body: e.body.trim() })).filter((e) => e.body);
}
