import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { GRADES, type Grade, type Priority, PRIORITIES } from "~/domains/assessment/priority";
import type { AssessmentState } from "~/domains/assessment/scope.server";
import type { FieldErrors } from "~/platform/http/forms";

/**
 * The assessment's form values and their zod schemas, and the shapes a save returns
 * (moved out of assessments.server.ts; no server code, so routes and components may import it).
 */
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
export function fromAnswer(answer: Answer) {
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
