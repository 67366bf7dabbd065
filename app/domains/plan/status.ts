/**
 * The three statuses of an activity (Arbeitsschritt) as the original aid (Arbeitshilfe 2.1,
 * "Umsetzungsplan") writes them: ✗ nicht begonnen, ! in Arbeit, ✓ erledigt. Pure: the pages,
 * the Excel/CSV export and import, the timeline and the progress figures all read them here.
 * A status is always shown as symbol AND text, never by colour alone.
 */
export const ACTIVITY_STATUSES = ["NOT_STARTED", "IN_PROGRESS", "DONE"] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** The aid's symbol of each status (the second column of the Excel sheet). */
export const STATUS_SYMBOL: Record<ActivityStatus, string> = { NOT_STARTED: "✗", IN_PROGRESS: "!", DONE: "✓" };

/** The aid's German wording (the drop-down values of the Excel sheet; the page uses plan:status.*). */
export const STATUS_LABEL_DE: Record<ActivityStatus, string> = {
  NOT_STARTED: "nicht begonnen",
  IN_PROGRESS: "in Arbeit",
  DONE: "erledigt",
};

/** The i18n key of a status's label (namespace "plan"). */
export function statusKey(status: ActivityStatus) {
  return `plan:status.${status}` as const;
}

export function isActivityStatus(value: unknown): value is ActivityStatus {
  return typeof value === "string" && (ACTIVITY_STATUSES as readonly string[]).includes(value);
}

/** "✓ erledigt": symbol and German text together, as the export and the aid write it. */
export function statusCell(status: ActivityStatus) {
  return `${STATUS_SYMBOL[status]} ${STATUS_LABEL_DE[status]}`;
}

const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");

/**
 * The status a cell of a (hand-filled) sheet means, or null when it means none: the symbol
 * (✗ x X ! ✓ ✔), the German or English text, the code, or symbol and text together.
 * An empty cell is null too – the caller decides whether that is "nicht begonnen" or an error.
 */
export function parseStatus(cell: unknown): ActivityStatus | null {
  if (typeof cell !== "string") return null;
  const text = normalise(cell);
  if (!text) return null;
  const bySymbol: Record<string, ActivityStatus> = {
    "✗": "NOT_STARTED",
    x: "NOT_STARTED",
    "✘": "NOT_STARTED",
    "!": "IN_PROGRESS",
    "✓": "DONE",
    "✔": "DONE",
  };
  if (bySymbol[text]) return bySymbol[text];
  const byText: Record<string, ActivityStatus> = {
    "nicht begonnen": "NOT_STARTED",
    "not started": "NOT_STARTED",
    "in arbeit": "IN_PROGRESS",
    "in progress": "IN_PROGRESS",
    erledigt: "DONE",
    done: "DONE",
    not_started: "NOT_STARTED",
    in_progress: "IN_PROGRESS",
  };
  if (byText[text]) return byText[text];
  // "✓ erledigt": a symbol and its own text.
  const [symbol, ...rest] = text.split(" ");
  const fromSymbol = bySymbol[symbol];
  const fromText = byText[rest.join(" ")];
  return fromSymbol && fromSymbol === fromText ? fromSymbol : null;
}

/** Counts per status (every status present, 0 where none). */
export function countByStatus(activities: ReadonlyArray<{ status: ActivityStatus }>): Record<ActivityStatus, number> {
  const counts: Record<ActivityStatus, number> = { NOT_STARTED: 0, IN_PROGRESS: 0, DONE: 0 };
  for (const a of activities) counts[a.status] += 1;
  return counts;
}

/** A measure is complete when it has at least one activity and every activity is done (plan_measure.completed_at). */
export function isMeasureComplete(activities: ReadonlyArray<{ status: ActivityStatus }>) {
  return activities.length > 0 && activities.every((a) => a.status === "DONE");
}
