/**
 * The plan and its measures – the head's decisions (issue 21, item 1–2): start the plan
 * from a round's priorities (the measures rated priority "hoch" are proposed, the head
 * confirms or unticks), add catalogue measures or the office's own, remove one, edit a
 * measure's intended result, and release the plan to the ministry (like result sharing).
 *
 * Every function runs as the acting person (withUser → row-level security) and checks its
 * can() rule on the plan it read (./access.server.ts). Every change is an audit event that
 * names who and which fields; what the office wrote (titles, texts) goes only to
 * audit_content, which the office's members alone can read.
 */
import { effectivePriority, ruleForAssessment } from "~/domains/assessment/priority";
import { recordAudit } from "~/platform/audit/audit.server";
import { authorize, type Actor } from "~/platform/auth/can";
import { withUser, type TenantTx } from "~/platform/db.server";
import { ConflictError, InvalidInputError, NotFoundError } from "~/platform/errors";
import { measureOfPlan, planToManage, planAudit } from "./access.server";

export type RoundChoice = { id: string; name: string; submittedAt: Date | null; opensAt: Date };
export type ProposedMeasure = { id: string; code: string; title: string };

/** The rounds the office took part in, newest first (the start form's round picker); the default is the latest submitted. */
export async function roundsForPlan(actor: Actor, officeId: string): Promise<RoundChoice[]> {
  const rows = await withUser(actor.id, (tx) =>
    tx.assessment.findMany({
      where: { officeId },
      select: { submittedAt: true, participant: { select: { round: { select: { id: true, name: true, opensAt: true } } } } },
    }),
  );
  return rows
    .map((r) => ({ ...r.participant.round, submittedAt: r.submittedAt }))
    .sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime());
}

/** The round to propose by default: the latest with a submitted assessment, else the latest. */
export function defaultRound(rounds: RoundChoice[]) {
  return rounds.find((r) => r.submittedAt) ?? rounds[0] ?? null;
}

/**
 * The measures the office rated priority "hoch" in its assessment of this round (submitted
 * or still a draft: the latest state) – by the effective priority: the office's override
 * where it set one, else the network's rule from need and effort (frozen at submission).
 */
async function highPriority(tx: TenantTx, officeId: string, roundId: string) {
  const a = await tx.assessment.findUnique({
    where: { roundId_officeId: { roundId, officeId } },
    select: {
      priorityRule: true,
      participant: {
        select: {
          round: { select: { id: true, name: true, frameworkVersionId: true, network: { select: { priorityRule: true } } } },
        },
      },
      measures: {
        select: {
          need: true,
          effort: true,
          priorityOverride: true,
          measure: { select: { id: true, code: true, title: true, position: true, workField: { select: { position: true } } } },
        },
      },
    },
  });
  if (!a) return null;
  const round = a.participant.round;
  const rule = ruleForAssessment(a.priorityRule, round.network.priorityRule);
  const measures = a.measures
    .filter((m) => effectivePriority(rule, m) === "HIGH")
    .map((m) => m.measure)
    .sort((x, y) => x.workField.position - y.workField.position || x.position - y.position)
    .map(({ id, code, title }) => ({ id, code, title }));
  return { round: { id: round.id, name: round.name, frameworkVersionId: round.frameworkVersionId }, measures };
}

/** The proposal for the start form: the round and its "hoch" measures; null if the office did not take part in it. */
export async function proposedMeasures(actor: Actor, officeId: string, roundId: string) {
  const found = await withUser(actor.id, (tx) => highPriority(tx, officeId, roundId));
  return found ? { round: { id: found.round.id, name: found.round.name }, measures: found.measures } : null;
}

/**
 * Starts the office's plan from a round: the ticked measures (a subset of the proposal)
 * become its first measures, each with the catalogue's result as its intended result.
 * The head only ("plan.manage"); a second open plan is a conflict (409).
 */
