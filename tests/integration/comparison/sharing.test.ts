/**
 * Opt-in sharing: the ministry (a network admin) sees an office's individual results of a
 * round only while the office's head shares them – through HTTP and, underneath, in the
 * database as the portal's role abh_app. Every look is logged and shown to the office.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { type Actor, createSession, requireActor } from "~/platform/auth/auth.server";
import { hashPassword } from "~/platform/auth/password.server";
import { sharedOfficeIds } from "~/domains/comparison/sharing.server";
import { client, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "freigabe-passwort-fuer-tests";
const COMMENT = "Unsere Terminvergabe ist online, aber nur auf Deutsch.";
const SECRET_REASON = "Meine eigene Einschätzung bleibt in der Behörde.";

describe("sharing an office's individual results with the ministry", () => {
  const app = useApp();
  const ids = {} as {
    slug: string;
    round: string;
    draftRound: string;
    a: string;
    b: string;
    assessmentA: string;
    draftA: string;
    adminId: string;
    headAId: string;
    headBId: string;
    adminCId: string;
    level4: string;
  };
  const cookies = {} as Record<"admin" | "headA" | "staffA" | "headB" | "adminC", string>;
  let adminActor: Actor;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "teilen", name: "Netz Teilen", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "teilen-anders", name: "Netz Anders", state: "HE", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (
      email: string,
      name: string,
      networkId: string,
      officeId: string | null,
      role: "NETWORK_ADMIN" | "OFFICE_HEAD" | "OFFICE_STAFF",
    ) => {
      const u = await p.user.create({
        data: { email, name, passwordHash, ...(role === "NETWORK_ADMIN" ? { totpEnabledAt: new Date() } : {}) },
      });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      return u;
    };
    const admin = await person("admin@teilen.example", "Mira Ministerium", network.id, null, "NETWORK_ADMIN");
    const headA = await person("head-a@teilen.example", "Hanna Leitung", network.id, a.id, "OFFICE_HEAD");
    const staffA = await person("staff-a@teilen.example", "Sami Team", network.id, a.id, "OFFICE_STAFF");
    const headB = await person("head-b@teilen.example", "Bernd Beta", network.id, b.id, "OFFICE_HEAD");
    const adminC = await person("admin-c@teilen.example", "Anders Admin", other.id, null, "NETWORK_ADMIN");

    const round = async (name: string) => {
      const r = await p.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: version.id,
          name,
          opensAt: new Date(Date.now() - 86_400_000),
          deadline: new Date(Date.now() + 30 * 86_400_000),
          createdById: admin.id,
        },
      });
      await p.roundParticipant.createMany({ data: [a.id, b.id].map((officeId) => ({ roundId: r.id, officeId })) });
      await p.assessment.createMany({ data: [a.id, b.id].map((officeId) => ({ roundId: r.id, officeId })) });
      return r;
    };
    const r = await round("Frühjahr 2027");
    const draft = await round("Herbst 2027");
    const assessmentA = await p.assessment.findUniqueOrThrow({ where: { roundId_officeId: { roundId: r.id, officeId: a.id } } });
    const draftA = await p.assessment.findUniqueOrThrow({ where: { roundId_officeId: { roundId: draft.id, officeId: a.id } } });
    // Office A's submitted results: a rating with comment, a measure with an override, and a
    // team member's own rating (which must never reach the ministry).
    const goal1 = await p.goal.findFirstOrThrow({ where: { frameworkVersionId: version.id, number: 1 } });
    const goal2 = await p.goal.findFirstOrThrow({ where: { frameworkVersionId: version.id, number: 2 } });
    const measure = await p.measure.findFirstOrThrow({
      where: { frameworkVersionId: version.id },
      orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
    });
    await p.goalAssessment.createMany({
      data: [
        {
          assessmentId: assessmentA.id,
          goalId: goal1.id,
          rating: 4,
          comment: COMMENT,
          evidence: "Statistik 2026",
          evidenceLinks: ["https://alpha.example/termine"],
        },
        { assessmentId: assessmentA.id, goalId: goal2.id, notAssessed: true },
        { assessmentId: draftA.id, goalId: goal1.id, rating: 2, comment: "Entwurf" },
      ],
    });
    await p.individualRating.create({
      data: { assessmentId: assessmentA.id, goalId: goal1.id, userId: staffA.id, rating: 2, reasons: SECRET_REASON },
    });
    await p.measureAssessment.create({
      data: {
        assessmentId: assessmentA.id,
        measureId: measure.id,
        need: "HIGH",
        effort: "LOW",
        priorityOverride: "MEDIUM",
        overrideReason: "Personal fehlt bis Sommer",
      },
    });
    await p.assessment.update({ where: { id: assessmentA.id }, data: { submittedAt: new Date(), submittedById: headA.id } });
    const level4 = await p.ratingLevel.findUniqueOrThrow({
      where: { frameworkVersionId_level: { frameworkVersionId: version.id, level: 4 } },
    });

    Object.assign(ids, {
      slug: network.slug,
      round: r.id,
      draftRound: draft.id,
      a: a.id,
      b: b.id,
      assessmentA: assessmentA.id,
      draftA: draftA.id,
      adminId: admin.id,
      headAId: headA.id,
      headBId: headB.id,
      adminCId: adminC.id,
      level4: level4.label,
    });
    const signIn = (email: string) => sessionCookie(app.baseUrl, email, PASSWORD);
    cookies.admin = await signIn("admin@teilen.example");
    cookies.adminC = await signIn("admin-c@teilen.example");
    await p.session.updateMany({ where: { userId: { in: [admin.id, adminC.id] } }, data: { twoFactorVerified: true } });
    cookies.headA = await signIn("head-a@teilen.example");
    cookies.staffA = await signIn("staff-a@teilen.example");
    cookies.headB = await signIn("head-b@teilen.example");
    const cookie = (await createSession(admin.id, { twoFactorVerified: true })).split(";")[0];
    adminActor = await requireActor(new Request("http://localhost/", { headers: { Cookie: cookie } }));
  });

  const adminPage = (roundId = ids.round, officeId = ids.a, who: "admin" | "adminC" = "admin") =>
    client(app.baseUrl, cookies[who]).get(
      `/netzwerke/${who === "admin" ? ids.slug : "teilen-anders"}/runden/${roundId}/behoerden/${officeId}`,
    );
  const sharingPage = (officeId = ids.a, who: keyof typeof cookies = "headA") =>
    client(app.baseUrl, cookies[who]).get(`/behoerden/${officeId}/freigabe`);
  const change = (intent: string, roundId = ids.round, officeId = ids.a, who: keyof typeof cookies = "headA") =>
    client(app.baseUrl, cookies[who]).post(`/behoerden/${officeId}/freigabe`, { intent, roundId });
  const shares = () =>
    app.db.prisma.assessmentShare.findMany({ where: { assessmentId: ids.assessmentA }, orderBy: { grantedAt: "asc" } });
  const views = () => app.db.prisma.assessmentShareAccess.count({ where: { assessmentId: ids.assessmentA } });
  const audits = (action: string) => app.db.prisma.auditEvent.count({ where: { action, targetId: ids.assessmentA } });

  /** SQL as the portal's role abh_app for a user, in a transaction that is rolled back. */
  async function asUser<T>(
    userId: string,
    work: (q: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>,
  ) {
    const c = new pg.Client({ connectionString: app.db.appUrl });
    await c.connect();
    try {
      await c.query("BEGIN");
      await c.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      return await work((sql, params) => c.query(sql, params));
    } finally {
      await c.query("ROLLBACK");
      await c.end();
    }
  }
  const adminSeesInDatabase = () =>
    asUser(ids.adminId, async (q) => ({
      goals: (await q("SELECT rating, comment FROM goal_assessment WHERE assessment_id = $1", [ids.assessmentA])).rowCount,
      measures: (await q("SELECT need FROM measure_assessment WHERE assessment_id = $1", [ids.assessmentA])).rowCount,
      individual: (await q("SELECT reasons FROM individual_rating WHERE assessment_id = $1", [ids.assessmentA])).rowCount,
    }));

  it("by default shows the ministry nothing: 404, no log entry, and no row in the database", async () => {
    const res = await adminPage();
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(COMMENT);
    expect(await views()).toBe(0);
    expect(await adminSeesInDatabase()).toEqual({ goals: 0, measures: 0, individual: 0 });
    expect(await sharedOfficeIds(adminActor, ids.round)).toEqual([]);
    // Not even the log can be written while nothing is shared.
    await expect(
      asUser(ids.adminId, (q) =>
        q("INSERT INTO assessment_share_access (assessment_id, viewer_id) VALUES ($1, $2)", [ids.assessmentA, ids.adminId]),
      ),
    ).rejects.toThrow(/row-level security/);

    const page = text(await (await sharingPage()).text());
    expect(page).toContain("Standard: Das Ministerium sieht nur anonymisierte Gesamtzahlen");
    expect(page).toContain("Nicht freigegeben.");
    expect(page).toContain("Das Ministerium hat die Einzelergebnisse dieser Runde bisher nicht angesehen.");
  });

  it("lets only the office's head decide: staff get 403, another office's head 404, and the database refuses them too", async () => {
    expect((await sharingPage(ids.a, "staffA")).status).toBe(403);
    expect((await change("grant", ids.round, ids.a, "staffA")).status).toBe(403);
    expect((await sharingPage(ids.a, "headB")).status).toBe(404);
    expect((await change("grant", ids.round, ids.a, "headB")).status).toBe(404);
    // The round exists for office B too, but B's head can only decide for B.
    expect((await change("grant", ids.round, ids.a, "admin")).status).toBe(403);
    expect(await shares()).toEqual([]);
    // Underneath: neither another office's head nor the admin can insert a grant for A.
    for (const userId of [ids.headBId, ids.adminId]) {
      await expect(
        asUser(userId, (q) =>
          q("INSERT INTO assessment_share (assessment_id, granted_by_id) VALUES ($1, $2)", [ids.assessmentA, userId]),
        ),
      ).rejects.toThrow(/row-level security/);
    }
    // The office page links the decision for the head only.
    expect(await (await client(app.baseUrl, cookies.headA).get(`/behoerden/${ids.a}`)).text()).toContain(
      `/behoerden/${ids.a}/freigabe`,
    );
    expect(await (await client(app.baseUrl, cookies.staffA).get(`/behoerden/${ids.a}`)).text()).not.toContain(
      `/behoerden/${ids.a}/freigabe`,
    );
  });

  it("answers bad input with 400 and changes nothing", async () => {
    expect((await change("publish")).status).toBe(400);
    expect((await change("grant", "keine-runde")).status).toBe(400);
    const res = await change("grant", "00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(400);
    expect(text(await res.text())).toContain("Diese Runde gibt es für Ihre Behörde nicht.");
    expect(await shares()).toEqual([]);
  });

  it("after the head opts in, the admin sees ratings, comments and priorities (not the team's own ratings), and the look is logged for the office", async () => {
    const granted = await change("grant");
    expect(granted.status).toBe(200);
    expect(text(await granted.text())).toContain(
      "Die Ergebnisse der Runde „Frühjahr 2027“ sind für das Ministerium freigegeben.",
    );
    // Twice is still one grant, audited once.
    expect((await change("grant")).status).toBe(200);
    const rows = await shares();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ grantedById: ids.headAId, withdrawnAt: null, withdrawnById: null });
    expect(await audits("sharing.granted")).toBe(1);
    expect(await sharedOfficeIds(adminActor, ids.round)).toEqual([ids.a]);

    const res = await adminPage();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toContain("no-store");
    const page = text(await res.text());
    expect(page).toContain("ABH Alpha");
    expect(page).toContain(`4 – ${ids.level4}`);
    expect(page).toContain(COMMENT);
    expect(page).toContain("Statistik 2026");
    expect(page).toContain("nicht bewertet");
    expect(page).toContain("mittel (von der Behörde geändert, nach Regel: hoch; Begründung: Personal fehlt bis Sommer)");
    expect(page).not.toContain(SECRET_REASON);
    expect(await views()).toBe(1);
    const log = await app.db.prisma.assessmentShareAccess.findFirstOrThrow({ where: { assessmentId: ids.assessmentA } });
    expect(log.viewerId).toBe(ids.adminId);

    // In the database: the admin reads the shared content, never the team members' own ratings.
    expect(await adminSeesInDatabase()).toEqual({ goals: 2, measures: 1, individual: 0 });
    // The round still in draft is not shared; B's results are not shared.
    expect((await adminPage(ids.draftRound)).status).toBe(404);
    expect((await adminPage(ids.round, ids.b)).status).toBe(404);

    // The office sees that the ministry looked, and who decided.
    const office = text(await (await sharingPage()).text());
    expect(office).toContain("Freigegeben seit");
    expect(office).toContain("von Hanna Leitung");
    expect(office).toContain("1 Zugriff, der neueste zuerst:");
    expect(office).toMatch(/Das Ministerium hat Ihre Einzelergebnisse am \d+\. \w+ \d{4} um \d{2}:\d{2} \S+ angesehen\./);
    // The viewer's name is not shown to the office (the ministry looks as an institution).
    expect(office).not.toContain("Mira Ministerium");
  });

  it("keeps the access log append-only, even for the admin who wrote it", async () => {
    await expect(
      asUser(ids.adminId, (q) => q("DELETE FROM assessment_share_access WHERE assessment_id = $1", [ids.assessmentA])),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asUser(ids.headAId, (q) =>
        q("UPDATE assessment_share_access SET viewed_at = now() - interval '1 year' WHERE assessment_id = $1", [ids.assessmentA]),
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      asUser(ids.headAId, (q) => q("DELETE FROM assessment_share WHERE assessment_id = $1", [ids.assessmentA])),
    ).rejects.toThrow(/permission denied/);
    // A withdrawal cannot be backdated: only who withdrew may be set, the time is the database's.
    await expect(
      asUser(ids.headAId, (q) => q("UPDATE assessment_share SET withdrawn_at = now() - interval '1 day'")),
    ).rejects.toThrow(/permission denied/);
    // The office's members read the log; an admin of another network does not.
    expect(await asUser(ids.headAId, async (q) => (await q("SELECT 1 FROM assessment_share_access")).rowCount)).toBe(1);
    expect(
      await asUser(
        ids.adminCId,
        async (q) => (await q("SELECT 1 FROM assessment_share_access UNION ALL SELECT 1 FROM assessment_share")).rowCount,
      ),
    ).toBe(0);
  });

  it("never shows the results to an admin of another network, nor to other offices", async () => {
    expect((await adminPage(ids.round, ids.a, "adminC")).status).toBe(404);
    expect(
      (await client(app.baseUrl, cookies.adminC).get(`/netzwerke/${ids.slug}/runden/${ids.round}/behoerden/${ids.a}`)).status,
    ).toBe(404);
    expect(
      (await client(app.baseUrl, cookies.headB).get(`/netzwerke/${ids.slug}/runden/${ids.round}/behoerden/${ids.a}`)).status,
    ).toBe(403);
    expect(
      await asUser(
        ids.adminCId,
        async (q) => (await q("SELECT 1 FROM goal_assessment WHERE assessment_id = $1", [ids.assessmentA])).rowCount,
      ),
    ).toBe(0);
    expect(
      await asUser(
        ids.headBId,
        async (q) => (await q("SELECT 1 FROM goal_assessment WHERE assessment_id = $1", [ids.assessmentA])).rowCount,
      ),
    ).toBe(0);
    expect(await views()).toBe(1);
  });

  it("hides the results again while the office reworks a reopened assessment", async () => {
    await app.db.prisma.assessment.update({ where: { id: ids.assessmentA }, data: { submittedAt: null, submittedById: null } });
    expect((await adminPage()).status).toBe(404);
    expect(await adminSeesInDatabase()).toEqual({ goals: 0, measures: 0, individual: 0 });
    expect(text(await (await sharingPage()).text())).toContain("sobald Ihre Behörde die Selbsteinschätzung abgegeben hat");
    await app.db.prisma.assessment.update({
      where: { id: ids.assessmentA },
      data: { submittedAt: new Date(), submittedById: ids.headAId },
    });
    expect(await views()).toBe(1);
  });

  it("after the head withdraws, the admin gets 404 again and the database returns no rows; the history is kept", async () => {
    const res = await change("withdraw");
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Die Freigabe für die Runde „Frühjahr 2027“ ist zurückgezogen.");
    expect((await change("withdraw")).status).toBe(200);
    expect(await audits("sharing.withdrawn")).toBe(1);

    const after = await adminPage();
    expect(after.status).toBe(404);
    expect(await after.text()).not.toContain(COMMENT);
    expect(await views()).toBe(1);
    expect(await sharedOfficeIds(adminActor, ids.round)).toEqual([]);
    // The trust boundary itself: a direct SELECT as abh_app with the admin's id finds nothing.
    expect(await adminSeesInDatabase()).toEqual({ goals: 0, measures: 0, individual: 0 });
    const [withdrawn] = await shares();
    expect(withdrawn.withdrawnById).toBe(ids.headAId);
    expect(withdrawn.withdrawnAt).not.toBeNull();

    // Granting again is a new decision next to the old one; withdrawing again closes it.
    await change("grant");
    expect((await adminPage()).status).toBe(200);
    await change("withdraw");
    expect((await adminPage()).status).toBe(404);
    const history = await shares();
    expect(history).toHaveLength(2);
    expect(history.every((s) => s.withdrawnAt !== null)).toBe(true);
    expect(await audits("sharing.granted")).toBe(2);
    expect(await audits("sharing.withdrawn")).toBe(2);

    const office = text(await (await sharingPage()).text());
    expect(office).toContain("Nicht freigegeben.");
    expect(office.match(/ freigegeben Hanna Leitung/g)).toHaveLength(2);
    expect(office.match(/ zurückgezogen Hanna Leitung/g)).toHaveLength(2);
    expect(office).toContain("2 Zugriffe, der neueste zuerst:");
    // The decisions are in the office's audit log too.
    const audit = text(await (await client(app.baseUrl, cookies.headA).get(`/behoerden/${ids.a}/protokoll`)).text());
    expect(audit).toContain("Ergebnisse für das Ministerium freigegeben");
    expect(audit).toContain("Freigabe für das Ministerium zurückgezogen");
  });
});
