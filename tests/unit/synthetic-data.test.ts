import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_OPTIONS,
  type Framework,
  generate,
  parseOptions,
  planOffices,
  prng,
  sizeClassShares,
  type SyntheticOptions,
  type Table,
} from "../../scripts/synthetic-data";

// The RLP 2015 framework's shape: 12 goals, 56 measures spread over them.
const framework: Framework = {
  versionId: randomUUID(),
  goals: Array.from({ length: 12 }, (_, i) => ({ id: randomUUID(), number: i + 1 })),
  measures: Array.from({ length: 56 }, (_, i) => ({
    id: randomUUID(),
    goalNumber: (i % 12) + 1,
    result: `Ergebnis ${i}`,
    activities: Array.from({ length: (i % 6) + 1 }, (_, k) => `Schlüsselaktivität ${i}.${k}`),
  })),
};
const options: SyntheticOptions = { ...DEFAULT_OPTIONS, networks: 2, today: "2026-11-24" };

const table = (data: ReturnType<typeof generate>, name: string) => data.tables.find((t) => t.name === name)!;
const rows = (t: Table) =>
  Array.from({ length: t.length }, (_, i) => Object.fromEntries(Object.keys(t.columns).map((c) => [c, t.values[c][i]])));

describe("synthetic data", () => {
  const data = generate(options, framework, "hash");

  // Generates the whole data set twice more (a few seconds; more on a busy machine).
  it("is the same for the same seed and differs for another", { timeout: 30_000 }, () => {
    const again = generate(options, framework, "hash");
    expect(again.tables.map((t) => t.values)).toEqual(data.tables.map((t) => t.values));
    expect(again.closings).toEqual(data.closings);
    const other = generate({ ...options, seed: options.seed + 1 }, framework, "hash");
    expect(table(other, "goal_assessment").values.rating).not.toEqual(table(data, "goal_assessment").values.rating);
  });

  it("has the requested size: offices, people with one or two heads, every office in every round", () => {
    expect(table(data, "network").length).toBe(2);
    expect(table(data, "office").length).toBe(2 * 35);
    const offices = new Map<string, string[]>();
    for (const m of rows(table(data, "membership")))
      if (m.office_id) offices.set(m.office_id as string, [...(offices.get(m.office_id as string) ?? []), m.role as string]);
    expect(offices.size).toBe(2 * 35);
    for (const roles of offices.values()) {
      expect(roles).toHaveLength(20);
      expect(roles.filter((r) => r === "OFFICE_HEAD").length).toBeGreaterThanOrEqual(1);
      expect(roles.filter((r) => r === "OFFICE_HEAD").length).toBeLessThanOrEqual(2);
    }
    expect(table(data, "assessment_round").length).toBe(2 * 10);
    expect(table(data, "assessment").length).toBe(2 * 10 * 35);
    expect(new Set(table(data, "user_account").values.email).size).toBe(table(data, "user_account").length);
  });

  it("closes all rounds but the newest of each network, after their deadline", () => {
    const rounds = rows(table(data, "assessment_round"));
    expect(data.closings).toHaveLength(2 * 9);
    const closing = new Map(data.closings.map((c) => [c.roundId, c.closedAt]));
    for (const network of new Set(rounds.map((r) => r.network_id))) {
      const own = rounds
        .filter((r) => r.network_id === network)
        .sort((a, b) => (a.opens_at as Date).getTime() - (b.opens_at as Date).getTime());
      expect(new Set(own.map((r) => r.name)).size).toBe(10);
      expect(closing.has(own.at(-1)!.id as string)).toBe(false);
      for (const r of own.slice(0, -1))
        expect(closing.get(r.id as string)!.getTime()).toBeGreaterThan((r.deadline as Date).getTime());
      // The open round has opened and runs until after the day of the run.
      expect((own.at(-1)!.opens_at as Date).getTime()).toBeLessThan(Date.parse("2026-11-24"));
      expect((own.at(-1)!.deadline as Date).getTime()).toBeGreaterThan(Date.parse("2026-11-25"));
    }
  });

  it("submits about 85 % in closed rounds, complete: all goals rated 1–5 or not assessed, all measures graded", () => {
    const closed = new Set(data.closings.map((c) => c.roundId));
    const assessments = rows(table(data, "assessment")).filter((a) => closed.has(a.round_id as string));
    const submitted = assessments.filter((a) => a.submitted_at);
    expect(submitted.length / assessments.length).toBeGreaterThan(0.8);
    expect(submitted.length / assessments.length).toBeLessThan(0.9);
    for (const a of submitted) {
      expect(a).toMatchObject({ goals_done: 12, measures_done: 56 });
      expect(a.submitted_by_id).toBeTruthy();
    }
    const goals = rows(table(data, "goal_assessment"));
    const perAssessment = new Map<string, number>();
    for (const g of goals) {
      perAssessment.set(g.assessment_id as string, (perAssessment.get(g.assessment_id as string) ?? 0) + 1);
      if (g.not_assessed) expect(g.rating).toBeNull();
      else expect([1, 2, 3, 4, 5]).toContain(g.rating);
    }
    for (const a of submitted) expect(perAssessment.get(a.id as string)).toBe(12);
    expect(new Set(goals.map((g) => g.rating))).toEqual(new Set([null, 1, 2, 3, 4, 5]));
    expect(table(data, "measure_assessment").length).toBeGreaterThanOrEqual(submitted.length * 56);
    expect(table(data, "individual_rating").length).toBeGreaterThan(0);
  });

  it("spreads offices over kinds and every size class of the comparison", () => {
    const offices = Array.from({ length: 16 }, (_, i) => planOffices(prng(i), 35)).flat();
    const kinds = new Map<string, number>();
    for (const o of offices) kinds.set(o.kind, (kinds.get(o.kind) ?? 0) + 1);
    expect(kinds.get("KREISFREIE_STADT")).toBe(16 * 9);
    expect(kinds.get("OTHER")).toBe(16 * 2);
    const sizes = sizeClassShares(offices.map((o) => o.clientsServed));
    for (const size of ["small", "medium", "large"] as const) expect(sizes[size]).toBeGreaterThan(offices.length * 0.1);
    for (const network of Array.from({ length: 16 }, (_, i) => planOffices(prng(i), 35)))
      expect(new Set(network.map((o) => o.slug)).size).toBe(35);
  });

  it("reads its options from the command line and refuses nonsense", () => {
    expect(parseOptions([], "2026-11-24")).toEqual({ options: { ...DEFAULT_OPTIONS, today: "2026-11-24" }, force: false });
    expect(parseOptions(["--networks", "2", "--force"], "2026-11-24")).toMatchObject({ options: { networks: 2 }, force: true });
    expect(() => parseOptions(["--networks", "17"])).toThrow(RangeError);
    expect(() => parseOptions(["--offices", "1.5"])).toThrow(RangeError);
    expect(() => parseOptions(["--today", "morgen"])).toThrow(RangeError);
  });

  it("gives most offices an open plan at Germany's volumes, office 1 the largest: 5–12 measures × 3–8 activities", () => {
    const offices = rows(table(data, "office"));
    const plans = rows(table(data, "plan"));
    expect(plans.length).toBeGreaterThan(offices.length * 0.75);
    expect(plans.length).toBeLessThan(offices.length);
    expect(new Set(plans.map((p) => p.office_id)).size).toBe(plans.length);
    expect(new Set(plans.map((p) => p.phase))).toEqual(
      new Set(["INITIIERUNG", "PLANUNG", "MOBILISIERUNG", "UMSETZUNG", "KONSOLIDIERUNG"]),
    );
    const measures = rows(table(data, "plan_measure"));
    const activities = rows(table(data, "plan_activity"));
    const perPlan = new Map<string, number>();
    for (const m of measures) perPlan.set(m.plan_id as string, (perPlan.get(m.plan_id as string) ?? 0) + 1);
    expect(Math.min(...perPlan.values())).toBeGreaterThanOrEqual(5);
    expect(Math.max(...perPlan.values())).toBe(12);
    const perMeasure = new Map<string, number>();
    for (const a of activities)
      perMeasure.set(a.plan_measure_id as string, (perMeasure.get(a.plan_measure_id as string) ?? 0) + 1);
    expect(perMeasure.size).toBe(measures.length);
    expect(Math.min(...perMeasure.values())).toBe(3);
    expect(Math.max(...perMeasure.values())).toBe(8);

    // The benchmark's office (office 1, whose head it signs in as): the largest plan, in the Umsetzungsphase.
    const membership = rows(table(data, "membership"));
    const users = rows(table(data, "user_account"));
    const benchUser = users.find((u) => (u.email as string).startsWith("syn.bw.01.01@"))!;
    const benchOffice = membership.find((m) => m.user_id === benchUser.id)!.office_id;
    const benchPlan = plans.find((p) => p.office_id === benchOffice)!;
    expect(benchPlan.phase).toBe("UMSETZUNG");
    expect(perPlan.get(benchPlan.id as string)).toBe(12);
    expect(activities.filter((a) => a.plan_id === benchPlan.id)).toHaveLength(96);

    // Priorities first: a plan started from a round takes that round's measures rated "hoch".
    const fromRound = plans.filter((p) => p.source_round_id);
    expect(fromRound.length).toBeGreaterThan(plans.length * 0.5);
    expect(measures.some((m) => m.origin === "priority")).toBe(true);
    // Activities from the catalogue's key activities, mixed statuses, some overdue, done ones dated.
    const keyActivities = new Set(framework.measures.flatMap((m) => m.activities ?? []));
    expect(activities.filter((a) => keyActivities.has(a.title as string)).length).toBeGreaterThan(activities.length * 0.4);
    expect(new Set(activities.map((a) => a.status))).toEqual(new Set(["NOT_STARTED", "IN_PROGRESS", "DONE"]));
    expect(activities.some((a) => a.status !== "DONE" && (a.ends_on as string) < options.today)).toBe(true);
    for (const a of activities) {
      expect(a.status === "DONE").toBe(a.done_at !== null);
      expect((a.starts_on as string) <= (a.ends_on as string)).toBe(true);
      expect((a.responsible_user_id === null) !== (a.responsible_name === null)).toBe(true);
    }
    expect(measures.some((m) => m.completed_at && m.consolidation_decision)).toBe(true);
    expect(table(data, "plan_activity_update").length).toBeGreaterThan(0);
    expect(table(data, "plan_phase_task").length).toBeGreaterThan(0);
  });
});
