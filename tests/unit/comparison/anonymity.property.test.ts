/**
 * The anonymity rule (app/domains/comparison/anonymity.ts, decision 0005) tested like a feature:
 * properties over random networks, rounds and requests, checked against group memberships
 * computed here independently of the module, plus hand-computed examples.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clampK,
  compare,
  createComparison,
  type CohortEntry,
  type Figure,
  type GroupKey,
  LATTICE,
  networkTrend,
  peerKindOf,
  publicFigure,
  type ShownFigure,
  SIZE_CLASS_LOWER_BOUNDS,
  sizeClassOf,
  sizeClassOfBucket,
  SUPPRESSED_MESSAGE,
} from "~/domains/comparison/anonymity";

const GOALS = [1, 2, 3];
const RUNS = { numRuns: 400 };

type Office = {
  officeKey: string;
  kind: string;
  sizeClass: "small" | "medium" | "large" | "unknown";
  ratings: Record<number, number | null>;
};

// ─── Arbitraries ────────────────────────────────────────────────────────────

const officeArb = fc.record({
  // "ZENTRALE_ABH" stands for any kind the enum may gain: it counts as "other".
  kind: fc.constantFrom("KREISFREIE_STADT", "LANDKREIS", "OTHER", "ZENTRALE_ABH"),
  sizeClass: fc.constantFrom("small" as const, "medium" as const, "large" as const, "unknown" as const),
  ratings: fc.tuple(...GOALS.map(() => fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 4 }))),
});
/** 0–60 submitted offices; kinds and sizes drawn from a few values so that groups land near k. */
const cohortArb = fc
  .integer({ min: 0, max: 60 })
  .chain((n) => fc.array(officeArb, { minLength: n, maxLength: n }))
  .map((offices): Office[] =>
    offices.map((o, i) => ({
      officeKey: `key-${i}`,
      kind: o.kind,
      sizeClass: o.sizeClass,
      ratings: Object.fromEntries(GOALS.map((g, j) => [g, o.ratings[j]])),
    })),
  );
const kArb = fc.integer({ min: 3, max: 8 });
// Goal 4 has no ratings in any cohort: every figure of it is suppressed.
const requestArb = fc.record({
  goal: fc.constantFrom(...GOALS, 4),
  group: fc.constantFrom(...LATTICE.map(({ kind, size }): GroupKey => ({ kind, size }))),
});
const requestsArb = fc.array(requestArb, { minLength: 1, maxLength: 20 });

// ─── An independent model of groups and statistics ──────────────────────────

const peer = (kind: string) => (kind === "KREISFREIE_STADT" || kind === "LANDKREIS" ? kind : "other");
const members = (cohort: Office[], g: GroupKey) =>
  cohort.filter((o) => (g.kind === null || peer(o.kind) === g.kind) && (g.size === null || o.sizeClass === g.size));
const raters = (offices: Office[], goal: number) =>
  offices.filter((o) => o.ratings[goal] !== null && o.ratings[goal] !== undefined);
const ids = (offices: Office[]) => new Set(offices.map((o) => o.officeKey));

