/**
 * The team workshop of a round, over HTTP: staff and head see the office's own ratings and
 * the survey's result only once the database's threshold rules let the office see it; the
 * team keeps a note per reflection question (staff may write), with 409 and both texts
 * when two save on the same version; the head gets the link that takes a note into the
 * plan; the network's admins (403) and other offices (404) see nothing of it; the round's
 * navigation links to the page; the audit log names the question, never the note.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

const NOTE = "Mehrsprachige Wegweiser im Wartebereich\nDas Team will es bis Mai – qx-notiz-44";

describe("the team workshop", () => {
  const app = useApp();
  const ids = {} as { a: string; round: string; assessment: string; survey: string; headId: string };
  const as = {} as Record<"head" | "staff" | "headB" | "admin", Client>;
  const page = () => `/behoerden/${ids.a}/runden/${ids.round}/workshop`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices, round, version } = await createOpenRound(p, { slug: "workshop", offices: ["a", "b"] });
    ids.a = offices[0].id;
    ids.round = round.id;
    const person = async (role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN", officeId: string | null) => {
      const u = await createUser(p, { name: `Person ${role}` });
      await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role } });
      if (role === "NETWORK_ADMIN") await p.user.update({ where: { id: u.id }, data: { totpEnabledAt: new Date() } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: u.email, password: u.password, redirectTo: "/konto" });
      if (role === "NETWORK_ADMIN") await p.session.updateMany({ where: { userId: u.id }, data: { twoFactorVerified: true } });
      return { user: u, c };
    };
    const head = await person("OFFICE_HEAD", ids.a);
    ids.headId = head.user.id;
    as.head = head.c;
    as.staff = (await person("OFFICE_STAFF", ids.a)).c;
    as.headB = (await person("OFFICE_HEAD", offices[1].id)).c;
    as.admin = (await person("NETWORK_ADMIN", null)).c;
    const goals = await p.goal.findMany({ where: { frameworkVersionId: version.id }, orderBy: { number: "asc" } });
    const assessment = await p.assessment.findFirstOrThrow({ where: { roundId: round.id, officeId: ids.a } });
    ids.assessment = assessment.id;
    await p.goalAssessment.create({ data: { assessmentId: assessment.id, goalId: goals[1].id, rating: 2 } });
    await p.goalAssessment.create({ data: { assessmentId: assessment.id, goalId: goals[3].id, notAssessed: true } });
    // A running survey with 4 counted answers (threshold 5): nothing to see yet.
    const survey = await p.survey.create({
      data: { assessmentId: assessment.id, closesAt: new Date(Date.now() + 86_400_000), createdById: head.user.id },
    });
    ids.survey = survey.id;
    for (let i = 0; i < 4; i++) {
      await p.surveyCode.create({ data: { surveyId: survey.id, codeHash: `hash-${i}`, used: true, counts: true } });
      await p.surveyResponse.create({ data: { surveyId: survey.id, answers: { "1": 4, "2A": i % 2 ? 1 : null } } });
    }
  });

  const noteForm = (over: Record<string, string>) => ({ question: "survey", version: "0", body: "", ...over });

  it("shows the team the office's ratings and says the survey is still running", async () => {
    for (const who of [as.head, as.staff]) {
      const res = await who.get(page());
      expect(res.status).toBe(200);
      const body = text(await res.text());
      expect(body).toContain("Team-Workshop");
      expect(body).toMatch(/Ziel 2: [^]*?Stufe 2: /);
      expect(body).toContain("nicht bewertet");
      expect(body).toContain("Die Befragung läuft noch");
      expect(body).not.toContain("Wie wichtig ist Veränderung? Ergebnis");
      expect(body).toContain("Frage 10 : Welche Maßnahmen wollen wir angehen");
    }
  });

  it("links to the workshop from the round's navigation", async () => {
    const res = await as.staff.get(`/behoerden/${ids.a}/runden/${ids.round}`);
    expect(await res.text()).toContain(`href="${page()}"`);
  });

  it("keeps the survey hidden after its end while too few counted, and shows it once the threshold is met", async () => {
    const p = app.db.prisma;
    await p.survey.update({ where: { id: ids.survey }, data: { closesAt: new Date(Date.now() - 1000) } });
    let body = text(await (await as.staff.get(page())).text());
    expect(body).toContain("weniger als 5 Mitarbeitende");
    expect(body).not.toContain("Wie wichtig ist Veränderung? Ergebnis");

    await p.surveyCode.create({ data: { surveyId: ids.survey, codeHash: "hash-5", used: true, counts: true } });
    await p.surveyResponse.create({ data: { surveyId: ids.survey, answers: { "1": 3, "2A": 2 } } });
    body = text(await (await as.staff.get(page())).text());
    expect(body).toContain("Wie wichtig ist Veränderung? Ergebnis aus 5 Antworten");
    // Work field 1: four "sehr wichtig" (4) and one "eher wichtig" (3), of five answers.
    expect(body).toMatch(/1 Ermöglichungskultur[^]*?Ziel 1: [^]*? 4 \(80 %\) 1 \(20 %\) 0 \(0 %\)/);
  });

  it("lets staff keep a note, logging the question but not the text", async () => {
    const res = await as.staff.post(page(), noteForm({ body: NOTE }));
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Die Notiz ist gespeichert.");
    const row = await app.db.prisma.workshopNote.findFirstOrThrow({
      where: { roundId: ids.round, officeId: ids.a, questionKey: "survey" },
    });
    expect(row).toMatchObject({ body: NOTE, version: 1 });
    const events = await app.db.prisma.auditEvent.findMany({ where: { action: "workshop.note_saved", officeId: ids.a } });
    expect(events.map((e) => e.details)).toEqual([{ round: "2026", question: 1 }]);
  });

  it("answers a save on an old version with 409 and both texts, changing nothing", async () => {
    const res = await as.head.post(page(), noteForm({ version: "0", body: "Meine Sicht qx-konflikt" }));
    expect(res.status).toBe(409);
    const body = text(await res.text());
    expect(body).toContain("Jemand anderes hat die Notiz zu dieser Frage gespeichert");
    expect(body).toContain("Meine Sicht qx-konflikt");
    expect(body).toContain("qx-notiz-44");
    const row = await app.db.prisma.workshopNote.findFirstOrThrow({
      where: { roundId: ids.round, officeId: ids.a, questionKey: "survey" },
    });
    expect(row).toMatchObject({ body: NOTE, version: 1 });
    // On the current version the head's save goes through.
    expect((await as.head.post(page(), noteForm({ version: "1", body: `${NOTE}\nErgänzt` }))).status).toBe(200);
  });

  it("refuses an unknown question or a note far too long with 400, keeping the text", async () => {
    const unknown = await as.staff.post(page(), noteForm({ question: "gibt-es-nicht", body: "qx-unbekannt" }));
    expect(unknown.status).toBe(400);
    const long = await as.staff.post(page(), noteForm({ question: "concerns", body: "x".repeat(20_001) }));
    expect(long.status).toBe(400);
    expect(text(await long.text())).toContain("Die Notiz ist zu lang.");
    expect(await app.db.prisma.workshopNote.count({ where: { questionKey: { in: ["gibt-es-nicht", "concerns"] } } })).toBe(0);
  });

  it("offers the head to take a note into the plan once the office has one – prefilled with its first line", async () => {
    const p = app.db.prisma;
    expect(await (await as.head.get(page())).text()).not.toContain("eigeneMassnahme=");
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.a } });
    await p.plan.create({ data: { networkId: office.networkId, officeId: ids.a, startedById: ids.headId } });
    const html = await (await as.head.get(page())).text();
    expect(html).toContain(
      `/behoerden/${ids.a}/plan?eigeneMassnahme=${encodeURIComponent("Mehrsprachige Wegweiser im Wartebereich")}#add-own-heading`,
    );
    expect(await (await as.staff.get(page())).text()).not.toContain("eigeneMassnahme=");
    // The plan's own-measure form then starts with that title.
    const plan = await (
      await as.head.get(
        `/behoerden/${ids.a}/plan?eigeneMassnahme=${encodeURIComponent("Mehrsprachige Wegweiser im Wartebereich")}`,
      )
    ).text();
    expect(plan).toMatch(
      /name="title"[^>]*value="Mehrsprachige Wegweiser im Wartebereich"|value="Mehrsprachige Wegweiser im Wartebereich"[^>]*name="title"/,
    );
  });

  it("gives another office 404 and the ministry 403, with nothing of the notes", async () => {
    for (const [who, status] of [
      [as.headB, 404],
      [as.admin, 403],
    ] as const) {
      const res = await who.get(page());
      expect(res.status).toBe(status);
      expect(await res.text()).not.toContain("qx-notiz-44");
      expect((await who.post(page(), noteForm({ question: "reasons", body: "fremd" }))).status).toBe(status);
    }
    expect(await app.db.prisma.workshopNote.count({ where: { questionKey: "reasons" } })).toBe(0);
  });
});
