import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Actor } from "~/auth/auth.server";
import { can } from "~/auth/permissions";
import { hashToken } from "~/auth/tokens.server";
import type { AssessmentState } from "~/assessment/scope.server";
import {
  CANNOT_JUDGE,
  type Distribution,
  emptyDistribution,
  type SurveyAnswers,
  type SurveyChoice,
} from "~/assessment/survey-statements";
import { inOrder, type TenantTx, withSurveyCode, withUser } from "~/db.server";
import { isCalendarDay, endOfDay, toCalendarDay } from "~/utils/calendar-day";
import type { FieldErrors } from "~/utils/forms";
import { recordAudit } from "./audit.server";
import { ForbiddenError } from "./invitations.server";

export const MAX_CODES_PER_BATCH = 200;
/** Enough for the largest office; stops a mistyped number from filling the table. */
export const MAX_CODES_PER_SURVEY = 1000;
/** The end date may lie at most this many days ahead. */
export const MAX_SURVEY_DAYS = 365;

// ─── Invitation codes ───────────────────────────────────────────────────────
/** No 0/O or 1/I: codes are typed from paper. 32 symbols × 12 places = 60 random bits. */
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const CODE_LENGTH = 12;

/** A new code, shown as ABCD-EFGH-JKLM. Only its hash is stored. */
export function generateSurveyCode() {
  const chars = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

/** A typed or scanned code in its canonical form (ABCD-EFGH-JKLM), or null if it cannot be one. */
export function normalizeSurveyCode(input: string) {
  const chars = input.toUpperCase().replace(/[\s-]/g, "");
  if (chars.length !== CODE_LENGTH || [...chars].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return chars.match(/.{4}/g)!.join("-");
}

function hashCode(code: string) {
  return hashToken(code.replace(/-/g, ""));
}

// ─── Forms ──────────────────────────────────────────────────────────────────
const codeCount = z.coerce
  .number({ message: "survey:errors.codesInvalid" })
  .int("survey:errors.codesInvalid")
  .min(1, "survey:errors.codesInvalid")
  .max(MAX_CODES_PER_BATCH, "survey:errors.codesInvalid");

export const startSurveySchema = z.object({
  closesOn: z.string({ message: "survey:errors.dateInvalid" }).trim().refine(isCalendarDay, "survey:errors.dateInvalid"),
  codes: codeCount,
});
export const addCodesSchema = z.object({ codes: codeCount });

type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** What the head's page knows from requireAssessment. */
export type SurveyContext = {
  actor: Actor;
  office: { id: string; networkId: string };
  assessment: { id: string; round: { id: string; name: string; frameworkVersionId: string; closedAt: Date | null } };
  state: AssessmentState;
};

/** Decision: a survey starts only for an assessment in progress or submitted, in a round that has begun and is not closed. */
export function canStartSurvey(state: AssessmentState) {
  return state === "draft" || state === "submitted";
}

function assertHead(ctx: SurveyContext) {
  if (!can(ctx.actor.memberships, "office.manageSurvey", { networkId: ctx.office.networkId, officeId: ctx.office.id }))
    throw new ForbiddenError();
}

async function insertCodes(tx: TenantTx, surveyId: string, count: number) {
  const codes = Array.from({ length: count }, generateSurveyCode);
  // createMany: no RETURNING, the portal may not read code rows (migration 20261124000100).
  await tx.surveyCode.createMany({ data: codes.map((code) => ({ codeHash: hashCode(code), surveyId })) });
  return codes;
}

/** Validates the end date: today at the earliest, at most MAX_SURVEY_DAYS ahead (German calendar days). */
function closesAtFor(closesOn: string, now = new Date()): Outcome<Date> {
  const today = toCalendarDay(now);
  const latest = toCalendarDay(new Date(now.getTime() + MAX_SURVEY_DAYS * 86_400_000));
  if (closesOn < today) return { ok: false, errors: { closesOn: "survey:errors.dateInPast" } };
  if (closesOn > latest) return { ok: false, errors: { closesOn: "survey:errors.dateTooLate" } };
  return { ok: true, value: endOfDay(closesOn) };
}

/** Starts the office's survey for this round with the first batch of codes (returned once, never stored). */
export async function startSurvey(
  ctx: SurveyContext,
  input: { closesOn: string; codes: number },
): Promise<Outcome<{ codes: string[]; closesAt: Date }>> {
  assertHead(ctx);
  if (!canStartSurvey(ctx.state))
    return { ok: false, errors: { _form: ctx.state === "closed" ? "survey:errors.roundClosed" : "survey:errors.roundNotOpen" } };
  const closesAt = closesAtFor(input.closesOn);
  if (!closesAt.ok) return closesAt;
  try {
    return await withUser(ctx.actor.id, async (tx) => {
      if (await tx.survey.findUnique({ where: { assessmentId: ctx.assessment.id }, select: { id: true } })) {
        return { ok: false as const, errors: { _form: "survey:errors.exists" } };
      }
      const survey = await tx.survey.create({
        data: { assessmentId: ctx.assessment.id, closesAt: closesAt.value, createdById: ctx.actor.id },
        select: { id: true },
      });
      const codes = await insertCodes(tx, survey.id, input.codes);
      await recordAudit(
        {
          action: "survey.started",
          actorId: ctx.actor.id,
          networkId: ctx.office.networkId,
          officeId: ctx.office.id,
          targetType: "survey",
          targetId: survey.id,
          details: { round: ctx.assessment.round.name, closesAt: closesAt.value.toISOString(), codes: input.codes },
        },
        tx,
      );
      return { ok: true as const, value: { codes, closesAt: closesAt.value } };
    });
  } catch (error) {
    // Two starts at once: the unique assessment_id decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, errors: { _form: "survey:errors.exists" } };
    throw error;
  }
}

async function openSurvey(tx: TenantTx, assessmentId: string) {
  return tx.survey.findUnique({ where: { assessmentId }, select: { id: true, closesAt: true } });
}

/** More codes for a running survey (e.g. for new colleagues); returned once. */
export async function addSurveyCodes(ctx: SurveyContext, count: number): Promise<Outcome<{ codes: string[] }>> {
  assertHead(ctx);
  if (ctx.state === "closed") return { ok: false, errors: { codes: "survey:errors.roundClosed" } };
  return withUser(ctx.actor.id, async (tx): Promise<Outcome<{ codes: string[] }>> => {
    const survey = await openSurvey(tx, ctx.assessment.id);
    if (!survey) return { ok: false, errors: { codes: "survey:errors.noSurvey" } };
    if (survey.closesAt <= new Date()) return { ok: false, errors: { codes: "survey:errors.surveyClosed" } };
    const [{ n }] = await tx.$queryRaw<Array<{ n: number | null }>>`SELECT survey_code_count(${survey.id}::uuid) AS n`;
    if ((n ?? 0) + count > MAX_CODES_PER_SURVEY) return { ok: false, errors: { codes: "survey:errors.tooManyCodes" } };
    const codes = await insertCodes(tx, survey.id, count);
    await recordAudit(
      {
        action: "survey.codes_added",
        actorId: ctx.actor.id,
        networkId: ctx.office.networkId,
        officeId: ctx.office.id,
        targetType: "survey",
        targetId: survey.id,
        details: { codes: count },
      },
      tx,
    );
    return { ok: true, value: { codes } };
  });
}

/** Ends a running survey now (answers after this are refused with 410). */
export async function closeSurvey(ctx: SurveyContext): Promise<Outcome<null>> {
  assertHead(ctx);
  return withUser(ctx.actor.id, async (tx): Promise<Outcome<null>> => {
    const survey = await openSurvey(tx, ctx.assessment.id);
    if (!survey) return { ok: false, errors: { _form: "survey:errors.noSurvey" } };
    const now = new Date();
    const { count } = await tx.survey.updateMany({ where: { id: survey.id, closesAt: { gt: now } }, data: { closesAt: now } });
    if (count === 0) return { ok: false, errors: { _form: "survey:errors.surveyClosed" } };
    await recordAudit(
      {
        action: "survey.closed",
        actorId: ctx.actor.id,
        networkId: ctx.office.networkId,
        officeId: ctx.office.id,
        targetType: "survey",
        targetId: survey.id,
        details: { round: ctx.assessment.round.name },
      },
      tx,
    );
    return { ok: true, value: null };
  });
}

// ─── The head's view ────────────────────────────────────────────────────────
/** The statements of a framework version: one per work field, in the framework's order. */
export async function surveyStatements(tx: TenantTx, frameworkVersionId: string) {
  const fields = await tx.workField.findMany({
    where: { frameworkVersionId },
    orderBy: { position: "asc" },
    select: { code: true, title: true, goal: { select: { id: true, number: true, shortTitle: true } } },
  });
  return fields.map((f) => ({ key: f.code, title: f.title, goal: f.goal }));
}

export type StatementResult = {
  key: string;
  title: string;
  goal: { number: number; shortTitle: string };
  counts: Distribution;
  /** The office's own consensus on the statement's goal (1–5), "na" if not assessed, null if still open. */
  consensus: { rating: number; label: string } | "na" | null;
};

/**
 * Everything the head's survey page shows: the survey, its numbers, and the distribution
 * per statement beside the office's own consensus rating – the distribution only once
 * the network's threshold is reached (the database function decides; see the migration).
 */
export async function getSurveyOverview(ctx: SurveyContext) {
  assertHead(ctx);
  return withUser(ctx.actor.id, async (tx) => {
    const [survey, network] = await inOrder(
      tx.survey.findUnique({ where: { assessmentId: ctx.assessment.id }, select: { id: true, closesAt: true, createdAt: true } }),
      tx.network.findUniqueOrThrow({ where: { id: ctx.office.networkId }, select: { surveyThreshold: true } }),
    );
    const threshold = network.surveyThreshold;
    if (!survey) return { survey: null, threshold, codes: 0, answers: 0, results: null };
    const [counts] = await tx.$queryRaw<Array<{ answers: number | null; codes: number | null }>>`
      SELECT survey_response_count(${survey.id}::uuid) AS answers, survey_code_count(${survey.id}::uuid) AS codes`;
    const rows = await tx.$queryRaw<Array<{ statement: string; answer: number | null; responses: number }>>`
      SELECT statement, answer, responses FROM survey_results(${survey.id}::uuid)`;
    const answers = counts.answers ?? 0;
    const base = { survey: { ...survey, open: survey.closesAt > new Date() }, threshold, codes: counts.codes ?? 0, answers };
    if (rows.length === 0) return { ...base, results: null };

    const [statements, consensus, levels] = await inOrder(
      surveyStatements(tx, ctx.assessment.round.frameworkVersionId),
      tx.goalAssessment.findMany({
        where: { assessmentId: ctx.assessment.id },
        select: { goalId: true, rating: true, notAssessed: true },
      }),
      tx.ratingLevel.findMany({
        where: { frameworkVersionId: ctx.assessment.round.frameworkVersionId },
        select: { level: true, label: true },
      }),
    );
    const byGoal = new Map(consensus.map((c) => [c.goalId, c]));
    const levelLabel = new Map(levels.map((l) => [l.level, l.label]));
    const results: StatementResult[] = statements.map((s) => {
      const counts = emptyDistribution();
      for (const row of rows) {
        if (row.statement === s.key)
          counts[(row.answer === null ? CANNOT_JUDGE : String(row.answer)) as SurveyChoice] += row.responses;
      }
      const own = byGoal.get(s.goal.id);
      return {
        key: s.key,
        title: s.title,
        goal: { number: s.goal.number, shortTitle: s.goal.shortTitle },
        counts,
        consensus: own?.notAssessed ? "na" : own?.rating ? { rating: own.rating, label: levelLabel.get(own.rating) ?? "" } : null,
      };
    });
    return { ...base, results };
  });
}

// ─── The answerer's side (no account) ───────────────────────────────────────
export type CodeStatus = "unknown" | "used" | "closed" | "open";

/** What a code opens: the survey's office, round, end date and statements, or only its status. */
export async function findSurveyByCode(code: string) {
  const normalized = normalizeSurveyCode(code);
  if (!normalized) return { status: "unknown" as const };
  return withSurveyCode(hashCode(normalized), async (tx) => {
    const [row] = await tx.$queryRaw<
      Array<{ closes_at: Date; used: boolean; office_name: string; round_name: string; framework_version_id: string }>
    >`
      SELECT closes_at, used, office_name, round_name, framework_version_id FROM survey_code_lookup()`;
    if (!row) return { status: "unknown" as const };
    const survey = { code: normalized, officeName: row.office_name, roundName: row.round_name, closesAt: row.closes_at };
    if (row.used) return { status: "used" as const, survey };
    if (row.closes_at <= new Date()) return { status: "closed" as const, survey };
    const statements = await surveyStatements(tx, row.framework_version_id);
    return { status: "open" as const, survey, statements };
  });
}

/**
 * Records one anonymous answer for a code: marks the code used and stores the answers in
 * one transaction (survey_submit in the database). Nothing about the person is passed in.
 */
export async function submitSurveyAnswers(code: string, answers: SurveyAnswers): Promise<"ok" | Exclude<CodeStatus, "open">> {
  const normalized = normalizeSurveyCode(code);
  if (!normalized) return "unknown";
  return withSurveyCode(hashCode(normalized), async (tx) => {
    const [{ result }] = await tx.$queryRaw<Array<{ result: "ok" | "unknown" | "used" | "closed" }>>`
      SELECT survey_submit(${JSON.stringify(answers)}::jsonb) AS result`;
    return result;
  });
}
