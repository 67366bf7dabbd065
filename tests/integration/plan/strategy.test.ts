/**
 * The overall strategy (Gesamtkonzept) of an office's plan, over HTTP: the head edits it,
 * staff read it and are refused a save (403), a save on an old version is a 409 that keeps
 * the typed text, the DOCX is a real Word file (a zip with the guiding idea in
 * word/document.xml) and the PDF a PDF, both as attachments; another office gets 404 and the
 * network's admins 403 – even for a released plan – and the audit log names fields, never text.
 */
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

const GUIDING_IDEA = "Wir sind die Visitenkarte der Stadt – qx-leitidee-31";
const SUCCESSES = "Online-Terminvergabe seit 2025 – qx-erfolge-31";

describe("the Gesamtkonzept", () => {
  const app = useApp();
  const ids = {} as { a: string; b: string; plan: string; goal3: string };
  const as = {} as Record<"head" | "staff" | "headB" | "admin", Client>;
  const page = () => `/behoerden/${ids.a}/plan/gesamtkonzept`;

  const form = (over: Record<string, string> = {}) => {
    const f: Record<string, string> = { version: "0", guidingIdea: "", needForChange: "", successes: "" };
    for (let n = 1; n <= 12; n++) {
      f[`goal-${n}-mode`] = "asIs";
      f[`goal-${n}-wording`] = "";
    }
    return { ...f, ...over };
  };

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices, round, version } = await createOpenRound(p, { slug: "gesamtkonzept", offices: ["a", "b"] });
    ids.a = offices[0].id;
    ids.b = offices[1].id;
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
    as.head = head.c;
    as.staff = (await person("OFFICE_STAFF", ids.a)).c;
    as.headB = (await person("OFFICE_HEAD", ids.b)).c;
    as.admin = (await person("NETWORK_ADMIN", null)).c;

    // Office A rated goal 3 lowest (level 1) and goal 7 next (level 2), and submitted.
    const goals = await p.goal.findMany({ where: { frameworkVersionId: version.id }, orderBy: { number: "asc" } });
    ids.goal3 = goals[2].id;
    const assessment = await p.assessment.findFirstOrThrow({ where: { roundId: round.id, officeId: ids.a } });
    await p.goalAssessment.createMany({
      data: goals.map((g) => ({
        assessmentId: assessment.id,
        goalId: g.id,
        rating: g.number === 3 ? 1 : g.number === 7 ? 2 : 4,
      })),
    });
    await p.assessment.update({ where: { id: assessment.id }, data: { submittedAt: new Date(), submittedById: head.user.id } });
    const plan = await p.plan.create({
      data: {
        networkId: network.id,
        officeId: ids.a,
        sourceRoundId: round.id,
        startedById: head.user.id,
        releasedAt: new Date(),
      },
    });
    ids.plan = plan.id;
    const measure = await p.measure.findFirstOrThrow({ where: { workField: { frameworkVersionId: version.id } } });
    await p.planMeasure.create({
      data: { planId: plan.id, officeId: ids.a, measureId: measure.id, origin: "priority", addedById: head.user.id },
    });
    await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: ids.a,
        ownTitle: "Wartebereich mehrsprachig beschildern",
        origin: "own",
        addedById: head.user.id,
      },
    });
  });

  it("shows the head the 12 goals, the plan's measures and a suggestion from the lowest-rated goals", async () => {
    const res = await as.head.get(page());
    expect(res.status).toBe(200);
    const body = text(await res.text());
    expect(body).toContain("Ziel 12:");
    expect(body).toContain("Wartebereich mehrsprachig beschildern");
    // The suggestion names goal 3 (level 1) before goal 7 (level 2), and the field is prefilled with it.
    expect(body).toMatch(/Ziel 3 „[^“]+“: Stufe 1[\s\S]*Ziel 7 „[^“]+“: Stufe 2/);
    expect(body).toContain("Gesamtkonzept speichern");
  });

  it("saves the head's document, logging the changed parts but not the text", async () => {
    const res = await as.head.post(
      page(),
      form({
        guidingIdea: GUIDING_IDEA,
        successes: SUCCESSES,
        "goal-3-mode": "reworded",
        "goal-3-wording": "Wir beraten verständlich.",
        "goal-5-mode": "no",
      }),
    );
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Das Gesamtkonzept ist gespeichert.");
    const row = await app.db.prisma.planStrategy.findUniqueOrThrow({ where: { planId: ids.plan } });
    expect(row).toMatchObject({ guidingIdea: GUIDING_IDEA, successes: SUCCESSES, version: 1 });
    expect(row.goals).toEqual(
      expect.arrayContaining([{ goalId: ids.goal3, adopted: true, wording: "Wir beraten verständlich." }]),
    );
    const events = await app.db.prisma.auditEvent.findMany({ where: { action: "plan.strategy_saved", officeId: ids.a } });
    expect(events).toHaveLength(1);
    expect(events[0].details).toEqual({ cycle: 1, fields: ["guidingIdea", "adoptedGoals", "successes"] });
    expect(JSON.stringify(events[0].details)).not.toContain("qx-");
  });

  it("asks for a wording when a goal is to be reworded, keeping everything typed (400)", async () => {
    const res = await as.head.post(page(), form({ version: "1", guidingIdea: "Getippt qx-400", "goal-2-mode": "reworded" }));
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(text(body)).toContain("Bitte geben Sie Ihre eigene Formulierung ein");
    expect(body).toContain("Getippt qx-400");
    expect((await app.db.prisma.planStrategy.findUniqueOrThrow({ where: { planId: ids.plan } })).version).toBe(1);
  });

  it("answers a save on an old version with 409, keeping the typed text beside the saved one", async () => {
    const res = await as.head.post(page(), form({ version: "0", guidingIdea: "Meine ältere Fassung qx-konflikt" }));
    expect(res.status).toBe(409);
    const body = text(await res.text());
    expect(body).toContain("Jemand anderes hat das Gesamtkonzept gespeichert");
    expect(body).toContain("Meine ältere Fassung qx-konflikt");
    expect(body).toContain(`Inzwischen gespeichert: ${GUIDING_IDEA}`);
    const row = await app.db.prisma.planStrategy.findUniqueOrThrow({ where: { planId: ids.plan } });
    expect(row).toMatchObject({ guidingIdea: GUIDING_IDEA, version: 1 });
  });

  it("lets staff read the document but not save it (403)", async () => {
    const read = await as.staff.get(page());
    expect(read.status).toBe(200);
    const body = text(await read.text());
    expect(body).toContain(GUIDING_IDEA);
    expect(body).toContain("Nur die Leitung der Behörde kann das Gesamtkonzept bearbeiten");
    expect(body).not.toContain("Gesamtkonzept speichern");
    const res = await as.staff.post(page(), form({ version: "1", guidingIdea: "Von Mitarbeitenden qx-staff" }));
    expect(res.status).toBe(403);
    expect((await app.db.prisma.planStrategy.findUniqueOrThrow({ where: { planId: ids.plan } })).guidingIdea).toBe(GUIDING_IDEA);
  });

  it("exports a DOCX – a zip whose document holds the guiding idea – as an attachment", async () => {
    const res = await as.staff.get(`${page()}/docx`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Gesamtkonzept-ABH-Alpha-1\.docx"/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe("PK");
    const xml = await (await JSZip.loadAsync(bytes)).file("word/document.xml")!.async("string");
    expect(xml).toContain("qx-leitidee-31");
    expect(xml).toContain("Wir beraten verständlich.");
    expect(xml).toContain("Wartebereich mehrsprachig beschildern");
  });

  it("exports a PDF as an attachment", async () => {
    const res = await as.head.get(`${page()}/pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Gesamtkonzept-ABH-Alpha-1\.pdf"/);
    expect(
      Buffer.from(await res.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
  });

  it("answers 404 for an unknown format", async () => {
    expect((await as.head.get(`${page()}/odt`)).status).toBe(404);
  });

  it("gives another office 404 and the ministry 403 (the plan is released, the strategy stays the office's)", async () => {
    for (const path of [page(), `${page()}/docx`, `${page()}/pdf`]) {
      const outsider = await as.headB.get(path);
      expect(outsider.status).toBe(404);
      expect(await outsider.text()).not.toContain("qx-leitidee-31");
      const admin = await as.admin.get(path);
      expect(admin.status).toBe(403);
      expect(await admin.text()).not.toContain("qx-leitidee-31");
    }
    expect((await as.headB.post(page(), form({ version: "1", guidingIdea: "fremd" }))).status).toBe(404);
    expect((await as.admin.post(page(), form({ version: "1", guidingIdea: "fremd" }))).status).toBe(403);
  });
});
