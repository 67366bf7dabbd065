import { beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

/**
 * The office's self-assessment over HTTP, as the forms send it (also without JavaScript):
 * consensus and individual ratings, measures with priorities, concurrent edits, bad
 * input, submission (once, with one receipt) and the lock after it.
 */
describe("the self-assessment of an office", () => {
  const app = useApp();
  const ids = {} as {
    networkSlug: string;
    network: string;
    office: string;
    other: string;
    round: string;
    assessment: string;
    goal1: string;
  };
  const people = {} as Record<"head" | "staff1" | "staff2" | "headB" | "admin", Client & { id: string; name: string }>;
  const page = () => `/behoerden/${ids.office}/runden/${ids.round}`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { version, network, offices, round } = await createOpenRound(p, { slug: "einschaetzung", offices: ["a", "b"] });
    const [office, other] = offices;
    const assessment = await p.assessment.findFirstOrThrow({ where: { officeId: office.id } });
    const goal1 = await p.goal.findFirstOrThrow({ where: { frameworkVersionId: version.id, number: 1 } });
    Object.assign(ids, {
      network: network.id,
      office: office.id,
      other: other.id,
      round: round.id,
      assessment: assessment.id,
      goal1: goal1.id,
    });
    const members: Array<[keyof typeof people, string, "OFFICE_HEAD" | "OFFICE_STAFF", string]> = [
      ["head", "Hanna Leitung", "OFFICE_HEAD", office.id],
      ["staff1", "Sami Eins", "OFFICE_STAFF", office.id],
      ["staff2", "Toni Zwei", "OFFICE_STAFF", office.id],
      ["headB", "Bea Beta", "OFFICE_HEAD", other.id],
    ];
    for (const [key, name, role, officeId] of members) {
      const user = await createUser(p, { name });
      await p.membership.create({ data: { userId: user.id, networkId: network.id, officeId, role } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/konto" });
      people[key] = Object.assign(c, { id: user.id, name });
    }
    // The network admin, with two-factor done.
    const admin = await createUser(p, { name: "Referat" });
    await p.membership.create({ data: { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });
    const c = client(app.baseUrl);
    await c.post("/anmelden", { email: admin.email, password: admin.password, redirectTo: "/konto" });
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
    people.admin = Object.assign(c, { id: admin.id, name: "Referat" });
    ids.networkSlug = network.slug;
  });

  const goalRow = () =>
    app.db.prisma.goalAssessment.findUnique({
      where: { assessmentId_goalId: { assessmentId: ids.assessment, goalId: ids.goal1 } },
    });
  const goalForm = (over: Record<string, string>) => ({
    intent: "goal",
    version: "0",
    answer: "",
    comment: "",
    evidence: "",
    links: "",
    "base.answer": "",
    "base.comment": "",
    "base.evidence": "",
    "base.links": "",
    ...over,
  });

  it("shows the goal with the levels, the goal's own examples and its measures one click away", async () => {
    const res = await people.staff1.get(`${page()}/ziele/1`);
    expect(res.status).toBe(200);
    const body = text(await res.text());
    expect(body).toContain("Nur die Leitung trägt die gemeinsame Bewertung ein.");
    expect(body).not.toContain("Wie weit ist Ihre Behörde bei diesem Ziel?");
    const head = text(await (await people.head.get(`${page()}/ziele/1`)).text());
    expect(head).toContain("Wie weit ist Ihre Behörde bei diesem Ziel?");
    expect(head).toContain("Nicht bewertet");
    const example = await app.db.prisma.goalLevelExample.findFirstOrThrow({ where: { goalId: ids.goal1, level: 3 } });
    expect(head).toContain(example.example);
    expect(head).toMatch(/Maßnahmen zu diesem Ziel.*1\.1/);
  });

  it("saves a colleague's comment and the head's rating made at the same time, both kept", async () => {
    const staff = await people.staff1.post(`${page()}/ziele/1`, goalForm({ comment: "Wir beraten schon gut." }));
    expect(staff.status).toBe(200);
    // The head's form was loaded before (version 0, empty base): a stale save, merged field by field.
    const head = await people.head.post(`${page()}/ziele/1`, goalForm({ answer: "3" }));
    expect(head.status).toBe(200);
    const row = await goalRow();
    expect(row).toMatchObject({ rating: 3, notAssessed: false, comment: "Wir beraten schon gut.", version: 2 });
  });

  it("never lets staff set the consensus rating", async () => {
    const res = await people.staff2.post(
      `${page()}/ziele/1`,
      goalForm({
        version: "2",
        answer: "5",
        "base.answer": "3",
        "base.comment": "Wir beraten schon gut.",
        comment: "Wir beraten schon gut.",
      }),
    );
    expect(res.status).toBe(200);
    expect((await goalRow())?.rating).toBe(3);
  });

  it("shows the second of two people editing the same field both versions and overwrites nothing", async () => {
    const base = { version: "2", answer: "3", "base.answer": "3", "base.comment": "Wir beraten schon gut." };
    const first = await people.staff1.post(`${page()}/ziele/1`, goalForm({ ...base, comment: "Fassung von Sami" }));
    expect(first.status).toBe(200);
    const second = await people.staff2.post(`${page()}/ziele/1`, goalForm({ ...base, comment: "Fassung von Toni" }));
    expect(second.status).toBe(409);
    const body = text(await second.text());
    expect(body).toContain("Zwei Fassungen – bitte entscheiden");
    expect(body).toContain("Fassung von Sami");
    expect(body).toContain("Fassung von Toni");
    expect(body).toContain("Sami Eins");
    expect((await goalRow())?.comment).toBe("Fassung von Sami");
    // "Save my version" sends the stored version as base: a deliberate overwrite.
    const keep = await people.staff2.post(
      `${page()}/ziele/1`,
      goalForm({
        version: "3",
        answer: "3",
        "base.answer": "3",
        "base.comment": "Fassung von Sami",
        comment: "Fassung von Toni",
      }),
    );
    expect(keep.status).toBe(200);
    expect((await goalRow())?.comment).toBe("Fassung von Toni");
  });

  it("answers bad input with 400 and a German message, and changes nothing", async () => {
    const before = await goalRow();
    const cases: Array<[Record<string, string>, string]> = [
      [{ answer: "7" }, "Bitte wählen Sie eine Bewertung von 1 bis 5"],
      [{ links: "ftp://intern/akte" }, "Bitte nur vollständige Adressen"],
      [{ links: Array.from({ length: 11 }, (_, i) => `https://beleg.example/${i}`).join("\n") }, "Bitte höchstens 10 Links."],
      [{ comment: "x".repeat(5001) }, "Der Kommentar ist zu lang"],
      [{ version: "alt" }, "Das Formular ist veraltet"],
    ];
    for (const [over, message] of cases) {
      const res = await people.head.post(
        `${page()}/ziele/1`,
        goalForm({ version: String(before!.version), answer: "3", "base.answer": "3", ...over }),
      );
      expect(res.status, JSON.stringify(over).slice(0, 60)).toBe(400);
      expect(text(await res.text())).toContain(message);
    }
    expect(await goalRow()).toEqual(before);
    expect((await people.head.post(`${page()}/ziele/13`, goalForm({ answer: "3" }))).status).toBe(404);
    expect((await people.head.post(`${page()}/ziele/abc`, goalForm({ answer: "3" }))).status).toBe(404);
  });

  it("keeps a distinct 'not assessed' answer", async () => {
    const row = await goalRow();
    const res = await people.head.post(
      `${page()}/ziele/1`,
      goalForm({
        version: String(row!.version),
        answer: "na",
        "base.answer": "3",
        comment: row!.comment,
        "base.comment": row!.comment,
      }),
    );
    expect(res.status).toBe(200);
    expect(await goalRow()).toMatchObject({ rating: null, notAssessed: true });
    await people.head.post(
      `${page()}/ziele/1`,
      goalForm({
        version: String(row!.version + 1),
        answer: "4",
        "base.answer": "na",
        comment: row!.comment,
        "base.comment": row!.comment,
      }),
    );
    expect(await goalRow()).toMatchObject({ rating: 4, notAssessed: false });
  });

  it("shows the team's individual ratings with names inside the office, and to nobody else", async () => {
    expect(
      (await people.staff1.post(`${page()}/ziele/1`, { intent: "individual", answer: "2", reasons: "Zu wenig Personal." }))
        .status,
    ).toBe(200);
    expect(
      (await people.staff2.post(`${page()}/ziele/1`, { intent: "individual", answer: "4", reasons: "Gute Beratung." })).status,
    ).toBe(200);
    const body = text(await (await people.head.get(`${page()}/ziele/1`)).text());
    expect(body).toContain("2 von 3 Personen im Team haben eingeschätzt.");
    expect(body).toMatch(/Sami Eins 2 – .*Zu wenig Personal\./);
    expect(body).toContain("Gute Beratung.");
    const outsider = await people.headB.get(`${page()}/ziele/1`);
    expect([403, 404]).toContain(outsider.status);
    expect(await outsider.text()).not.toContain("Zu wenig Personal");
  });

  it("rates measures: the rule's priority, an override only with a reason, unknown measures refused", async () => {
    const measure = (over: Record<string, string>) => ({
      intent: "measure",
      code: "1.1",
      version: "0",
      need: "",
      effort: "",
      override: "",
      reason: "",
      "base.need": "",
      "base.effort": "",
      "base.override": "",
      "base.reason": "",
      ...over,
    });
    expect((await people.staff1.post(`${page()}/massnahmen`, measure({ need: "HIGH", effort: "LOW" }))).status).toBe(200);
    const noReason = await people.staff1.post(
      `${page()}/massnahmen`,
      measure({ version: "1", need: "HIGH", effort: "LOW", "base.need": "HIGH", "base.effort": "LOW", override: "LOW" }),
    );
    expect(noReason.status).toBe(400);
    expect(text(await noReason.text())).toContain("Bitte begründen Sie, warum Sie die Priorität ändern.");
    const ok = await people.staff1.post(
      `${page()}/massnahmen`,
      measure({
        version: "1",
        need: "HIGH",
        effort: "LOW",
        "base.need": "HIGH",
        "base.effort": "LOW",
        override: "LOW",
        reason: "Erst nach dem Umzug.",
      }),
    );
    expect(ok.status).toBe(200);
    const row = await app.db.prisma.measureAssessment.findFirstOrThrow({
      where: { assessmentId: ids.assessment, measure: { code: "1.1" } },
    });
    expect(row).toMatchObject({
      need: "HIGH",
      effort: "LOW",
      priorityOverride: "LOW",
      overrideReason: "Erst nach dem Umzug.",
      version: 2,
    });
    expect((await people.staff1.post(`${page()}/massnahmen`, measure({ code: "99.9", need: "HIGH" }))).status).toBe(400);
    expect((await people.staff1.post(`${page()}/massnahmen`, measure({ code: "1.2", need: "SEHR" }))).status).toBe(400);
    const overview = text(await (await people.staff1.get(page())).text());
    expect(overview).toContain("Maßnahmen: 1 von 56 bewertet");
    expect(overview).toContain("Ziele: 1 von 12 beantwortet");
  });

  it("saves many measures at the same moment without an error (people rating side by side)", async () => {
    const codes = ["2.1", "2.2", "3.1", "3.2", "4.1", "5.1", "6.1", "7.1"];
    const other = `/behoerden/${ids.other}/runden/${ids.round}/massnahmen`;
    const form = (code: string) => ({
      intent: "measure",
      code,
      version: "0",
      need: "HIGH",
      effort: "LOW",
      override: "",
      reason: "",
      "base.need": "",
      "base.effort": "",
      "base.override": "",
      "base.reason": "",
    });
    const responses = await Promise.all(codes.map((code) => people.headB.post(other, form(code))));
    expect(responses.map((r) => r.status)).toEqual(codes.map(() => 200));
    const stored = await app.db.prisma.measureAssessment.count({
      where: { assessment: { officeId: ids.other }, need: "HIGH", effort: "LOW" },
    });
    expect(stored).toBe(codes.length);
    // The progress counter saw every save, not the last writer's view.
    expect((await app.db.prisma.assessment.findFirstOrThrow({ where: { officeId: ids.other } })).measuresDone).toBe(codes.length);
  });

  it("records every change in the audit log with who and what; the old and new value only for the office", async () => {
    const events = await app.db.prisma.auditEvent.findMany({
      where: { officeId: ids.office, action: { startsWith: "assessment." } },
      orderBy: { id: "asc" },
      include: { content: true },
    });
    expect(events.map((e) => e.action)).toEqual(
      expect.arrayContaining(["assessment.goal_saved", "assessment.individual_saved", "assessment.measure_saved"]),
    );
    // The event everyone allowed to read the log sees names the fields, never their values.
    expect(events.filter((e) => JSON.stringify(e.details).includes("Fassung von"))).toEqual([]);
    const overwrite = events.find((e) => JSON.stringify(e.content?.details).includes("Fassung von Toni"));
    expect(overwrite?.actorId).toBe(people.staff2.id);
    expect(overwrite?.details).toMatchObject({ goal: 1, fields: ["comment"] });
    expect(overwrite?.content).toMatchObject({
      officeId: ids.office,
      details: { changes: { comment: { from: "Fassung von Sami", to: "Fassung von Toni" } } },
    });
    // A member's own rating and reasons: who saved which fields, no values anywhere.
    const own = events.filter((e) => e.action === "assessment.individual_saved");
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((e) => e.content === null && !JSON.stringify(e.details).includes("Personal"))).toBe(true);
  });

  it("lets only the head submit, after confirming the gaps; a double submission has one effect and one receipt", async () => {
    expect((await people.staff1.post(`${page()}/abgeben`, { intent: "submit", confirmGaps: "yes" })).status).toBe(403);
    const unconfirmed = await people.head.post(`${page()}/abgeben`, { intent: "submit" });
    expect(unconfirmed.status).toBe(400);
    expect(text(await unconfirmed.text())).toContain("Bitte bestätigen Sie, dass Sie trotz offener Punkte abgeben.");
    const summary = text(await (await people.head.get(`${page()}/abgeben`)).text());
    expect(summary).toContain("Noch offene Ziele (11)");
    expect(summary).toContain("Noch nicht bewertete Maßnahmen (55)");

    const [a, b] = await Promise.all([
      people.head.post(`${page()}/abgeben`, { intent: "submit", confirmGaps: "yes" }),
      people.head.post(`${page()}/abgeben`, { intent: "submit", confirmGaps: "yes" }),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    expect([a.headers.get("location"), b.headers.get("location")].sort()).toEqual([
      `${page()}/abgeben?ergebnis=abgegeben`,
      `${page()}/abgeben?ergebnis=schon-abgegeben`,
    ]);
    const again = await people.head.post(`${page()}/abgeben`, { intent: "submit", confirmGaps: "yes" });
    expect(again.headers.get("location")).toBe(`${page()}/abgeben?ergebnis=schon-abgegeben`);
    expect(await app.db.prisma.auditEvent.count({ where: { officeId: ids.office, action: "assessment.submitted" } })).toBe(1);
    const receipts = await app.db.prisma.emailMessage.findMany({ where: { template: "assessment-submitted" } });
    expect(receipts).toHaveLength(1);
    expect(receipts[0].subject).toBe("Eingangsbestätigung: Selbsteinschätzung ABH Alpha, Runde „2026“");
    const row = await app.db.prisma.assessment.findUniqueOrThrow({ where: { id: ids.assessment } });
    expect(row.submittedById).toBe(people.head.id);
  });

  it("is read-only after submission: every edit gets 409 and a German message, nothing changes", async () => {
    const before = await goalRow();
    const edit = await people.staff1.post(
      `${page()}/ziele/1`,
      goalForm({ version: String(before!.version), comment: "zu spät", "base.comment": before!.comment }),
    );
    expect(edit.status).toBe(409);
    expect(text(await edit.text())).toContain("Die Selbsteinschätzung ist abgegeben und kann nicht mehr geändert werden.");
    expect((await people.staff1.post(`${page()}/ziele/1`, { intent: "individual", answer: "1", reasons: "" })).status).toBe(409);
    expect(
      (await people.staff1.post(`${page()}/massnahmen`, { intent: "measure", code: "1.2", version: "0", need: "LOW" })).status,
    ).toBe(409);
    expect(await goalRow()).toEqual(before);
    const overview = text(await (await people.staff1.get(page())).text());
    expect(overview).toContain("Abgegeben am");
    expect(overview).toContain("von Hanna Leitung");
  });

  it("refuses edits in a round that has not begun or is closed", async () => {
    const p = app.db.prisma;
    const other = `/behoerden/${ids.other}/runden/${ids.round}`;
    await p.assessmentRound.update({ where: { id: ids.round }, data: { opensAt: new Date(Date.now() + 86_400_000) } });
    const early = await people.headB.post(`${other}/ziele/2`, goalForm({ answer: "2" }));
    expect(early.status).toBe(409);
    expect(text(await early.text())).toContain("Die Runde hat noch nicht begonnen.");
    await p.assessmentRound.update({
      where: { id: ids.round },
      data: { opensAt: new Date(Date.now() - 86_400_000), closedAt: new Date() },
    });
    const late = await people.headB.post(`${other}/ziele/2`, goalForm({ answer: "2" }));
    expect(late.status).toBe(409);
    expect(text(await late.text())).toContain("Die Runde ist abgeschlossen.");
    expect(await p.goalAssessment.count({ where: { assessment: { officeId: ids.other } } })).toBe(0);
    await p.assessmentRound.update({ where: { id: ids.round }, data: { closedAt: null } });
  });

  it("keeps the priority rule a submitted assessment was submitted with", async () => {
    // Submitted above with 1.1 = need HIGH, effort LOW → "hoch" by the default rule; the network now ranks that "gering".
    const rule = {
      HIGH: { HIGH: "LOW", MEDIUM: "LOW", LOW: "LOW", NONE: "LOW" },
      MEDIUM: { HIGH: "LOW", MEDIUM: "LOW", LOW: "LOW", NONE: "LOW" },
      LOW: { HIGH: "LOW", MEDIUM: "LOW", LOW: "LOW", NONE: "LOW" },
      NONE: { HIGH: "NONE", MEDIUM: "NONE", LOW: "NONE", NONE: "NONE" },
    };
    await app.db.prisma.network.update({ where: { id: ids.network }, data: { priorityRule: rule } });
    const measures = text(await (await people.staff1.get(`${page()}/massnahmen`)).text());
    const m11 = measures.slice(measures.indexOf("1.1 Beratung"), measures.indexOf("1.2 Nutzung"));
    expect(m11, m11).toContain("Priorität nach der Regel: hoch");
    const row = await app.db.prisma.assessment.findUniqueOrThrow({ where: { id: ids.assessment } });
    expect(row.priorityRule).toMatchObject({ HIGH: { LOW: "HIGH" } });
    await app.db.prisma.network
      .update({ where: { id: ids.network }, data: { priorityRule: { set: null } as never } })
      .catch(async () => {
        await app.db.prisma.$executeRaw`UPDATE network SET priority_rule = NULL WHERE id = ${ids.network}::uuid`;
      });
  });

  it("lets the network admin reopen it with a reason the office sees; others cannot", async () => {
    const url = `/netzwerke/${ids.networkSlug}/runden/${ids.round}`;
    expect((await people.head.post(url, { intent: "reopen", officeId: ids.office, reason: "Bitte ergänzen." })).status).toBe(403);
    const empty = await people.admin.post(url, { intent: "reopen", officeId: ids.office, reason: "  " });
    expect(empty.status).toBe(400);
    expect(text(await empty.text())).toContain("Bitte geben Sie eine Begründung an.");
    const notSubmitted = await people.admin.post(url, { intent: "reopen", officeId: ids.other, reason: "Test" });
    expect(notSubmitted.status).toBe(409);
    expect(text(await notSubmitted.text())).toContain("nicht abgegeben");
    expect((await app.db.prisma.assessment.findUniqueOrThrow({ where: { id: ids.assessment } })).submittedAt).not.toBeNull();

    const ok = await people.admin.post(url, { intent: "reopen", officeId: ids.office, reason: "Ziel 2 fehlt noch." });
    expect(ok.status).toBe(200);
    expect(text(await ok.text())).toContain("Die Selbsteinschätzung von ABH Alpha ist wieder geöffnet.");
    const row = await app.db.prisma.assessment.findUniqueOrThrow({ where: { id: ids.assessment } });
    expect(row).toMatchObject({ submittedAt: null, submittedById: null, priorityRule: null });
    const overview = text(await (await people.staff1.get(page())).text());
    expect(overview).toContain("Grund: Ziel 2 fehlt noch.");
    expect(overview).toContain("Entwurf");
    // Editable again; and a second reopen of a draft is refused.
    const edit = await people.staff1.post(`${page()}/ziele/2`, goalForm({ comment: "nachgetragen" }));
    expect(edit.status).toBe(200);
    expect((await people.admin.post(url, { intent: "reopen", officeId: ids.office, reason: "noch mal" })).status).toBe(409);
    expect(await app.db.prisma.auditEvent.count({ where: { action: "assessment.reopened", officeId: ids.office } })).toBe(1);
  });
});
