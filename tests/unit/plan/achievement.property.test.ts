/**
 * The measure-achievement rule (app/domains/plan/achievement.ts) tested like a feature:
 * properties over random networks of offices and plans, checked against counts and medians
 * computed here independently, plus hand-computed examples.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  anonymousMedian,
  changeOf,
  measureAchievements,
  type MedianFigure,
  type OfficeMeasure,
  planProgress,
  SUPPRESSED_MESSAGE,
} from "~/domains/plan/achievement";

const RUNS = { numRuns: 400 };
const MEASURES = ["m1", "m2", "m3"];

const ratingArb = fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 5 });
/** 0–30 offices, each with some of three measures in its plan. */
const rowsArb = fc.integer({ min: 0, max: 30 }).chain((n) =>
  fc
    .array(
      fc.record({
        measures: fc.subarray(MEASURES),
        completed: fc.boolean(),
        before: ratingArb,
        after: ratingArb,
      }),
      { minLength: n, maxLength: n },
    )
    .map((offices) =>
      offices.flatMap((o, i): OfficeMeasure[] =>
        o.measures.map((measureId) => ({
          officeKey: `office-${i}`,
          measureId,
          completed: o.completed,
          before: o.before,
          after: o.after,
        })),
      ),
    ),
);
const kArb = fc.integer({ min: 3, max: 7 });
const knownArb = fc.array(
  fc.integer({ min: 0, max: 30 }).map((i) => `office-${i}`),
  { maxLength: 4 },
);

const middle = (values: number[]) => {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  return n % 2 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
};

describe("measure achievement: fewer than k offices → suppressed", () => {
  it("every count and median is shown exactly when at least k unknown offices are behind it (and a median is not unanimous)", () => {
    fc.assert(
      fc.property(rowsArb, kArb, knownArb, (rows, k, known) => {
        const figures = measureAchievements(rows, k, { known });
        for (const measureId of MEASURES) {
          const mine = rows.filter((r) => r.measureId === measureId && !known.includes(r.officeKey));
          const a = figures.get(measureId);
          if (!mine.length) {
            expect(a).toBeUndefined();
            continue;
          }
          const completed = mine.filter((r) => r.completed).length;
          const changes = mine.map(changeOf).filter((c): c is number => c !== null);
          expect(a!.planned).toEqual(
            mine.length >= k ? { shown: true, n: mine.length } : { shown: false, message: SUPPRESSED_MESSAGE },
          );
          expect(a!.completed).toEqual(
            completed >= k ? { shown: true, n: completed } : { shown: false, message: SUPPRESSED_MESSAGE },
          );
          const expectShown = changes.length >= k && new Set(changes).size > 1;
          expect(a!.change).toEqual(
            expectShown
              ? { shown: true, n: changes.length, median: middle(changes) }
              : { shown: false, message: SUPPRESSED_MESSAGE },
          );
        }
      }),
      RUNS,
    );
  });

  it("k below 3 or missing is raised to the floor of the anonymity rule", () => {
    const rows = [0, 1].map((i): OfficeMeasure => ({
      officeKey: `o${i}`,
      measureId: "m",
      completed: true,
      before: 1,
      after: 2 + i,
    }));
    expect(measureAchievements(rows, 1).get("m")!.planned.shown).toBe(false);
    expect(measureAchievements(rows, null).get("m")!.completed.shown).toBe(false);
  });
});

