import { z } from "zod";
import type { Actor } from "~/auth/auth.server";
import { can } from "~/auth/permissions";
import { mergeThreeWay } from "~/assessment/merge";
import {
  derivedPriority,
  GRADES,
  type Grade,
  type Priority,
  PRIORITIES,
  priorityRuleOf,
  ruleForAssessment,
} from "~/assessment/priority";
import type { AssessmentState } from "~/assessment/scope.server";
import { inOrder, type TenantTx, withUser } from "~/db.server";
import { enqueueEmail } from "~/email/outbox.server";
import { publicUrl } from "~/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { Prisma } from "~/generated/prisma/client";
import type { FieldErrors } from "~/utils/forms";
import { recordAudit } from "./audit.server";
import { ForbiddenError } from "./invitations.server";
import { ConflictError } from "~/platform/errors";

/** What a route knows about the assessment it works on (from requireAssessment). */
export type AssessmentContext = {
  actor: Actor;
  office: { id: string; name: string; networkId: string };
  assessment: {
    id: string;
    round: { id: string; name: string; networkId: string; frameworkVersionId: string; opensAt: Date; deadline: Date };
    deadline: Date;
    submittedAt: Date | null;
    submittedById: string | null;
  };
};

// ─── Form values ────────────────────────────────────────────────────────────

/** A goal's consensus answer as the form carries it: "1"–"5", "na" (not assessed) or "" (empty). */
export const ANSWERS = ["", "1", "2", "3", "4", "5", "na"] as const;
export type Answer = (typeof ANSWERS)[number];

export function toAnswer(row: { rating: number | null; notAssessed: boolean } | null | undefined): Answer {
  if (!row) return "";
  if (row.notAssessed) return "na";
  return row.rating ? (String(row.rating) as Answer) : "";
}
function fromAnswer(answer: Answer) {
  return answer === "na" ? { rating: null, notAssessed: true } : { rating: answer ? Number(answer) : null, notAssessed: false };
}

const MAX_TEXT = 5000;
const MAX_LINKS = 10;
const text = (field: string) => z.string().max(MAX_TEXT, `assessment:errors.${field}TooLong`).default("");
const answer = z.enum(ANSWERS, { message: "assessment:errors.answerInvalid" });
/** Links: one per line; only http(s) addresses, so nothing else becomes a clickable link. */
const links = z
  .string()
  .default("")
  .transform((value) =>
    value
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.url({ protocol: /^https?$/, message: "assessment:errors.linkInvalid" }).max(500, "assessment:errors.linkInvalid"))
      .max(MAX_LINKS, "assessment:errors.tooManyLinks"),
  );
const version = z.coerce.number({ message: "assessment:errors.versionInvalid" }).int().min(0);

export const goalFormSchema = z.object({
  answer: answer.optional(),
  comment: text("comment"),
  evidence: text("evidence"),
  links,
  version,
  "base.answer": answer.default(""),
  "base.comment": z.string().default(""),
  "base.evidence": z.string().default(""),
  "base.links": z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter(Boolean),
    ),
});

export const individualFormSchema = z.object({ answer: answer.default(""), reasons: text("reasons") });

const grade = z.union([z.literal(""), z.enum(GRADES)], { message: "assessment:errors.gradeInvalid" }).default("");
const priority = z.union([z.literal(""), z.enum(PRIORITIES)], { message: "assessment:errors.priorityInvalid" }).default("");
export const measureFormSchema = z.object({
  need: grade,
  effort: grade,
  override: priority,
  reason: z.string().trim().max(1000, "assessment:errors.reasonTooLong").default(""),
  version,
  "base.need": grade,
  "base.effort": grade,
  "base.override": priority,
  "base.reason": z.string().trim().default(""),
});

export const reopenSchema = z.object({
  officeId: z.uuid({ message: "assessment:errors.officeInvalid" }),
  reason: z
    .string({ message: "assessment:errors.reasonRequired" })
    .trim()
    .min(1, "assessment:errors.reasonRequired")
    .max(1000, "assessment:errors.reasonTooLong"),
});

export type GoalValues = { answer: Answer; comment: string; evidence: string; links: string[] };
export type MeasureValues = { need: Grade | ""; effort: Grade | ""; override: Priority | ""; reason: string };

/** The outcome of saving one part of the draft. */
export type SaveOutcome<V> =
  | { kind: "saved"; version: number; values: V }
  | { kind: "conflict"; version: number; conflicts: string[]; mine: V; theirs: V; theirsBy: string | null; theirsAt: Date }
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "locked"; state: AssessmentState }
  | { kind: "notFound" };

// ─── Shared steps ───────────────────────────────────────────────────────────

/**
 * Locks the assessment row for sharing while a part is saved: a submission (UPDATE)
 * waits for running saves, and a save that comes after sees the submission.
 */
