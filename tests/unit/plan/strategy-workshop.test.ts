/**
 * The pure rules of the Gesamtkonzept and the team workshop: how a goal's adoption is read
 * and stored, the form's checks, which parts a save changed (for the log), the suggestion
 * for the need for change, and the workshop's questions and note form.
 */
import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n/config";
import {
  changedParts,
  fromChoice,
  lowestGoals,
  readStoredGoals,
  strategySchema,
  suggestionText,
  toChoice,
  weakestStatements,
} from "~/domains/plan/strategy";
import { measureTitleFromNote, noteSchema, questionNumber, WORKSHOP_QUESTIONS } from "~/domains/plan/workshop";
import { de } from "~/i18n/de";
import { en } from "~/i18n/en";

const form = (over: Record<string, string> = {}) => {
  const f: Record<string, string> = { version: "0", guidingIdea: "", needForChange: "", successes: "" };
  for (const n of [1, 2]) Object.assign(f, { [`goal-${n}-mode`]: "asIs", [`goal-${n}-wording`]: "" });
  return { ...f, ...over };
};

describe("Gesamtkonzept rules", () => {
  it("reads a stored goal as the form's choice and back", () => {
    expect(toChoice(undefined)).toEqual({ mode: "no", wording: "" });
    expect(toChoice({ goalId: "g", adopted: true, wording: "" })).toEqual({ mode: "asIs", wording: "" });
    expect(toChoice({ goalId: "g", adopted: true, wording: "Eigene" })).toEqual({ mode: "reworded", wording: "Eigene" });
    expect(fromChoice("g", { mode: "asIs", wording: "vergessen" })).toEqual({ goalId: "g", adopted: true, wording: "" });
    expect(fromChoice("g", { mode: "no", wording: " später " })).toEqual({ goalId: "g", adopted: false, wording: "später" });
    expect(readStoredGoals([{ goalId: "g", adopted: true }, { nonsense: 1 }, "x"])).toEqual([
      { goalId: "g", adopted: true, wording: "" },
    ]);
    expect(readStoredGoals(null)).toEqual([]);
  });

  it("asks for a wording only when a goal is reworded, and refuses an unknown mode or too long a text", () => {
    const schema = strategySchema([1, 2]);
    expect(schema.safeParse(form({ "goal-1-mode": "reworded", "goal-1-wording": "Unser Ziel" })).success).toBe(true);
    const missing = schema.safeParse(form({ "goal-2-mode": "reworded" }));
    expect(missing.success || missing.error.issues.map((i) => [i.path[0], i.message])).toEqual([
      ["goal-2-wording", "planStrategy:errors.wordingRequired"],
    ]);
    const bad = schema.safeParse(form({ "goal-1-mode": "vielleicht", guidingIdea: "x".repeat(5001), version: "-1" }));
    expect(bad.success || bad.error.issues.map((i) => i.path[0]).sort()).toEqual(["goal-1-mode", "guidingIdea", "version"]);
    const parsed = schema.parse(form({ guidingIdea: "  Leitidee\r\nzweite Zeile  " }));
    expect(parsed.guidingIdea).toBe("Leitidee\nzweite Zeile");
    expect(parsed.goals[1]).toEqual({ mode: "asIs", wording: "" });
  });

  it("names the changed parts, not their text", () => {
    const before = { guidingIdea: "a", needForChange: "b", successes: "c", goals: [{ goalId: "1", adopted: true, wording: "" }] };
    expect(changedParts(before, { ...before })).toEqual([]);
    expect(
      changedParts(before, { ...before, guidingIdea: "neu", goals: [{ goalId: "1", adopted: false, wording: "" }] }),
    ).toEqual(["guidingIdea", "adoptedGoals"]);
  });

  it("suggests the three lowest-rated goals and the statements staff find most in need of change", () => {
    const goals = [
      { number: 1, rating: 3 },
      { number: 2, rating: null },
      { number: 3, rating: 1 },
      { number: 4, rating: 3 },
      { number: 5, rating: 2 },
    ];
    expect(lowestGoals(goals).map((g) => g.number)).toEqual([3, 5, 1]);
    const counts = (c: Record<string, number>) => ({ "1": 0, "2": 0, "3": 0, "4": 0, na: 0, ...c });
    const statements = [
      { key: "1", counts: counts({ "4": 1, "1": 1 }) }, // 2.5
      { key: "2A", counts: counts({ "4": 3 }) }, // 4
      { key: "3", counts: counts({ na: 5 }) }, // nobody judged: left out
      { key: "10B", counts: counts({ "3": 2 }) }, // 3
      { key: "12", counts: counts({ "1": 2 }) }, // 1
    ];
    expect(weakestStatements(statements).map((s) => [s.key, s.mean])).toEqual([
      ["2A", 4],
      ["10B", 3],
      ["1", 2.5],
    ]);
  });

  it("writes the suggestion in the reader's language", async () => {
    const i18n = createInstance();
    await i18n.init({ ...i18nConfig, lng: "de" });
    const suggestion = {
      round: "2026",
      lowGoals: [{ number: 3, shortTitle: "Information", rating: 1, label: "Nicht umgesetzt" }],
      survey: { answers: 6, statements: [{ key: "2A", title: "Verweisaufgaben", mean: 3.5 }] },
    };
    const text = suggestionText(i18n.getFixedT("de") as never, suggestion, "de");
    expect(text).toContain("Selbsteinschätzung „2026“");
    expect(text).toContain("- Ziel 3 „Information“: Stufe 1 (Nicht umgesetzt)");
    expect(text).toContain("Befragung, 6 Antworten");
    expect(text).toContain("Durchschnitt 3,5 von 4");
    expect(suggestionText(i18n.getFixedT("en") as never, suggestion, "en")).toContain("average 3.5 of 4");
    expect(suggestionText(i18n.getFixedT("de") as never, { round: null, lowGoals: [], survey: null }, "de")).toBe("");
  });
});

describe("team workshop rules", () => {
  it("has a question text in German and English for every key, numbered from 1", () => {
    for (const key of WORKSHOP_QUESTIONS) {
      expect((de.workshop.questions as Record<string, string>)[key], key).toBeTruthy();
      expect((en.workshop.questions as Record<string, string>)[key], key).toBeTruthy();
    }
    expect(questionNumber(WORKSHOP_QUESTIONS[0])).toBe(1);
    expect(new Set(WORKSHOP_QUESTIONS).size).toBe(WORKSHOP_QUESTIONS.length);
  });

  it("checks a note's question, version and length", () => {
    expect(noteSchema.safeParse({ question: "survey", version: "2", body: " Text " })).toMatchObject({
      success: true,
      data: { question: "survey", version: 2, body: "Text" },
    });
    expect(noteSchema.safeParse({ question: "unbekannt", version: "0", body: "" }).success).toBe(false);
    expect(noteSchema.safeParse({ question: "survey", version: "1e309", body: "" }).success).toBe(false);
    expect(noteSchema.safeParse({ question: "survey", version: "0", body: "x".repeat(20_001) }).success).toBe(false);
  });

  it("takes a note's first line, without a list mark, as the title of a new measure", () => {
    expect(measureTitleFromNote("\n- Wegweiser mehrsprachig\nbis Mai")).toBe("Wegweiser mehrsprachig");
    expect(measureTitleFromNote("")).toBe("");
    expect(measureTitleFromNote("x".repeat(300))).toHaveLength(200);
  });
});
