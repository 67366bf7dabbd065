/**
 * The ministry's view of the plans, the measure page's figures and the consultant
 * assignment over HTTP (issue 21, items 8 and 9): nothing of an unreleased plan reaches the
 * ministry but aggregates from k offices on; released plans are listed with a link; the
 * catalogue shows figures to signed-in members only; admins assign consultants (audited),
 * and a consultant lands on their assigned offices.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { computeAchievementFigures } from "~/domains/plan/achievement.server";

const MARKER = "qxmrk-own-measure-7c1e";

describe("plans in the ministry's monitoring, on the measure page and consultant assignment", () => {
  const app = useApp();
  const ids = {} as {
    network: string;
    offices: { id: string; name: string }[];
    measureCode: string;
    consultant: string;
    version: string;
  };
  const as = {} as Record<"admin" | "head" | "consultant", Client>;

  async function signedIn(userId: string, email: string, password: string, admin = false) {
    const c = client(app.baseUrl);
    await c.post("/anmelden", { email, password, redirectTo: "/konto" });
    if (admin) await app.db.prisma.session.updateMany({ where: { userId }, data: { twoFactorVerified: true } });
    return c;
  }

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const measure = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: version.id }, orderBy: { code: "asc" } });
    const network = await p.network.create({
      data: { slug: "plaene", name: "Netz Pläne", state: "RP", frameworkVersionId: version.id, anonymityThreshold: 3 },
    });
    const offices = [];
    for (const name of ["ABH Nordheim", "ABH Südheim", "ABH Westheim", "ABH Ostheim", "ABH Freigabe"])
      offices.push(
        await p.office.create({ data: { networkId: network.id, slug: name.slice(4).toLowerCase(), name, kind: "LANDKREIS" } }),
      );
    const head = await createUser(p, { name: "Leitung Nordheim" });
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: offices[0].id, role: "OFFICE_HEAD" } });
    const admin = await createUser(p, { name: "Referat Pläne" });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });
    await p.membership.create({ data: { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    const consultant = await createUser(p, { name: "Beraterin Pläne" });
    await p.membership.create({ data: { userId: consultant.id, networkId: network.id, role: "CONSULTANT" } });
    // Every office has a plan with the catalogue measure and its own measure (a marker); the last released it.
    for (const [i, office] of offices.entries()) {
      const plan = await p.plan.create({
        data: {
          networkId: network.id,
          officeId: office.id,
          startedById: head.id,
          releasedAt: i === 4 ? new Date() : null,
          releasedById: i === 4 ? head.id : null,
        },
      });
      await p.planMeasure.create({
        data: { planId: plan.id, officeId: office.id, measureId: measure.id, origin: "catalogue", addedById: head.id },
      });
      await p.planMeasure.create({
        data: { planId: plan.id, officeId: office.id, ownTitle: MARKER, origin: "own", addedById: head.id },
      });
    }
    await computeAchievementFigures(network.id);
    Object.assign(ids, {
      network: network.id,
      offices,
      measureCode: measure.code,
      consultant: consultant.id,
      version: version.slug,
    });
    as.admin = await signedIn(admin.id, admin.email, admin.password, true);
    as.head = await signedIn(head.id, head.email, head.password);
    as.consultant = await signedIn(consultant.id, consultant.email, consultant.password);
  });

  it("shows the ministry aggregates and released plans only – no unreleased office, no plan content", async () => {
    const res = await as.admin.get("/netzwerke/plaene/plaene");
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    // 4 unknown offices with a plan (the released one is known and left out).
    expect(page).toMatch(/Behörden mit einem laufenden Umsetzungsplan\s*4/);
    expect(page).toContain("ABH Freigabe");
    expect(html).toContain(`/behoerden/${ids.offices[4].id}/plan`);
    for (const office of ids.offices.slice(0, 4)) expect(page).not.toContain(office.name);
    expect(html).not.toContain(MARKER);
    // The same in the exports.
    for (const format of ["csv", "xlsx"]) {
      const file = await as.admin.get(`/netzwerke/plaene/monitoring/export/${format}`);
      expect(file.status).toBe(200);
      const body = Buffer.from(await file.arrayBuffer());
      expect(body.includes(MARKER)).toBe(false);
      if (format === "csv") {
        const csv = body.toString("utf8");
        expect(csv).toContain("Behörden mit laufendem Umsetzungsplan;4;4");
        expect(csv).toContain("Freigegebener Plan: ABH Freigabe");
      }
    }
  });

  it("queues a recomputation on the admin's request, once per network while it waits", async () => {
    for (let i = 0; i < 2; i++) {
      const res = await as.admin.post("/netzwerke/plaene/plaene", {});
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/netzwerke/plaene/plaene?neu=1");
    }
    const jobs = await app.db.prisma.$queryRaw<Array<{ payload: { networkId: string } }>>`
      SELECT j.payload FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'achievement.compute'`;
    expect(jobs.map((j) => j.payload)).toEqual([{ networkId: ids.network }]);
    expect([403, 404]).toContain((await as.head.post("/netzwerke/plaene/plaene", {})).status);
  });

  it("refuses the plans page to an office head (404/403)", async () => {
    expect([403, 404]).toContain((await as.head.get("/netzwerke/plaene/plaene")).status);
  });

  it("shows what a measure achieved to members of the network only", async () => {
    const path = `/katalog/${ids.version}/massnahmen/${ids.measureCode}`;
    const anonymous = await (await client(app.baseUrl).get(path)).text();
    expect(anonymous).not.toContain("Was die Maßnahme im Netzwerk bewirkt hat");
    const forHead = text(await (await as.head.get(path)).text());
    expect(forHead).toContain("Was die Maßnahme im Netzwerk bewirkt hat");
    // The head's office left out: 4 other offices planned it, none completed → hidden.
    expect(forHead).toMatch(/Behörden mit der Maßnahme im Plan\s*4/);
    expect(forHead).toMatch(/Behörden, die sie abgeschlossen haben\s*Zu wenige Behörden/);
    expect(forHead).toContain("Stand der Zahlen");
    // A consultant sees plans individually: no figures, an explanation instead.
    expect(text(await (await as.consultant.get(path)).text())).toContain("Für Ihre Rolle im Netzwerk");
  });

  it("shows the same figures on the plan's page of that catalogue measure, and none for an own measure", async () => {
    const p = app.db.prisma;
    const office = ids.offices[0].id;
    const catalogue = await p.planMeasure.findFirstOrThrow({ where: { officeId: office, measureId: { not: null } } });
    const own = await p.planMeasure.findFirstOrThrow({ where: { officeId: office, measureId: null } });
    const page = text(await (await as.head.get(`/behoerden/${office}/plan/massnahmen/${catalogue.id}`)).text());
    expect(page).toContain("Was die Maßnahme im Netzwerk bewirkt hat");
    expect(page).toMatch(/Behörden mit der Maßnahme im Plan\s*4/);
    const ownPage = text(await (await as.head.get(`/behoerden/${office}/plan/massnahmen/${own.id}`)).text());
    expect(ownPage).not.toContain("Was die Maßnahme im Netzwerk bewirkt hat");
  });

  it("lets the admin assign and unassign a consultant (audited), and the consultant lands on the office's plan", async () => {
    const page = `/netzwerke/plaene/behoerden/${ids.offices[0].id}`;
    expect(text(await (await as.admin.get(page)).text())).toContain("Beraterin Pläne");
    // Nonsense and someone who is no consultant: a field error, nothing stored.
    const bad = await as.admin.post(page, { intent: "assignConsultant", consultantId: "abc" });
    expect(bad.status).toBe(400);
    const notConsultant = await as.admin.post(page, { intent: "assignConsultant", consultantId: ids.offices[0].id });
    expect(notConsultant.status).toBe(400);
    expect(text(await notConsultant.text())).toContain("Bitte wählen Sie eine Beraterin oder einen Berater dieses Netzwerks.");
    expect(await app.db.prisma.consultantAssignment.count()).toBe(0);

    const assigned = await as.admin.post(page, { intent: "assignConsultant", consultantId: ids.consultant });
    expect(assigned.status).toBe(200);
    expect(text(await assigned.text())).toContain("Beraterin Pläne ist der Behörde jetzt zugeordnet.");
    expect(await app.db.prisma.consultantAssignment.count({ where: { officeId: ids.offices[0].id } })).toBe(1);
    expect((await as.admin.post(page, { intent: "assignConsultant", consultantId: ids.consultant })).status).toBe(409);
    // The head of the office may not assign.
    expect([403, 404]).toContain((await as.head.post(page, { intent: "assignConsultant", consultantId: ids.consultant })).status);

    const landing = text(await (await as.consultant.get("/beratung")).text());
    expect(landing).toContain("Umsetzungsplan von ABH Nordheim");
    expect(landing).not.toContain("ABH Südheim");

    expect((await as.admin.post(page, { intent: "unassignConsultant", consultantId: ids.consultant })).status).toBe(200);
    expect(await app.db.prisma.consultantAssignment.count()).toBe(0);
    const events = await app.db.prisma.auditEvent.findMany({
      where: { action: { in: ["consultant.assigned", "consultant.unassigned"] } },
      orderBy: { id: "asc" },
    });
    expect(events.map((e) => [e.action, e.officeId, e.targetId])).toEqual([
      ["consultant.assigned", ids.offices[0].id, ids.consultant],
      ["consultant.unassigned", ids.offices[0].id, ids.consultant],
    ]);
  });
});
