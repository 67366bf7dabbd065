import { describe, expect, it } from "vitest";
import { readFramework } from "../../../prisma/seed/framework";
import {
  GOAL_LEVEL_EXAMPLE_FILES,
  GOAL_LEVEL_EXAMPLE_MAX_LENGTH,
  readGoalLevelExamples,
  readGoalLevelExamplesFile,
} from "../../../prisma/seed/goal-level-examples";

const framework = await readFramework();
const data = (await readGoalLevelExamples(framework.slug))!;
const all = data.goals.flatMap((g) => Object.entries(g.levels).map(([level, text]) => ({ goal: g.number, level, text })));

describe("goal level examples (Orientierungsrahmen RLP 2015)", () => {
  it("belong to the framework version that is seeded", () => {
    expect(data).not.toBeNull();
    expect(data.frameworkVersion).toBe(framework.slug);
  });

  it("cover exactly the framework's 12 goals, each with the levels 1 to 5", () => {
    expect(data.goals.map((g) => g.number)).toEqual(framework.goals.map((g) => g.number));
    expect(data.goals).toHaveLength(12);
    for (const goal of data.goals) expect(Object.keys(goal.levels), `goal ${goal.number}`).toEqual(["1", "2", "3", "4", "5"]);
    expect(all).toHaveLength(60);
  });

  it("are short, non-empty texts with no surrounding blanks or line breaks", () => {
    expect(GOAL_LEVEL_EXAMPLE_MAX_LENGTH).toBe(220);
    for (const { goal, level, text } of all) {
      const at = `goal ${goal}, level ${level}`;
      expect(text.trim(), at).toBe(text);
      expect(text.length, at).toBeGreaterThan(40);
      expect(text.length, at).toBeLessThanOrEqual(GOAL_LEVEL_EXAMPLE_MAX_LENGTH);
      expect(text, at).not.toMatch(/\n/);
      expect(text, at).toMatch(/[.!]$/);
    }
  });

  it("never repeat one another, so each level of each goal says something of its own", () => {
    const texts = all.map((e) => e.text);
    expect(new Set(texts).size).toBe(texts.length);
  });

  it("speak of the top level as reviewed regularly and of the bottom level as not there yet", () => {
    for (const goal of data.goals) {
      expect(goal.levels["5"], `goal ${goal.number}`).toMatch(/regelmäßig|in festen Abständen|laufend/);
      expect(goal.levels["1"], `goal ${goal.number}`).not.toMatch(/regelmäßig/);
    }
  });

  it("every example file is valid and names its own framework version once", async () => {
    const versions = await Promise.all(
      GOAL_LEVEL_EXAMPLE_FILES.map(async (f) => (await readGoalLevelExamplesFile(f)).frameworkVersion),
    );
    expect(new Set(versions).size).toBe(versions.length);
  });

  it("a framework version without examples gets none rather than another version's", async () => {
    expect(await readGoalLevelExamples("gibt-es-nicht")).toBeNull();
  });
});
