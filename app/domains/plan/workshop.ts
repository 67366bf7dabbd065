/**
 * The team workshop (Arbeitshilfe 1.3 "Reflexionsfragen"): the questions that open the
 * team's discussion of the need for change, after the staff survey's results and the
 * office's own ratings. The seed text names the aid but not its questions, so they are
 * written from the questions Teil B asks (clarifying the need, informing and involving the
 * staff, the staff's situation, prioritising) – the wording is in the "workshop" namespace
 * (questions.<key>), de and en. Pure: the page, the domain and unit tests share it.
 */
import { z } from "zod";

/** The questions in the order the workshop takes them; a key never changes once notes exist. */
export const WORKSHOP_QUESTIONS = [
  "survey",
  "selfView",
  "strengths",
  "reasons",
  "practice",
  "benefit",
  "concerns",
  "workload",
  "priorities",
  "nextSteps",
] as const;

export type WorkshopQuestion = (typeof WORKSHOP_QUESTIONS)[number];

export function isWorkshopQuestion(key: unknown): key is WorkshopQuestion {
  return typeof key === "string" && (WORKSHOP_QUESTIONS as readonly string[]).includes(key);
}

/** The question's number as the page shows it (1-based). */
export const questionNumber = (key: WorkshopQuestion) => WORKSHOP_QUESTIONS.indexOf(key) + 1;

export const NOTE_MAX = 20_000;

/** One note's form: which question, the text, the version the person started from (0: none yet). */
export const noteSchema = z.object({
  question: z.enum(WORKSHOP_QUESTIONS, { message: "workshop:errors.question" }),
  version: z.coerce
    .number({ message: "workshop:errors.version" })
    .int("workshop:errors.version")
    .min(0, "workshop:errors.version")
    .max(2_000_000_000, "workshop:errors.version"),
  body: z
    .preprocess((v) => (v === undefined || v === null ? "" : v), z.string({ message: "workshop:errors.text" }))
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .refine((s) => s.length <= NOTE_MAX, { message: "workshop:errors.tooLong" })
    .refine((s) => !s.includes("\u0000"), { message: "workshop:errors.text" }),
});

export type NoteInput = z.output<typeof noteSchema>;

/** A note as the title of a new own measure in the plan: its first line, at most 200 characters. */
export function measureTitleFromNote(body: string) {
  const first = body.split("\n").find((line) => line.trim()) ?? "";
  const line = first.replace(/^[-*•\d.)\s]+/, "").trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
