/**
 * The comparison's data path against a real database: the aggregates-only SQL function,
 * the cohort frozen when a round closes, and getComparison on top of the anonymity rule.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, createSession, requireActor } from "~/auth/auth.server";
import { SIZE_CLASS_LOWER_BOUNDS, sizeClassOf } from "~/comparison/anonymity";
import { getComparison } from "~/models/comparison.server";
import { ForbiddenError } from "~/models/invitations.server";
import { closeRound } from "~/models/rounds.server";
import { useTestDatabase } from "../support/database";

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
  const cohortRows = (userId: string, roundId = ids.round) =>
    asUser(
      userId,
      async (q) => (await q("SELECT * FROM comparison_cohort($1::uuid, $2::int[])", [roundId, SIZE_CLASS_LOWER_BOUNDS])).rows,
    );

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

  it("hides the network figure with k − 1 submitted offices and shows it with k; drafts never count", async () => {
    // Goal 1: offices 0–3 submit, office 5 only drafts (with an extreme rating).
    await rate(2, 1, 3);
    await rate(3, 1, 5);
    await rate(5, 1, 1);
    await rate(0, 2, 2);
    for (const i of [0, 1, 2, 3]) await submit(i);

    const before = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(before.k).toBe(5);
    expect(network(before, 1)).toEqual({ shown: false, message: "comparison:suppressed" });
    expect(before.goals.find((g) => g.number === 1)!.own).toBe(4);
    expect(before.ownInCohort).toBe(true);

    await rate(4, 1, 4);
    await submit(4);
    const after = (await getComparison(head, ids.offices[0], ids.round))!;
    // Ratings 4, 2, 3, 5, 4 – the draft's 1 is not among them.
    expect(network(after, 1)).toEqual({ shown: true, n: 5, median: 4, q1: 3, q3: 4 });
    // Goal 2 has one rating only.
    expect(network(after, 2)).toEqual({ shown: false, message: "comparison:suppressed" });
    // Beside the network only the Landkreise (here the same offices); every size class has fewer than 5.
    expect(after.goals[0].groups.filter((g) => g.figure.shown).map((g) => g.group.id)).toEqual(["network", "kind:LANDKREIS"]);
  });

  it("hands the portal only anonymous rows: a fresh random key per call, kind, size class, goal, rating – submitted only", async () => {
    const first = await cohortRows(ids.head);
    expect(Object.keys(first[0]).sort()).toEqual(["goal_number", "office_key", "office_kind", "rating", "size_class"]);
    const keys = new Set(first.map((r) => r.office_key));
    expect(keys.size).toBe(5);
    const allIds = [...ids.offices, ...ids.assessments, ids.round, ids.network];
    expect(first.flatMap((r) => Object.values(r)).filter((v) => allIds.includes(v as string))).toEqual([]);
    const second = await cohortRows(ids.head);
    expect(second.filter((r) => keys.has(r.office_key))).toEqual([]);
    // The size classes agree with sizeClassOf for the five submitted offices (bounds passed in).
    const bySql = [...new Map(first.map((r) => [r.office_key, r.size_class])).values()].map((b) =>
      b === null ? "unknown" : ["small", "medium", "large"][b],
    );
    expect(bySql.sort()).toEqual(
      OFFICES.slice(0, 5)
        .map((o) => sizeClassOf(o.clientsServed))
        .sort(),
    );
    expect(
      first
        .filter((r) => r.goal_number === 1)
        .map((r) => r.rating)
        .sort(),
    ).toEqual([2, 3, 4, 4, 5]);
  });

  it("gives an office of another network nothing, and refuses network members who may not view the office", async () => {
    expect(await cohortRows(ids.outsider)).toEqual([]);
    expect(await getComparison(outsider, ids.offices[0], ids.round)).toBeNull();
    expect(await getComparison(head, ids.foreignOffice, ids.round)).toBeNull();
    await expect(getComparison(member, ids.offices[0], ids.round)).rejects.toBeInstanceOf(ForbiddenError);
    // The admin sees the figures but not the office's own answers (they are the office's).
    const forAdmin = (await getComparison(admin, ids.offices[0], ids.round))!;
    expect(network(forAdmin, 1)).toMatchObject({ shown: true, n: 5 });
    expect(forAdmin.goals.every((g) => g.own === null)).toBe(true);
    expect(forAdmin.ownInCohort).toBeNull();
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

  it("freezes the cohort when the round closes: reopening, changed ratings, profiles or k do not change the figures", async () => {
    const open = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(await closeRound(admin, ids.round)).toEqual({ ok: true, value: null });
    const frozen = await db.prisma.roundCohort.findUniqueOrThrow({
      where: { roundId: ids.round },
      include: { members: { include: { ratings: true } } },
    });
    expect(frozen.anonymityThreshold).toBe(5);
    expect(frozen.members).toHaveLength(5);
    const closed = (await getComparison(head, ids.offices[0], ids.round))!;
    expect(closed.goals).toEqual(open.goals);
    expect(closed.round.frozenAt).not.toBeNull();

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
    expect(later.goals).toEqual(open.goals);
    expect(later.goals.find((g) => g.number === 1)!.own).toBe(4);
    // Nobody in the portal can touch the copy.
    await expect(asUser(ids.admin, (q) => q("UPDATE round_cohort_rating SET rating = 1"))).rejects.toThrow(/permission denied/);
    await expect(asUser(ids.admin, (q) => q("DELETE FROM round_cohort_member"))).rejects.toThrow(/permission denied/);
    // A second close does not refreeze.
    expect(await closeRound(admin, ids.round)).toMatchObject({ ok: false });
    expect(await db.prisma.roundCohortMember.count({ where: { roundId: ids.round } })).toBe(5);
  });

  it("shows the trend of the network figure over the rounds, each round under the rule with its own k", async () => {
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
    // k is 3 now (changed above); three offices submit goal 1.
    for (const [i, r] of [
      [0, 2],
      [1, 3],
      [2, 3],
    ] as const) {
      await rate(i, 1, r, assessments);
      await submit(i, assessments);
    }
    const c = (await getComparison(head, ids.offices[0], next.id))!;
    expect(c.k).toBe(3);
    expect(c.goals.find((g) => g.number === 1)!.trend).toEqual([
      { roundId: ids.round, name: "2026", figure: { shown: true, n: 5, median: 4, q1: 3, q3: 4 } },
      { roundId: next.id, name: "2027", figure: { shown: true, n: 3, median: 3, q1: null, q3: null } },
    ]);
    // Office 2 is a kreisfreie Stadt now: the open round uses the current profile.
    expect(c.goals.find((g) => g.number === 1)!.groups.find((g) => g.group.id === "kind:KREISFREIE_STADT")!.figure).toEqual({
      shown: false,
      message: "comparison:suppressed",
    });
  });
});