describe("measure achievement: never a figure that equals one office's change", () => {
  it("with one unknown office behind a figure (everyone else known to the viewer) nothing is shown", () => {
    fc.assert(
      fc.property(rowsArb, kArb, (rows, k) => {
        const offices = [...new Set(rows.map((r) => r.officeKey))];
        for (const target of offices) {
          const figures = measureAchievements(rows, k, { known: offices.filter((o) => o !== target) });
          for (const a of figures.values()) {
            expect(a.planned.shown).toBe(false);
            expect(a.completed.shown).toBe(false);
            expect(a.change.shown).toBe(false);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a shown median never pins one office's change: each office behind it can swap with one of a different change, and nothing shown moves", () => {
    fc.assert(
      fc.property(rowsArb, kArb, knownArb, (rows, k, known) => {
        const figures = measureAchievements(rows, k, { known });
        for (const [measureId, a] of figures) {
          if (!a.change.shown) continue;
          const behind = rows.filter((r) => r.measureId === measureId && !known.includes(r.officeKey) && changeOf(r) !== null);
          for (const office of behind) {
            const other = behind.find((r) => changeOf(r) !== changeOf(office));
            // Rule 5: a shown median has at least two different changes behind it.
            expect(other).toBeDefined();
            const swapped = rows.map((r) =>
              r === office
                ? { ...r, before: other!.before, after: other!.after }
                : r === other
                  ? { ...r, before: office.before, after: office.after }
                  : r,
            );
            expect(measureAchievements(swapped, k, { known }).get(measureId)).toEqual(a);
          }
        }
      }),
      RUNS,
    );
  });

  it("what the viewer knows has no influence: changing a known office's plan or ratings changes no figure", () => {
    fc.assert(
      fc.property(rowsArb, kArb, knownArb, ratingArb, ratingArb, (rows, k, known, before, after) => {
        const changed = rows.map((r) => (known.includes(r.officeKey) ? { ...r, before, after, completed: !r.completed } : r));
        const extra = [...new Set(known)].map((officeKey): OfficeMeasure => ({
          officeKey,
          measureId: "m-known",
          completed: true,
          before: 1,
          after: 5,
        }));
        const a = measureAchievements(rows, k, { known });
        const b = measureAchievements([...changed.filter((r) => r.measureId !== "m-known"), ...extra], k, { known });
        expect(b.has("m-known")).toBe(false);
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });

  it("unanimous changes are hidden, however many offices", () => {
    const same = (n: number, change: number): MedianFigure => anonymousMedian(Array(n).fill(change), 3);
    expect(same(3, 1).shown).toBe(false);
    expect(same(40, 0).shown).toBe(false);
    expect(anonymousMedian([1, 1, 2], 3)).toEqual({ shown: true, n: 3, median: 1 });
    expect(anonymousMedian([0, 1, 2, 2], 3)).toEqual({ shown: true, n: 4, median: 1.5 });
  });
});

describe("ministry plan progress", () => {
  it("counts offices with a plan and the median share done only from k unknown offices on", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc
            .integer({ min: 0, max: 10 })
            .chain((activities) => fc.integer({ min: 0, max: activities }).map((done) => ({ activities, done }))),
          {
            maxLength: 20,
          },
        ),
        kArb,
        knownArb,
        (list, k, known) => {
          const offices = list.map((o, i) => ({ officeKey: `office-${i}`, ...o }));
          const unknown = offices.filter((o) => !known.includes(o.officeKey));
          const shares = unknown.filter((o) => o.activities > 0).map((o) => o.done / o.activities);
          const result = planProgress(offices, k, { known });
          expect(result.plans.shown).toBe(unknown.length >= k);
          if (result.plans.shown) expect(result.plans.n).toBe(unknown.length);
          expect(result.doneShare.shown).toBe(shares.length >= k && new Set(shares).size > 1);
          if (result.doneShare.shown) expect(result.doneShare.median).toBeCloseTo(middle(shares), 10);
        },
      ),
      RUNS,
    );
  });

  it("a worked example", () => {
    const offices = [
      { officeKey: "a", activities: 4, done: 1 },
      { officeKey: "b", activities: 2, done: 2 },
      { officeKey: "c", activities: 5, done: 0 },
      { officeKey: "d", activities: 0, done: 0 },
      { officeKey: "e", activities: 10, done: 5 },
    ];
    expect(planProgress(offices, 3)).toEqual({ plans: { shown: true, n: 5 }, doneShare: { shown: true, n: 4, median: 0.375 } });
    expect(planProgress(offices, 3, { known: ["b", "e"] })).toEqual({
      plans: { shown: true, n: 3 },
      doneShare: { shown: false, message: SUPPRESSED_MESSAGE },
    });
  });
});
