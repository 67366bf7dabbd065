/**
 * Reading the Excel aid "Umsetzungsplan" back (issue 21, item 5): pure rules, no database.
 *
 * 1. `parseGrid` reads the sheet's rows (as text) into blocks – one per measure, headed by a
 *    row "Maßnahme …: title" (and optionally "Angestrebtes Ergebnis: …") – with their
 *    activities. It accepts what the portal exports and what an office filled in by hand
 *    from the aid: blank lines, the aid's empty template rows, a status as symbol or word
 *    (in the status column or the symbol column), dates in the usual German forms, the
 *    "Planung" sub-header row, and columns in another order or missing.
 * 2. `diffPlan` compares the blocks with the plan: which measures and activities the sheet
 *    adds or changes, and which new Sachstand entries it has. The import never deletes:
 *    a measure or activity the sheet does not list stays as it is (a hand-filled sheet may
 *    hold only a part of the plan).
 *
 * Every row that cannot be read is named with its row number in the sheet; nothing is
 * applied while there is one (the route answers 400 with the whole list).
 */
import {
  type ActivityStatus,
  type ColumnKey,
  type Day,
  type DateProblem,
  parseState,
  parseStatus,
  parseTimeFrame,
  formatTimeFrame,
} from "./excel-format";

/** A problem in the sheet: an i18n key of the planExport namespace with its values; `row` is the sheet's row number. */
export type SheetError = { row: number | null; key: string; params?: Record<string, string | number> };

export type GridRow = { row: number; cells: string[] };

export type SheetActivity = {
  row: number;
  id: string;
  title: string;
  status: ActivityStatus;
  /** undefined: the sheet has no such column (the field is left as it is). */
  startsOn?: Day | null;
  endsOn?: Day | null;
  responsible?: string;
  participants?: string;
  resources?: string;
  remarks?: string;
  state?: Array<{ notedOn: Day | null; body: string }>;
};

export type SheetBlock = { row: number; label: string; title: string; result: string | null; activities: SheetActivity[] };

const HEADER_WORDS: Array<[Exclude<ColumnKey, "number" | "symbol">, RegExp]> = [
  ["title", /^arbeitsschritt/],
  ["status", /^status$/],
  ["timeFrame", /^zeitra(h|u)?m(en)?|^zeitraum|^zeitplan/],
  ["responsible", /^verantwortlich/],
  ["participants", /^mitwirkend/],
  ["resources", /^(inputs?|ressourcen)/],
  ["remarks", /^bemerkung/],
  ["state", /sachstand/],
  ["id", /^id$/],
];

const norm = (s: string) => s.trim().toLowerCase().replace(/\s+/g, " ");
/** Titles compared as people retype them: case, spaces and trailing punctuation do not count. */
export const sameTitle = (a: string, b: string) => norm(a).replace(/[.:;,!?\s]+$/, "") === norm(b).replace(/[.:;,!?\s]+$/, "");
const MEASURE = /^ma(ß|ss)nahme\b\s*(.*)$/i;
const RESULT = /^(angestrebtes\s+|beabsichtigtes\s+|gewünschtes\s+)?ergebnis(se)?\s*:\s*(.*)$/is;
const LEGEND = /^(status|legende)\s*:/i;

/** Where each field's column is: found by the header words, so the sheet's own order counts. */
function columnsOf(header: string[], sub: string[] | undefined) {
  const cols: Partial<Record<ColumnKey, number>> = {};
  for (const line of [header, sub ?? []])
    line.forEach((cell, i) => {
      const text = norm(cell);
      for (const [key, re] of HEADER_WORDS) if (cols[key] === undefined && re.test(text)) cols[key] = i;
    });
  const title = cols.title!;
  // The aid's second column: the symbol, left of the activity, without a header of its own.
  if (title >= 1 && !Object.values(cols).includes(title - 1)) cols.symbol = title - 1;
  return cols;
}

const dateError = (row: number, problem: DateProblem, text: string): SheetError =>
  problem.kind === "noSuchDate"
    ? { row, key: "errors.noSuchDate", params: { date: problem.text } }
    : problem.kind === "reversed"
      ? { row, key: "errors.reversed", params: { text } }
      : { row, key: "errors.timeFrame", params: { text } };