async function editableState(tx: TenantTx, assessmentId: string): Promise<AssessmentState> {
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
async function touchProgress(tx: TenantTx, assessmentId: string) {
  await tx.$executeRaw`
    UPDATE assessment SET
      goals_done = (SELECT count(*) FROM goal_assessment g WHERE g.assessment_id = ${assessmentId}::uuid AND (g.rating IS NOT NULL OR g.not_assessed)),
      measures_done = (SELECT count(*) FROM measure_assessment m WHERE m.assessment_id = ${assessmentId}::uuid AND m.need IS NOT NULL AND (m.need = 'NONE' OR m.effort IS NOT NULL)),
      last_edited_at = now()
    WHERE id = ${assessmentId}::uuid`;
}

function changes<V extends Record<string, unknown>>(before: V, after: V) {
  return Object.fromEntries(
    Object.keys(after)
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => [k, { from: before[k], to: after[k] }]),
  ) as Record<string, { from: Prisma.InputJsonValue; to: Prisma.InputJsonValue }>;
}

async function goalOf(tx: TenantTx, frameworkVersionId: string, goalNo: number) {
  return tx.goal.findUnique({
    where: { frameworkVersionId_number: { frameworkVersionId, number: goalNo } },
    select: { id: true, number: true },
  });
}

async function userName(tx: TenantTx, id: string | null) {
  if (!id) return null;
  return (await tx.user.findUnique({ where: { id }, select: { name: true } }))?.name ?? null;
}

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
  if (!can(actor.memberships, "office.assess", target)) throw new ForbiddenError();
  const mayRate = can(actor.memberships, "office.recordConsensus", target);
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
  if (!can(actor.memberships, "office.assess", { networkId: office.networkId, officeId: office.id })) throw new ForbiddenError();
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

// ─── Measures ───────────────────────────────────────────────────────────────

/** Saves need, effort and an optional priority override (with its reason) of one measure. */
export async function saveMeasure(
  ctx: AssessmentContext,
  measureCode: string,
  input: z.output<typeof measureFormSchema>,
): Promise<SaveOutcome<MeasureValues>> {
  const { actor, office, assessment } = ctx;
  if (!can(actor.memberships, "office.assess", { networkId: office.networkId, officeId: office.id })) throw new ForbiddenError();
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

// ─── Reading ────────────────────────────────────────────────────────────────

/** Everything the overview and the summary page need: goals and measures with their state. */
export async function loadAssessment(ctx: AssessmentContext) {
  const { actor, assessment } = ctx;
  return withUser(actor.id, async (tx) => {
    const versionId = assessment.round.frameworkVersionId;
    const [goals, workFields, goalRows, measureRows, individual, reopenings, network, levels] = await inOrder(
      tx.goal.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { number: "asc" },
        select: { id: true, number: true, shortTitle: true, title: true },
      }),
      tx.workField.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { position: "asc" },
        select: {
          code: true,
          title: true,
          goal: { select: { number: true } },
          measures: { orderBy: { position: "asc" }, select: { id: true, code: true, title: true } },
        },
      }),
      tx.goalAssessment.findMany({ where: { assessmentId: assessment.id } }),
      tx.measureAssessment.findMany({ where: { assessmentId: assessment.id } }),
      tx.individualRating.findMany({
        where: { assessmentId: assessment.id },
        select: { goalId: true, userId: true, rating: true, notAssessed: true },
      }),
      tx.assessmentReopening.findMany({
        where: { assessmentId: assessment.id },
        orderBy: { reopenedAt: "desc" },
        select: { reason: true, reopenedAt: true },
      }),
      tx.network.findUniqueOrThrow({ where: { id: assessment.round.networkId }, select: { priorityRule: true } }),
      tx.ratingLevel.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { level: "asc" },
        select: { level: true, label: true },
      }),
    );
    const own = await tx.assessment.findUniqueOrThrow({ where: { id: assessment.id }, select: { priorityRule: true } });
    const rule = ruleForAssessment(own.priorityRule, network.priorityRule);
    const goalById = new Map(goalRows.map((g) => [g.goalId, g]));
    const measureById = new Map(measureRows.map((m) => [m.measureId, m]));
    return {
      rule,
      levels,
      reopenings,
      goals: goals.map((g) => {
        const row = goalById.get(g.id);
        const mine = individual.find((r) => r.goalId === g.id && r.userId === actor.id);
        return {
          number: g.number,
          shortTitle: g.shortTitle,
          title: g.title,
          answer: toAnswer(row),
          hasText: Boolean(row && (row.comment || row.evidence || row.evidenceLinks.length)),
          individualCount: individual.filter((r) => r.goalId === g.id && (r.rating !== null || r.notAssessed)).length,
          myAnswer: toAnswer(mine),
        };
      }),
      workFields: workFields.map((w) => ({
        code: w.code,
        title: w.title,
        goal: w.goal.number,
        measures: w.measures.map((m) => {
          const row = measureById.get(m.id);
          const need = row?.need ?? null;
          const effort = row?.effort ?? null;
          return {
            code: m.code,
            title: m.title,
            need,
            effort,
            override: row?.priorityOverride ?? null,
            reason: row?.overrideReason ?? "",
            version: row?.version ?? 0,
            derived: derivedPriority(rule, need, effort),
            done: need !== null && (need === "NONE" || effort !== null),
          };
        }),
      })),
    };
  });
}

