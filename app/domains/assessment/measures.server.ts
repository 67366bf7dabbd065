import { z } from "zod";
import { can } from "~/platform/auth/can";
import { mergeThreeWay } from "~/domains/assessment/merge";
import { type Grade, type Priority } from "~/domains/assessment/priority";
import { withUser } from "~/platform/db.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";
import { type AssessmentContext, measureFormSchema, type MeasureValues, type SaveOutcome } from "./schemas";
import { changes, editableState, touchProgress, userName } from "./draft.server";

// ─── Measures ───────────────────────────────────────────────────────────────

/** Saves need, effort and an optional priority override (with its reason) of one measure. */
export async function saveMeasure(
  ctx: AssessmentContext,
  measureCode: string,
  input: z.output<typeof measureFormSchema>,
): Promise<SaveOutcome<MeasureValues>> {
  const { actor, office, assessment } = ctx;
  if (!can(actor, "office.assess", { networkId: office.networkId, officeId: office.id })) throw new ForbiddenError();
  return withUser(actor.id, async (tx): Promise<SaveOutcome<MeasureValues>> => {
    const state = await editableState(tx, assessment.id);
    if (state !== "draft") return { kind: "locked", state };
    const measure = await tx.measure.findUnique({
      where: { frameworkVersionId_code: { frameworkVersionId: assessment.round.frameworkVersionId, code: measureCode } },
      select: { id: true },
    });
    if (!measure) return { kind: "notFound" };
    await tx.$executeRaw`INSERT INTO measure_assessment (assessment_id, measure_id, version) VALUES (${assessment.id}::uuid, ${measure.id}::uuid, 0) ON CONFLICT DO NOTHING`;
    const [row] = await tx.$queryRaw<
      Array<{
        need: Grade | null;
        effort: Grade | null;
        priority_override: Priority | null;
        override_reason: string;
        version: number;
        updated_by_id: string | null;
        updated_at: Date;
      }>
    >`
      SELECT need, effort, priority_override, override_reason, version, updated_by_id, updated_at FROM measure_assessment
      WHERE assessment_id = ${assessment.id}::uuid AND measure_id = ${measure.id}::uuid FOR UPDATE`;
    const stored: MeasureValues = {
      need: row.need ?? "",
      effort: row.effort ?? "",
      override: row.priority_override ?? "",
      reason: row.override_reason,
    };
    const base: MeasureValues = {
      need: input["base.need"],
      effort: input["base.effort"],
      override: input["base.override"],
      reason: input["base.reason"],
    };
    const mine: MeasureValues = { need: input.need, effort: input.effort, override: input.override, reason: input.reason };
    const { merged, conflicts } = mergeThreeWay(input.version === row.version ? stored : base, mine, stored, [
      "need",
      "effort",
      "override",
      "reason",
    ]);
    if (conflicts.length) {
      return {
        kind: "conflict",
        version: row.version,
        conflicts,
        mine,
        theirs: stored,
        theirsBy: await userName(tx, row.updated_by_id),
        theirsAt: row.updated_at,
      };
    }
    if (merged.override && !merged.reason) return { kind: "invalid", errors: { reason: "assessment:errors.reasonForOverride" } };
    const changed = changes(stored, merged);
    if (Object.keys(changed).length === 0) return { kind: "saved", version: row.version, values: stored };
    await tx.measureAssessment.update({
      where: { assessmentId_measureId: { assessmentId: assessment.id, measureId: measure.id } },
      data: {
        need: merged.need || null,
        effort: merged.effort || null,
        priorityOverride: merged.override || null,
        // A reason only explains an override; without one it is not kept.
        overrideReason: merged.override ? merged.reason : "",
        version: row.version + 1,
        updatedAt: new Date(),
        updatedById: actor.id,
      },
    });
    await touchProgress(tx, assessment.id);
    await recordAudit(
      {
        action: "assessment.measure_saved",
        actorId: actor.id,
        networkId: office.networkId,
        officeId: office.id,
        targetType: "assessment",
        targetId: assessment.id,
        details: { round: assessment.round.name, measure: measureCode, fields: Object.keys(changed) },
        content: { changes: changed },
      },
      tx,
    );
    return { kind: "saved", version: row.version + 1, values: { ...merged, reason: merged.override ? merged.reason : "" } };
  });
}
