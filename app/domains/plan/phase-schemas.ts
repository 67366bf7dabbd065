/**
 * Form schemas of the phases page (app/routes/behoerden.$office.plan.phasen.tsx). Messages
 * are i18n keys in the planPhases namespace; the route shows them next to their fields.
 */
import { z } from "zod";
import { isCalendarDay, toCalendarDay } from "~/utils/calendar-day";
import { ALL_TASKS, CONSOLIDATION_DECISIONS, PHASES, REVIEW_QUESTIONS } from "./phases";

export const NOTE_MAX = 2_000;
export const TEXT_MAX = 10_000;

const text = (max: number) =>
  z
    .string({ message: "planPhases:errors.text" })
    .max(max, "planPhases:errors.tooLong")
    .transform((s) => s.trim());
const optionalText = (max: number) => z.preprocess((v) => v ?? "", text(max));
const id = z.uuid({ message: "planPhases:errors.unknown" });

export const phaseSchema = z.object({
  intent: z.literal("phase"),
  phase: z.enum(PHASES, { message: "planPhases:errors.phase" }),
});

export const tickSchema = z.object({
  intent: z.literal("tick"),
  task: z.enum(ALL_TASKS as [string, ...string[]], { message: "planPhases:errors.task" }),
  note: optionalText(NOTE_MAX),
});

export const untickSchema = z.object({
  intent: z.literal("untick"),
  task: z.enum(ALL_TASKS as [string, ...string[]], { message: "planPhases:errors.task" }),
});

/** Field name of a review question's answer in the form. */
export const answerField = (q: string) => `answer_${q}`;

export const reviewSchema = z
  .object({
    intent: z.literal("review"),
    heldOn: z
      .string({ message: "planPhases:errors.date" })
      .trim()
      .refine(isCalendarDay, "planPhases:errors.date")
      // A meeting that was held: not after today (German time).
      .refine((d) => d <= toCalendarDay(new Date()), "planPhases:errors.dateFuture"),
    notes: optionalText(TEXT_MAX),
    ...Object.fromEntries(REVIEW_QUESTIONS.map((q) => [answerField(q), optionalText(TEXT_MAX)])),
  })
  .transform((v) => {
    const record = v as unknown as Record<string, string>;
    const answers = Object.fromEntries(
      REVIEW_QUESTIONS.map((q) => [q, record[answerField(q)] ?? ""]).filter(([, a]) => a !== ""),
    ) as Record<string, string>;
    return { heldOn: v.heldOn, notes: v.notes as string, answers };
  })
  .refine((v) => v.notes !== "" || Object.keys(v.answers).length > 0, {
    message: "planPhases:errors.reviewEmpty",
    path: ["notes"],
  });

export const consolidateSchema = z.object({
  intent: z.literal("consolidate"),
  planMeasureId: id,
  successful: z.enum(["yes", "no"], { message: "planPhases:errors.successful" }).transform((v) => v === "yes"),
  results: optionalText(TEXT_MAX),
  decision: z.enum(CONSOLIDATION_DECISIONS, { message: "planPhases:errors.decision" }),
  notes: optionalText(TEXT_MAX),
});

export const followUpSchema = z.object({
  intent: z.literal("followUp"),
  roundId: id,
});

export const INTENTS = ["phase", "tick", "untick", "review", "consolidate", "followUp"] as const;
export type Intent = (typeof INTENTS)[number];
