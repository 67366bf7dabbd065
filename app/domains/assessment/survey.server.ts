import { randomInt } from "node:crypto";
import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { hashToken } from "~/platform/auth/tokens.server";
import type { AssessmentState } from "~/domains/assessment/scope.server";
import {
  CANNOT_JUDGE,
  type Distribution,
  emptyDistribution,
  MAX_CODES_PER_BATCH,
  type SurveyAnswers,
  type SurveyChoice,
} from "~/domains/assessment/survey-statements";
import { inOrder, type TenantTx, withSurveyCode, withUser } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { isCalendarDay, endOfDay, toCalendarDay } from "~/utils/calendar-day";
import type { FieldErrors } from "~/platform/http/forms";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";

export { MAX_CODES_PER_BATCH };
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

/** The chosen staff members (checkboxes named "staff"): account ids, at most one code each. */
export const staffSchema = z
  .array(z.uuid({ message: "survey:errors.staffInvalid" }), { message: "survey:errors.staffInvalid" })
  .max(MAX_CODES_PER_SURVEY, "survey:errors.staffInvalid")
  .transform((ids) => [...new Set(ids)]);

export const startSurveySchema = z.object({
  closesOn: z.string({ message: "survey:errors.dateInvalid" }).trim().refine(isCalendarDay, "survey:errors.dateInvalid"),
  /** Printed codes (for colleagues without an account); empty = none. */
  codes: z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? 0 : v),
    z.coerce
      .number({ message: "survey:errors.printedInvalid" })
      .int("survey:errors.printedInvalid")
      .min(0, "survey:errors.printedInvalid")
      .max(MAX_CODES_PER_BATCH, "survey:errors.printedInvalid"),
  ),
});
export const addCodesSchema = z.object({ codes: codeCount });

/** The staff ids of a posted form, or the field error. */
export function parseStaff(formData: FormData): Outcome<string[]> {
  const parsed = staffSchema.safeParse(formData.getAll("staff"));
  if (!parsed.success) return { ok: false, errors: { staff: parsed.error.issues[0].message } };
  return { ok: true, value: parsed.data };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** What the head's page knows from requireAssessment. */
export type SurveyContext = {
  actor: Actor;
  office: { id: string; networkId: string; name: string };
  assessment: { id: string; round: { id: string; name: string; frameworkVersionId: string; closedAt: Date | null } };
  state: AssessmentState;
};

/** Decision: a survey starts only for an assessment in progress or submitted, in a round that has begun and is not closed. */
export function canStartSurvey(state: AssessmentState) {
  return state === "draft" || state === "submitted";
}

function assertHead(ctx: SurveyContext) {
  if (!can(ctx.actor, "office.manageSurvey", { networkId: ctx.office.networkId, officeId: ctx.office.id }))
    throw new ForbiddenError();
}

/** Printed codes: shown to the head, so they never count towards the threshold (migration 20261206000500). */
async function insertCodes(tx: TenantTx, surveyId: string, count: number) {
  const codes = Array.from({ length: count }, generateSurveyCode);
  // createMany: no RETURNING, the portal may not read code rows (migration 20261124000100).
  await tx.surveyCode.createMany({ data: codes.map((code) => ({ codeHash: hashCode(code), surveyId })) });
  return codes;
}

type SurveyMail = { id: string; closesAt: Date; officeName: string; roundName: string };

/**
 * One personal code per chosen staff member, e-mailed to the address of their account.
 * The code exists only in this function and in the e-mail: the head never sees it, and
 * nothing stores which code went to whom (survey_invitee says only *that* someone got one).
 * These are the codes that count towards the threshold. A person who is not a staff member
 * of the office (or also one of its heads) is refused; one who already has a code is skipped.
 */
async function inviteStaff(tx: TenantTx, survey: SurveyMail, userIds: string[]): Promise<Outcome<{ invited: number }>> {
  if (userIds.length === 0) return { ok: true, value: { invited: 0 } };
  const people = await tx.user.findMany({
    where: { id: { in: userIds } },
    select: { id: true, name: true, email: true, language: true },
  });
  if (people.length !== userIds.length) return { ok: false, errors: { staff: "survey:errors.staffInvalid" } };
  let invited = 0;
  for (const person of people) {
    const code = generateSurveyCode();
    const [{ result }] = await tx.$queryRaw<Array<{ result: "ok" | "closed" | "not_staff" | "invited" }>>`
      SELECT survey_invite_member(${survey.id}::uuid, ${person.id}::uuid, ${hashCode(code)}) AS result`;
    if (result === "closed") return { ok: false, errors: { staff: "survey:errors.surveyClosed" } };
    if (result === "not_staff") return { ok: false, errors: { staff: "survey:errors.staffInvalid" } };
    if (result === "invited") continue;
    // The code is a secret like a password-reset token and appears only in the link's path,
    // so the outbox can store the message redacted (issue #19 item 6).
    await enqueueEmail(tx, {
      to: person.email,
      template: "survey-invitation",
      language: isLanguage(person.language) ? person.language : "de",
      props: {
        name: person.name,
        officeName: survey.officeName,
        roundName: survey.roundName,
        closesAt: survey.closesAt,
        surveyUrl: publicUrl(`/umfrage/${code}`),
      },
    });
    invited++;
  }
  return { ok: true, value: { invited } };
}

/** Thrown inside a transaction to roll it back with a form error. */
class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super("refused");
  }
}

