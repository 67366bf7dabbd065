/**
 * The overall strategy (Gesamtkonzept, Arbeitshilfe 4.1) of an office's plan – pure rules
 * and the form schema, shared by the page, the domain and unit tests.
 *
 * One document per plan (= per office and cycle): the guiding idea (Leitidee), the 12 model
 * goals of Teil A each adopted as they are, reworded, or not adopted, the need for change,
 * the planned measures (read from the plan) and the successes to build on.
 */
import { z } from "zod";

export const GUIDING_IDEA_MAX = 5000;
export const TEXT_MAX = 20_000;
export const WORDING_MAX = 2000;

/** How the office adopts a model goal. */
export const GOAL_MODES = ["asIs", "reworded", "no"] as const;
export type GoalMode = (typeof GOAL_MODES)[number];

/** One goal as stored in plan_strategy.goals. */
export type StoredGoal = { goalId: string; adopted: boolean; wording: string };

/** What the form shows and sends for one goal. */
export type GoalChoice = { mode: GoalMode; wording: string };

export const goalField = (number: number) => ({ mode: `goal-${number}-mode`, wording: `goal-${number}-wording` });

/** A stored goal as the form's choice (a goal never stored counts as not adopted yet). */
export function toChoice(stored: StoredGoal | undefined): GoalChoice {
  if (!stored || !stored.adopted) return { mode: "no", wording: stored?.wording ?? "" };
  return stored.wording.trim() ? { mode: "reworded", wording: stored.wording } : { mode: "asIs", wording: "" };
}

/** The form's choice as stored: adopted as is keeps no wording; not adopted keeps what was typed, for later. */
export function fromChoice(goalId: string, choice: GoalChoice): StoredGoal {
  if (choice.mode === "asIs") return { goalId, adopted: true, wording: "" };
  return { goalId, adopted: choice.mode === "reworded", wording: choice.wording.trim() };
}

/** Reads plan_strategy.goals defensively (JSON from the database): unknown shapes are dropped. */
export function readStoredGoals(json: unknown): StoredGoal[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((g) =>
    g && typeof g === "object" && typeof g.goalId === "string"
      ? [{ goalId: g.goalId, adopted: g.adopted === true, wording: typeof g.wording === "string" ? g.wording : "" }]
      : [],
  );
}

const text = (max: number) =>
  z
    .preprocess((v) => (v === undefined || v === null ? "" : v), z.string({ message: "planStrategy:errors.text" }))
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .refine((s) => s.length <= max, { message: "planStrategy:errors.tooLong" })
    .refine((s) => !s.includes("\u0000"), { message: "planStrategy:errors.text" });

/** The form of the strategy for a framework with these goal numbers (field names: see goalField). */
export function strategySchema(goalNumbers: readonly number[]) {
  const goals: Record<string, z.ZodType> = {};
  for (const n of goalNumbers) {
    const f = goalField(n);
    goals[f.mode] = z.enum(GOAL_MODES, { message: "planStrategy:errors.mode" });
    goals[f.wording] = text(WORDING_MAX);
  }
  return z
    .object({
      version: z.coerce
        .number({ message: "planStrategy:errors.version" })
        .int("planStrategy:errors.version")
        .min(0, "planStrategy:errors.version")
        .max(2_000_000_000, "planStrategy:errors.version"),
      guidingIdea: text(GUIDING_IDEA_MAX),
      needForChange: text(TEXT_MAX),
      successes: text(TEXT_MAX),
      ...goals,
    })
    .superRefine((value, ctx) => {
      const v = value as Record<string, unknown>;
      for (const n of goalNumbers) {
        const f = goalField(n);
        if (v[f.mode] === "reworded" && !String(v[f.wording] ?? "").trim())
          ctx.addIssue({ code: "custom", path: [f.wording], message: "planStrategy:errors.wordingRequired" });
      }
    })
    .transform((value) => {
      const v = value as Record<string, unknown>;
      return {
        version: value.version,
        guidingIdea: value.guidingIdea,
        needForChange: value.needForChange,
        successes: value.successes,
        goals: Object.fromEntries(
          goalNumbers.map((n) => {
            const f = goalField(n);
            return [n, { mode: v[f.mode] as GoalMode, wording: String(v[f.wording] ?? "") }];
          }),
        ) as Record<number, GoalChoice>,
      };
    });
}