/** Median as taught (middle value, or the mean of the two middle ones); quartiles by type 7, 1-based. */
function oracle(values: number[]) {
  const x = [...values].sort((a, b) => a - b);
  const n = x.length;
  const median = n % 2 ? x[(n - 1) / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
  const type7 = (p: number) => {
    const h = (n - 1) * p + 1;
    const j = Math.floor(h);
    return j >= n ? x[n - 1] : x[j - 1] + (h - j) * (x[j] - x[j - 1]);
  };
  return { n, median, q1: n >= 5 ? type7(0.25) : null, q3: n >= 5 ? type7(0.75) : null };
}

/** The shown groups of a goal (the whole lattice, i.e. every page that could ever be shown). */
const shownGroups = (cohort: Office[], k: number, goal: number) =>
  createComparison(cohort, k)
    .lattice(goal)
    .filter((x) => x.figure.shown)
    .map((x) => x.group);

/** Offices that belong to exactly the same shown groups: what set algebra over them can isolate. */
function atoms(cohort: Office[], shown: GroupKey[]) {
  const bySignature = new Map<string, Office[]>();
  for (const office of cohort) {
    const signature = shown.map((g) => (members([office], g).length ? "1" : "0")).join("");
    bySignature.set(signature, [...(bySignature.get(signature) ?? []), office]);
  }
  return [...bySignature.values()];
}

const shuffled = <T>(items: T[], seed: number) => {
  const copy = [...items];
  let s = seed >>> 0 || 1;
  for (let i = copy.length - 1; i > 0; i--) {
    s = Math.imul(s ^ (s >>> 15), 2246822507) >>> 0;
    const j = s % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
};

// ─── Properties ─────────────────────────────────────────────────────────────

describe("anonymity rule: properties over random networks, rounds and requests", () => {
  it("(a) every shown figure rests on at least k ratings, and n is exactly the number of ratings in the group", () => {
    fc.assert(
      fc.property(cohortArb, kArb, requestsArb, (cohort, k, requests) => {
        for (const { goal, group, figure } of compare(cohort, k, requests)) {
          if (!figure.shown) continue;
          expect(figure.n).toBeGreaterThanOrEqual(k);
          expect(figure.n).toBe(raters(members(cohort, group), goal).length);
        }
      }),
      RUNS,
    );
  });

  it("(b) no shown group, and no difference, intersection or union of shown groups, isolates fewer than k offices", () => {
    fc.assert(
      fc.property(cohortArb, kArb, fc.array(requestsArb, { minLength: 1, maxLength: 5 }), (cohort, k, pageViews) => {
        // Everything a visitor could collect over any number of page views.
        const seen = new Map<string, { goal: number; group: GroupKey }>();
        for (const view of pageViews)
          for (const r of compare(cohort, k, view)) if (r.figure.shown) seen.set(`${r.goal}|${r.group.kind}|${r.group.size}`, r);
        for (const goal of [...GOALS, 4]) {
          const shown = [...seen.values()].filter((s) => s.goal === goal).map((s) => s.group);
          // Pairwise, as stated in the issue: a shown parent minus a shown child.
          for (const parent of shown) {
            for (const child of shown) {
              const a = ids(raters(members(cohort, parent), goal));
              const b = ids(raters(members(cohort, child), goal));
              if (![...b].every((id) => a.has(id))) continue;
              const difference = [...a].filter((id) => !b.has(id)).length;
              expect(difference === 0 || difference >= k).toBe(true);
            }
          }
          // Stronger: every set that union, intersection and difference can cut out of the
          // shown groups is a union of atoms, and every atom holds at least k ratings.
          for (const atom of atoms(cohort, shown)) {
            if (shown.some((g) => members(atom, g).length)) expect(raters(atom, goal).length).toBeGreaterThanOrEqual(k);
          }
        }
      }),
      RUNS,
    );
  });

  it("(c) a shown figure is n, median and quartiles only – computed from ≥ k values, never from the lowest or highest", () => {
    fc.assert(
      fc.property(cohortArb, kArb, fc.integer(), (cohort, k, seed) => {
        const comparison = createComparison(cohort, k);
        for (const goal of GOALS) {
          for (const { group, figure } of comparison.lattice(goal)) {
            if (!figure.shown) continue;
            expect(Object.keys(figure).sort()).toEqual(["median", "n", "q1", "q3", "shown"]);
            const group_ = raters(members(cohort, group), goal);
            expect(group_.length).toBeGreaterThanOrEqual(k);
            expect(figure).toEqual({ shown: true, ...oracle(group_.map((o) => o.ratings[goal]!)) });
            // Lower the lowest rating and raise the highest: the group's figure stays the same.
            const sorted = [...group_].sort((x, y) => x.ratings[goal]! - y.ratings[goal]!);
            const [lowest, highest] = [sorted[0], sorted[sorted.length - 1]];
            const changed = cohort.map((o) => {
              if (o === lowest) return { ...o, ratings: { ...o.ratings, [goal]: 1 + (Math.abs(seed) % o.ratings[goal]!) } };
              if (o === highest)
                return { ...o, ratings: { ...o.ratings, [goal]: 5 - (Math.abs(seed) % (6 - o.ratings[goal]!)) } };
              return o;
            });
            expect(createComparison(changed, k).figure(goal, group)).toEqual(figure);
          }
        }
      }),
      RUNS,
    );
  });

  it("(d1) what is hidden depends only on who gave a rating, never on the ratings themselves", () => {
    fc.assert(
      fc.property(cohortArb, kArb, fc.func(fc.integer({ min: 1, max: 5 })), (cohort, k, remap) => {
        const other = cohort.map((o) => ({
          ...o,
          ratings: Object.fromEntries(
            Object.entries(o.ratings).map(([g, r]) => [g, r === null ? null : remap(o.officeKey, g, r)]),
          ),
        }));
        const pattern = (c: Office[]) =>
          GOALS.flatMap((goal) =>
            createComparison(c, k)
              .lattice(goal)
              .map(({ figure }) => (figure.shown ? figure.n : figure.reason)),
          );
        expect(pattern(other)).toEqual(pattern(cohort));
      }),
      RUNS,
    );
  });

  it("(d2) no office's rating can be told apart from those of at least k − 1 others: swapping ratings inside an atom changes no output", () => {
    fc.assert(
      fc.property(cohortArb, kArb, fc.constantFrom(...GOALS), fc.nat(), fc.nat(), (cohort, k, goal, i, j) => {
        const before = GOALS.map((g) => createComparison(cohort, k).lattice(g));
        const shown = shownGroups(cohort, k, goal);
        for (const atom of atoms(cohort, shown)) {
          const rated = raters(atom, goal);
          // Every office whose rating feeds a shown figure shares its atom with ≥ k − 1 other raters.
          if (shown.some((g) => members(atom, g).length)) expect(rated.length).toBeGreaterThanOrEqual(k);
          if (rated.length < 2) continue;
          const [a, b] = [rated[i % rated.length], rated[(i + 1 + (j % (rated.length - 1))) % rated.length]];
          const swapped = cohort.map((o) =>
            o === a
              ? { ...o, ratings: { ...o.ratings, [goal]: b.ratings[goal] } }
              : o === b
                ? { ...o, ratings: { ...o.ratings, [goal]: a.ratings[goal] } }
                : o,
          );
          expect(GOALS.map((g) => createComparison(swapped, k).lattice(g))).toEqual(before);
        }
      }),
      RUNS,
    );
  });

  it("(e) the same cohort gives the same figures whatever the order of offices, their keys, or the requests and their order", () => {
    fc.assert(
      fc.property(cohortArb, kArb, requestsArb, fc.integer(), (cohort, k, requests, seed) => {
        const reKeyed = shuffled(cohort, seed).map((o, i) => ({ ...o, officeKey: `other-${seed}-${i}` }));
        const batch = compare(cohort, k, requests).map((r) => r.figure);
        const reordered = shuffled(
          requests.map((r, i) => ({ ...r, i })),
          seed ^ 0x5bd1e995,
        );
        const answers = compare(reKeyed, k, reordered);
        reordered.forEach((r, n) => expect(answers[n].figure).toEqual(batch[r.i]));
        // Asked alone, a group gets the answer it gets among others.
        for (const [n, r] of requests.entries()) expect(compare(cohort, k, [r])[0].figure).toEqual(batch[n]);
      }),
      RUNS,
    );
  });

  it("the trend shows each round's network figure only when that round has at least its k ratings", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cohortArb, kArb), { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...GOALS),
        (rounds, goal) => {
          const trend = networkTrend(
            rounds.map(([cohort, k], i) => ({ id: `r${i}`, cohort, k })),
            goal,
          );
          trend.forEach(({ id, figure }, i) => {
            const [cohort, k] = rounds[i];
            expect(id).toBe(`r${i}`);
            const n = raters(cohort, goal).length;
            expect(figure.shown).toBe(n >= k);
            if (figure.shown)
              expect(figure).toEqual({ shown: true, ...oracle(raters(cohort, goal).map((o) => o.ratings[goal]!)) });
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});

// ─── Examples ───────────────────────────────────────────────────────────────

let nextKey = 0;
const office = (kind: string, sizeClass: Office["sizeClass"], rating: number | null, goal = 1): Office => ({
  officeKey: `office-${nextKey++}`,
  kind,
  sizeClass,
  ratings: { [goal]: rating },
});
const many = (count: number, kind: string, sizeClass: Office["sizeClass"], rating: (i: number) => number | null) =>
  Array.from({ length: count }, (_, i) => office(kind, sizeClass, rating(i)));
const figures = (cohort: CohortEntry[], k: number, goal = 1) =>
  Object.fromEntries(
    createComparison(cohort, k)
      .lattice(goal)
      .map(({ group, figure }) => [group.id, figure.shown ? figure : figure.reason]),
  );

describe("anonymity rule: examples computed by hand", () => {
  it("median and quartiles by linear interpolation (type 7); quartiles only from 5 values on", () => {
    const six = [1, 2, 3, 4, 5, 5].map((r) => office("LANDKREIS", "medium", r));
    expect(createComparison(six, 5).figure(1, { kind: null, size: null })).toEqual({
      shown: true,
      n: 6,
      median: 3.5,
      q1: 2.25,
      q3: 4.75,
    });
    const five = [5, 2, 4, 3, 3].map((r) => office("LANDKREIS", "medium", r));
    expect(createComparison(five, 5).figure(1, { kind: null, size: null })).toEqual({
      shown: true,
      n: 5,
      median: 3,
      q1: 3,
      q3: 4,
    });
    const three = [2, 5, 4].map((r) => office("LANDKREIS", "medium", r));
    expect(createComparison(three, 3).figure(1, { kind: null, size: null })).toEqual({
      shown: true,
      n: 3,
      median: 4,
      q1: null,
      q3: null,
    });
    const four = [1, 3, 4, 5].map((r) => office("LANDKREIS", "medium", r));
    expect(createComparison(four, 3).figure(1, { kind: null, size: null })).toEqual({
      shown: true,
      n: 4,
      median: 3.5,
      q1: null,
      q3: null,
    });
  });

  it("hides a group of fewer than k offices and says so with one message, never the reason", () => {
    const cohort = many(4, "LANDKREIS", "small", () => 3);
    const figure = createComparison(cohort, 5).figure(1, { kind: null, size: null });
    expect(figure).toEqual({ shown: false, reason: "too_few", message: SUPPRESSED_MESSAGE });
    expect(SUPPRESSED_MESSAGE).toBe("comparison:suppressed");
    expect(publicFigure(figure)).toEqual({ shown: false, message: "comparison:suppressed" });
  });

  it("counts ratings, not submissions: offices that left the goal unassessed do not make up k", () => {
    const cohort = [...many(4, "LANDKREIS", "medium", () => 4), ...many(3, "LANDKREIS", "medium", () => null)];
    expect(figures(cohort, 5).network).toBe("too_few");
  });

  it("hides a child whose parent minus the child would be fewer than k offices", () => {
    // 7 Städte, 3 Landkreise: network − Städte = the 3 Landkreise.
    const cohort = [...many(7, "KREISFREIE_STADT", "medium", (i) => 1 + (i % 5)), ...many(3, "LANDKREIS", "medium", () => 2)];
    const f = figures(cohort, 5);
    expect(f.network).toMatchObject({ shown: true, n: 10 });
    expect(f["kind:KREISFREIE_STADT"]).toBe("differencing");
    expect(f["kind:LANDKREIS"]).toBe("too_few");
  });

  it("also hides what only several shown groups together give away: network − Städte − Landkreise = the other offices", () => {
    const cohort = [
      ...many(6, "KREISFREIE_STADT", "unknown", () => 3),
      ...many(6, "LANDKREIS", "unknown", () => 4),
      ...many(3, "OTHER", "unknown", () => 5),
    ];
    const f = figures(cohort, 5);
    expect(f.network).toMatchObject({ shown: true, n: 15 });
    expect(f["kind:KREISFREIE_STADT"]).toMatchObject({ shown: true, n: 6 });
    // Each pairwise difference has 9 offices, yet together the three would isolate the 3 others.
    expect(f["kind:LANDKREIS"]).toBe("differencing");
    expect(f["kind:other"]).toBe("too_few");
  });

  it("does not reveal that all offices of a small group left a goal unassessed", () => {
    // Goal 1: none of the 5 Landkreise assessed it. Network (6 ratings) next to Städte (6)
    // would show exactly that; goal 2, rated by all, has no such problem.
    const cohort = [
      ...Array.from({ length: 6 }, (_, i) => ({
        officeKey: `s${i}`,
        kind: "KREISFREIE_STADT",
        sizeClass: "unknown" as const,
        ratings: { 1: 3, 2: 3 },
      })),
      ...Array.from({ length: 5 }, (_, i) => ({
        officeKey: `l${i}`,
        kind: "LANDKREIS",
        sizeClass: "unknown" as const,
        ratings: { 1: null, 2: 4 },
      })),
    ];
    expect(figures(cohort, 5, 1)).toMatchObject({
      network: { shown: true, n: 6 },
      "kind:KREISFREIE_STADT": "differencing",
      "kind:LANDKREIS": "too_few",
    });
    expect(figures(cohort, 5, 2)).toMatchObject({
      network: { shown: true, n: 11 },
      "kind:KREISFREIE_STADT": { shown: true, n: 6 },
      "kind:LANDKREIS": { shown: true, n: 5 },
    });
  });

  it("lets the only Stadt move the network median, but the same move by any Landkreis looks identical (why (d) is stated as (d2))", () => {
    // "Changing a rating inside a group below k never changes any shown output" cannot
    // hold: that office also counts in the network. What holds is that its change cannot
    // be told apart from the same change by any of the k − 1 or more offices it shares an atom with.
    const landkreise = [3, 3, 3, 3, 3, 4, 4, 4, 4, 4].map((r, i) => ({
      officeKey: `l${i}`,
      kind: "LANDKREIS",
      sizeClass: "medium" as const,
      ratings: { 1: r },
    }));
    const stadt = (r: number) => ({
      officeKey: "stadt",
      kind: "KREISFREIE_STADT",
      sizeClass: "small" as const,
      ratings: { 1: r },
    });
    expect(figures([...landkreise, stadt(1)], 5)).toMatchObject({
      network: { median: 3 },
      "kind:KREISFREIE_STADT": "too_few",
      "kind:LANDKREIS": "differencing",
    });
    const stadtMoves = figures([...landkreise, stadt(5)], 5);
    expect(stadtMoves.network).toMatchObject({ median: 4 });
    const landkreisMoves = figures([{ ...landkreise[0], ratings: { 1: 5 } }, ...landkreise.slice(1), stadt(3)], 5);
    expect(landkreisMoves).toEqual(stadtMoves);
  });

  it("shows the same figure for the network and a kind when they are the same offices", () => {
    const cohort = many(6, "LANDKREIS", "unknown", (i) => 1 + (i % 5));
    const f = figures(cohort, 5);
    expect(f["kind:LANDKREIS"]).toEqual(f.network);
    expect(f["size:medium"]).toBe("too_few");
  });

  it("decides the trend per round, each with its own k", () => {
    const rich = many(6, "LANDKREIS", "medium", (i) => 1 + (i % 5));
    const poor = many(4, "LANDKREIS", "medium", () => 2);
    const trend = networkTrend(
      [
        { id: "2025", cohort: rich, k: 5 },
        { id: "2026", cohort: poor, k: 5 },
        { id: "2027", cohort: poor, k: 3 },
      ],
      1,
    );
    expect(
      trend.map((t) => [
        t.id,
        t.figure.shown ? (t.figure as ShownFigure).median : (t.figure as Figure & { reason: string }).reason,
      ]),
    ).toEqual([
      ["2025", 2.5],
      ["2026", "too_few"],
      ["2027", 2],
    ]);
  });
});

describe("threshold, peer groups and input checks", () => {
  it("never applies a k below 3, and 5 when none is set", () => {
    expect([clampK(1), clampK(3), clampK(4.2), clampK(7), clampK(null), clampK(undefined), clampK(Number.NaN)]).toEqual([
      3, 3, 5, 7, 5, 5, 5,
    ]);
    const cohort = many(3, "LANDKREIS", "medium", () => 2);
    expect(createComparison(cohort, 2).figure(1, { kind: null, size: null })).toMatchObject({ shown: true, n: 3 });
    expect(createComparison(cohort.slice(1), 2).figure(1, { kind: null, size: null })).toMatchObject({
      shown: false,
      reason: "too_few",
    });
  });

  it("classifies offices by clients served and kind", () => {
    expect([0, 9_999, 10_000, 30_000, 30_001, 250_000].map(sizeClassOf)).toEqual([
      "small",
      "small",
      "medium",
      "medium",
      "large",
      "large",
    ]);
    expect([null, undefined].map(sizeClassOf)).toEqual(["unknown", "unknown"]);
    expect(SIZE_CLASS_LOWER_BOUNDS).toEqual([10_000, 30_001]);
    expect([0, 1, 2, null].map(sizeClassOfBucket)).toEqual(["small", "medium", "large", "unknown"]);
    expect(() => sizeClassOfBucket(3)).toThrow(RangeError);
    expect(["KREISFREIE_STADT", "LANDKREIS", "OTHER"].map(peerKindOf)).toEqual(["KREISFREIE_STADT", "LANDKREIS", "other"]);
  });

  it("has one group per peer group and no group of unknown size", () => {
    expect(LATTICE.map((g) => g.id)).toEqual([
      "network",
      "kind:KREISFREIE_STADT",
      "kind:LANDKREIS",
      "kind:other",
      "size:small",
      "size:medium",
      "size:large",
      ...["KREISFREIE_STADT", "LANDKREIS", "other"].flatMap((kind) =>
        ["small", "medium", "large"].map((size) => `kind:${kind}+size:${size}`),
      ),
    ]);
    expect(() => createComparison([], 5).figure(1, { kind: null, size: "unknown" as never })).toThrow(RangeError);
  });

  it("refuses ratings outside 1–5 and offices without their own key", () => {
    expect(() => createComparison([office("LANDKREIS", "small", 6)], 5)).toThrow(RangeError);
    expect(() => createComparison([office("LANDKREIS", "small", 2.5)], 5)).toThrow(RangeError);
    const twin = office("LANDKREIS", "small", 2);
    expect(() => createComparison([twin, { ...twin }], 5)).toThrow(RangeError);
  });
});

// ─── The knowing adversary (issue 19) ──────────────────────────────────────
//
// A viewer who sees some ratings individually – the ministry the offices that released
// their results, an office its own – reads a page (every group's figure of a goal) and
// tries every assignment of ratings to the offices they do not know. Whatever assignment
// gives exactly the same page is still possible. The rule is safe for this viewer when
// every unknown office that rated the goal keeps at least two possible ratings. The
// adversary is given more than a page shows: which offices rated the goal at all.

type Rule = (cohort: CohortEntry[], k: number, known: string[]) => ReturnType<typeof createComparison>;
/** The rule as it is: the viewer's knowledge is an input (rule 11). */
const knowingRule: Rule = (cohort, k, known) => createComparison(cohort, k, { known });
/** The rule before issue 19: the same figures for every viewer, known ratings included. */
const blindRule: Rule = (cohort, k) => createComparison(cohort, k);

const page = (comparison: ReturnType<typeof createComparison>) =>
  JSON.stringify(comparison.lattice(1).map(({ figure }) => publicFigure(figure)));

/** Per unknown office that rated goal 1: the ratings that are consistent with the page. */
function possibleRatings(rule: Rule, cohort: Office[], k: number, known: string[]) {
  const shown = page(rule(cohort, k, known));
  const unknown = cohort.filter((o) => !known.includes(o.officeKey) && o.ratings[1] !== null);
  const possible = unknown.map(() => new Set<number>());
  const values = unknown.map(() => 1);
  const candidate = cohort.map((o) => ({ ...o, ratings: { ...o.ratings } }));
  const slots = unknown.map((o) => candidate.find((c) => c.officeKey === o.officeKey)!);
  for (;;) {
    slots.forEach((slot, i) => (slot.ratings[1] = values[i]));
    if (page(rule(candidate, k, known)) === shown) values.forEach((v, i) => possible[i].add(v));
    let i = 0;
    while (i < values.length && values[i] === 5) values[i++] = 1;
    if (i === values.length) break;
    values[i]++;
  }
  return unknown.map((o, i) => ({ office: o.officeKey, possible: [...possible[i]].sort() }));
}

const smallOfficeArb = fc.record({
  kind: fc.constantFrom("KREISFREIE_STADT", "LANDKREIS", "OTHER"),
  sizeClass: fc.constantFrom("small" as const, "medium" as const, "unknown" as const),
  rating: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null, freq: 6 }),
});
const toOffices = (drawn: Array<{ kind: string; sizeClass: Office["sizeClass"]; rating: number | null }>, prefix: string) =>
  drawn.map((o, i): Office => ({ officeKey: `${prefix}-${i}`, kind: o.kind, sizeClass: o.sizeClass, ratings: { 1: o.rating } }));

/** The ministry: 0–12 offices released their results (known), 0–6 kept them (unknown). */
const ministryArb = fc
  .record({
    released: fc.array(smallOfficeArb, { maxLength: 12 }),
    kept: fc.array(smallOfficeArb, { maxLength: 6 }),
    k: fc.integer({ min: 3, max: 5 }),
  })
  .map(({ released, kept, k }) => {
    const known = toOffices(released, "released");
    return { cohort: [...known, ...toOffices(kept, "kept")], known: known.map((o) => o.officeKey), k };
  });
/** An office: its own rating known, 0–6 other offices unknown. */
const officeViewerArb = fc
  .record({ own: smallOfficeArb, others: fc.array(smallOfficeArb, { maxLength: 6 }), k: fc.integer({ min: 3, max: 5 }) })
  .map(({ own, others, k }) => ({ cohort: [...toOffices([own], "own"), ...toOffices(others, "other")], known: ["own-0"], k }));

const nothingPinned = (rule: Rule) => (scenario: { cohort: Office[]; known: string[]; k: number }) =>
  possibleRatings(rule, scenario.cohort, scenario.k, scenario.known).every(({ possible }) => possible.length >= 2);

describe("anonymity rule: an adversary who knows some ratings tries every assignment of the others", () => {
  const ADVERSARY_RUNS = { numRuns: 100 };
  // Up to 5^6 assignments per case: seconds alone, more on a busy CI machine.
  const SLOW = 120_000;

  it(
    "the ministry, knowing every released office's ratings, cannot pin the rating of an office that kept its results",
    () => {
      fc.assert(fc.property(ministryArb, nothingPinned(knowingRule)), ADVERSARY_RUNS);
    },
    SLOW,
  );

  it(
    "an office, knowing its own rating, cannot pin another office's rating",
    () => {
      fc.assert(fc.property(officeViewerArb, nothingPinned(knowingRule)), ADVERSARY_RUNS);
    },
    SLOW,
  );

  it(
    "figures for a viewer rest on at least k offices the viewer does not know, quartiles on at least 5",
    () => {
      fc.assert(
        fc.property(ministryArb, ({ cohort, known, k }) => {
          const unknownRaters = cohort.filter((o) => !known.includes(o.officeKey) && o.ratings[1] !== null);
          for (const { group, figure } of knowingRule(cohort, k, known).lattice(1)) {
            if (!figure.shown) continue;
            const behind = members(unknownRaters, group).length;
            expect(figure.n).toBe(behind);
            expect(behind).toBeGreaterThanOrEqual(k);
            if (figure.q1 !== null) expect(behind).toBeGreaterThanOrEqual(5);
          }
        }),
        ADVERSARY_RUNS,
      );
    },
    SLOW,
  );

  it(
    "the rule without the viewer's knowledge (before issue 19) fails the same adversary, for the ministry and for an office",
    () => {
      // Found by the same property: the old rule lets a known rating be subtracted.
      expect(fc.check(fc.property(ministryArb, nothingPinned(blindRule)), ADVERSARY_RUNS).failed).toBe(true);
      expect(fc.check(fc.property(officeViewerArb, nothingPinned(blindRule)), { numRuns: 1000 }).failed).toBe(true);
      // The example: 5 ratings, 4 of them released (1, 3, 3, 5) – Q1, median and Q3
      // are the 2nd–4th sorted values, and each possible fifth rating gives other ones.
      const cohort = [...many(4, "LANDKREIS", "small", (i) => [1, 3, 3, 5][i]), office("LANDKREIS", "small", 2)].map((o, i) => ({
        ...o,
        officeKey: `o${i}`,
      }));
      const known = ["o0", "o1", "o2", "o3"];
      expect(possibleRatings(blindRule, cohort, 5, known)).toEqual([{ office: "o4", possible: [2] }]);
      expect(possibleRatings(knowingRule, cohort, 5, known)).toEqual([{ office: "o4", possible: [1, 2, 3, 4, 5] }]);
    },
    SLOW,
  );
});
