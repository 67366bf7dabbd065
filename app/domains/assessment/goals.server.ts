import { z } from "zod";
import { can } from "~/platform/auth/can";
import { mergeThreeWay } from "~/domains/assessment/merge";
import { withUser } from "~/platform/db.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";
import {
  type Answer,
  type AssessmentContext,
  fromAnswer,
  goalFormSchema,
  type GoalValues,
  individualFormSchema,
  type SaveOutcome,
  toAnswer,
} from "./schemas";
import { changes, editableState, goalOf, touchProgress, userName } from "./draft.server";

// ─── Goals ──────────────────────────────────────────────────────────────────

/**
 * Saves the office's answer for one goal. Heads set the consensus rating; everyone on the
 * team may write comment and evidence. Stale saves are merged field by field (merge.ts).
 */
export async function saveGoal(
  ctx: AssessmentContext,
  goalNo: number,
  input: z.output<typeof goalFormSchema>,
): Promise<SaveOutcome<GoalValues>> {
  const { actor, office, assessment } = ctx;
  const target = { networkId: office.networkId, officeId: office.id };
  if (!can(actor, "office.assess", target)) throw new ForbiddenError();
  const mayRate = can(actor, "office.recordConsensus", target);
  return withUser(actor.id, async (tx): Promise<SaveOutcome<GoalValues>> => {
    const state = await editableState(tx, assessment.id);
    if (state !== "draft") return { kind: "locked", state };
    const goal = await goalOf(tx, assessment.round.frameworkVersionId, goalNo);
    if (!goal) return { kind: "notFound" };
    // A blank row (version 0) first, so two first saves at once meet at the same row lock.
    await tx.$executeRaw`INSERT INTO goal_assessment (assessment_id, goal_id, version) VALUES (${assessment.id}::uuid, ${goal.id}::uuid, 0) ON CONFLICT DO NOTHING`;
    const [row] = await tx.$queryRaw<
      Array<{
        rating: number | null;
        not_assessed: boolean;
        comment: string;
        evidence: string;
        evidence_links: string[] | null;
        version: number;
        updated_by_id: string | null;
        updated_at: Date;
      }>
    >`
      SELECT rating, not_assessed, comment, evidence, evidence_links, version, updated_by_id, updated_at FROM goal_assessment
      WHERE assessment_id = ${assessment.id}::uuid AND goal_id = ${goal.id}::uuid FOR UPDATE`;
    const stored: GoalValues = {
      answer: toAnswer({ rating: row.rating, notAssessed: row.not_assessed }),
      comment: row.comment,
      evidence: row.evidence,
      links: row.evidence_links ?? [],
    };
    const base: GoalValues = {
      answer: input["base.answer"],
      comment: input["base.comment"],
      evidence: input["base.evidence"],
      links: input["base.links"],
    };
    const mine: GoalValues = {
      answer: mayRate && input.answer !== undefined ? input.answer : base.answer,
      comment: input.comment,
      evidence: input.evidence,
      links: input.links,
    };
    const editable: Array<keyof GoalValues> = mayRate
      ? ["answer", "comment", "evidence", "links"]
      : ["comment", "evidence", "links"];
    const { merged, conflicts } = mergeThreeWay(input.version === row.version ? stored : base, mine, stored, editable);
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
    const changed = changes(stored, merged);
    if (Object.keys(changed).length === 0) return { kind: "saved", version: row.version, values: stored };
    await tx.goalAssessment.update({
      where: { assessmentId_goalId: { assessmentId: assessment.id, goalId: goal.id } },
      data: {
        ...fromAnswer(merged.answer),
        comment: merged.comment,
        evidence: merged.evidence,
        evidenceLinks: merged.links,
        version: row.version + 1,
        updatedAt: new Date(),
        updatedById: actor.id,
      },
    });
    await touchProgress(tx, assessment.id);
    await recordAudit(
      {
        action: "assessment.goal_saved",
        actorId: actor.id,
        networkId: office.networkId,
        officeId: office.id,
        targetType: "assessment",
        targetId: assessment.id,
        // Everyone who reads the log: who saved which fields; the values only for the office.
        details: { round: assessment.round.name, goal: goalNo, fields: Object.keys(changed) },
        content: { changes: changed },
      },
      tx,
    );
    return { kind: "saved", version: row.version + 1, values: merged };
  });
}

/** Saves the acting team member's own rating and reasons for one goal. */
export async function saveIndividualRating(
  ctx: AssessmentContext,
  goalNo: number,
  input: z.output<typeof individualFormSchema>,
): Promise<SaveOutcome<{ answer: Answer; reasons: string }>> {
  const { actor, office, assessment } = ctx;
  if (!can(actor, "office.assess", { networkId: office.networkId, officeId: office.id })) throw new ForbiddenError();
  return withUser(actor.id, async (tx): Promise<SaveOutcome<{ answer: Answer; reasons: string }>> => {
    const state = await editableState(tx, assessment.id);
    if (state !== "draft") return { kind: "locked", state };
    const goal = await goalOf(tx, assessment.round.frameworkVersionId, goalNo);
    if (!goal) return { kind: "notFound" };
    const key = { assessmentId: assessment.id, goalId: goal.id, userId: actor.id };
    const before = await tx.individualRating.findUnique({ where: { assessmentId_goalId_userId: key } });
    const values = { answer: input.answer, reasons: input.reasons };
    const previous = { answer: toAnswer(before), reasons: before?.reasons ?? "" };
    const changed = changes(previous, values);
    if (Object.keys(changed).length === 0) return { kind: "saved", version: 0, values };
    const data = { ...fromAnswer(input.answer), reasons: input.reasons, updatedAt: new Date() };
    await tx.individualRating.upsert({ where: { assessmentId_goalId_userId: key }, create: { ...key, ...data }, update: data });
    await touchProgress(tx, assessment.id);
    await recordAudit(
      {
        action: "assessment.individual_saved",
        actorId: actor.id,
        networkId: office.networkId,
        officeId: office.id,
        targetType: "assessment",
        targetId: assessment.id,
        // A team member's own rating and reasons are kept nowhere in the log, not even for
        // the office: the current value is in the assessment, earlier drafts are the person's.
        details: { round: assessment.round.name, goal: goalNo, fields: Object.keys(changed) },
      },
      tx,
    );
    return { kind: "saved", version: 0, values };
  });
}
