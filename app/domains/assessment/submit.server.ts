import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { priorityRuleOf } from "~/domains/assessment/priority";
import { inOrder, withUser } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { Prisma } from "~/generated/prisma/client";
import type { FieldErrors } from "~/platform/http/forms";
import { recordAudit } from "~/platform/audit/audit.server";
import { ConflictError, ForbiddenError } from "~/platform/errors";
import { type AssessmentContext } from "./schemas";
import { editableState, userName } from "./draft.server";

// ─── Submit and reopen ──────────────────────────────────────────────────────

export type SubmitOutcome = { kind: "submitted" } | { kind: "already" };

/**
 * Submits the draft (office heads only). The conditional UPDATE makes it idempotent: a
 * double click or a resent request finds it submitted and has no second effect – no
 * second audit entry, no second receipt.
 */
export async function submitAssessment(ctx: AssessmentContext): Promise<SubmitOutcome> {
  const { actor, office, assessment } = ctx;
  if (!can(actor, "office.submitAssessment", { networkId: office.networkId, officeId: office.id })) throw new ForbiddenError();
  const outcome = await withUser(actor.id, async (tx): Promise<SubmitOutcome> => {
    const submittedAt = new Date();
    const { priorityRule } = await tx.network.findUniqueOrThrow({
      where: { id: office.networkId },
      select: { priorityRule: true },
    });
    const rule = JSON.stringify(priorityRuleOf(priorityRule));
    const count = await tx.$executeRaw`
      UPDATE assessment a SET submitted_at = ${submittedAt}, submitted_by_id = ${actor.id}::uuid, priority_rule = ${rule}::jsonb
      FROM assessment_round r
      WHERE a.id = ${assessment.id}::uuid AND r.id = a.round_id AND a.submitted_at IS NULL AND r.closed_at IS NULL AND r.opens_at <= ${submittedAt}`;
    if (count === 0) {
      const state = await editableState(tx, assessment.id);
      if (state === "submitted") return { kind: "already" };
      throw new ConflictError(`assessment:errors.locked.${state}`);
    }
    const progress = await tx.assessment.findUniqueOrThrow({
      where: { id: assessment.id },
      select: { goalsDone: true, measuresDone: true },
    });
    const [goals, measures, user, network] = await inOrder(
      tx.goal.count({ where: { frameworkVersionId: assessment.round.frameworkVersionId } }),
      tx.measure.count({ where: { frameworkVersionId: assessment.round.frameworkVersionId } }),
      tx.user.findUniqueOrThrow({ where: { id: actor.id }, select: { email: true, name: true, language: true } }),
      tx.network.findUniqueOrThrow({ where: { id: office.networkId }, select: { name: true } }),
    );
    const late = submittedAt > assessment.deadline;
    await enqueueEmail(tx, {
      to: user.email,
      template: "assessment-submitted",
      language: isLanguage(user.language) ? user.language : "de",
      props: {
        headName: user.name,
        networkName: network.name,
        officeName: office.name,
        roundName: assessment.round.name,
        submittedAt,
        goalsDone: progress.goalsDone,
        goals,
        measuresDone: progress.measuresDone,
        measures,
        late,
        assessmentUrl: publicUrl(`/behoerden/${office.id}/runden/${assessment.round.id}`),
      },
    });
    await recordAudit(
      {
        action: "assessment.submitted",
        actorId: actor.id,
        networkId: office.networkId,
        officeId: office.id,
        targetType: "assessment",
        targetId: assessment.id,
        details: { round: assessment.round.name, goalsDone: progress.goalsDone, measuresDone: progress.measuresDone, late },
      },
      tx,
    );
    return { kind: "submitted" };
  });
  return outcome;
}

/** The network admin reopens a submitted assessment; the reason is kept and shown to the office. */
export async function reopenAssessment(
  actor: Actor,
  roundId: string,
  officeId: string,
  reason: string,
): Promise<{ ok: true; office: string } | { ok: false; errors: FieldErrors } | null> {
  return withUser(actor.id, async (tx) => {
    const row = await tx.assessment.findUnique({
      where: { roundId_officeId: { roundId, officeId } },
      select: {
        id: true,
        submittedAt: true,
        participant: {
          select: { office: { select: { name: true } }, round: { select: { name: true, networkId: true, closedAt: true } } },
        },
      },
    });
    if (!row) return null;
    const round = row.participant.round;
    if (!can(actor, "network.manageRounds", { networkId: round.networkId })) throw new ForbiddenError();
    if (round.closedAt) return { ok: false as const, errors: { reason: "assessment:errors.roundClosed" } };
    const { count } = await tx.assessment.updateMany({
      where: { id: row.id, submittedAt: { not: null } },
      data: { submittedAt: null, submittedById: null, priorityRule: Prisma.DbNull },
    });
    if (count === 0) return { ok: false as const, errors: { reason: "assessment:errors.notSubmitted" } };
    await tx.assessmentReopening.create({ data: { assessmentId: row.id, reason, reopenedById: actor.id }, select: { id: true } });
    await recordAudit(
      {
        action: "assessment.reopened",
        actorId: actor.id,
        networkId: round.networkId,
        officeId,
        targetType: "assessment",
        targetId: row.id,
        details: { round: round.name, reason, submittedAt: row.submittedAt?.toISOString() ?? null },
      },
      tx,
    );
    return { ok: true as const, office: row.participant.office.name };
  });
}

/** A person's display name (for "submitted by"), or null. */
export async function personName(actor: Actor, id: string | null) {
  return withUser(actor.id, (tx) => userName(tx, id));
}