export function parseGrid(rows: GridRow[]): { blocks: SheetBlock[]; errors: SheetError[] } {
  const errors: SheetError[] = [];
  const blocks: SheetBlock[] = [];
  const headerAt = rows.findIndex((r) => r.cells.some((c) => /^arbeitsschritt/.test(norm(c))));
  if (headerAt < 0) return { blocks, errors: [{ row: null, key: "errors.noHeader" }] };
  const next = rows[headerAt + 1];
  const subIsHeader =
    next && next.row === rows[headerAt].row + 1 && next.cells.some((c) => HEADER_WORDS.some(([, re]) => re.test(norm(c))));
  const cols = columnsOf(rows[headerAt].cells, subIsHeader ? next.cells : undefined);
  const cell = (r: GridRow, key: ColumnKey) => (cols[key] === undefined ? undefined : (r.cells[cols[key]!] ?? "").trim());
  const fieldCols = new Set(Object.values(cols));

  let block: SheetBlock | null = null;
  for (const r of rows.slice(headerAt + (subIsHeader ? 2 : 1))) {
    const filled = r.cells.map((c) => c.trim()).filter(Boolean);
    if (!filled.length) continue;
    const first = filled[0];
    const measure = MEASURE.exec(first);
    if (measure) {
      // "Maßnahme 1.2: Titel" in one cell, or "Maßnahme 1:" with the title in a cell beside it.
      const text = [measure[2], ...filled.slice(1)].join(" ").trim();
      const colon = text.indexOf(":");
      const [label, title] = colon >= 0 ? [text.slice(0, colon).trim(), text.slice(colon + 1).trim()] : ["", text];
      block = { row: r.row, label, title, result: null, activities: [] };
      blocks.push(block);
      continue;
    }
    const result = RESULT.exec(first);
    if (result) {
      if (block) block.result = [result[3], ...filled.slice(1)].join(" ").trim();
      else errors.push({ row: r.row, key: "errors.noMeasure" });
      continue;
    }
    if (LEGEND.test(first) && !cell(r, "title")) continue;
    const title = cell(r, "title") ?? "";
    const planning = (["timeFrame", "responsible", "participants", "resources", "remarks", "state"] as const).some(
      (k) => (cell(r, k) ?? "") !== "",
    );
    // The aid's template rows ("1 ✓ erledigt" without an activity): nothing to import.
    if (!title && !planning) {
      const stray = r.cells.some((c, i) => c.trim() && !fieldCols.has(i) && i !== 0);
      if (!stray) continue;
    }
    if (!block) {
      errors.push({ row: r.row, key: "errors.noMeasure" });
      continue;
    }
    if (!title) {
      errors.push({ row: r.row, key: "errors.noTitle" });
      continue;
    }
    const statusText = cell(r, "status") || cell(r, "symbol") || "";
    const status = parseStatus(statusText);
    if (!status) errors.push({ row: r.row, key: "errors.status", params: { status: statusText } });
    const activity: SheetActivity = { row: r.row, id: cell(r, "id") ?? "", title, status: status ?? "NOT_STARTED" };
    const time = cell(r, "timeFrame");
    if (time !== undefined) {
      const frame = parseTimeFrame(time);
      if ("kind" in frame) errors.push(dateError(r.row, frame, time));
      else Object.assign(activity, frame);
    }
    for (const key of ["responsible", "participants", "resources", "remarks"] as const) {
      const value = cell(r, key);
      if (value !== undefined) activity[key] = value;
    }
    const state = cell(r, "state");
    if (state !== undefined) {
      const entries = parseState(state);
      if ("kind" in entries) errors.push(dateError(r.row, entries, state));
      else activity.state = entries;
    }
    block.activities.push(activity);
  }
  return { blocks, errors };
}

// ─── The diff ───────────────────────────────────────────────────────────────