export type StrategyInput = z.output<ReturnType<typeof strategySchema>>;

/** Every field name of the form, for keeping what was typed after an error. */
export function strategyFields(goalNumbers: readonly number[]) {
  return ["version", "guidingIdea", "needForChange", "successes", ...goalNumbers.flatMap((n) => Object.values(goalField(n)))];
}

/** Which parts of the document a save changed (for the audit log: names only, never the text). */
export function changedParts(
  before: { guidingIdea: string; needForChange: string; successes: string; goals: StoredGoal[] },
  after: { guidingIdea: string; needForChange: string; successes: string; goals: StoredGoal[] },
) {
  const parts: string[] = [];
  if (before.guidingIdea !== after.guidingIdea) parts.push("guidingIdea");
  const key = (gs: StoredGoal[]) =>
    JSON.stringify([...gs].sort((a, b) => a.goalId.localeCompare(b.goalId)).map((g) => [g.goalId, g.adopted, g.wording]));
  if (key(before.goals) !== key(after.goals)) parts.push("adoptedGoals");
  if (before.needForChange !== after.needForChange) parts.push("needForChange");
  if (before.successes !== after.successes) parts.push("successes");
  return parts;
}

// ─── The suggestion for the need for change ─────────────────────────────────

/** What the assessment and the survey say, for the suggested need for change. */
export type NeedSuggestion = {
  round: string | null;
  /** The goals rated lowest (consensus), lowest first. */
  lowGoals: Array<{ number: number; shortTitle: string; rating: number; label: string }>;
  /**
   * The survey's statements where staff see the greatest need for change (highest mean on
   * the 1–4 scale), only when the office may see the survey's result; null otherwise.
   */
  survey: { answers: number; statements: Array<{ key: string; title: string; mean: number }> } | null;
};

/** How many goals and statements the suggestion names. */
export const SUGGESTION_SIZE = 3;

/** The lowest-rated goals: every rated goal, lowest first, ties by number; at most SUGGESTION_SIZE. */
export function lowestGoals<G extends { number: number; rating: number | null }>(goals: readonly G[]) {
  return goals
    .filter((g): g is G & { rating: number } => typeof g.rating === "number")
    .sort((a, b) => a.rating - b.rating || a.number - b.number)
    .slice(0, SUGGESTION_SIZE);
}

/** Mean answer per statement over those who judged it (1–4); statements nobody judged are left out. */
export function weakestStatements<S extends { key: string; counts: Record<string, number> }>(statements: readonly S[]) {
  return statements
    .flatMap((s) => {
      let n = 0;
      let sum = 0;
      for (const v of [1, 2, 3, 4]) {
        n += s.counts[String(v)] ?? 0;
        sum += v * (s.counts[String(v)] ?? 0);
      }
      return n ? [{ ...s, mean: sum / n }] : [];
    })
    .sort((a, b) => b.mean - a.mean || a.key.localeCompare(b.key, "de", { numeric: true }))
    .slice(0, SUGGESTION_SIZE);
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** The suggested text in the reader's language, or "" when there is nothing to suggest. */
export function suggestionText(t: T, s: NeedSuggestion, language: "de" | "en") {
  const lines: string[] = [];
  const number = new Intl.NumberFormat(language === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 1 });
  if (s.lowGoals.length) {
    lines.push(t("planStrategy:suggestion.goalsIntro", { round: s.round ?? "" }));
    for (const g of s.lowGoals)
      lines.push(
        t("planStrategy:suggestion.goalLine", { number: g.number, title: g.shortTitle, rating: g.rating, label: g.label }),
      );
  }
  if (s.survey && s.survey.statements.length) {
    if (lines.length) lines.push("");
    lines.push(t("planStrategy:suggestion.surveyIntro", { count: s.survey.answers }));
    for (const st of s.survey.statements)
      lines.push(t("planStrategy:suggestion.surveyLine", { key: st.key, title: st.title, mean: number.format(st.mean) }));
  }
  return lines.join("\n");
}
