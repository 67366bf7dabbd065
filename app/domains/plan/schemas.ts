/**
 * The plan's forms (zod). Messages are i18n keys in the "plan" namespace; parseForm
 * (app/platform/http/forms.ts) puts each next to its field. Pure: routes, tests and the
 * Excel import (which checks its rows with the same rules) use them.
 */
import { z } from "zod";
import { isCalendarDay } from "~/utils/calendar-day";
import { ACTIVITY_STATUSES } from "./status";

export const LIMITS = { title: 300, text: 5000, name: 120, sachstand: 5000 } as const;

const uuid = (message: string) => z.uuid({ message });

const text = (max: number, message = "plan:errors.tooLong") =>
  z
    .string({ message: "plan:errors.invalid" })
    .optional()
    .transform((v) => (v ?? "").replace(/\r\n/g, "\n").trim())
    .pipe(z.string().max(max, message));

const required = (max: number, missing: string) =>
  z
    .string({ message: missing })
    .transform((v) => v.trim())
    .pipe(z.string().min(1, missing).max(max, "plan:errors.tooLong"));

/** An optional calendar day (YYYY-MM-DD, a real date) → string or null. */
const day = z
  .string({ message: "plan:errors.date" })
  .optional()
  .transform((v) => (v ?? "").trim())
  .refine((v) => v === "" || isCalendarDay(v), "plan:errors.date")
  .transform((v) => (v === "" ? null : v));

const requiredDay = z
  .string({ message: "plan:errors.dateRequired" })
  .transform((v) => v.trim())
  .refine((v) => v !== "", "plan:errors.dateRequired")
  .refine((v) => isCalendarDay(v), "plan:errors.date");

/** The version the form was loaded with (a stale one is a conflict, not an error). */
const version = z.coerce
  .number({ message: "plan:errors.invalid" })
  .int("plan:errors.invalid")
  .min(0, "plan:errors.invalid")
  .max(2_000_000_000, "plan:errors.invalid");

// ─── The plan and its measures (the head) ───────────────────────────────────

/** Start the plan from a round: the round; the ticked measures come from formData.getAll("measure"). */
export const startPlanSchema = z.object({ roundId: uuid("plan:errors.roundUnknown") });
/** The ticked measure ids of the start form (unticked ones are simply not sent). */
export const measureIdsSchema = z.array(z.uuid({ message: "plan:errors.measureUnknown" })).max(500, "plan:errors.invalid");

export const addCatalogueMeasureSchema = z.object({ measureId: uuid("plan:errors.measureRequired") });

export const addOwnMeasureSchema = z.object({
  title: required(LIMITS.title, "plan:errors.titleRequired"),
  intendedResult: text(LIMITS.text),
});

export const planMeasureIdSchema = z.object({ planMeasureId: uuid("plan:errors.measureUnknown") });

export const intendedResultSchema = z.object({ intendedResult: text(LIMITS.text), version });

export const releaseSchema = z.object({
  release: z.enum(["on", "off"], { message: "plan:errors.invalid" }),
});

// ─── Activities (the team) ──────────────────────────────────────────────────

const status = z.enum(ACTIVITY_STATUSES, { message: "plan:errors.status" });

const activityFields = z.object({
  title: required(LIMITS.title, "plan:errors.titleRequired"),
  status: status.optional().default("NOT_STARTED"),
  startsOn: day,
  endsOn: day,
  /** A member of the office (their id) – or empty, then `responsibleName` (someone outside the portal) or nobody. */
  responsibleUserId: z
    .string({ message: "plan:errors.responsibleUnknown" })
    .optional()
    .transform((v) => (v ?? "").trim())
    .refine((v) => v === "" || z.uuid().safeParse(v).success, "plan:errors.responsibleUnknown")
    .transform((v) => (v === "" ? null : v)),
  responsibleName: text(LIMITS.name),
  participants: text(LIMITS.text),
  resources: text(LIMITS.text),
  remarks: text(LIMITS.text),
});

const timeFrame = <T extends { startsOn: string | null; endsOn: string | null }>(v: T, ctx: z.RefinementCtx) => {
  if (v.startsOn && v.endsOn && v.startsOn > v.endsOn)
    ctx.addIssue({ code: "custom", path: ["endsOn"], message: "plan:errors.endBeforeStart" });
};

export const activitySchema = activityFields.superRefine(timeFrame);
export const activityEditSchema = activityFields.extend({ version }).superRefine(timeFrame);
export type ActivityInput = z.output<typeof activitySchema>;

export const statusSchema = z.object({ status });

export const activityUpdateSchema = z.object({
  notedOn: requiredDay,
  body: required(LIMITS.sachstand, "plan:errors.sachstandRequired"),
});

/** The milestone form (its field names differ from the activity form's on the same page). */
export const milestoneSchema = z.object({
  milestoneTitle: required(LIMITS.title, "plan:errors.titleRequired"),
  dueOn: day,
});

export const milestoneReachedSchema = z.object({
  milestoneId: uuid("plan:errors.milestoneUnknown"),
  reachedOn: requiredDay,
});

/** The fields of an activity a person edits, in the order of the form (the conflict view shows them side by side). */
export const ACTIVITY_FIELDS = [
  "title",
  "status",
  "startsOn",
  "endsOn",
  "responsibleUserId",
  "responsibleName",
  "participants",
  "resources",
  "remarks",
] as const;
export type ActivityField = (typeof ACTIVITY_FIELDS)[number];
export type ActivityValues = { [K in ActivityField]: ActivityInput[K] };
