import { describe, expect, it } from "vitest";
import { getGoalRatingScale } from "~/domains/catalogue/framework.server";
import { readGoalLevelExamples } from "../../prisma/seed/goal-level-examples";
import { DEMO_PHASE_TASKS, demoPlanPhases, PLAN_PHASES } from "../../prisma/seed/demo-plans";
import { seed } from "../../prisma/seed/index";
import { useTestDatabase } from "../support/database";

describe("seeding", () => {
  const db = useTestDatabase();

  const snapshot = async () => ({
    versions: await db.prisma.frameworkVersion.findMany({ select: { id: true, slug: true, title: true } }),
    goals: await db.prisma.goal.findMany({ orderBy: { number: "asc" }, select: { id: true, number: true, title: true } }),
    designAreas: await db.prisma.designArea.count(),
    workFields: await db.prisma.workField.count(),
    measures: await db.prisma.measure.findMany({
      orderBy: { position: "asc" },
      select: { id: true, code: true, activities: true },
    }),
    relations: await db.prisma.measureRelation.count(),
    aidLinks: await db.prisma.measureWorkingAid.count(),
    levels: await db.prisma.ratingLevel.count(),
    levelExamples: await db.prisma.goalLevelExample.findMany({
      orderBy: [{ goal: { number: "asc" } }, { level: "asc" }],
      select: { goalId: true, level: true, example: true },
    }),
    networks: await db.prisma.network.count(),
    offices: await db.prisma.office.count(),
  });

  it("stores the whole catalogue as the version 'Orientierungsrahmen Rheinland-Pfalz 2015'", async () => {
    const s = await snapshot();
    expect(s.versions.map((v) => v.title)).toEqual(["Orientierungsrahmen Rheinland-Pfalz 2015"]);
    expect(s.goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(s.designAreas).toBe(6);
    expect(s.workFields).toBe(18);
    expect(s.measures).toHaveLength(56);
    expect(s.measures[0].code).toBe("1.1");
    expect(s.measures.at(-1)!.code).toBe("12.1");
    expect(s.relations).toBeGreaterThan(0);
    expect(s.levels).toBe(5);
    expect(s.levelExamples).toHaveLength(60);
    const goal1 = await db.prisma.goal.findFirstOrThrow({ where: { number: 1 } });
    expect(goal1.alternativeWording).toMatch(/bleibberechtigten/);
  });

  it("is idempotent: seeding again changes no row and creates none", async () => {
    const before = await snapshot();
    await seed(db.prisma, { demo: false });
    await seed(db.prisma, { demo: false });
    expect(await snapshot()).toEqual(before);
  });

  it("stores one practical example per goal and level, and re-seeding restores an edited one from the data file", async () => {
    const data = (await readGoalLevelExamples("orientierungsrahmen-rlp-2015"))!;
    const goal4 = await db.prisma.goal.findFirstOrThrow({ where: { number: 4 } });
    const stored = await db.prisma.goalLevelExample.findMany({ where: { goalId: goal4.id }, orderBy: { level: "asc" } });
    expect(stored.map((e) => e.example)).toEqual(Object.values(data.goals.find((g) => g.number === 4)!.levels));

    await db.prisma.goalLevelExample.update({
      where: { goalId_level: { goalId: goal4.id, level: 3 } },
      data: { example: "überschrieben" },
    });
    await seed(db.prisma, { demo: false });
    const restored = await db.prisma.goalLevelExample.findUniqueOrThrow({
      where: { goalId_level: { goalId: goal4.id, level: 3 } },
    });
    expect(restored.example).toBe(data.goals.find((g) => g.number === 4)!.levels["3"]);
  });

  it("the portal's own role reads a goal's scale: generic wording and that goal's example for each level", async () => {
    const goal7 = await db.prisma.goal.findFirstOrThrow({ where: { number: 7 } });
    const scale = await getGoalRatingScale(goal7.id);
    expect(scale.map((l) => l.level)).toEqual([1, 2, 3, 4, 5]);
    expect(scale[2]).toMatchObject({ label: "Teilweise umgesetzt", example: expect.stringMatching(/Befragung/) });
    expect(scale.every((l) => l.description.length > 0 && l.example)).toBe(true);
    expect(await getGoalRatingScale("00000000-0000-4000-8000-000000000000")).toEqual([]);
  });

  it("adds the demo network with the 36 offices of Rheinland-Pfalz only when asked, once", async () => {
    await seed(db.prisma, { demo: false });
    expect(await db.prisma.network.count()).toBe(0);

    await seed(db.prisma, { demo: true });
    await seed(db.prisma, { demo: true });
    const networks = await db.prisma.network.findMany({ include: { offices: true } });
    expect(networks).toHaveLength(1);
    const [network] = networks;
    expect(network).toMatchObject({ name: "Rheinland-Pfalz (Demo)", isDemo: true, anonymityThreshold: 5 });
    expect(network.offices).toHaveLength(36);
    expect(network.offices.filter((o) => o.kind === "LANDKREIS")).toHaveLength(24);
    expect(network.offices.filter((o) => o.kind === "KREISFREIE_STADT")).toHaveLength(12);
    const names = network.offices.map((o) => o.name);
    expect(names).toContain("Ausländerbehörde Stadt Mainz");
    expect(names).toContain("Ausländerbehörde Landkreis Kaiserslautern");
    expect(names).toContain("Ausländerbehörde Stadt Kaiserslautern");
    expect(names).toContain("Ausländerbehörde Westerwaldkreis");
    expect(new Set(network.offices.map((o) => o.slug)).size).toBe(36);
    // Synthetic figures are plausible and clearly marked as demo (".invalid" addresses).
    for (const office of network.offices) {
      expect(office.clientsServed).toBeGreaterThan(0);
      expect(office.staffCount).toBeGreaterThanOrEqual(3);
      expect(office.email).toMatch(/\.demo\.invalid$/);
    }
  });

  it("gives most demo offices a plan, at every phase, from the catalogue's key activities – the demo office's in the Umsetzungsphase", async () => {
    await seed(db.prisma, { demo: true });
    const today = new Date();
    const network = await db.prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" }, include: { offices: true } });
    const plans = await db.prisma.plan.findMany({
      where: { networkId: network.id },
      include: {
        office: { include: { memberships: true } },
        measures: { include: { measure: true, activities: { include: { updates: true } }, milestones: true } },
        phaseTasks: true,
        reviews: true,
        strategy: true,
      },
    });
    // Most offices have one, some none; the phases vary, as demoPlanPhases decides (deterministic).
    expect(plans).toHaveLength(29);
    const phases = demoPlanPhases(network.offices.map((o) => o.slug));
    for (const plan of plans) expect(plan.phase).toBe(phases.get(plan.office.slug));
    expect(new Set(plans.map((p) => p.phase))).toEqual(new Set(PLAN_PHASES));

    const activities = plans.flatMap((p) => p.measures.flatMap((m) => m.activities.map((a) => ({ ...a, plan: p, measure: m }))));
    // Drawn from the catalogue: each activity of a catalogue measure is one of its key activities.
    for (const a of activities) if (a.measure.measure) expect(a.measure.measure.activities).toContain(a.title);
    expect(plans.flatMap((p) => p.measures).some((m) => m.origin === "own" && m.ownTitle)).toBe(true);
    // Responsible: a member of the office or a name, never both, never nobody.
    for (const a of activities) {
      expect((a.responsibleUserId === null) !== (a.responsibleName === null)).toBe(true);
      if (a.responsibleUserId) expect(a.plan.office.memberships.map((m) => m.userId)).toContain(a.responsibleUserId);
    }
    expect(activities.some((a) => a.responsibleName)).toBe(true);
    // Mixed statuses: done, in progress, not started, and some overdue.
    expect(new Set(activities.map((a) => a.status))).toEqual(new Set(["NOT_STARTED", "IN_PROGRESS", "DONE"]));
    const overdue = activities.filter((a) => a.status !== "DONE" && a.endsOn! < today);
    expect(overdue.length).toBeGreaterThan(0);
    for (const a of activities) expect(a.status === "DONE").toBe(a.doneAt !== null);
    expect(activities.filter((a) => a.status !== "NOT_STARTED").every((a) => a.updates.length > 0)).toBe(true);
    // Finished measures: every activity done; some with the consolidation check.
    const measures = plans.flatMap((p) => p.measures);
    const completed = measures.filter((m) => m.completedAt);
    expect(completed.length).toBeGreaterThan(0);
    for (const m of completed) expect(m.activities.every((a) => a.status === "DONE")).toBe(true);
    expect(completed.some((m) => m.consolidationDecision && m.consolidationSuccessful !== null)).toBe(true);
    expect(measures.some((m) => m.milestones.length > 0)).toBe(true);
    // The checklist: every task of the phases before the current one is ticked.
    for (const plan of plans) {
      const ticked = new Set(plan.phaseTasks.map((t) => t.taskKey));
      for (const phase of PLAN_PHASES.slice(0, PLAN_PHASES.indexOf(plan.phase)))
        for (const key of DEMO_PHASE_TASKS[phase]) expect(ticked).toContain(key);
    }
    expect(plans.filter((p) => p.phase === "UMSETZUNG").every((p) => p.reviews.length > 0)).toBe(true);
    expect(plans.filter((p) => p.strategy).length).toBeGreaterThan(1);
    // Two offices released their plan; the demo consultant advises two offices.
    expect(plans.filter((p) => p.releasedAt)).toHaveLength(2);
    const consultant = await db.prisma.user.findUniqueOrThrow({ where: { email: "beratung@rlp-demo.invalid" } });
    expect(await db.prisma.consultantAssignment.count({ where: { consultantId: consultant.id } })).toBe(2);

    // The demo office (where the demo head lands): Umsetzung, several activities, one of them the demo staff's and open.
    const koblenz = plans.find((p) => p.office.slug === "stadt-koblenz")!;
    expect(koblenz.phase).toBe("UMSETZUNG");
    expect(koblenz.releasedAt).not.toBeNull();
    const staff = await db.prisma.user.findUniqueOrThrow({ where: { email: "sachbearbeitung@rlp-demo.invalid" } });
    const head = await db.prisma.user.findUniqueOrThrow({ where: { email: "leitung@rlp-demo.invalid" } });
    expect(koblenz.startedById).toBe(head.id);
    const own = koblenz.measures.flatMap((m) => m.activities);
    expect(own.length).toBeGreaterThanOrEqual(10);
    expect(own.some((a) => a.responsibleUserId === staff.id && a.status === "IN_PROGRESS")).toBe(true);
    expect(new Set(own.map((a) => a.status)).size).toBeGreaterThan(1);

    // Seeding again adds nothing.
    const count = async () => [await db.prisma.plan.count(), await db.prisma.planActivity.count(), await db.prisma.user.count()];
    const before = await count();
    await seed(db.prisma, { demo: true });
    expect(await count()).toEqual(before);
  });
});
