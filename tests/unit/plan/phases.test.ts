import { describe, expect, it } from "vitest";
import { reviewSchema } from "~/domains/plan/phase-schemas";
import {
  ALL_TASKS,
  checklistProgress,
  ESSENTIALLY_DONE_SHARE,
  isEssentiallyDone,
  isPhaseTask,
  PHASE_TASKS,
  PHASES,
  phaseOfTask,
  REVIEW_QUESTIONS,
} from "~/domains/plan/phases";
import { de } from "~/i18n/de";
import { en } from "~/i18n/en";

const measure = (over: Partial<{ completed: boolean; consolidated: boolean; activities: number; done: number }> = {}) => ({
  completed: false,
  consolidated: false,
  activities: 0,
  done: 0,
  ...over,
});

describe("the five phases of Teil B", () => {
  it("are the framework's five phases in its order", () => {
    expect(PHASES).toEqual(["INITIIERUNG", "PLANUNG", "MOBILISIERUNG", "UMSETZUNG", "KONSOLIDIERUNG"]);
  });

  it("name Teil B's tasks with keys that are unique across phases (they are stored as plan_phase_task.task_key)", () => {
    expect(new Set(ALL_TASKS).size).toBe(ALL_TASKS.length);
    expect(ALL_TASKS).toEqual(
      expect.arrayContaining(["responsibility_named", "team_informed", "survey_run", "plan_agreed", "review_meetings_held"]),
    );
    for (const phase of PHASES) expect(PHASE_TASKS[phase].length).toBeGreaterThan(2);
    expect(phaseOfTask("survey_run")).toBe("INITIIERUNG");
    expect(phaseOfTask("review_meetings_held")).toBe("UMSETZUNG");
    expect(isPhaseTask("team_informed")).toBe(true);
    expect(isPhaseTask("gibt_es_nicht")).toBe(false);
  });

  it("has a German and an English label and hint for every phase, task and review question", () => {
    for (const [lang, resources] of [
      ["de", de],
      ["en", en],
    ] as const) {
      const ns = resources.planPhases as unknown as {
        phase: Record<string, string>;
        task: Record<string, string>;
        taskHint: Record<string, string>;
        review: { question: Record<string, string> };
      };
      const missing = [
        ...PHASES.filter((p) => !ns.phase[p]).map((p) => `phase ${p}`),
        ...ALL_TASKS.filter((k) => !ns.task[k] || !ns.taskHint[k]).map((k) => `task ${k}`),
        ...REVIEW_QUESTIONS.filter((q) => !ns.review.question[q]).map((q) => `question ${q}`),
      ];
      expect(missing, lang).toEqual([]);
    }
  });

  it("counts the ticked tasks per phase and ignores unknown keys", () => {
    const progress = checklistProgress(["survey_run", "team_informed", "gibt_es_nicht"]);
    expect(progress.INITIIERUNG).toEqual({ done: 1, total: PHASE_TASKS.INITIIERUNG.length });
    expect(progress.MOBILISIERUNG.done).toBe(1);
    expect(progress.KONSOLIDIERUNG.done).toBe(0);
  });
});

describe("is the plan essentially done (follow-up cycle)", () => {
  it("never for a plan without measures", () => {
    expect(isEssentiallyDone([])).toMatchObject({ done: false, reason: "noMeasures" });
  });

  it("when every measure is finished or checked, whatever the share of steps", () => {
    expect(
      isEssentiallyDone([
        measure({ completed: true, activities: 2, done: 2 }),
        measure({ consolidated: true, activities: 10, done: 1 }),
      ]),
    ).toMatchObject({ done: true, reason: "allMeasuresFinished" });
  });

  it(`when at least ${ESSENTIALLY_DONE_SHARE * 100} % of all steps are done – not one step less`, () => {
    const at = (done: number) => isEssentiallyDone([measure({ activities: 5, done }), measure({ activities: 5, done: 3 })]);
    expect(at(5)).toMatchObject({ done: true, reason: "mostActivitiesDone", share: 0.8 });
    expect(at(4)).toMatchObject({ done: false, reason: "tooFewDone", share: 0.7 });
  });

  it("not when measures are open and have no steps at all", () => {
    expect(isEssentiallyDone([measure(), measure({ completed: true })])).toMatchObject({ done: false, share: 0 });
  });

  it("never counts more done steps than a measure has", () => {
    expect(isEssentiallyDone([measure({ activities: 2, done: 9 }), measure({ activities: 8, done: 0 })]).share).toBe(0.2);
  });
});

describe("a review meeting's form", () => {
  const base = { intent: "review", heldOn: "2026-01-15", notes: "" };
  it("keeps the answered questions only and needs at least an answer or notes", () => {
    const ok = reviewSchema.safeParse({ ...base, answer_obstacles: "  Zu wenig Zeit  ", answer_progress: "" });
    expect(ok.success && ok.data).toEqual({ heldOn: "2026-01-15", notes: "", answers: { obstacles: "Zu wenig Zeit" } });
    const empty = reviewSchema.safeParse(base);
    expect(empty.success).toBe(false);
    expect(empty.error?.issues[0]).toMatchObject({ path: ["notes"], message: "planPhases:errors.reviewEmpty" });
  });

  it("refuses an impossible date and one in the future", () => {
    expect(reviewSchema.safeParse({ ...base, notes: "x", heldOn: "2026-02-30" }).error?.issues[0].message).toBe(
      "planPhases:errors.date",
    );
    expect(reviewSchema.safeParse({ ...base, notes: "x", heldOn: "2999-01-01" }).error?.issues[0].message).toBe(
      "planPhases:errors.dateFuture",
    );
  });
});
