import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { Prisma } from "~/generated/prisma/client";

/**
 * Per goal and level of the 1–5 scale, one short example of what that level looks like
 * in an office's daily work. Written for ABH-Netz from the framework's goal explanations
 * and measures (the framework itself has no scale), so that a "3" means the same in every
 * office. One file per framework version; it names the version it belongs to.
 */
export const GOAL_LEVEL_EXAMPLE_FILES = [path.resolve(import.meta.dirname, "../data/goal-level-examples-rlp-2015.json")];

/** Short enough to read next to the radio buttons while rating. */
export const GOAL_LEVEL_EXAMPLE_MAX_LENGTH = 220;

const example = z.string().trim().min(1).max(GOAL_LEVEL_EXAMPLE_MAX_LENGTH);

const examplesSchema = z.object({
  frameworkVersion: z.string().min(1),
  goals: z
    .array(
      z.object({
        number: z.number().int().positive(),
        levels: z.strictObject({ "1": example, "2": example, "3": example, "4": example, "5": example }),
      }),
    )
    .refine((goals) => new Set(goals.map((g) => g.number)).size === goals.length, "each goal only once"),
});

export type GoalLevelExamples = z.infer<typeof examplesSchema>;

export async function readGoalLevelExamplesFile(file: string): Promise<GoalLevelExamples> {
  return examplesSchema.parse(JSON.parse(await fs.readFile(file, "utf8")));
}

/** The examples written for a framework version, or null when there are none (yet). */
export async function readGoalLevelExamples(frameworkSlug: string, files = GOAL_LEVEL_EXAMPLE_FILES) {
  for (const file of files) {
    const data = await readGoalLevelExamplesFile(file);
    if (data.frameworkVersion === frameworkSlug) return data;
  }
  return null;
}

/**
 * Writes the examples of one framework version, matched by (goal, level): re-running
 * changes nothing, and an edited text updates its row in place.
 */
export async function seedGoalLevelExamples(tx: Prisma.TransactionClient, data: GoalLevelExamples, goalIds: Map<number, string>) {
  for (const goal of data.goals) {
    const goalId = goalIds.get(goal.number);
    if (!goalId) throw new Error(`${data.frameworkVersion}: examples for goal ${goal.number}, which the framework does not have`);
    for (const [level, text] of Object.entries(goal.levels)) {
      await tx.goalLevelExample.upsert({
        where: { goalId_level: { goalId, level: Number(level) } },
        create: { goalId, level: Number(level), example: text },
        update: { example: text },
      });
    }
  }
}
