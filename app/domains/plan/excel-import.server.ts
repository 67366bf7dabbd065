/**
 * Reading an uploaded Excel sheet into the plan (issue 21, item 5): the workbook's cells as
 * text (excel-import.ts does the rules), the preview's diff against the plan, the rights
 * each change needs, and applying it in one transaction with one audit entry (who and how
 * many, never what).
 *
 * The preview and the confirmation read the same stored upload (the route keeps it in the
 * office's storage between the two requests) and compute the diff afresh; the confirmation
 * applies only when its diff is the one previewed (same digest) – if the plan changed in
 * between, the person gets the new preview instead of a surprise.
 */
import { planAudit } from "./access.server";
import crypto from "node:crypto";
import ExcelJS from "exceljs";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { type TenantTx, withUser } from "~/platform/db.server";
import { formatDayDe } from "./excel-format";
import { diffPlan, type GridRow, isEmptyDiff, parseGrid, type PlanDiff, type SheetError, sortErrors } from "./excel-import";
import { fromDay, readPlanSheet } from "./sheet.server";

export const MAX_ROWS = 5000;
export const MAX_CELL = 20_000;

type PlanRef = { id: string; officeId: string; networkId: string; cycle: number };
type Subject = { networkId: string; officeId: string; closed: boolean };

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return formatDayDe(value.toISOString().slice(0, 10));
  if (typeof value === "object") {
    if ("richText" in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
    if ("formula" in value || "sharedFormula" in value) return "";
    if ("text" in value) return cellText((value as { text: ExcelJS.CellValue }).text);
    if ("error" in value) return "";
  }
  return String(value);
}

/** The first worksheet with the aid's head (or the first one) as rows of text; merged cells count once. */
export async function readGrid(bytes: Uint8Array): Promise<{ rows: GridRow[] } | { error: SheetError }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  } catch {
    return { error: { row: null, key: "errors.unreadable" } };
  }
  const sheets = book.worksheets;
  if (!sheets.length) return { error: { row: null, key: "errors.unreadable" } };
  const grids: GridRow[][] = [];
  for (const ws of sheets) {
    if (ws.rowCount > MAX_ROWS) return { error: { row: null, key: "errors.tooManyRows", params: { max: MAX_ROWS } } };
    const rows: GridRow[] = [];
    ws.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: string[] = [];
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        if (cell.isMerged && cell.master.address !== cell.address) return;
        cells[col - 1] = cellText(cell.value);
      });
      rows.push({ row: number, cells: Array.from(cells, (c) => c ?? "") });
    });
    grids.push(rows);
  }
  const withHead = grids.find((rows) => rows.some((r) => r.cells.some((c) => /^\s*arbeitsschritt/i.test(c))));
  return { rows: withHead ?? grids[0] };
}

/** What the acting person may not do of a diff, by row: new measures and results are the head's, an activity its people's. */
function permissionErrors(actor: Actor, subject: Subject, diff: PlanDiff): SheetError[] {
  const errors: SheetError[] = [];
  const head = can(actor, "plan.manage", subject);
  for (const m of diff.measures) {
    if (m.kind === "add" && !head) errors.push({ row: m.row, key: "errors.measureHeadOnly", params: { title: m.title } });
    else if (m.kind === "existing" && m.intendedResult && !head) errors.push({ row: m.row, key: "errors.resultHeadOnly" });
    for (const a of m.activities)
      if (
        a.kind === "change" &&
        a.changes.length &&
        !can(actor, "activity.update", { ...subject, ownerId: a.ownerId, createdById: a.createdById })
      )
        errors.push({ row: a.row, key: "errors.activityNotYours", params: { title: a.title } });
  }
  return errors;
}

const digestOf = (diff: PlanDiff) => crypto.createHash("sha256").update(JSON.stringify(diff)).digest("hex");

export type Preview =
  | { kind: "preview"; diff: PlanDiff; digest: string; empty: boolean }
  /** 400 for what the sheet says, 403 when only rights are missing. */
  | { kind: "invalid"; errors: SheetError[]; status: 400 | 403 };

function check(
  actor: Actor,
  subject: Subject,
  rows: GridRow[],
  diffOf: (blocks: ReturnType<typeof parseGrid>["blocks"]) => ReturnType<typeof diffPlan>,
): Preview {
  const long = rows.find((r) => r.cells.some((c) => c.length > MAX_CELL));
  const parsed = parseGrid(rows);
  const errors = [...parsed.errors];
  if (long) errors.push({ row: long.row, key: "errors.tooLong", params: { max: MAX_CELL } });
  const { diff, errors: diffErrors } = diffOf(parsed.blocks);
  errors.push(...diffErrors);
  if (errors.length) return { kind: "invalid", errors: sortErrors(errors), status: 400 };
  const refused = permissionErrors(actor, subject, diff);
  if (refused.length) return { kind: "invalid", errors: sortErrors(refused), status: 403 };
  return { kind: "preview", diff, digest: digestOf(diff), empty: isEmptyDiff(diff) };
}

/** The preview of an uploaded sheet: what would change, or every bad row. Reads, never writes. */
export async function previewImport(actor: Actor, plan: PlanRef, subject: Subject, bytes: Uint8Array): Promise<Preview> {
  const grid = await readGrid(bytes);
  if ("error" in grid) return { kind: "invalid", errors: [grid.error], status: 400 };
  const current = await withUser(actor.id, (tx) => readPlanSheet(tx, plan));
  return check(actor, subject, grid.rows, (blocks) => diffPlan(blocks, current, current.catalogue));
}

const todayInGermany = () => new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });

export type Applied = { kind: "applied"; counts: PlanDiff["counts"] } | { kind: "changed"; preview: Preview };