export async function startPlan(
  actor: Actor,
  office: { id: string; networkId: string },
  input: { roundId: string; measureIds: string[] },
): Promise<{ planId: string }> {
  authorize(actor, "plan.manage", { networkId: office.networkId, officeId: office.id, closed: false });
  return withUser(actor.id, async (tx) => {
    const found = await highPriority(tx, office.id, input.roundId);
    if (!found) throw new InvalidInputError({ roundId: "plan:errors.roundUnknown" });
    const chosen = [...new Set(input.measureIds)];
    const proposed = new Map(found.measures.map((m, i) => [m.id, i]));
    if (chosen.some((id) => !proposed.has(id))) throw new InvalidInputError({ measure: "plan:errors.measureNotProposed" });
    const open = await tx.plan.findFirst({ where: { officeId: office.id, closedAt: null }, select: { id: true } });
    if (open) throw new ConflictError("plan:errors.alreadyStarted");
    const last = await tx.plan.aggregate({ where: { officeId: office.id }, _max: { cycle: true } });
    const planId = crypto.randomUUID();
    try {
      // createMany: no RETURNING (a fresh plan is readable anyway, but the insert stays minimal).
      await tx.plan.createMany({
        data: [
          {
            id: planId,
            networkId: office.networkId,
            officeId: office.id,
            cycle: (last._max.cycle ?? 0) + 1,
            sourceRoundId: found.round.id,
            startedById: actor.id,
          },
        ],
      });
    } catch (error) {
      // Two heads starting at once: the partial unique index keeps one open plan.
      if ((error as { code?: string }).code === "P2002") throw new ConflictError("plan:errors.alreadyStarted");
      throw error;
    }
    const catalogue = await tx.measure.findMany({ where: { id: { in: chosen } }, select: { id: true, result: true } });
    const result = new Map(catalogue.map((m) => [m.id, m.result]));
    const ordered = chosen.sort((x, y) => proposed.get(x)! - proposed.get(y)!);
    await tx.planMeasure.createMany({
      data: ordered.map((measureId, position) => ({
        planId,
        officeId: office.id,
        measureId,
        origin: "priority",
        intendedResult: result.get(measureId) ?? "",
        position,
        addedById: actor.id,
      })),
    });
    await recordAudit(
      {
        action: "plan.started",
        actorId: actor.id,
        networkId: office.networkId,
        officeId: office.id,
        targetType: "plan",
        targetId: planId,
        details: { round: found.round.name, measures: ordered.length },
      },
      tx,
    );
    return { planId };
  });
}

/** Catalogue measures that are not yet in the plan, for the head's "add" select (code order). */
export async function catalogueChoices(actor: Actor, planId: string) {
  return withUser(actor.id, async (tx) => {
    const plan = await tx.plan.findUnique({
      where: { id: planId },
      select: {
        network: { select: { frameworkVersionId: true } },
        sourceRound: { select: { frameworkVersionId: true } },
        measures: { select: { measureId: true } },
      },
    });
    if (!plan) return [];
    const taken = plan.measures.map((m) => m.measureId).filter((id): id is string => !!id);
    const rows = await tx.measure.findMany({
      where: {
        frameworkVersionId: plan.sourceRound?.frameworkVersionId ?? plan.network.frameworkVersionId,
        id: { notIn: taken },
      },
      select: { id: true, code: true, title: true, position: true, workField: { select: { position: true } } },
    });
    return rows
      .sort((x, y) => x.workField.position - y.workField.position || x.position - y.position)
      .map(({ id, code, title }) => ({ id, code, title }));
  });
}

async function nextPosition(tx: TenantTx, planId: string) {
  const last = await tx.planMeasure.aggregate({ where: { planId }, _max: { position: true } });
  return (last._max.position ?? -1) + 1;
}

/** Adds a catalogue measure to the plan (its result as the intended result). Twice is a field error. */
export async function addCatalogueMeasure(actor: Actor, officeId: string, planId: string, measureId: string) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToManage(tx, actor, officeId, planId);
    const framework = await tx.plan.findUnique({
      where: { id: plan.id },
      select: { network: { select: { frameworkVersionId: true } }, sourceRound: { select: { frameworkVersionId: true } } },
    });
    const measure = await tx.measure.findFirst({
      where: {
        id: measureId,
        frameworkVersionId: framework?.sourceRound?.frameworkVersionId ?? framework?.network.frameworkVersionId,
      },
      select: { id: true, code: true, result: true },
    });
    if (!measure) throw new InvalidInputError({ measureId: "plan:errors.measureUnknown" });
    const exists = await tx.planMeasure.findFirst({ where: { planId: plan.id, measureId }, select: { id: true } });
    if (exists) throw new InvalidInputError({ measureId: "plan:errors.measureInPlan" });
    const id = crypto.randomUUID();
    await tx.planMeasure.createMany({
      data: [
        {
          id,
          planId: plan.id,
          officeId: plan.officeId,
          measureId,
          origin: "catalogue",
          intendedResult: measure.result,
          position: await nextPosition(tx, plan.id),
          addedById: actor.id,
        },
      ],
    });
    await planAudit(tx, actor, plan, {
      action: "plan.measure_added",
      targetType: "plan_measure",
      targetId: id,
      details: { measure: measure.code, origin: "catalogue" },
    });
    return { planMeasureId: id };
  });
}