export type PlanSnapshot = {
  measures: Array<{
    id: string;
    measureId: string | null;
    code: string | null;
    title: string;
    intendedResult: string;
    activities: Array<{
      id: string;
      title: string;
      status: ActivityStatus;
      startsOn: Day | null;
      endsOn: Day | null;
      responsibleUserId: string | null;
      /** What the sheet shows: the member's name or the name typed in. */
      responsible: string;
      participants: string;
      resources: string;
      remarks: string;
      createdById: string | null;
      updates: Array<{ notedOn: Day; body: string }>;
    }>;
  }>;
  members: Array<{ id: string; name: string }>;
};

export type CatalogueMeasure = { id: string; code: string; title: string; result: string };

export type FieldChange = { field: string; from: string; to: string };

export type ActivityDiff = {
  row: number;
  kind: "add" | "change";
  activityId: string | null;
  title: string;
  changes: FieldChange[];
  /** The values to write (add: all; change: the changed ones). */
  values: {
    title?: string;
    status?: ActivityStatus;
    startsOn?: Day | null;
    endsOn?: Day | null;
    responsibleUserId?: string | null;
    responsibleName?: string | null;
    participants?: string;
    resources?: string;
    remarks?: string;
  };
  newState: Array<{ notedOn: Day | null; body: string }>;
  /** For the permission check of a change: who is responsible, who added it. */
  ownerId: string | null;
  createdById: string | null;
};

export type MeasureDiff = {
  row: number;
  kind: "add" | "existing";
  planMeasureId: string | null;
  measureId: string | null;
  ownTitle: string | null;
  code: string | null;
  title: string;
  /** Set when the sheet's intended result differs (or, for a new measure, what it gets). */
  intendedResult: { from: string; to: string } | null;
  activities: ActivityDiff[];
};

export type PlanDiff = {
  measures: MeasureDiff[];
  counts: {
    measuresAdded: number;
    measuresChanged: number;
    activitiesAdded: number;
    activitiesChanged: number;
    statesAdded: number;
  };
};

const text = (s: string | null | undefined) => (s ?? "").replace(/\r\n?/g, "\n").trim();
const frame = (s: Day | null, e: Day | null) => [s ?? "", e ?? ""].join("/");