/**
 * Applies the previewed diff in one transaction: nothing is written unless all of it is.
 * When the plan changed since the preview (another digest), nothing is written and the new
 * preview is returned.
 */
export async function applyImport(
  actor: Actor,
  plan: PlanRef,
  subject: Subject,
  bytes: Uint8Array,
  digest: string,
): Promise<Applied | Preview> {
  const grid = await readGrid(bytes);
  if ("error" in grid) return { kind: "invalid", errors: [grid.error], status: 400 };
  return withUser(actor.id, async (tx) => {
    // One import at a time per plan: the second waits and then compares against the first's result.
    await tx.$queryRaw`SELECT id FROM plan WHERE id = ${plan.id}::uuid FOR UPDATE`;
    const current = await readPlanSheet(tx, plan);
    const preview = check(actor, subject, grid.rows, (blocks) => diffPlan(blocks, current, current.catalogue));
    if (preview.kind === "invalid") return preview;
    if (preview.digest !== digest) return { kind: "changed", preview } satisfies Applied;
    if (!preview.empty) await write(tx, actor, plan, preview.diff);
    return { kind: "applied", counts: preview.diff.counts } satisfies Applied;
  });
}

async function write(tx: TenantTx, actor: Actor, plan: PlanRef, diff: PlanDiff) {
  const now = new Date();
  const ref = { planId: plan.id, officeId: plan.officeId };
  const top = await tx.planMeasure.aggregate({ where: ref, _max: { position: true } });
  let measurePosition = (top._max.position ?? 0) + 1;
  const touched = new Set<string>();
  for (const m of diff.measures) {
    let planMeasureId = m.planMeasureId;
    if (m.kind === "add") {
      const created = await tx.planMeasure.create({
        data: {
          ...ref,
          measureId: m.measureId,
          ownTitle: m.ownTitle,
          origin: m.measureId ? "catalogue" : "own",
          intendedResult: m.intendedResult?.to ?? "",
          position: measurePosition++,
          addedById: actor.id,
        },
        select: { id: true },
      });
      planMeasureId = created.id;
    } else if (m.intendedResult) {
      await tx.planMeasure.update({
        where: { id: planMeasureId!, ...ref },
        data: { intendedResult: m.intendedResult.to, version: { increment: 1 }, updatedAt: now },
      });
    }
    const last = await tx.planActivity.aggregate({ where: { ...ref, planMeasureId: planMeasureId! }, _max: { position: true } });
    let position = (last._max.position ?? 0) + 1;
    for (const a of m.activities) {
      let activityId = a.activityId;
      const v = a.values;
      const dates = {
        ...(v.startsOn !== undefined ? { startsOn: fromDay(v.startsOn) } : {}),
        ...(v.endsOn !== undefined ? { endsOn: fromDay(v.endsOn) } : {}),
      };
      const done = v.status === undefined ? {} : { doneAt: v.status === "DONE" ? now : null };
      if (a.kind === "add") {
        const created = await tx.planActivity.create({
          data: {
            ...ref,
            planMeasureId: planMeasureId!,
            position: position++,
            title: v.title!,
            status: v.status ?? "NOT_STARTED",
            ...dates,
            responsibleUserId: v.responsibleUserId ?? null,
            responsibleName: v.responsibleName ?? null,
            participants: v.participants ?? "",
            resources: v.resources ?? "",
            remarks: v.remarks ?? "",
            ...done,
            createdById: actor.id,
          },
          select: { id: true },
        });
        activityId = created.id;
      } else if (a.changes.length) {
        await tx.planActivity.update({
          where: { id: activityId!, ...ref },
          data: {
            ...(v.title !== undefined ? { title: v.title } : {}),
            ...(v.status !== undefined ? { status: v.status } : {}),
            ...dates,
            ...(v.responsibleUserId !== undefined ? { responsibleUserId: v.responsibleUserId } : {}),
            ...(v.responsibleName !== undefined ? { responsibleName: v.responsibleName } : {}),
            ...(v.participants !== undefined ? { participants: v.participants } : {}),
            ...(v.resources !== undefined ? { resources: v.resources } : {}),
            ...(v.remarks !== undefined ? { remarks: v.remarks } : {}),
            ...done,
            version: { increment: 1 },
            updatedAt: now,
          },
        });
      }
      if (a.newState.length)
        await tx.planActivityUpdate.createMany({
          data: a.newState.map((s) => ({
            ...ref,
            activityId: activityId!,
            notedOn: fromDay(s.notedOn ?? todayInGermany())!,
            body: s.body,
            authorId: actor.id,
          })),
        });
    }
    touched.add(planMeasureId!);
  }
  // A measure is complete when it has activities and all are done (cleared when one is reopened).
  for (const id of touched) {
    const open = await tx.planActivity.count({ where: { ...ref, planMeasureId: id, status: { not: "DONE" } } });
    const all = await tx.planActivity.count({ where: { ...ref, planMeasureId: id } });
    const complete = all > 0 && open === 0;
    await tx.planMeasure.updateMany({
      where: { id, ...ref, completedAt: complete ? null : { not: null } },
      data: { completedAt: complete ? now : null },
    });
  }
  await tx.plan.update({ where: { id: plan.id }, data: { version: { increment: 1 }, updatedAt: now } });
  const c = diff.counts;
  await planAudit(tx, actor, plan, {
    action: "plan.imported",
    targetType: "plan",
    targetId: plan.id,
    // Who read in how much; what the sheet said stays in the plan (no content in the log).
    details: {
      cycle: plan.cycle,
      measuresAdded: c.measuresAdded,
      measuresChanged: c.measuresChanged,
      activitiesAdded: c.activitiesAdded,
      activitiesChanged: c.activitiesChanged,
      statesAdded: c.statesAdded,
    },
  });
}
