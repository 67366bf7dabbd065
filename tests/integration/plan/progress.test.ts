/**
 * Plan progress on screen (issue 21, item 4): the timeline page and the office dashboard's
 * panel show the share done, per measure, and overdue activities in words – to the office's
 * members – and change when an activity is done; outsiders get nothing.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { addDays, toCalendarDay } from "~/utils/calendar-day";
import { sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "fortschritt-passwort-fuer-tests";

describe("plan progress: timeline page and dashboard panel", () => {
  const app = useApp();
  const ids = {} as Record<"office" | "plan" | "done" | "late", string>;
  const cookies = {} as Record<"head" | "staff" | "headB" | "admin", string>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "fortschritt", name: "Netz F", state: "RP", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Fortschritt", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Nachbar", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const users = {} as Record<keyof typeof cookies, string>;
    for (const [key, role, officeId] of [
      ["head", "OFFICE_HEAD", a.id],
      ["staff", "OFFICE_STAFF", a.id],
      ["headB", "OFFICE_HEAD", b.id],
      ["admin", "NETWORK_ADMIN", null],
    ] as const) {
      const u = await p.user.create({
        data: {
          email: `${key.toLowerCase()}@fortschritt.example`,
          name: `Person ${key}`,
          passwordHash,
          totpEnabledAt: key === "admin" ? new Date() : null,
        },
      });
      await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role } });
      users[key] = u.id;
      cookies[key] = await sessionCookie(app.baseUrl, u.email, PASSWORD);
    }
    await p.session.updateMany({ where: { userId: users.admin }, data: { twoFactorVerified: true } });
    const plan = await p.plan.create({ data: { networkId: network.id, officeId: a.id, startedById: users.head } });
    const catalogue = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: version.id }, orderBy: { code: "asc" } });
    const m1 = await p.planMeasure.create({
      data: { planId: plan.id, officeId: a.id, measureId: catalogue.id, origin: "priority", addedById: users.head, position: 0 },
    });
    const m2 = await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: a.id,
        ownTitle: "Eigene Maßnahme Wartebereich",
        origin: "own",
        addedById: users.head,
        position: 1,
      },
    });
    await p.planMeasure.create({
      data: { planId: plan.id, officeId: a.id, ownTitle: "Noch leer", origin: "own", addedById: users.head, position: 2 },
    });
    const today = toCalendarDay(new Date());
    const d = (offset: number) => new Date(`${addDays(today, offset)}T00:00:00Z`);
    const base = { planId: plan.id, officeId: a.id, createdById: users.head };
    const done = await p.planActivity.create({
      data: {
        ...base,
        planMeasureId: m1.id,
        title: "Analyse erledigt",
        status: "DONE",
        startsOn: d(-60),
        endsOn: d(-30),
        position: 0,
      },
    });
    const late = await p.planActivity.create({
      data: {
        ...base,
        planMeasureId: m1.id,
        title: "Terminbuchung überfällig",
        status: "IN_PROGRESS",
        startsOn: d(-20),
        endsOn: d(-3),
        responsibleUserId: users.staff,
        position: 1,
      },
    });
    await p.planActivity.create({
      data: { ...base, planMeasureId: m2.id, title: "Beschilderung", endsOn: d(40), responsibleName: "Frau Extern" },
    });
    await p.planActivity.create({ data: { ...base, planMeasureId: m2.id, title: "Ideen sammeln ohne Datum", position: 1 } });
    Object.assign(ids, { office: a.id, plan: plan.id, done: done.id, late: late.id });
  });

  const get = async (path: string, who: keyof typeof cookies) => {
    const res = await fetch(app.baseUrl + path, { headers: { cookie: cookies[who] }, redirect: "manual" });
    return { status: res.status, body: text(await res.text()) };
  };

  it("shows the timeline with status symbols and words, overdue in words, and the same data in a captioned table", async () => {
    const page = await get(`/behoerden/${ids.office}/plan/zeitplan`, "staff");
    expect(page.status).toBe(200);
    expect(page.body).toContain("1 von 4 Arbeitsschritten erledigt (25 %)");
    expect(page.body).toContain("1 Arbeitsschritt ist überfällig.");
    expect(page.body).toContain("✓ erledigt");
    expect(page.body).toContain("! in Arbeit");
    expect(page.body).toContain("✗ nicht begonnen");
    expect(page.body).toMatch(/überfällig seit \d+\. \S+ \d{4}/);
    expect(page.body).toContain("Arbeitsschritte mit Zeitrahmen, Status und Verantwortlichen, nach Maßnahmen");
    expect(page.body).toContain("Person staff");
    expect(page.body).toContain("Frau Extern");
    expect(page.body).toContain("nur Ende angegeben");
    expect(page.body).toContain("ohne Zeitrahmen");
    expect(page.body).toContain("Eigene Maßnahme Wartebereich");
    expect(page.body).toContain("Diese Maßnahme hat noch keine Arbeitsschritte.");
  });

  it("shows the plan's progress on the dashboard, and it changes when an activity is done", async () => {
    const before = await get(`/behoerden/${ids.office}/stand`, "head");
    expect(before.status).toBe(200);
    expect(before.body).toContain("Umsetzungsplan");
    expect(before.body).toContain("1 von 4 Arbeitsschritten erledigt (25 %)");
    expect(before.body).toContain("1 Arbeitsschritt ist überfällig.");
    expect(before.body).toContain("Fortschritt je Maßnahme");

    await app.db.prisma.planActivity.update({ where: { id: ids.late }, data: { status: "DONE", doneAt: new Date() } });
    const after = await get(`/behoerden/${ids.office}/stand`, "staff");
    expect(after.body).toContain("2 von 4 Arbeitsschritten erledigt (50 %)");
    expect(after.body).toContain("Kein Arbeitsschritt ist überfällig.");
    await app.db.prisma.planActivity.update({ where: { id: ids.late }, data: { status: "IN_PROGRESS", doneAt: null } });
  });

  it("shows nothing of the plan to another office, nor to the ministry while it is not released", async () => {
    const other = await get(`/behoerden/${ids.office}/plan/zeitplan`, "headB");
    expect([403, 404]).toContain(other.status);
    expect(other.body).not.toContain("Terminbuchung");
    const admin = await get(`/behoerden/${ids.office}/plan/zeitplan`, "admin");
    expect(admin.body).not.toMatch(/Terminbuchung|Wartebereich|Arbeitsschritten erledigt/);
    // On the admin's own pages no panel either: the dashboard is the office's.
    const dashboard = await get(`/behoerden/${ids.office}/stand`, "admin");
    expect(dashboard.body).not.toMatch(/Terminbuchung|Wartebereich|Arbeitsschritten erledigt/);
  });

  it("says there is no plan yet, on the dashboard and the timeline, when the office has none", async () => {
    await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { closedAt: new Date() } });
    try {
      expect((await get(`/behoerden/${ids.office}/stand`, "head")).body).toContain(
        "Ihre Behörde hat noch keinen Umsetzungsplan.",
      );
      expect((await get(`/behoerden/${ids.office}/plan/zeitplan`, "head")).body).toContain(
        "Ihre Behörde hat noch keinen Umsetzungsplan.",
      );
    } finally {
      await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { closedAt: null } });
    }
  });
});
