/**
 * The comparison's data path against a real database: the cohort frozen when a round
 * closes, the figures computed from it per audience by abh_stats (the viewer's knowledge
 * left out), stored as aggregates under row-level security, and getComparison on top.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, createSession, requireActor } from "~/platform/auth/auth.server";
import { SIZE_CLASS_LOWER_BOUNDS } from "~/domains/comparison/anonymity";
import { getComparison } from "~/domains/comparison/comparison.server";
import { ForbiddenError } from "~/platform/errors";
import { closeStatsPool } from "~/domains/comparison/round-figures.server";
import { closeRound } from "~/domains/assessment/rounds.server";
import { useTestDatabase } from "../../support/database";

const DAY = 24 * 60 * 60 * 1000;
// Six Landkreise; clients served chosen to hit every size class bound (and "unknown").
const OFFICES = [
  { slug: "lk-eins-q7", name: "ABH Landkreis Eins", clientsServed: 15_000 },
  { slug: "lk-zwei-q7", name: "ABH Landkreis Zwei", clientsServed: 9_999 },
  { slug: "lk-drei-q7", name: "ABH Landkreis Drei", clientsServed: 10_000 },
  { slug: "lk-vier-q7", name: "ABH Landkreis Vier", clientsServed: 30_000 },
  { slug: "lk-fuenf-q7", name: "ABH Landkreis Fünf", clientsServed: 30_001 },
  { slug: "lk-sechs-q7", name: "ABH Landkreis Sechs", clientsServed: null },
];

describe("comparison: cohort, anonymity and freezing against the database", () => {
  const db = useTestDatabase();
  const ids = { offices: [] as string[], assessments: [] as string[], goals: new Map<number, string>() } as {
    network: string;
    version: string;
    round: string;
    offices: string[];
    assessments: string[];
    goals: Map<number, string>;
    foreignOffice: string;
    head: string;
    admin: string;
    member: string;
    outsider: string;
  };
  let head: Actor;
  let admin: Actor;
  let member: Actor;
  let outsider: Actor;

  async function actorFor(userId: string) {
    const cookie = (await createSession(userId, { twoFactorVerified: true })).split(";")[0];
    return requireActor(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  }

  /** Runs SQL as the portal's role abh_app for a user, in a transaction that is rolled back. */
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

  /** The consensus rating of an office (by index) for a goal, as the office would save it. */
  async function rate(office: number, goal: number, rating: number | null, assessments = ids.assessments) {
    const key = { assessmentId: assessments[office], goalId: ids.goals.get(goal)! };
    await db.prisma.goalAssessment.upsert({
      where: { assessmentId_goalId: key },
      create: { ...key, rating, notAssessed: rating === null },
      update: { rating, notAssessed: rating === null },
    });
  }
  const submit = (office: number, assessments = ids.assessments) =>
    db.prisma.assessment.update({
      where: { id: assessments[office] },
      data: { submittedAt: new Date(), submittedById: ids.head },
    });
  const network = (c: NonNullable<Awaited<ReturnType<typeof getComparison>>>, goal: number) =>
    c.goals.find((g) => g.number === goal)!.groups.find((g) => g.group.id === "network")!.figure;

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    for (const g of await p.goal.findMany({ where: { frameworkVersionId: version.id } })) ids.goals.set(g.number, g.id);
    const net = await p.network.create({
      data: { slug: "vergleich", name: "Netz Vergleich", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "fremd", name: "Fremdes Netz", state: "HE", frameworkVersionId: version.id },
    });
    for (const o of OFFICES)
      ids.offices.push((await p.office.create({ data: { networkId: net.id, kind: "LANDKREIS", ...o } })).id);
    ids.foreignOffice = (
      await p.office.create({ data: { networkId: other.id, slug: "fremd", name: "ABH Fremdstadt", kind: "KREISFREIE_STADT" } })
    ).id;

    const user = async (
      email: string,
      networkId: string,
      role: "OFFICE_HEAD" | "NETWORK_ADMIN" | "NETWORK_MEMBER",
      officeId: string | null = null,
    ) => {
      const u = await p.user.create({
        data: {
          email,
          name: email.split("@")[0],
          passwordHash: "x",
          totpEnabledAt: role === "NETWORK_ADMIN" ? new Date() : null,
        },
      });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      return u.id;
    };
    ids.head = await user("leitung-eins@vergleich.example", net.id, "OFFICE_HEAD", ids.offices[0]);
    ids.admin = await user("admin@vergleich.example", net.id, "NETWORK_ADMIN");
    ids.member = await user("mitglied@vergleich.example", net.id, "NETWORK_MEMBER");
    ids.outsider = await user("leitung@fremd.example", other.id, "OFFICE_HEAD", ids.foreignOffice);

    const round = await p.assessmentRound.create({
      data: {
        networkId: net.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(Date.now() - 30 * DAY),
        deadline: new Date(Date.now() + 30 * DAY),
        createdById: ids.admin,
      },
    });
    await p.roundParticipant.createMany({ data: ids.offices.map((officeId) => ({ roundId: round.id, officeId })) });
    for (const officeId of ids.offices)
      ids.assessments.push((await p.assessment.create({ data: { roundId: round.id, officeId } })).id);
    Object.assign(ids, { network: net.id, version: version.id, round: round.id });
    [head, admin, member, outsider] = await Promise.all([ids.head, ids.admin, ids.member, ids.outsider].map(actorFor));
  });

  it("keeps other offices' answers out of reach: an office head reads only its own goal_assessment rows", async () => {
    await rate(0, 1, 4);
    await rate(1, 1, 2);
    const rows = await asUser(ids.head, async (q) => (await q("SELECT assessment_id FROM goal_assessment")).rows);
    expect(rows).toEqual([{ assessment_id: ids.assessments[0] }]);
  });

  it("shows nothing for an open round: figures exist only once a round is closed", async () => {
    await rate(2, 1, 3);
    await rate(3, 1, 5);
    await rate(4, 1, 4);
    await rate(5, 1, 1);
    await rate(0, 2, 2);
    for (const i of [0, 1, 2, 3, 4]) await submit(i);
    const open = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(open.pending).toBe(false);
    expect(open.goals.every((g) => g.groups.every((x) => !x.figure.shown))).toBe(true);
    expect(open.goals.find((g) => g.number === 1)!.own).toBe(4);
    expect(await db.prisma.roundFigureSet.count()).toBe(0);
  });

  it("counts only offices the viewer does not know: an office never counts itself, the ministry never a released office", async () => {
    // Submitted: offices 0–4 rated goal 1 with 4, 2, 3, 5, 4; office 5 only drafted (a 1).
    expect(await closeRound(admin, ids.round)).toEqual({ ok: true, value: null });

    // Office 0 sees the other offices: 4 submitted ratings, fewer than k = 5 – hidden,
    // although 5 offices submitted (before issue 19 its own rating made up k).
    const forHead = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(forHead.audience).toBe("office");
    expect(forHead.pending).toBe(false);
    expect(forHead.k).toBe(5);
    expect(network(forHead, 1)).toEqual({ shown: false, message: "comparison:suppressed" });
    expect(forHead.goals.find((g) => g.number === 1)!.own).toBe(4);
    expect(forHead.ownInCohort).toBe(true);

    // The ministry, with no release: the 5 ratings 4, 2, 3, 5, 4 – the draft's 1 is not among them.
    const forAdmin = (await getComparison(admin, ids.offices[0], ids.round))!;
    expect(forAdmin.audience).toBe("ministry");
    expect(network(forAdmin, 1)).toEqual({ shown: true, n: 5, median: 4, q1: 3, q3: 4 });
    expect(network(forAdmin, 2)).toEqual({ shown: false, message: "comparison:suppressed" });
    expect(forAdmin.goals[0].groups.filter((g) => g.figure.shown).map((g) => g.group.id)).toEqual(["network", "kind:LANDKREIS"]);
    expect(forAdmin.goals.every((g) => g.own === null)).toBe(true);
    expect(forAdmin.ownInCohort).toBeNull();

    // Office 1 releases its results (and withdraws them again): the ministry has seen its
    // rating, so 4 unknown ratings are left – hidden, and the withdrawal does not bring it back.
    const share = await db.prisma.assessmentShare.create({ data: { assessmentId: ids.assessments[1], grantedById: ids.head } });
    expect(network((await getComparison(admin, ids.offices[0], ids.round))!, 1)).toEqual({
      shown: false,
      message: "comparison:suppressed",
    });
    await db.prisma.assessmentShare.update({ where: { id: share.id }, data: { withdrawnById: ids.head } });
    expect(network((await getComparison(admin, ids.offices[0], ids.round))!, 1)).toMatchObject({ shown: false });
  });

  it("stores aggregates only, each audience readable only by those it belongs to", async () => {
    const sets = await db.prisma.roundFigureSet.findMany({ where: { roundId: ids.round } });
    // One set per office of the network and one for the ministry.
    expect(
      sets
        .filter((s) => s.audience === "office")
        .map((s) => s.officeId)
        .sort(),
    ).toEqual([...ids.offices].sort());
    expect(sets.find((s) => s.audience === "ministry")).toMatchObject({ officeId: null, knownOffices: 1 });
    const columns = Object.keys((await db.prisma.roundFigure.findFirstOrThrow()) as object).sort();
    expect(columns).toEqual(["goalNumber", "groupId", "median", "n", "q1", "q3", "setId", "shown"]);

    const visible = (userId: string) =>
      asUser(userId, async (q) => (await q("SELECT audience, office_id FROM round_figure_set ORDER BY audience")).rows);
    expect(await visible(ids.head)).toEqual([{ audience: "office", office_id: ids.offices[0] }]);
    expect(await visible(ids.admin)).toEqual([{ audience: "ministry", office_id: null }]);
    expect(await visible(ids.member)).toEqual([]);
    expect(await visible(ids.outsider)).toEqual([]);
    const figuresSeen = (userId: string) =>
      asUser(userId, async (q) => (await q("SELECT count(DISTINCT set_id)::int AS sets FROM round_figure")).rows[0].sets);
    expect(await figuresSeen(ids.head)).toBe(1);
    expect(await figuresSeen(ids.outsider)).toBe(0);
  });

  it("gives the portal's role no way to another office's ratings: no cohort function, no stats function, no rows", async () => {
    await expect(
      asUser(ids.head, (q) => q("SELECT * FROM comparison_cohort($1::uuid, $2::int[])", [ids.round, SIZE_CLASS_LOWER_BOUNDS])),
    ).rejects.toThrow(/does not exist/);
    for (const call of ["stats_round_cohort($1::uuid)", "stats_round_info($1::uuid)"])
      await expect(asUser(ids.admin, (q) => q(`SELECT * FROM ${call}`, [ids.round]))).rejects.toThrow(/permission denied/);
    await expect(asUser(ids.admin, (q) => q("SELECT * FROM stats_closed_round_ids()"))).rejects.toThrow(/permission denied/);
    // The frozen copy: each office its own rows only; the admin none.
    const own = await asUser(ids.head, async (q) => (await q("SELECT DISTINCT assessment_id FROM round_cohort_rating")).rows);
    expect(own).toEqual([{ assessment_id: ids.assessments[0] }]);
    expect(await asUser(ids.admin, async (q) => (await q("SELECT * FROM round_cohort_rating")).rows)).toEqual([]);
    // Nobody in the portal writes figures.
    await expect(asUser(ids.admin, (q) => q("DELETE FROM round_figure_set"))).rejects.toThrow(/permission denied/);
    await expect(
      asUser(ids.head, (q) =>
        q("INSERT INTO round_figure_set (round_id, audience, office_id, known_offices) VALUES ($1, 'office', $2, 0)", [
          ids.round,
          ids.offices[0],
        ]),
      ),
    ).rejects.toThrow(/permission denied/);
  });

  it("gives an office of another network nothing, and refuses network members who may not view the office", async () => {
    expect(await getComparison(outsider, ids.offices[0], ids.round)).toBeNull();
    expect(await getComparison(head, ids.foreignOffice, ids.round)).toBeNull();
    await expect(getComparison(member, ids.offices[0], ids.round)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("never puts an office's name, slug or id into the comparison", async () => {
    const offices = await db.prisma.office.findMany({ where: { networkId: ids.network } });
    for (const actor of [head, admin]) {
      const json = JSON.stringify(await getComparison(actor, ids.offices[0], ids.round));
      for (const o of offices) for (const value of [o.name, o.slug, o.id]) expect(json).not.toContain(value);
      for (const id of ids.assessments) expect(json).not.toContain(id);
      expect(json).not.toMatch(/"reason"|"min"|"max"/);
    }
  });

  it("keeps a closed round's figures: reopening, changed ratings, profiles or k do not change them", async () => {
    const before = (await getComparison(head, ids.offices[0], ids.round))!;
    const frozen = await db.prisma.roundCohort.findUniqueOrThrow({
      where: { roundId: ids.round },
      include: { members: { include: { ratings: true } } },
    });
    expect(frozen.anonymityThreshold).toBe(5);
    expect(frozen.members).toHaveLength(5);
    expect(before.round.frozenAt).not.toBeNull();

    // Behind the application's back: reopen office 1 and resubmit with another rating,
    // let the draft office submit late, change the own answer, a profile and k.
    await db.prisma.assessment.update({ where: { id: ids.assessments[1] }, data: { submittedAt: null, submittedById: null } });
    await rate(1, 1, 5);
    await submit(1);
    await submit(5);
    await rate(0, 1, 1);
    await db.prisma.office.update({ where: { id: ids.offices[2] }, data: { kind: "KREISFREIE_STADT", clientsServed: 50_000 } });
    await db.prisma.network.update({ where: { id: ids.network }, data: { anonymityThreshold: 3 } });

    const later = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(later.k).toBe(5);
    expect(later.goals).toEqual(before.goals);
    expect(later.goals.find((g) => g.number === 1)!.own).toBe(4);
    // Nobody in the portal can touch the copy.
    await expect(asUser(ids.admin, (q) => q("UPDATE round_cohort_rating SET rating = 1"))).rejects.toThrow(/permission denied/);
    await expect(asUser(ids.admin, (q) => q("DELETE FROM round_cohort_member"))).rejects.toThrow(/permission denied/);
    // A second close does not refreeze.
    expect(await closeRound(admin, ids.round)).toMatchObject({ ok: false });
    expect(await db.prisma.roundCohortMember.count({ where: { roundId: ids.round } })).toBe(5);
  });

  it("shows the trend of the other offices' figure over the closed rounds, each with its own k", async () => {
    const p = db.prisma;
    const next = await p.assessmentRound.create({
      data: {
        networkId: ids.network,
        frameworkVersionId: ids.version,
        name: "2027",
        opensAt: new Date(Date.now() - DAY),
        deadline: new Date(Date.now() + 60 * DAY),
        createdById: ids.admin,
      },
    });
    await p.roundParticipant.createMany({ data: ids.offices.map((officeId) => ({ roundId: next.id, officeId })) });
    const assessments: string[] = [];
    for (const officeId of ids.offices)
      assessments.push((await p.assessment.create({ data: { roundId: next.id, officeId } })).id);
    // k is 3 now (changed above); four offices submit goal 1: the own 2 and the others' 3, 3, 4.
    for (const [i, r] of [
      [0, 2],
      [1, 3],
      [2, 3],
      [3, 4],
    ] as const) {
      await rate(i, 1, r, assessments);
      await submit(i, assessments);
    }
    expect(await closeRound(admin, next.id)).toEqual({ ok: true, value: null });
    const c = (await getComparison(head, ids.offices[0], next.id))!;
    expect(c.k).toBe(3);
    expect(c.goals.find((g) => g.number === 1)!.trend).toEqual([
      { roundId: ids.round, name: "2026", figure: { shown: false, message: "comparison:suppressed" } },
      { roundId: next.id, name: "2027", figure: { shown: true, n: 3, median: 3, q1: null, q3: null } },
    ]);
    // Office 2 was a kreisfreie Stadt at closing: alone in its kind, hidden.
    expect(c.goals.find((g) => g.number === 1)!.groups.find((g) => g.group.id === "kind:KREISFREIE_STADT")!.figure).toEqual({
      shown: false,
      message: "comparison:suppressed",
    });
  });

  it("says the figures are being computed when they cannot be computed, and shows nothing else", async () => {
    await db.prisma.roundFigureSet.deleteMany({});
    const url = process.env.STATS_DATABASE_URL;
    await closeStatsPool();
    delete process.env.STATS_DATABASE_URL;
    try {
      const c = (await getComparison(head, ids.offices[0], ids.round))!;
      expect(c.pending).toBe(true);
      expect(c.goals.every((g) => g.groups.every((x) => !x.figure.shown))).toBe(true);
    } finally {
      process.env.STATS_DATABASE_URL = url;
    }
    // On demand, once the stats role is there again.
    expect((await getComparison(admin, ids.offices[0], ids.round))!.pending).toBe(false);
  });
});
