import type { AssessmentState } from "~/domains/assessment/scope.server";
import { type TenantTx } from "~/platform/db.server";
import { Prisma } from "~/generated/prisma/client";

/** Steps every save of the draft shares (moved out of assessments.server.ts). */
// ─── Shared steps ───────────────────────────────────────────────────────────

/**
 * Locks the assessment row for sharing while a part is saved: a submission (UPDATE)
 * waits for running saves, and a save that comes after sees the submission.
 */
export async function editableState(tx: TenantTx, assessmentId: string): Promise<AssessmentState> {
  // An exclusive lock, not FOR SHARE: every save later updates this row (progress), and two
  // shared holders that both upgrade deadlock. Saves of one assessment queue here, briefly,
  // and a submission waits for the save in flight (so nothing lands after it).
  const rows = await tx.$queryRaw<Array<{ submitted_at: Date | null; opens_at: Date; closed_at: Date | null }>>`
    SELECT a.submitted_at, r.opens_at, r.closed_at FROM assessment a JOIN assessment_round r ON r.id = a.round_id
    WHERE a.id = ${assessmentId}::uuid FOR NO KEY UPDATE OF a`;
  const row = rows[0];
  if (!row) return "closed";
  if (row.closed_at) return "closed";
  if (row.submitted_at) return "submitted";
  if (row.opens_at > new Date()) return "upcoming";
  return "draft";
}

/** Recounts progress on the assessment row (monitoring reads it without seeing content). */
export async function touchProgress(tx: TenantTx, assessmentId: string) {
  await tx.$executeRaw`
    UPDATE assessment SET
      goals_done = (SELECT count(*) FROM goal_assessment g WHERE g.assessment_id = ${assessmentId}::uuid AND (g.rating IS NOT NULL OR g.not_assessed)),
      measures_done = (SELECT count(*) FROM measure_assessment m WHERE m.assessment_id = ${assessmentId}::uuid AND m.need IS NOT NULL AND (m.need = 'NONE' OR m.effort IS NOT NULL)),
      last_edited_at = now()
    WHERE id = ${assessmentId}::uuid`;
}

export function changes<V extends Record<string, unknown>>(before: V, after: V) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, { from: before[k], to: after[k] }]),
  ) as Record<string, { from: Prisma.InputJsonValue; to: Prisma.InputJsonValue }>;
}

export async function goalOf(tx: TenantTx, frameworkVersionId: string, goalNo: number) {
  return tx.goal.findUnique({
    where: { frameworkVersionId_number: { frameworkVersionId, number: goalNo } },
    select: { id: true, number: true },
  });
}

export async function userName(tx: TenantTx, id: string | null) {
  if (!id) return null;
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}
