import { z } from "zod";

/**
 * The "Auswahlhilfe Maßnahmen" rule (Orientierungsrahmen Teil B, Phase 1 f): a measure's
 * priority follows from its need for change and the effort it takes. Each network may
 * adjust the table; this is the one place that reads it. Shared by server and UI.
 */
export const GRADES = ["HIGH", "MEDIUM", "LOW", "NONE"] as const;
export type Grade = (typeof GRADES)[number];
export const PRIORITIES = ["HIGH", "MEDIUM", "LOW", "NONE"] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * The form field of one cell of the rule table, e.g. "rule.HIGH.LOW" (need high, effort low).
 * Here, not in the settings model: the settings page renders it in the browser too.
 */
export function ruleField(need: Grade, effort: Grade) {
  return `rule.${need}.${effort}`;
}

/** need → effort → priority */
export type PriorityRule = Record<Grade, Record<Grade, Priority>>;

/**
 * Default: great need and little effort first (the framework's advice, "schnelles
 * Erfolgserlebnis"); great need with great effort still ranks medium so it is not
 * forgotten; no need for change means no priority.
 */
export const DEFAULT_PRIORITY_RULE: PriorityRule = {
  HIGH: { NONE: "HIGH", LOW: "HIGH", MEDIUM: "HIGH", HIGH: "MEDIUM" },
  MEDIUM: { NONE: "MEDIUM", LOW: "MEDIUM", MEDIUM: "MEDIUM", HIGH: "LOW" },
  LOW: { NONE: "LOW", LOW: "LOW", MEDIUM: "LOW", HIGH: "LOW" },
  NONE: { NONE: "NONE", LOW: "NONE", MEDIUM: "NONE", HIGH: "NONE" },
};

const row = z.object({ HIGH: z.enum(PRIORITIES), MEDIUM: z.enum(PRIORITIES), LOW: z.enum(PRIORITIES), NONE: z.enum(PRIORITIES) });
export const priorityRuleSchema = z.object({ HIGH: row, MEDIUM: row, LOW: row, NONE: row });

/** The network's stored rule (JSON, may be null or outdated) or the default. */
export function priorityRuleOf(stored: unknown): PriorityRule {
  const parsed = priorityRuleSchema.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_PRIORITY_RULE;
}

/** The rule for one assessment: the one frozen at its submission, else the network's current one. */
export function ruleForAssessment(assessmentRule: unknown, networkRule: unknown): PriorityRule {
  return priorityRuleOf(assessmentRule ?? networkRule);
}

/** The priority that follows from need and effort; null while either is not yet rated. */
export function derivedPriority(rule: PriorityRule, need: Grade | null, effort: Grade | null): Priority | null {
  if (need === "NONE") return rule.NONE[effort ?? "NONE"];
  if (!need || !effort) return null;
  return rule[need][effort];
}

/** What counts: the office's override where it set one, else the rule's result. */
export function effectivePriority(
  rule: PriorityRule,
  m: { need: Grade | null; effort: Grade | null; priorityOverride: Priority | null },
) {
  return m.priorityOverride ?? derivedPriority(rule, m.need, m.effort);
}