/** Validates the end date: today at the earliest, at most MAX_SURVEY_DAYS ahead (German calendar days). */
function closesAtFor(closesOn: string, now = new Date()): Outcome<Date> {
  const today = toCalendarDay(now);
  const latest = toCalendarDay(new Date(now.getTime() + MAX_SURVEY_DAYS * 86_400_000));
  if (closesOn < today) return { ok: false, errors: { closesOn: "survey:errors.dateInPast" } };
  if (closesOn > latest) return { ok: false, errors: { closesOn: "survey:errors.dateTooLate" } };
  return { ok: true, value: endOfDay(closesOn) };
}

/**
 * Starts the office's survey for this round: personal codes e-mailed to the chosen staff
 * members (they count) and, if asked for, printed codes returned once (they do not count).
 */
export async function startSurvey(
  ctx: SurveyContext,
  input: { closesOn: string; codes: number; staff: string[] },
): Promise<Outcome<{ codes: string[]; invited: number; closesAt: Date }>> {
  assertHead(ctx);
  if (!canStartSurvey(ctx.state))
    return { ok: false, errors: { _form: ctx.state === "closed" ? "survey:errors.roundClosed" : "survey:errors.roundNotOpen" } };
  if (input.codes === 0 && input.staff.length === 0) return { ok: false, errors: { staff: "survey:errors.nobody" } };
  const closesAt = closesAtFor(input.closesOn);
  if (!closesAt.ok) return closesAt;
  try {
    const result = await withUser(ctx.actor.id, async (tx) => {
      if (await tx.survey.findUnique({ where: { assessmentId: ctx.assessment.id }, select: { id: true } })) {
        return { ok: false as const, errors: { _form: "survey:errors.exists" } };
      }
      const survey = await tx.survey.create({
        data: { assessmentId: ctx.assessment.id, closesAt: closesAt.value, createdById: ctx.actor.id },
        select: { id: true },
      });
      const invited = await inviteStaff(
        tx,
        { id: survey.id, closesAt: closesAt.value, officeName: ctx.office.name, roundName: ctx.assessment.round.name },
        input.staff,
      );
      if (!invited.ok) throw new Refused(invited.errors);
      const codes = await insertCodes(tx, survey.id, input.codes);
      await recordAudit(
        {
          action: "survey.started",
          actorId: ctx.actor.id,
          networkId: ctx.office.networkId,
          officeId: ctx.office.id,
          targetType: "survey",
          targetId: survey.id,
          details: {
            round: ctx.assessment.round.name,
            closesAt: closesAt.value.toISOString(),
            codes: input.codes,
            invited: invited.value.invited,
          },
        },
        tx,
      );
      return { ok: true as const, value: { codes, invited: invited.value.invited, closesAt: closesAt.value } };
    });
    return result;
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    // Two starts at once: the unique assessment_id decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, errors: { _form: "survey:errors.exists" } };
    throw error;
  }
}

async function openSurvey(tx: TenantTx, assessmentId: string) {
  return tx.survey.findUnique({ where: { assessmentId }, select: { id: true, closesAt: true } });
}

/** More printed codes for a running survey (e.g. for colleagues without an account); returned once, never counting. */
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

/** Personal codes for more staff members of a running survey (e.g. new colleagues), by e-mail. */
export async function inviteSurveyStaff(ctx: SurveyContext, staff: string[]): Promise<Outcome<{ invited: number }>> {
  assertHead(ctx);
  if (ctx.state === "closed") return { ok: false, errors: { staff: "survey:errors.roundClosed" } };
  if (staff.length === 0) return { ok: false, errors: { staff: "survey:errors.nobodyChosen" } };
  try {
    const result = await withUser(ctx.actor.id, async (tx): Promise<Outcome<{ invited: number }>> => {
      const survey = await openSurvey(tx, ctx.assessment.id);
      if (!survey) return { ok: false, errors: { staff: "survey:errors.noSurvey" } };
      if (survey.closesAt <= new Date()) return { ok: false, errors: { staff: "survey:errors.surveyClosed" } };
      const invited = await inviteStaff(
        tx,
        { id: survey.id, closesAt: survey.closesAt, officeName: ctx.office.name, roundName: ctx.assessment.round.name },
        staff,
      );
      if (!invited.ok) throw new Refused(invited.errors);
      await recordAudit(
        {
          action: "survey.codes_added",
          actorId: ctx.actor.id,
          networkId: ctx.office.networkId,
          officeId: ctx.office.id,
          targetType: "survey",
          targetId: survey.id,
          details: { invited: invited.value.invited },
        },
        tx,
      );
      return invited;
    });
    return result;
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors };
    throw error;
  }
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

/** A staff member of the office who can get a personal code, and whether they have one for this survey. */
export type SurveyStaff = { id: string; name: string; email: string; invited: boolean };

