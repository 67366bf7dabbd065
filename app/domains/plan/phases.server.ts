/**
 * The five phases of the change for an office's plan (Teil B; rules in ./phases.ts): the
 * current phase, the phase checklist, review meetings, the consolidation check of finished
 * measures, and the follow-up cycle. Every write runs as the acting person (RLS), re-reads
 * the plan inside its transaction (a plan closed meanwhile is read-only: can() refuses), and
 * writes an audit event that names who changed which fields – what the office wrote (notes,
 * answers, the check's texts) only in audit_content, which only the office's members read.
 *
 * Who: the head sets the phase, runs the consolidation check and starts a follow-up cycle
 * ("plan.manage"); the team ticks tasks and records review meetings ("plan.contribute").
 *
 * The follow-up cycle writes its own minimal insert of the new plan and its proposed
 * measures (the round's priority-"hoch" measures), because the plan core (startPlan in
 * plan.server.ts) was not on this branch when it was written; it should call startPlan once
 * both are merged.
 */
import type { Prisma } from "~/generated/prisma/client";
import { effectivePriority, ruleForAssessment } from "~/domains/assessment/priority";
import { recordAudit } from "~/platform/audit/audit.server";
import { type Actor, authorize } from "~/platform/auth/can";
import { type TenantTx, withUser } from "~/platform/db.server";
import { ConflictError, NotFoundError } from "~/platform/errors";
import {
  type ActivityStatus,
  type ConsolidationDecision,
  isEssentiallyDone,
  isPhaseTask,
  type MeasureProgress,
  type Phase,
  type PhaseTask,
  REVIEW_QUESTIONS,
} from "./phases";

/** The office and plan a change applies to, as the plan layout resolved them (planScope). */
export type PhaseContext = {
  actor: Actor;
  office: { id: string; networkId: string };
  plan: { id: string };
};

type LockedPlan = { id: string; cycle: number; closed: boolean; phase: Phase; sourceRoundId: string | null };

/**
 * The plan, locked for this transaction, with the right checked on its current state: a
 * plan closed by a follow-up cycle in the meantime is read-only for everyone.
 */
async function lockPlan(tx: TenantTx, ctx: PhaseContext, action: "plan.manage" | "plan.contribute"): Promise<LockedPlan> {
  const rows = await tx.$queryRaw<
    Array<{ id: string; cycle: number; closed_at: Date | null; phase: Phase; source_round_id: string | null }>
  >`SELECT id, cycle, closed_at, phase::text AS phase, source_round_id FROM plan
     WHERE id = ${ctx.plan.id}::uuid AND office_id = ${ctx.office.id}::uuid FOR UPDATE`;
  const row = rows[0];
  if (!row) throw new NotFoundError();
  const closed = row.closed_at !== null;
  authorize(ctx.actor, action, { networkId: ctx.office.networkId, officeId: ctx.office.id, closed });
  return { id: row.id, cycle: row.cycle, closed, phase: row.phase, sourceRoundId: row.source_round_id };
}

function audit(
  tx: TenantTx,
  ctx: PhaseContext,
  action: string,
  targetId: string,
  details: Prisma.InputJsonValue,
  content?: Prisma.InputJsonValue,
) {
  return recordAudit(
    {
      action,
      actorId: ctx.actor.id,
      networkId: ctx.office.networkId,
      officeId: ctx.office.id,
      targetType: "plan",
      targetId,
      details,
      content,
    },
    tx,
  );
}

/** The head names the office's current phase. Returns whether it changed. */
export async function setPhase(ctx: PhaseContext, phase: Phase): Promise<{ changed: boolean }> {
  return withUser(ctx.actor.id, async (tx) => {
    const plan = await lockPlan(tx, ctx, "plan.manage");
    if (plan.phase === phase) return { changed: false };
    await tx.plan.update({ where: { id: plan.id }, data: { phase, version: { increment: 1 }, updatedAt: new Date() } });
    await audit(
      tx,
      ctx,
      "plan.phase_set",
      plan.id,
      { cycle: plan.cycle, fields: ["phase"] },
      { changes: { phase: { from: plan.phase, to: phase } } },
    );
    return { changed: true };
  });
}

