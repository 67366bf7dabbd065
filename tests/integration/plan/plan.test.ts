/**
 * The implementation plan through HTTP (issue 21): the head starts it from a round's "hoch"
 * priorities and decides its measures; staff add activities and edit/set the status only of
 * those they are responsible for or added; two saves at once lose nothing (409 with both
 * sides); completed_at follows the activities; outsiders get 404, the ministry reads only a
 * released plan, an assigned consultant reads it, an unassigned one gets 404; and the audit
 * log names who and which fields, never what the office wrote.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { client, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

const PASSWORD = "plan-passwort-fuer-tests";
const OWN_TITLE = "GEHEIM-EIGENE-MASSNAHME Wartebereich umbauen";
const ACTIVITY_TITLE = "GEHEIM-ARBEITSSCHRITT Flyer entwerfen";
const SACHSTAND = "GEHEIM-SACHSTAND Entwurf liegt bei der Leitung";

describe("the implementation plan", () => {
  const app = useApp();
  const ids = {} as Record<string, string>;
  const cookies = {} as Record<"headA" | "staffA" | "staffA2" | "headB" | "admin" | "consultant" | "consultant2", string>;
  const as = (who: keyof typeof cookies) => client(app.baseUrl, cookies[who]);
  const planUrl = () => `/behoerden/${ids.a}/plan`;
  /** The overview's forms post to the index route (the layout at the same path has no action). */
  const planPost = () => `${planUrl()}?index`;
  const measureUrl = (id: string) => `${planUrl()}/massnahmen/${id}`;
  const activityUrl = (id: string) => `${planUrl()}/aktivitaeten/${id}`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices, round, version } = await createOpenRound(p, { slug: "plan", offices: ["a", "b"] });
    const [a, b] = offices;
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (
      key: string,
      role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN" | "CONSULTANT",
      officeId: string | null,
    ) => {
      const u = await p.user.create({
        data: {
          email: `${key.toLowerCase()}@plan.example`,
          name: `Person ${key}`,
          passwordHash,
          ...(role === "NETWORK_ADMIN" ? { totpEnabledAt: new Date() } : {}),
        },
      });
      await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role } });
      ids[key] = u.id;
      return u;
    };
    const admin = await person("admin", "NETWORK_ADMIN", null);
    await person("headA", "OFFICE_HEAD", a.id);
    await person("staffA", "OFFICE_STAFF", a.id);
    await person("staffA2", "OFFICE_STAFF", a.id);
    await person("headB", "OFFICE_HEAD", b.id);
    const consultant = await person("consultant", "CONSULTANT", null);
    await person("consultant2", "CONSULTANT", null);
    await p.consultantAssignment.create({
      data: { networkId: network.id, officeId: a.id, consultantId: consultant.id, assignedById: admin.id },
    });
    // Office A's assessment: two measures "hoch" (need high, effort low), one "mittel", one "hoch" by override.
    const measures = await p.measure.findMany({
      where: { frameworkVersionId: version.id },
      orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
      take: 5,
    });
    const assessment = await p.assessment.findUniqueOrThrow({
      where: { roundId_officeId: { roundId: round.id, officeId: a.id } },
    });
    await p.measureAssessment.createMany({
      data: [
        { assessmentId: assessment.id, measureId: measures[0].id, need: "HIGH", effort: "LOW" },
        { assessmentId: assessment.id, measureId: measures[1].id, need: "MEDIUM", effort: "LOW" },
        { assessmentId: assessment.id, measureId: measures[2].id, need: "HIGH", effort: "MEDIUM" },
        {
          assessmentId: assessment.id,
          measureId: measures[3].id,
          need: "LOW",
          effort: "LOW",
          priorityOverride: "HIGH",
          overrideReason: "Wichtig für das Team",
        },
      ],
    });
    await p.assessment.update({ where: { id: assessment.id }, data: { submittedAt: new Date(), submittedById: ids.headA } });
    Object.assign(ids, {
      a: a.id,
      b: b.id,
      network: network.id,
      round: round.id,
      m0: measures[0].id,
      m1: measures[1].id,
      m2: measures[2].id,
      m3: measures[3].id,
      m4: measures[4].id,
      code0: measures[0].code,
      code1: measures[1].code,
      code4: measures[4].code,
    });
    for (const who of ["headA", "staffA", "staffA2", "headB", "admin", "consultant", "consultant2"] as const)
      cookies[who] = await sessionCookie(app.baseUrl, `${who.toLowerCase()}@plan.example`, PASSWORD);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
  });

  const plan = () => app.db.prisma.plan.findFirst({ where: { officeId: ids.a, closedAt: null } });
  const planMeasures = async () =>
    app.db.prisma.planMeasure.findMany({ where: { officeId: ids.a }, orderBy: { position: "asc" }, include: { measure: true } });

  it("proposes the measures rated 'hoch' and lets only the head start the plan with the ticked ones", async () => {
    const page = await as("headA").get(planUrl());
    expect(page.status).toBe(200);
    const body = text(await page.text());
    expect(body).toContain("Umsetzungsplan beginnen");
    for (const m of [ids.m0, ids.m2, ids.m3])
      expect(body).toContain(await app.db.prisma.measure.findUniqueOrThrow({ where: { id: m } }).then((x) => x.title));
    const medium = await app.db.prisma.measure.findUniqueOrThrow({ where: { id: ids.m1 } });
    expect(body).not.toContain(medium.title);

    // Staff cannot start it; a measure that was not proposed is refused with a field error.
    const staffStart = await as("staffA").post(planPost(), { intent: "start", roundId: ids.round, measure: ids.m0 });
    expect(staffStart.status).toBe(403);
    const notProposed = await as("headA").post(planPost(), { intent: "start", roundId: ids.round, measure: ids.m1 });
    expect(notProposed.status).toBe(400);
    expect(text(await notProposed.text())).toContain("gehört nicht zum Vorschlag");
    expect(await plan()).toBeNull();

    // The head unticks m2: the plan starts with m0 and m3.
    const form = new URLSearchParams([
      ["intent", "start"],
      ["roundId", ids.round],
      ["measure", ids.m0],
      ["measure", ids.m3],
    ]);
    const started = await fetch(app.baseUrl + planPost(), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies.headA, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
    expect(started.status).toBe(302);
    const created = await plan();
    expect(created?.sourceRoundId).toBe(ids.round);
    const ms = await planMeasures();
    expect(ms.map((m) => [m.measureId, m.origin])).toEqual([
      [ids.m0, "priority"],
      [ids.m3, "priority"],
    ]);
    // The intended result starts as the catalogue's result.
    expect(ms[0].intendedResult).toBe(ms[0].measure!.result);
    // A second start is refused (one open plan per office).
    const again = await as("headA").post(planPost(), { intent: "start", roundId: ids.round, measure: ids.m0 });
    expect(again.status).toBe(409);
  });

  it("lets the head add catalogue and own measures and remove one; staff get 403 for each", async () => {
    const refused: Array<Record<string, string>> = [
      { intent: "addCatalogue", measureId: ids.m4 },
      { intent: "addOwn", title: "Staff-Versuch", intendedResult: "" },
      { intent: "remove", planMeasureId: (await planMeasures())[0].id },
      { intent: "release", release: "on" },
    ];
    for (const form of refused) {
      expect((await as("staffA").post(planPost(), form)).status, form.intent).toBe(403);
    }
    expect((await planMeasures()).length).toBe(2);

    expect((await as("headA").post(planPost(), { intent: "addCatalogue", measureId: ids.m4 })).status).toBe(302);
    const twice = await as("headA").post(planPost(), { intent: "addCatalogue", measureId: ids.m4 });
    expect(twice.status).toBe(400);
    expect(text(await twice.text())).toContain("steht schon im Plan");
    // An own measure without a title: the message next to the field, the typed result kept.
    const noTitle = await as("headA").post(planPost(), { intent: "addOwn", title: " ", intendedResult: "Getipptes Ergebnis" });
    expect(noTitle.status).toBe(400);
    const noTitleBody = await noTitle.text();
    expect(text(noTitleBody)).toContain("Bitte einen Titel angeben.");
    expect(noTitleBody).toContain("Getipptes Ergebnis");
    expect(
      (await as("headA").post(planPost(), { intent: "addOwn", title: OWN_TITLE, intendedResult: "Kürzere Wartezeiten" })).status,
    ).toBe(302);
    const ms = await planMeasures();
    expect(ms.map((m) => m.origin)).toEqual(["priority", "priority", "catalogue", "own"]);
    // The head removes m3 (priority); staff saw no remove button.
    expect((await as("headA").post(planPost(), { intent: "remove", planMeasureId: ms[1].id })).status).toBe(302);
    expect((await planMeasures()).map((m) => m.measureId)).toEqual([ids.m0, ids.m4, null]);
    const staffPage = await (await as("staffA").get(planUrl())).text();
    expect(staffPage).toContain(OWN_TITLE);
    expect(staffPage).not.toContain('name="intent" value="remove"');
    expect(staffPage).not.toContain('value="addOwn"');
    const headPage = await (await as("headA").get(planUrl())).text();
    expect(headPage).toContain('name="intent" value="remove"');
  });

  it("lets staff edit and set the status only of activities they are responsible for or added", async () => {
    const [m0] = await planMeasures();
    ids.pm0 = m0.id;
    // staffA adds an activity with headA responsible; headA adds one with staffA2 responsible.
    const add = (who: keyof typeof cookies, title: string, responsibleUserId: string) =>
      as(who).post(measureUrl(m0.id), {
        intent: "activity",
        title,
        status: "NOT_STARTED",
        responsibleUserId,
        startsOn: "2027-01-10",
        endsOn: "2027-03-31",
      });
    expect((await add("staffA", ACTIVITY_TITLE, ids.headA)).status).toBe(302);
    expect((await add("headA", "Schulung planen", ids.staffA2)).status).toBe(302);
    const acts = await app.db.prisma.planActivity.findMany({ where: { planMeasureId: m0.id }, orderBy: { position: "asc" } });
    expect(acts.map((a) => a.title)).toEqual([ACTIVITY_TITLE, "Schulung planen"]);
    ids.act1 = acts[0].id;
    ids.act2 = acts[1].id;

    // A bad date and an end before the start: German messages at the fields, nothing saved.
    const bad = await as("staffA").post(measureUrl(m0.id), {
      intent: "activity",
      title: "X",
      startsOn: "2027-02-30",
      endsOn: "",
    });
    expect(bad.status).toBe(400);
    expect(text(await bad.text())).toContain("Bitte ein gültiges Datum");
    const backwards = await as("staffA").post(measureUrl(m0.id), {
      intent: "activity",
      title: "Y",
      startsOn: "2027-05-01",
      endsOn: "2027-04-01",
    });
    expect(text(await backwards.text())).toContain("Das Ende liegt vor dem Beginn.");
    // A responsible person from another office is refused.
    expect((await add("staffA", "Z", ids.headB)).status).toBe(400);
    expect(await app.db.prisma.planActivity.count({ where: { planMeasureId: m0.id } })).toBe(2);

    // act1: created by staffA → staffA may; staffA2 may not. act2: staffA2 responsible → may; staffA may not.
    expect((await as("staffA2").post(activityUrl(ids.act1), { intent: "status", status: "DONE" })).status).toBe(403);
    expect((await as("staffA").post(activityUrl(ids.act2), { intent: "status", status: "DONE" })).status).toBe(403);
    expect((await as("staffA").post(activityUrl(ids.act1), { intent: "status", status: "IN_PROGRESS" })).status).toBe(302);
    expect((await as("staffA2").post(activityUrl(ids.act2), { intent: "status", status: "IN_PROGRESS" })).status).toBe(302);
    // The page shows status as symbol and text; staff without the right see no edit form but may add a Sachstand.
    const readOnly = await (await as("staffA2").get(activityUrl(ids.act1))).text();
    expect(text(readOnly)).toContain("! in Arbeit");
    expect(readOnly).not.toContain('value="save"');
    expect(
      (await as("staffA2").post(activityUrl(ids.act1), { intent: "sachstand", notedOn: "2027-01-15", body: SACHSTAND })).status,
    ).toBe(302);
    expect(text(await (await as("headA").get(activityUrl(ids.act1))).text())).toContain(SACHSTAND);
  });

  it("keeps plan_measure.completed_at in step with the activities", async () => {
    const completed = async () => (await app.db.prisma.planMeasure.findUniqueOrThrow({ where: { id: ids.pm0 } })).completedAt;
    expect(await completed()).toBeNull();
    await as("headA").post(activityUrl(ids.act1), { intent: "status", status: "DONE" });
    expect(await completed()).toBeNull();
    await as("staffA2").post(activityUrl(ids.act2), { intent: "status", status: "DONE" });
    expect(await completed()).toBeInstanceOf(Date);
    expect(text(await (await as("headA").get(planUrl())).text())).toContain("abgeschlossen am");
    // Reopening one clears it; a new activity on a completed measure clears it too.
    await as("staffA2").post(activityUrl(ids.act2), { intent: "status", status: "IN_PROGRESS" });
    expect(await completed()).toBeNull();
    await as("staffA2").post(activityUrl(ids.act2), { intent: "status", status: "DONE" });
    expect(await completed()).toBeInstanceOf(Date);
    await as("staffA").post(measureUrl(ids.pm0), { intent: "activity", title: "Nachbereitung" });
    expect(await completed()).toBeNull();
    // A measure without activities is never complete.
    const own = (await planMeasures()).find((m) => m.origin === "own")!;
    expect(own.completedAt).toBeNull();
  });

  it("answers a stale save with 409 and both sides, and overwrites nothing", async () => {
    const row = await app.db.prisma.planActivity.findUniqueOrThrow({ where: { id: ids.act1 } });
    const form = (title: string, remarks: string) => ({
      intent: "save",
      version: String(row.version),
      title,
      status: row.status,
      startsOn: "2027-01-10",
      endsOn: "2027-03-31",
      responsibleUserId: ids.headA,
      responsibleName: "",
      participants: "",
      resources: "",
      remarks,
    });
    // staffA saves first, on the version both loaded.
    expect((await as("staffA").post(activityUrl(ids.act1), form(ACTIVITY_TITLE, "Bemerkung von Sami"))).status).toBe(302);
    // The head saves on the same (now stale) version: 409, their input and the saved state.
    const stale = await as("headA").post(activityUrl(ids.act1), form("Titel der Leitung", "Bemerkung der Leitung"));
    expect(stale.status).toBe(409);
    const html = await stale.text();
    const body = text(html);
    expect(body).toContain("Jemand anderes hat inzwischen gespeichert");
    expect(body).toContain("Bemerkung der Leitung");
    expect(body).toContain("Bemerkung von Sami");
    // The form keeps what the head typed, on the current version, to save again.
    expect(html).toContain('value="Titel der Leitung"');
    const after = await app.db.prisma.planActivity.findUniqueOrThrow({ where: { id: ids.act1 } });
    expect(after.remarks).toBe("Bemerkung von Sami");
    expect(after.version).toBe(row.version + 1);
    expect(html).toContain(`name="version" value="${after.version}"`);
    // Re-applied on the current version, it is saved.
    const again = await as("headA").post(activityUrl(ids.act1), {
      ...form(ACTIVITY_TITLE, "Bemerkung der Leitung"),
      version: String(after.version),
    });
    expect(again.status).toBe(302);
    expect((await app.db.prisma.planActivity.findUniqueOrThrow({ where: { id: ids.act1 } })).remarks).toBe(
      "Bemerkung der Leitung",
    );

    // The intended result too.
    const m = await app.db.prisma.planMeasure.findUniqueOrThrow({ where: { id: ids.pm0 } });
    expect(
      (
        await as("headA").post(measureUrl(ids.pm0), {
          intent: "result",
          version: String(m.version),
          intendedResult: "Erste Fassung",
        })
      ).status,
    ).toBe(302);
    const conflict = await as("headA").post(measureUrl(ids.pm0), {
      intent: "result",
      version: String(m.version),
      intendedResult: "Zweite Fassung",
    });
    expect(conflict.status).toBe(409);
    expect(text(await conflict.text())).toContain("Erste Fassung");
    expect((await app.db.prisma.planMeasure.findUniqueOrThrow({ where: { id: ids.pm0 } })).intendedResult).toBe("Erste Fassung");
    // Staff may not edit the intended result.
    expect((await as("staffA").post(measureUrl(ids.pm0), { intent: "result", version: "2", intendedResult: "x" })).status).toBe(
      403,
    );
  });

  it("shows the plan to nobody outside: 404 for another office and an unassigned consultant, reading for the assigned one", async () => {
    for (const url of [planUrl(), measureUrl(ids.pm0), activityUrl(ids.act1)]) {
      for (const who of ["headB", "consultant2"] as const) {
        const res = await as(who).get(url);
        expect(res.status, `${who} ${url}`).toBe(404);
        expect(await res.text()).not.toContain(ACTIVITY_TITLE);
      }
      const read = await as("consultant").get(url);
      expect(read.status, url).toBe(200);
      expect(await read.text()).toContain(url === planUrl() ? OWN_TITLE : ACTIVITY_TITLE);
    }
    // The consultant reads only: every change is refused (authorize() answers 404 to anyone
    // without a role in the office, the assigned consultant included), and nothing changes.
    const before = await app.db.prisma.planActivity.count({ where: { officeId: ids.a } });
    expect([403, 404]).toContain(
      (await as("consultant").post(measureUrl(ids.pm0), { intent: "activity", title: "Beratung" })).status,
    );
    expect([403, 404]).toContain(
      (await as("consultant").post(activityUrl(ids.act1), { intent: "status", status: "NOT_STARTED" })).status,
    );
    expect(await app.db.prisma.planActivity.count({ where: { officeId: ids.a } })).toBe(before);
    expect((await app.db.prisma.planActivity.findUniqueOrThrow({ where: { id: ids.act1 } })).status).toBe("DONE");
    expect((await as("headB").post(activityUrl(ids.act1), { intent: "status", status: "DONE" })).status).toBe(404);
  });

  it("shows the ministry only a released plan, read-only, and says no more without one", async () => {
    const hidden = await as("admin").get(planUrl());
    expect(hidden.status).toBe(200);
    const hiddenBody = await hidden.text();
    expect(text(hiddenBody)).toContain("nur Umsetzungspläne, die eine Behörde ausdrücklich freigegeben hat");
    for (const secret of [ACTIVITY_TITLE, OWN_TITLE, ids.code0]) expect(hiddenBody).not.toContain(secret);
    expect((await as("admin").get(measureUrl(ids.pm0))).status).toBe(404);
    expect((await as("admin").get(activityUrl(ids.act1))).status).toBe(404);

    expect((await as("headA").post(planPost(), { intent: "release", release: "on" })).status).toBe(302);
    const shown = await (await as("admin").get(planUrl())).text();
    expect(shown).toContain(OWN_TITLE);
    expect(shown).not.toContain('value="remove"');
    expect((await as("admin").get(activityUrl(ids.act1))).status).toBe(200);
    expect((await as("admin").post(measureUrl(ids.pm0), { intent: "activity", title: "Ministerium" })).status).toBe(403);
    expect((await as("admin").post(planPost(), { intent: "release", release: "off" })).status).toBe(403);

    expect((await as("headA").post(planPost(), { intent: "release", release: "off" })).status).toBe(302);
    expect(await (await as("admin").get(planUrl())).text()).not.toContain(OWN_TITLE);
  });

  it("logs every change with who and which fields, never the office's text (that only in audit_content)", async () => {
    const events = await app.db.prisma.auditEvent.findMany({ where: { officeId: ids.a, action: { startsWith: "plan." } } });
    const actions = new Set(events.map((e) => e.action));
    for (const a of [
      "plan.started",
      "plan.measure_added",
      "plan.measure_removed",
      "plan.activity_added",
      "plan.activity_saved",
      "plan.status_changed",
      "plan.sachstand_added",
      "plan.measure_edited",
      "plan.released",
      "plan.release_withdrawn",
    ])
      expect(actions, a).toContain(a);
    const visible = JSON.stringify(events.map((e) => e.details));
    for (const secret of [OWN_TITLE, ACTIVITY_TITLE, SACHSTAND, "Bemerkung", "Erste Fassung", "Kürzere Wartezeiten"])
      expect(visible).not.toContain(secret);
    const saved = events.find((e) => e.action === "plan.activity_saved" && e.actorId === ids.headA);
    expect(saved?.details).toMatchObject({ fields: ["remarks"] });
    // The office's own text is kept for the office in audit_content.
    const content = JSON.stringify(
      (await app.db.prisma.auditContent.findMany({ where: { officeId: ids.a }, select: { details: true } })).map(
        (c) => c.details,
      ),
    );
    expect(content).toContain(SACHSTAND);
    expect(content).toContain(OWN_TITLE);
  });
});