/**
 * The office's staff members who can get a personal code: members with the staff role who
 * are not also heads of the office (heads see the results, so their answers never count).
 */
async function officeStaff(tx: TenantTx, officeId: string, surveyId: string | null): Promise<SurveyStaff[]> {
  const [members, invitees] = await inOrder(
    tx.membership.findMany({
      where: { officeId, role: { in: ["OFFICE_STAFF", "OFFICE_HEAD"] } },
      orderBy: { user: { name: "asc" } },
      select: { role: true, user: { select: { id: true, name: true, email: true } } },
    }),
    surveyId ? tx.surveyInvitee.findMany({ where: { surveyId }, select: { userId: true } }) : Promise.resolve([]),
  );
  const heads = new Set(members.filter((m) => m.role === "OFFICE_HEAD").map((m) => m.user.id));
  const invited = new Set(invitees.map((i) => i.userId));
  const staff = new Map<string, SurveyStaff>();
  for (const m of members) {
    if (m.role !== "OFFICE_STAFF" || heads.has(m.user.id)) continue;
    staff.set(m.user.id, { ...m.user, invited: invited.has(m.user.id) });
  }
  return [...staff.values()];
}

/**
 * Everything the head's survey page shows: the survey, its numbers, the staff who can get
 * a personal code, and the distribution per statement beside the office's own consensus
 * rating – the distribution only once the network's threshold is reached by answers from
 * codes the head never held (the database function decides; see the migrations).
 */
export async function getSurveyOverview(ctx: SurveyContext) {
  assertHead(ctx);
  return withUser(ctx.actor.id, async (tx) => {
    const [survey, network] = await inOrder(
      tx.survey.findUnique({ where: { assessmentId: ctx.assessment.id }, select: { id: true, closesAt: true, createdAt: true } }),
      tx.network.findUniqueOrThrow({ where: { id: ctx.office.networkId }, select: { surveyThreshold: true } }),
    );
    const threshold = network.surveyThreshold;
    const staff = await officeStaff(tx, ctx.office.id, survey?.id ?? null);
    if (!survey) return { survey: null, threshold, staff, codes: 0, answers: 0, counted: 0, results: null };
    const [counts] = await tx.$queryRaw<Array<{ answers: number | null; codes: number | null; counted: number | null }>>`
      SELECT survey_response_count(${survey.id}::uuid) AS answers, survey_code_count(${survey.id}::uuid) AS codes,
             survey_counted_count(${survey.id}::uuid) AS counted`;
    const rows = await tx.$queryRaw<Array<{ statement: string; answer: number | null; responses: number }>>`
      SELECT statement, answer, responses FROM survey_results(${survey.id}::uuid)`;
    const answers = counts.answers ?? 0;
    const base = {
      survey: { ...survey, open: survey.closesAt > new Date() },
      threshold,
      staff,
      codes: counts.codes ?? 0,
      answers,
      counted: counts.counted ?? 0,
    };
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
      Array<{
        survey_id: string;
        closes_at: Date;
        used: boolean;
        office_name: string;
        round_name: string;
        framework_version_id: string;
      }>
    >`
      SELECT survey_id, closes_at, used, office_name, round_name, framework_version_id FROM survey_code_lookup()`;
    if (!row) return { status: "unknown" as const };
    const survey = {
      id: row.survey_id,
      code: normalized,
      officeName: row.office_name,
      roundName: row.round_name,
      closesAt: row.closes_at,
    };
    if (row.used) return { status: "used" as const, survey };
    if (row.closes_at <= new Date()) return { status: "closed" as const, survey };
    const statements = await surveyStatements(tx, row.framework_version_id);
    return { status: "open" as const, survey, statements };
  });
}

/**
 * Whether `userId` (the account the answering browser is signed in with, if any) heads the
 * office of the survey. Such an answer is stored like any other, but its code stops
 * counting towards the threshold: the head knows what was answered.
 */
export async function isHeadOfSurvey(userId: string | null, surveyId: string) {
  if (!userId) return false;
  const [{ head }] = await withUser(
    userId,
    (tx) => tx.$queryRaw<Array<{ head: boolean }>>`SELECT ${surveyId}::uuid IN (SELECT app_head_survey_ids()) AS head`,
  );
  return head;
}

/**
 * Records one anonymous answer for a code: marks the code used and stores the answers in
 * one transaction (survey_submit in the database). Nothing about the person is passed in
 * but whether the answer came from a head of the office (the code then stops counting);
 * nothing of it is stored with the answer.
 */
export async function submitSurveyAnswers(
  code: string,
  answers: SurveyAnswers,
  { fromHead }: { fromHead: boolean },
): Promise<"ok" | Exclude<CodeStatus, "open">> {
  const normalized = normalizeSurveyCode(code);
  if (!normalized) return "unknown";
  return withSurveyCode(hashCode(normalized), async (tx) => {
    const [{ result }] = await tx.$queryRaw<Array<{ result: "ok" | "unknown" | "used" | "closed" }>>`
      SELECT survey_submit(${JSON.stringify(answers)}::jsonb, ${fromHead}) AS result`;
    return result;
  });
}