/** A team member ticks a task of the checklist (or changes the note of a ticked one). */
export async function tickTask(ctx: PhaseContext, task: PhaseTask, note: string): Promise<{ changed: boolean }> {
  if (!isPhaseTask(task)) throw new NotFoundError();
  return withUser(ctx.actor.id, async (tx) => {
    const plan = await lockPlan(tx, ctx, "plan.contribute");
    const key = { planId_taskKey: { planId: plan.id, taskKey: task } };
    const before = await tx.planPhaseTask.findUnique({ where: key, select: { note: true } });
    if (before && before.note === note) return { changed: false };
    if (before) await tx.planPhaseTask.update({ where: key, data: { note } });
    else
      await tx.planPhaseTask.create({
        data: { planId: plan.id, officeId: ctx.office.id, taskKey: task, doneById: ctx.actor.id, note },
      });
    const fields = before ? ["note"] : note ? ["task", "note"] : ["task"];
    await audit(
      tx,
      ctx,
      before ? "plan.task_note_changed" : "plan.task_ticked",
      plan.id,
      { cycle: plan.cycle, fields },
      { task, ...(before ? { changes: { note: { from: before.note, to: note } } } : note ? { note } : {}) },
    );
    return { changed: true };
  });
}

/** A team member takes the tick off a task again. */
export async function untickTask(ctx: PhaseContext, task: PhaseTask): Promise<{ changed: boolean }> {
  if (!isPhaseTask(task)) throw new NotFoundError();
  return withUser(ctx.actor.id, async (tx) => {
    const plan = await lockPlan(tx, ctx, "plan.contribute");
    const { count } = await tx.planPhaseTask.deleteMany({ where: { planId: plan.id, taskKey: task } });
    if (count === 0) return { changed: false };
    await audit(tx, ctx, "plan.task_unticked", plan.id, { cycle: plan.cycle, fields: ["task"] }, { task });
    return { changed: true };
  });
}

export type ReviewInput = { heldOn: string; answers: Record<string, string>; notes: string };

/** A team member records a review meeting of the Umsetzungsphase: answers per review question and notes. */
export async function recordReview(ctx: PhaseContext, input: ReviewInput): Promise<{ id: string }> {
  const answers = Object.fromEntries(
    REVIEW_QUESTIONS.filter((q) => typeof input.answers[q] === "string" && input.answers[q] !== "").map((q) => [
      q,
      input.answers[q],
    ]),
  );
  return withUser(ctx.actor.id, async (tx) => {
    const plan = await lockPlan(tx, ctx, "plan.contribute");
    const review = await tx.planReview.create({
      data: {
        planId: plan.id,
        officeId: ctx.office.id,
        heldOn: new Date(`${input.heldOn}T00:00:00Z`),
        answers,
        notes: input.notes,
        createdById: ctx.actor.id,
      },
      select: { id: true },
    });
    const fields = [...(Object.keys(answers).length ? ["answers"] : []), ...(input.notes ? ["notes"] : [])];
    await audit(
      tx,
      ctx,
      "plan.review_recorded",
      plan.id,
      { cycle: plan.cycle, fields },
      { heldOn: input.heldOn, answers, notes: input.notes },
    );
    return review;
  });
}

export type ConsolidationInput = {
  planMeasureId: string;
  successful: boolean;
  results: string;
  decision: ConsolidationDecision;
  notes: string;
};