export function diffPlan(
  blocks: SheetBlock[],
  plan: PlanSnapshot,
  catalogue: CatalogueMeasure[],
): { diff: PlanDiff; errors: SheetError[] } {
  const errors: SheetError[] = [];
  const measures: MeasureDiff[] = [];
  const seen = new Map<string, number>();
  for (const block of blocks) {
    const byCode = block.label ? catalogue.find((c) => c.code === block.label) : undefined;
    const title = block.title || byCode?.title || "";
    if (!title) {
      // The aid's empty "Maßnahme 2:" row without activities is a template, not a measure.
      if (block.activities.length) errors.push({ row: block.row, key: "errors.noMeasureTitle" });
      continue;
    }
    const catalogued = byCode ?? catalogue.find((c) => sameTitle(c.title, title));
    const existing = catalogued
      ? plan.measures.find((m) => m.measureId === catalogued.id)
      : plan.measures.find((m) => !m.measureId && sameTitle(m.title, title));
    const key = catalogued ? `c:${catalogued.id}` : existing ? `p:${existing.id}` : `o:${norm(title)}`;
    if (seen.has(key)) {
      errors.push({ row: block.row, key: "errors.duplicateMeasure", params: { title, other: seen.get(key)! } });
      continue;
    }
    seen.set(key, block.row);
    const result = block.result === null ? null : text(block.result);
    const diff: MeasureDiff = existing
      ? {
          row: block.row,
          kind: "existing",
          planMeasureId: existing.id,
          measureId: existing.measureId,
          ownTitle: existing.measureId ? null : existing.title,
          code: existing.code,
          title: existing.title,
          intendedResult:
            result !== null && result !== text(existing.intendedResult) ? { from: existing.intendedResult, to: result } : null,
          activities: [],
        }
      : {
          row: block.row,
          kind: "add",
          planMeasureId: null,
          measureId: catalogued?.id ?? null,
          ownTitle: catalogued ? null : title,
          code: catalogued?.code ?? null,
          title: catalogued?.title ?? title,
          intendedResult: { from: "", to: result ?? catalogued?.result ?? "" },
          activities: [],
        };
    const unmatched = [...(existing?.activities ?? [])];
    for (const a of block.activities) {
      let match = a.id ? unmatched.find((x) => x.id === a.id) : undefined;
      match ??= unmatched.find((x) => sameTitle(x.title, a.title));
      if (match) unmatched.splice(unmatched.indexOf(match), 1);
      const responsibleUser = a.responsible ? plan.members.find((m) => sameTitle(m.name, a.responsible!)) : undefined;
      const responsibleValues =
        a.responsible === undefined
          ? {}
          : {
              responsibleUserId: responsibleUser?.id ?? null,
              responsibleName: responsibleUser || !a.responsible ? null : a.responsible,
            };
      const sheetState = a.state ?? [];
      if (!match) {
        diff.activities.push({
          row: a.row,
          kind: "add",
          activityId: null,
          title: a.title,
          changes: [],
          values: {
            title: a.title,
            status: a.status,
            startsOn: a.startsOn ?? null,
            endsOn: a.endsOn ?? null,
            ...responsibleValues,
            participants: a.participants ?? "",
            resources: a.resources ?? "",
            remarks: a.remarks ?? "",
          },
          newState: sheetState,
          ownerId: null,
          createdById: null,
        });
        continue;
      }
      const changes: FieldChange[] = [];
      const values: ActivityDiff["values"] = {};
      if (text(a.title) !== text(match.title)) {
        changes.push({ field: "title", from: match.title, to: a.title });
        values.title = a.title;
      }
      if (a.status !== match.status) {
        // The values themselves: the page names them in the reader's language.
        changes.push({ field: "status", from: match.status, to: a.status });
        values.status = a.status;
      }
      if (a.startsOn !== undefined && frame(a.startsOn, a.endsOn ?? null) !== frame(match.startsOn, match.endsOn)) {
        changes.push({
          field: "timeFrame",
          from: formatTimeFrame(match.startsOn, match.endsOn),
          to: formatTimeFrame(a.startsOn, a.endsOn ?? null),
        });
        Object.assign(values, { startsOn: a.startsOn, endsOn: a.endsOn ?? null });
      }
      if (a.responsible !== undefined && !sameTitle(a.responsible, match.responsible)) {
        changes.push({ field: "responsible", from: match.responsible, to: a.responsible });
        Object.assign(values, responsibleValues);
      }
      for (const key of ["participants", "resources", "remarks"] as const) {
        if (a[key] !== undefined && text(a[key]) !== text(match[key])) {
          changes.push({ field: key, from: match[key], to: a[key]! });
          values[key] = a[key];
        }
      }
      const known = new Set(match.updates.map((u) => `${u.notedOn}|${text(u.body)}`));
      const knownBodies = new Set(match.updates.map((u) => text(u.body)));
      const newState = sheetState.filter((s) =>
        s.notedOn ? !known.has(`${s.notedOn}|${text(s.body)}`) : !knownBodies.has(text(s.body)),
      );
      if (changes.length || newState.length)
        diff.activities.push({
          row: a.row,
          kind: "change",
          activityId: match.id,
          title: match.title,
          changes,
          values,
          newState,
          ownerId: match.responsibleUserId,
          createdById: match.createdById,
        });
    }
    if (diff.kind === "add" || diff.intendedResult || diff.activities.length) measures.push(diff);
  }
  const activities = measures.flatMap((m) => m.activities);
  const counts = {
    measuresAdded: measures.filter((m) => m.kind === "add").length,
    measuresChanged: measures.filter((m) => m.kind === "existing" && m.intendedResult).length,
    activitiesAdded: activities.filter((a) => a.kind === "add").length,
    activitiesChanged: activities.filter((a) => a.kind === "change" && a.changes.length).length,
    statesAdded: activities.reduce((n, a) => n + a.newState.length, 0),
  };
  return { diff: { measures, counts }, errors };
}

export const isEmptyDiff = (diff: PlanDiff) => Object.values(diff.counts).every((n) => n === 0);

/** Sheet errors in row order (those without a row first), as the page lists them. */
export const sortErrors = (errors: SheetError[]) => [...errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