/** One goal as the assessment page shows it: catalogue text, levels, the team's answers, its measures. */
export async function loadGoal(ctx: AssessmentContext, goalNo: number) {
  const { actor, office, assessment } = ctx;
  return withUser(actor.id, async (tx) => {
    const versionId = assessment.round.frameworkVersionId;
    const goal = await tx.goal.findUnique({
      where: { frameworkVersionId_number: { frameworkVersionId: versionId, number: goalNo } },
      select: {
        id: true,
        number: true,
        title: true,
        shortTitle: true,
        explanation: true,
        levelExamples: { select: { level: true, example: true } },
        workFields: {
          orderBy: { position: "asc" },
          select: {
            code: true,
            title: true,
            measures: { orderBy: { position: "asc" }, select: { id: true, code: true, title: true } },
          },
        },
      },
    });
    if (!goal) return null;
    const [levels, row, individual, team, measureRows, network, goalCount, version] = await inOrder(
      tx.ratingLevel.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { level: "asc" },
        select: { level: true, label: true, description: true },
      }),
      tx.goalAssessment.findUnique({ where: { assessmentId_goalId: { assessmentId: assessment.id, goalId: goal.id } } }),
      tx.individualRating.findMany({
        where: { assessmentId: assessment.id, goalId: goal.id },
        select: { userId: true, rating: true, notAssessed: true, reasons: true, user: { select: { name: true } } },
      }),
      tx.membership.findMany({
        where: { officeId: office.id },
        select: { userId: true, role: true, user: { select: { name: true } } },
        orderBy: { user: { name: "asc" } },
      }),
      tx.measureAssessment.findMany({
        where: { assessmentId: assessment.id, measureId: { in: goal.workFields.flatMap((w) => w.measures.map((m) => m.id)) } },
      }),
      tx.network.findUniqueOrThrow({ where: { id: assessment.round.networkId }, select: { priorityRule: true } }),
      tx.goal.count({ where: { frameworkVersionId: versionId } }),
      tx.frameworkVersion.findUniqueOrThrow({ where: { id: versionId }, select: { slug: true } }),
    );
    const own = await tx.assessment.findUniqueOrThrow({ where: { id: assessment.id }, select: { priorityRule: true } });
    const rule = ruleForAssessment(own.priorityRule, network.priorityRule);
    const examples = new Map(goal.levelExamples.map((e) => [e.level, e.example]));
    const byMeasure = new Map(measureRows.map((m) => [m.measureId, m]));
    const mine = individual.find((r) => r.userId === actor.id);
    return {
      goal: { number: goal.number, title: goal.title, shortTitle: goal.shortTitle, explanation: goal.explanation },
      goalCount,
      versionSlug: version.slug,
      levels: levels.map((l) => ({ ...l, example: examples.get(l.level) ?? null })),
      consensus: {
        values: {
          answer: toAnswer(row),
          comment: row?.comment ?? "",
          evidence: row?.evidence ?? "",
          links: row?.evidenceLinks ?? [],
        } satisfies GoalValues,
        version: row?.version ?? 0,
        updatedAt: row && row.version > 0 ? row.updatedAt : null,
        updatedBy: row && row.version > 0 ? await userName(tx, row.updatedById) : null,
      },
      mine: { answer: toAnswer(mine), reasons: mine?.reasons ?? "" },
      // Who said what: inside the office only (RLS shows these rows to the office's members alone).
      team: individual
        .filter((r) => r.rating !== null || r.notAssessed || r.reasons)
        .map((r) => ({ name: r.user.name, answer: toAnswer(r), reasons: r.reasons, isMe: r.userId === actor.id }))
        .sort((a, b) => a.name.localeCompare(b.name, "de")),
      teamSize: new Set(team.map((m) => m.userId)).size,
      workFields: goal.workFields.map((w) => ({
        code: w.code,
        title: w.title,
        measures: w.measures.map((m) => {
          const r = byMeasure.get(m.id);
          const derived = derivedPriority(rule, r?.need ?? null, r?.effort ?? null);
          return {
            code: m.code,
            title: m.title,
            need: r?.need ?? null,
            effort: r?.effort ?? null,
            priority: r?.priorityOverride ?? derived,
            overridden: Boolean(r?.priorityOverride),
          };
        }),
      })),
    };
  });
}

// ─── Submit and reopen ──────────────────────────────────────────────────────

export type SubmitOutcome = { kind: "submitted" } | { kind: "already" };

/**
 * Submits the draft (office heads only). The conditional UPDATE makes it idempotent: a
 * double click or a resent request finds it submitted and has no second effect – no
 * second audit entry, no second receipt. A round that has not begun or is closed is a
 * ConflictError (409, the error page says which).
 */
export async function submitAssessment(ctx: AssessmentContext): Promise<SubmitOutcome> {
  const { actor, office, assessment } = ctx;
  if (!can(actor.memberships, "office.submitAssessment", { networkId: office.networkId, officeId: office.id }))
    throw new ForbiddenError();
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
    if (!can(actor.memberships, "network.manageRounds", { networkId: round.networkId })) throw new ForbiddenError();
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