/** The head records the consolidation check of a finished measure (again: it is replaced). */
export async function consolidateMeasure(ctx: PhaseContext, input: ConsolidationInput): Promise<{ changed: boolean }> {
  return withUser(ctx.actor.id, async (tx) => {
    const plan = await lockPlan(tx, ctx, "plan.manage");
    const measure = await tx.planMeasure.findFirst({
      where: { id: input.planMeasureId, planId: plan.id, officeId: ctx.office.id },
      select: {
        id: true,
        completedAt: true,
        consolidationSuccessful: true,
        consolidationResults: true,
        consolidationDecision: true,
        consolidationNotes: true,
        measure: { select: { code: true } },
      },
    });
    if (!measure) throw new NotFoundError();
    // Teil B checks each measure after it is finished; an unfinished one has nothing to check yet.
    if (!measure.completedAt) throw new ConflictError("planPhases:errors.notCompleted");
    const before = {
      successful: measure.consolidationSuccessful,
      results: measure.consolidationResults ?? "",
      decision: measure.consolidationDecision,
      notes: measure.consolidationNotes ?? "",
    };
    const after = { successful: input.successful, results: input.results, decision: input.decision, notes: input.notes };
    const changed = (Object.keys(after) as Array<keyof typeof after>).filter((k) => before[k] !== after[k]);
    if (changed.length === 0) return { changed: false };
    await tx.planMeasure.update({
      where: { id: measure.id },
      data: {
        consolidationSuccessful: after.successful,
        consolidationResults: after.results,
        consolidationDecision: after.decision,
        consolidationNotes: after.notes,
        consolidatedAt: new Date(),
        version: { increment: 1 },
        updatedAt: new Date(),
      },
    });
    await audit(
      tx,
      ctx,
      "plan.measure_consolidated",
      plan.id,
      // The catalogue's code names the measure; an office's own measure stays unnamed (its title is the office's text).
      { cycle: plan.cycle, measure: measure.measure?.code ?? null, fields: changed },
      { changes: Object.fromEntries(changed.map((k) => [k, { from: before[k], to: after[k] }])) },
    );
    return { changed: true };
  });
}

/** Per measure of a plan: finished, checked, activities done – the input of isEssentiallyDone. */
async function measureProgress(tx: TenantTx, planId: string): Promise<Array<MeasureProgress & { id: string }>> {
  const measures = await tx.planMeasure.findMany({
    where: { planId },
    select: { id: true, completedAt: true, consolidatedAt: true },
  });
  const counts = await tx.planActivity.groupBy({ by: ["planMeasureId", "status"], where: { planId }, _count: { _all: true } });
  return measures.map((m) => {
    const mine = counts.filter((c) => c.planMeasureId === m.id);
    return {
      id: m.id,
      completed: m.completedAt !== null,
      consolidated: m.consolidatedAt !== null,
      activities: mine.reduce((n, c) => n + c._count._all, 0),
      done: mine.filter((c) => c.status === "DONE").reduce((n, c) => n + c._count._all, 0),
    };
  });
}

type RoundOption = { id: string; name: string; opensAt: Date };

/**
 * The rounds a follow-up cycle may start from: rounds whose assessment the office submitted,
 * not used by any of its plans yet, and – when the current plan came from a round – opened
 * after that one ("aus der nächsten Runde").
 */
async function followUpRounds(tx: TenantTx, officeId: string, plan: { sourceRoundId: string | null }): Promise<RoundOption[]> {
  const used = await tx.plan.findMany({ where: { officeId, sourceRoundId: { not: null } }, select: { sourceRoundId: true } });
  const source = plan.sourceRoundId
    ? await tx.assessmentRound.findUnique({ where: { id: plan.sourceRoundId }, select: { opensAt: true } })
    : null;
  const assessments = await tx.assessment.findMany({
    where: {
      officeId,
      submittedAt: { not: null },
      roundId: { notIn: used.map((u) => u.sourceRoundId!) },
    },
    select: { roundId: true },
  });
  const rounds = await tx.assessmentRound.findMany({
    where: { id: { in: assessments.map((a) => a.roundId) }, ...(source ? { opensAt: { gt: source.opensAt } } : {}) },
    select: { id: true, name: true, opensAt: true },
    orderBy: { opensAt: "desc" },
  });
  return rounds;
}

/**
 * The head starts the next cycle from a later round's priorities, once the plan is
 * essentially done: the current plan is closed (kept, read-only) and plan cycle+1 starts
 * with the round's measures of priority "hoch" proposed. Returns the new plan's cycle.
 */