/** Adds the office's own measure (not in the catalogue): a title and the intended result. */
export async function addOwnMeasure(
  actor: Actor,
  officeId: string,
  planId: string,
  input: { title: string; intendedResult: string },
) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToManage(tx, actor, officeId, planId);
    const id = crypto.randomUUID();
    await tx.planMeasure.createMany({
      data: [
        {
          id,
          planId: plan.id,
          officeId: plan.officeId,
          ownTitle: input.title,
          origin: "own",
          intendedResult: input.intendedResult,
          position: await nextPosition(tx, plan.id),
          addedById: actor.id,
        },
      ],
    });
    await planAudit(tx, actor, plan, {
      action: "plan.measure_added",
      targetType: "plan_measure",
      targetId: id,
      // The title is the office's text: only the office reads it in the log.
      details: { origin: "own" },
      content: { title: input.title, intendedResult: input.intendedResult },
    });
    return { planMeasureId: id };
  });
}

/** Removes a measure with its activities, milestones and state entries (cascade). The head only. */
export async function removeMeasure(actor: Actor, officeId: string, planId: string, planMeasureId: string) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToManage(tx, actor, officeId, planId);
    const m = await measureOfPlan(tx, plan, planMeasureId);
    await tx.planMeasure.deleteMany({ where: { id: m.id, planId: plan.id } });
    await planAudit(tx, actor, plan, {
      action: "plan.measure_removed",
      targetType: "plan_measure",
      targetId: m.id,
      details: m.code ? { measure: m.code } : { origin: "own" },
      content: m.ownTitle ? { title: m.ownTitle } : undefined,
    });
  });
}

export type IntendedResultOutcome =
  | { kind: "saved"; version: number }
  | { kind: "conflict"; version: number; mine: string; current: string; by: string | null; at: Date };

/**
 * Edits a measure's intended result (the head). Saved on top of the version the form was
 * loaded with; if someone saved in between, nothing is overwritten: the caller shows both
 * (409) and the head re-applies on the current version.
 */
export async function editIntendedResult(
  actor: Actor,
  officeId: string,
  planId: string,
  planMeasureId: string,
  input: { intendedResult: string; version: number },
): Promise<IntendedResultOutcome> {
  return withUser(actor.id, async (tx): Promise<IntendedResultOutcome> => {
    const plan = await planToManage(tx, actor, officeId, planId);
    const m = await measureOfPlan(tx, plan, planMeasureId);
    const row = await tx.planMeasure.findUniqueOrThrow({
      where: { id: m.id },
      select: { version: true, updatedAt: true, addedById: true },
    });
    if (row.version !== input.version) {
      return {
        kind: "conflict",
        version: row.version,
        mine: input.intendedResult,
        current: m.intendedResult,
        by: null,
        at: row.updatedAt,
      };
    }
    if (m.intendedResult === input.intendedResult) return { kind: "saved", version: row.version };
    const updated = await tx.planMeasure.updateMany({
      where: { id: m.id, version: row.version },
      data: { intendedResult: input.intendedResult, version: row.version + 1, updatedAt: new Date() },
    });
    if (updated.count === 0) throw new ConflictError("plan:conflict.title");
    await planAudit(tx, actor, plan, {
      action: "plan.measure_edited",
      targetType: "plan_measure",
      targetId: m.id,
      details: m.code ? { measure: m.code, fields: ["intendedResult"] } : { origin: "own", fields: ["intendedResult"] },
      content: { changes: { intendedResult: { from: m.intendedResult, to: input.intendedResult } } },
    });
    return { kind: "saved", version: row.version + 1 };
  });
}

/**
 * Lets the ministry (the network's admins) read the plan, or withdraws that (the head). From
 * then on row-level security shows it to them or not (app_released_plan_ids()). Idempotent.
 */
export async function setPlanRelease(actor: Actor, officeId: string, planId: string, release: boolean) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToManage(tx, actor, officeId, planId);
    if ((plan.releasedAt !== null) === release) return { changed: false };
    await tx.plan.update({
      where: { id: plan.id },
      data: release ? { releasedAt: new Date(), releasedById: actor.id } : { releasedAt: null, releasedById: null },
      select: { id: true },
    });
    await planAudit(tx, actor, plan, {
      action: release ? "plan.released" : "plan.release_withdrawn",
      targetType: "plan",
      targetId: plan.id,
      details: { cycle: plan.cycle },
    });
    return { changed: true };
  });
}

/** The plan's measure (for a page that must 404 for a measure of another plan). */
export async function requirePlanMeasure(actor: Actor, planId: string, planMeasureId: string) {
  const m = await withUser(actor.id, (tx) =>
    tx.planMeasure.findFirst({ where: { id: planMeasureId, planId }, select: { id: true } }),
  );
  if (!m) throw new NotFoundError();
  return m;
}
