/**
 * The stored measure-achievement figures (issue 21, item 8) and the ministry's plan figures
 * (item 9) against the database: computed as abh_stats, stored as aggregates per audience,
 * read under row-level security, suppressed below k, the viewer's own office left out.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, createSession, requireActor } from "~/platform/auth/auth.server";
import { audienceOf, computeAchievementFigures, measureAchievement, planMonitoring } from "~/domains/plan/achievement.server";
import { useTestDatabase } from "../../support/database";

const DAY = 86_400_000;
const HIDDEN = { shown: false, message: "comparison:suppressed" };

describe("measure achievement: stored figures", () => {
  const db = useTestDatabase();
  const ids = {} as {
    network: string;
    offices: string[];
    measure: string;
    rareMeasure: string;
    goalNumber: number;
    heads: string[];
    admin: string;
    outsider: string;
  };
  let head0: Actor;
  let admin: Actor;
  let outsider: Actor;

  async function actorFor(userId: string) {
    const cookie = (await createSession(userId, { twoFactorVerified: true })).split(";")[0];
    return requireActor(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  }
  async function asUser<T>(
    userId: string,
    work: (q: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>,
  ) {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      return await work((sql, params) => client.query(sql, params));
    } finally {
      await client.query("ROLLBACK");
      await client.end();
    }
  }

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const [measure, rare] = await p.measure.findMany({
      where: { frameworkVersionId: version.id },
      orderBy: { code: "asc" },
      take: 2,
      include: { workField: { include: { goal: true } } },
    });
    const net = await p.network.create({
      data: { slug: "wirkung", name: "Netz Wirkung", state: "RP", frameworkVersionId: version.id, anonymityThreshold: 3 },
    });
    const other = await p.network.create({
      data: { slug: "anders", name: "Anderes Netz", state: "HE", frameworkVersionId: version.id },
    });
    const offices: string[] = [];
    for (let i = 0; i < 6; i++)
      offices.push(
        (await p.office.create({ data: { networkId: net.id, slug: `o${i}`, name: `ABH ${i}`, kind: "LANDKREIS" } })).id,
      );
    const foreign = await p.office.create({ data: { networkId: other.id, slug: "f", name: "ABH Fremd", kind: "LANDKREIS" } });
    const user = async (email: string, networkId: string, role: "OFFICE_HEAD" | "NETWORK_ADMIN", officeId: string | null) => {
      const u = await p.user.create({
        data: { email, name: email, passwordHash: "x", totpEnabledAt: role === "NETWORK_ADMIN" ? new Date() : null },
      });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      return u.id;
    };
    const heads: string[] = [];
    for (const [i, officeId] of offices.entries())
      heads.push(await user(`leitung${i}@wirkung.example`, net.id, "OFFICE_HEAD", officeId));
    const adminId = await user("admin@wirkung.example", net.id, "NETWORK_ADMIN", null);
    const outsiderId = await user("leitung@anders.example", other.id, "OFFICE_HEAD", foreign.id);

    // Two closed rounds; the measure's goal rated before (round 1) and after completion (round 2).
    const goalNumber = measure.workField.goal.number;
    const before = [2, 2, 3, 1, 3, 4];
    const after = [3, 4, 3, 3, 3, 4];
    const rounds = [];
    for (const [r, submittedAt] of [new Date(Date.now() - 100 * DAY), new Date(Date.now() - 10 * DAY)].entries()) {
      const round = await p.assessmentRound.create({
        data: {
          networkId: net.id,
          frameworkVersionId: version.id,
          name: `Runde ${r + 1}`,
          opensAt: new Date(submittedAt.getTime() - 20 * DAY),
          deadline: submittedAt,
          createdById: adminId,
        },
      });
      rounds.push(round);
      for (const [i, officeId] of offices.entries()) {
        await p.roundParticipant.create({ data: { roundId: round.id, officeId } });
        const a = await p.assessment.create({ data: { roundId: round.id, officeId, submittedAt, submittedById: heads[i] } });
        await p.goalAssessment.create({
          data: { assessmentId: a.id, goalId: measure.workField.goal.id, rating: (r === 0 ? before : after)[i] },
        });
      }
      // Closing freezes the cohort (the submitted assessments' ratings).
      await p.assessmentRound.update({ where: { id: round.id }, data: { closedAt: submittedAt } });
    }
    // Offices 0–4 completed the measure 50 days ago, office 5 has it in its plan only; the
    // rare measure is in two plans. Office 4 released its plan (the ministry knows it).
    const activities = [
      [2, 1],
      [1, 1],
      [3, 0],
      [4, 1],
      [2, 2],
      [0, 0],
    ];
    for (const [i, officeId] of offices.entries()) {
      const plan = await p.plan.create({
        data: {
          networkId: net.id,
          officeId,
          startedById: heads[i],
          sourceRoundId: rounds[0].id,
          releasedAt: i === 4 ? new Date() : null,
          releasedById: i === 4 ? heads[i] : null,
        },
      });
      const pm = await p.planMeasure.create({
        data: {
          planId: plan.id,
          officeId,
          measureId: measure.id,
          origin: "priority",
          addedById: heads[i],
          completedAt: i < 5 ? new Date(Date.now() - 50 * DAY) : null,
        },
      });
      if (i < 2)
        await p.planMeasure.create({
          data: { planId: plan.id, officeId, measureId: rare.id, origin: "catalogue", addedById: heads[i] },
        });
      const [total, done] = activities[i];
      for (let a = 0; a < total; a++)
        await p.planActivity.create({
          data: {
            planMeasureId: pm.id,
            planId: plan.id,
            officeId,
            title: `Schritt ${a}`,
            status: a < done ? "DONE" : "NOT_STARTED",
            createdById: heads[i],
          },
        });
    }
    Object.assign(ids, {
      network: net.id,
      offices,
      measure: measure.id,
      rareMeasure: rare.id,
      goalNumber,
      heads,
      admin: adminId,
      outsider: outsiderId,
    });
    [head0, admin, outsider] = await Promise.all([heads[0], adminId, outsiderId].map(actorFor));
  });

  it("shows nothing before the figures are computed", async () => {
    expect(await measureAchievement(head0, ids.network, ids.measure)).toBeNull();
    expect(await planMonitoring(admin, ids.network)).toBeNull();
  });

  it("an office sees the other offices only; the ministry the offices that did not release their plan", async () => {
    expect(await computeAchievementFigures(ids.network)).toBe(true);
    // Office 0 without itself: planned by 1–5 (5), completed by 1–4 (4), changes +2, 0, +2, 0 → median 1.
    const forHead = (await measureAchievement(head0, ids.network, ids.measure))!;
    expect(forHead.audience).toBe("office");
    expect(forHead.achievement).toEqual({
      planned: { shown: true, n: 5 },
      completed: { shown: true, n: 4 },
      change: { shown: true, n: 4, median: 1 },
    });
    // The ministry without office 4 (released): planned by 0–3 and 5, changes +1, +2, 0, +2 → 1.5.
    const forAdmin = (await measureAchievement(admin, ids.network, ids.measure))!;
    expect(forAdmin.audience).toBe("ministry");
    expect(forAdmin.achievement).toEqual({
      planned: { shown: true, n: 5 },
      completed: { shown: true, n: 4 },
      change: { shown: true, n: 4, median: 1.5 },
    });
    // Two offices planned the rare measure: fewer than k = 3, hidden for everyone.
    expect((await measureAchievement(admin, ids.network, ids.rareMeasure))!.achievement).toEqual({
      planned: HIDDEN,
      completed: HIDDEN,
      change: HIDDEN,
    });
    // Ministry plan figures: 5 unknown offices with a plan; shares done of 0–3 (office 5 has no
    // activity): 0.5, 1, 0, 0.25 → 0.375. The rare measure is not among the most planned.
    const monitoring = (await planMonitoring(admin, ids.network))!;
    expect(monitoring.plans).toEqual({ shown: true, n: 5 });
    expect(monitoring.doneShare).toEqual({ shown: true, n: 4, median: 0.375 });
    expect(monitoring.mostPlanned.map((m) => [m.measureId, m.planned])).toEqual([[ids.measure, 5]]);
    expect(monitoring.knownOffices).toBe(1);
    // An office member gets no ministry figures.
    expect(await planMonitoring(head0, ids.network)).toBeNull();
  });

  it("a withdrawn plan release keeps the office known to the ministry", async () => {
    await db.prisma.plan.updateMany({ where: { officeId: ids.offices[4] }, data: { releasedAt: null, releasedById: null } });
    await computeAchievementFigures(ids.network);
    expect((await measureAchievement(admin, ids.network, ids.measure))!.achievement.change).toEqual({
      shown: true,
      n: 4,
      median: 1.5,
    });
  });

  it("stores aggregates only, each set readable only by its audience", async () => {
    const read = (userId: string) =>
      asUser(userId, async (q) => (await q("SELECT audience, office_id FROM achievement_figure_set ORDER BY audience")).rows);
    expect(await read(ids.heads[0])).toEqual([{ audience: "office", office_id: ids.offices[0] }]);
    expect(await read(ids.admin)).toEqual([{ audience: "ministry", office_id: null }]);
    expect(await read(ids.outsider)).toEqual([]);
    expect(await asUser(ids.outsider, async (q) => (await q("SELECT * FROM achievement_figure")).rows)).toEqual([]);
    expect(await measureAchievement(outsider, ids.network, ids.measure)).toBeNull();
    // The portal's role cannot read plans or ratings through the stats functions.
    await expect(asUser(ids.heads[0], (q) => q("SELECT * FROM stats_achievement_measures($1)", [ids.network]))).rejects.toThrow(
      /permission denied/,
    );
  });

  it("hides every figure when k rises above the offices behind it", async () => {
    await db.prisma.network.update({ where: { id: ids.network }, data: { anonymityThreshold: 6 } });
    await computeAchievementFigures(ids.network);
    expect((await measureAchievement(head0, ids.network, ids.measure))!.achievement).toEqual({
      planned: HIDDEN,
      completed: HIDDEN,
      change: HIDDEN,
    });
    const stored = await db.prisma.achievementFigure.findMany({ where: { measureId: ids.measure } });
    expect(stored.every((f) => f.plannedN === null && f.changeN === null && f.changeMedian === null)).toBe(true);
    await db.prisma.network.update({ where: { id: ids.network }, data: { anonymityThreshold: 3 } });
  });

  it("chooses an audience only where its known set covers what the person sees", () => {
    const m = (networkId: string, officeId: string | null, role: string) => ({ networkId, officeId, role }) as never;
    expect(audienceOf({ memberships: [m("n", "o", "OFFICE_STAFF")] }, "n")).toEqual({ audience: "office", officeId: "o" });
    expect(audienceOf({ memberships: [m("n", null, "NETWORK_ADMIN")] }, "n")).toEqual({ audience: "ministry" });
    expect(audienceOf({ memberships: [m("n", null, "CONSULTANT")] }, "n")).toBeNull();
    expect(audienceOf({ memberships: [m("n", "o", "OFFICE_HEAD"), m("n", "p", "OFFICE_STAFF")] }, "n")).toBeNull();
    expect(audienceOf({ memberships: [m("n", "o", "OFFICE_HEAD"), m("n", null, "NETWORK_ADMIN")] }, "n")).toBeNull();
    expect(audienceOf({ memberships: [m("x", "o", "OFFICE_HEAD")] }, "n")).toBeNull();
  });
});