export async function startFollowUpCycle(ctx: PhaseContext, roundId: string): Promise<{ cycle: number; planId: string }> {
  try {
    return await withUser(ctx.actor.id, async (tx) => {
      const plan = await lockPlan(tx, ctx, "plan.manage");
      const verdict = isEssentiallyDone(await measureProgress(tx, plan.id));
      if (!verdict.done) throw new ConflictError("planPhases:errors.notEssentiallyDone");
      const round = (await followUpRounds(tx, ctx.office.id, plan)).find((r) => r.id === roundId);
      if (!round) throw new NotFoundError();
      const assessment = await tx.assessment.findUniqueOrThrow({
        where: { roundId_officeId: { roundId, officeId: ctx.office.id } },
        select: { id: true, priorityRule: true },
      });
      const network = await tx.network.findUnique({ where: { id: ctx.office.networkId }, select: { priorityRule: true } });
      const rule = ruleForAssessment(assessment.priorityRule, network?.priorityRule ?? null);
      const rated = await tx.measureAssessment.findMany({
        where: { assessmentId: assessment.id },
        select: { measureId: true, need: true, effort: true, priorityOverride: true },
      });
      const high = rated.filter((m) => effectivePriority(rule, m) === "HIGH").map((m) => m.measureId);
      const catalogue = await tx.measure.findMany({
        where: { id: { in: high } },
        select: { id: true, result: true },
        orderBy: [{ code: "asc" }],
      });
      const now = new Date();
      await tx.plan.update({ where: { id: plan.id }, data: { closedAt: now, version: { increment: 1 }, updatedAt: now } });
      const next = await tx.plan.create({
        data: {
          networkId: ctx.office.networkId,
          officeId: ctx.office.id,
          cycle: plan.cycle + 1,
          sourceRoundId: roundId,
          startedById: ctx.actor.id,
        },
        select: { id: true, cycle: true },
      });
      if (catalogue.length)
        await tx.planMeasure.createMany({
          data: catalogue.map((m, i) => ({
            planId: next.id,
            officeId: ctx.office.id,
            measureId: m.id,
            origin: "priority",
            intendedResult: m.result,
            position: i,
            addedById: ctx.actor.id,
          })),
        });
      await audit(tx, ctx, "plan.cycle_started", next.id, { cycle: next.cycle, previousCycle: plan.cycle, round: round.name });
      return { cycle: next.cycle, planId: next.id };
    });
  } catch (error) {
    // Two heads at once: the second meets the unique "one open plan" / "(office, cycle)" index.
    if (typeof error === "object" && error !== null && "code" in error && (error as { code: string }).code === "P2002")
      throw new ConflictError("planPhases:errors.cycleRace");
    throw error;
  }
}

// ─── Reading ─────────────────────────────────────────────────────────────────

const measureTitle = (m: { ownTitle: string | null; measure: { code: string; title: string } | null }) =>
  m.measure ? { code: m.measure.code, title: m.measure.title } : { code: null, title: m.ownTitle ?? "" };

async function names(tx: TenantTx, ids: Array<string | null>) {
  const unique = [...new Set(ids.filter((id): id is string => !!id))];
  const people = unique.length ? await tx.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } }) : [];
  return new Map(people.map((p) => [p.id, p.name]));
}

/** Everything the phases page shows of the open plan, read as the person. */
export async function phasesView(actor: Pick<Actor, "id">, officeId: string, planId: string) {
  return withUser(actor.id, async (tx) => {
    const plan = await tx.plan.findFirst({
      where: { id: planId, officeId },
      select: { id: true, cycle: true, phase: true, sourceRoundId: true, closedAt: true },
    });
    if (!plan) throw new NotFoundError();
    const tasks = await tx.planPhaseTask.findMany({
      where: { planId },
      select: { taskKey: true, doneAt: true, doneById: true, note: true },
    });
    const reviews = await tx.planReview.findMany({
      where: { planId },
      orderBy: [{ heldOn: "desc" }, { createdAt: "desc" }],
      select: { id: true, heldOn: true, answers: true, notes: true, createdById: true },
    });
    const measures = await tx.planMeasure.findMany({
      where: { planId },
      orderBy: [{ position: "asc" }, { addedAt: "asc" }],
      select: {
        id: true,
        ownTitle: true,
        completedAt: true,
        consolidationSuccessful: true,
        consolidationResults: true,
        consolidationDecision: true,
        consolidationNotes: true,
        consolidatedAt: true,
        measure: { select: { code: true, title: true } },
      },
    });
    const progress = await measureProgress(tx, planId);
    const rounds = await followUpRounds(tx, officeId, plan);
    const cycles = await tx.plan.findMany({
      where: { officeId, closedAt: { not: null } },
      orderBy: { cycle: "desc" },
      select: { cycle: true, startedAt: true, closedAt: true },
    });
    const who = await names(tx, [...tasks.map((t) => t.doneById), ...reviews.map((r) => r.createdById)]);
    return {
      plan: { id: plan.id, cycle: plan.cycle, phase: plan.phase as Phase },
      tasks: tasks
        .filter((t) => isPhaseTask(t.taskKey))
        .map((t) => ({ task: t.taskKey as PhaseTask, doneAt: t.doneAt, by: who.get(t.doneById) ?? null, note: t.note })),
      reviews: reviews.map((r) => ({
        id: r.id,
        heldOn: r.heldOn,
        answers: (r.answers && typeof r.answers === "object" && !Array.isArray(r.answers) ? r.answers : {}) as Record<
          string,
          string
        >,
        notes: r.notes,
        by: who.get(r.createdById) ?? null,
      })),
      finished: measures
        .filter((m) => m.completedAt !== null)
        .map((m) => ({
          id: m.id,
          ...measureTitle(m),
          completedAt: m.completedAt!,
          check: m.consolidatedAt
            ? {
                successful: m.consolidationSuccessful,
                results: m.consolidationResults ?? "",
                decision: m.consolidationDecision as ConsolidationDecision | null,
                notes: m.consolidationNotes ?? "",
                at: m.consolidatedAt,
              }
            : null,
        })),
      verdict: isEssentiallyDone(progress),
      followUpRounds: rounds.map((r) => ({ id: r.id, name: r.name })),
      earlierCycles: cycles.map((c) => ({ cycle: c.cycle, startedAt: c.startedAt, closedAt: c.closedAt! })),
    };
  });
}

/** One plan of the office by its cycle number, read-only (measures, activities, statuses); null if the person cannot see it. */
export async function cycleView(actor: Pick<Actor, "id">, officeId: string, cycle: number) {
  return withUser(actor.id, async (tx) => {
    const plan = await tx.plan.findFirst({
      where: { officeId, cycle },
      select: {
        id: true,
        networkId: true,
        cycle: true,
        phase: true,
        startedAt: true,
        closedAt: true,
        releasedAt: true,
        sourceRoundId: true,
      },
    });
    if (!plan) return null;
    const round = plan.sourceRoundId
      ? await tx.assessmentRound.findUnique({ where: { id: plan.sourceRoundId }, select: { name: true } })
      : null;
    const measures = await tx.planMeasure.findMany({
      where: { planId: plan.id },
      orderBy: [{ position: "asc" }, { addedAt: "asc" }],
      select: {
        id: true,
        ownTitle: true,
        intendedResult: true,
        completedAt: true,
        consolidationDecision: true,
        measure: { select: { code: true, title: true } },
      },
    });
    const activities = await tx.planActivity.findMany({
      where: { planId: plan.id },
      orderBy: [{ position: "asc" }, { createdAt: "asc" }],
      select: {
        id: true,
        planMeasureId: true,
        title: true,
        status: true,
        startsOn: true,
        endsOn: true,
        responsibleUserId: true,
        responsibleName: true,
      },
    });
    const who = await names(
      tx,
      activities.map((a) => a.responsibleUserId),
    );
    return {
      plan: {
        networkId: plan.networkId,
        cycle: plan.cycle,
        phase: plan.phase as Phase,
        startedAt: plan.startedAt,
        closedAt: plan.closedAt,
        released: plan.releasedAt !== null,
        round: round?.name ?? null,
      },
      measures: measures.map((m) => ({
        id: m.id,
        ...measureTitle(m),
        intendedResult: m.intendedResult,
        completedAt: m.completedAt,
        decision: m.consolidationDecision as ConsolidationDecision | null,
        activities: activities
          .filter((a) => a.planMeasureId === m.id)
          .map((a) => ({
            id: a.id,
            title: a.title,
            status: a.status as ActivityStatus,
            startsOn: a.startsOn,
            endsOn: a.endsOn,
            responsible: (a.responsibleUserId ? who.get(a.responsibleUserId) : null) ?? a.responsibleName ?? null,
          })),
      })),
    };
  });
}
