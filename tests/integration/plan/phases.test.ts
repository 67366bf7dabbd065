/**
 * The five phases of the change over HTTP (issue 21, item 3): who may do what on the phases
 * page, what the audit log keeps, the consolidation check, the follow-up cycle (the old plan
 * is closed, kept and readable, never writable again) and outsiders.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { tickTask } from "~/domains/plan/phases.server";
import { ForbiddenError } from "~/platform/errors";
import { type Client, client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

const NOTE = "Notiz-zur-Aufgabe-phasen-4711";
const REVIEW = "Besprechungsnotiz-phasen-0815";
const RESULTS = "Ergebnis-der-Pruefung-phasen-42";

describe("plan phases: checklist, reviews, consolidation, follow-up cycle", () => {
  const app = useApp();
  const ids = {} as {
    network: string;
    office: string;
    other: string;
    plan: string;
    finished: string;
    open: string;
    openActivity: string;
    laterRound: string;
    headId: string;
  };
  const as = {} as Record<"head" | "staff" | "headB" | "consultant" | "admin", Client>;
  const page = () => `/behoerden/${ids.office}/plan/phasen`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices, round } = await createOpenRound(p, { slug: "phasen", offices: ["a", "b"] });
    const [office, other] = offices;
    const people = {
      head: ["OFFICE_HEAD", office.id],
      staff: ["OFFICE_STAFF", office.id],
      headB: ["OFFICE_HEAD", other.id],
      consultant: ["CONSULTANT", null],
      admin: ["NETWORK_ADMIN", null],
    } as const;
    for (const [key, [role, officeId]] of Object.entries(people)) {
      const user = await createUser(p, { name: `Phasen ${key}` });
      await p.membership.create({ data: { userId: user.id, networkId: network.id, officeId, role } });
      if (key === "admin") await p.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
      if (key === "head") ids.headId = user.id;
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/konto" });
      if (key === "admin") await p.session.updateMany({ where: { userId: user.id }, data: { twoFactorVerified: true } });
      as[key as keyof typeof as] = c;
    }
    // Cycle 1 from the first round: one finished measure, one still open (1 of 2 steps done = 50 %).
    const measures = await p.measure.findMany({ orderBy: { code: "asc" }, take: 3 });
    const plan = await p.plan.create({
      data: { networkId: network.id, officeId: office.id, sourceRoundId: round.id, startedById: ids.headId },
    });
    const finished = await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: office.id,
        measureId: measures[0].id,
        origin: "priority",
        completedAt: new Date(),
        addedById: ids.headId,
      },
    });
    const open = await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: office.id,
        measureId: measures[1].id,
        origin: "priority",
        position: 1,
        addedById: ids.headId,
      },
    });
    await p.planActivity.create({
      data: {
        planMeasureId: finished.id,
        planId: plan.id,
        officeId: office.id,
        title: "Flyer gedruckt",
        status: "DONE",
        doneAt: new Date(),
        createdById: ids.headId,
      },
    });
    const openActivity = await p.planActivity.create({
      data: { planMeasureId: open.id, planId: plan.id, officeId: office.id, title: "Schulung geplant", createdById: ids.headId },
    });
    // A later round whose assessment office A submitted, with measure 3 rated need high, effort low (priority "hoch").
    const later = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: round.frameworkVersionId,
        name: "2027",
        opensAt: new Date(),
        deadline: new Date(Date.now() + 30 * 86_400_000),
        createdById: ids.headId,
      },
    });
    await p.roundParticipant.create({ data: { roundId: later.id, officeId: office.id } });
    const assessment = await p.assessment.create({
      data: { roundId: later.id, officeId: office.id, submittedAt: new Date(), submittedById: ids.headId },
    });
    await p.measureAssessment.create({
      data: { assessmentId: assessment.id, measureId: measures[2].id, need: "HIGH", effort: "LOW" },
    });
    Object.assign(ids, {
      network: network.id,
      office: office.id,
      other: other.id,
      plan: plan.id,
      finished: finished.id,
      open: open.id,
      openActivity: openActivity.id,
      laterRound: later.id,
    });
  });

  it("lets the team tick a task with a note and logs who ticked which fields – the note only for the office", async () => {
    const res = await as.staff.post(page(), { intent: "tick", task: "team_informed", note: NOTE });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toContain("gespeichert=tick");
    const html = await (await as.staff.get(page())).text();
    expect(text(html)).toMatch(/✓ erledigt\s+– Das Team ist über den Veränderungsprozess informiert/);
    expect(html).toContain(NOTE);
    const event = await app.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "plan.task_ticked", officeId: ids.office },
    });
    expect(event.details).toEqual({ cycle: 1, fields: ["task", "note"] });
    expect(JSON.stringify(event.details)).not.toContain(NOTE);
    const content = await app.db.prisma.auditContent.findFirstOrThrow({ where: { eventId: event.id } });
    expect(JSON.stringify(content.details)).toContain(NOTE);
    // Untick: the tick is gone.
    expect((await as.staff.post(page(), { intent: "untick", task: "team_informed" })).status).toBe(302);
    expect(await app.db.prisma.planPhaseTask.count({ where: { planId: ids.plan } })).toBe(0);
    await as.staff.post(page(), { intent: "tick", task: "team_informed", note: NOTE });
  });

  it("keeps phase, consolidation check and follow-up to the head: staff get 403 and nothing changes", async () => {
    for (const body of [
      { intent: "phase", phase: "UMSETZUNG" },
      { intent: "consolidate", planMeasureId: ids.finished, successful: "yes", results: "x", decision: "KEEP", notes: "" },
      { intent: "followUp", roundId: ids.laterRound },
    ] as Array<Record<string, string>>) {
      expect((await as.staff.post(page(), body)).status, body.intent).toBe(403);
    }
    const plan = await app.db.prisma.plan.findUniqueOrThrow({ where: { id: ids.plan } });
    expect(plan.phase).toBe("INITIIERUNG");
    const res = await as.head.post(page(), { intent: "phase", phase: "UMSETZUNG" });
    expect(res.status).toBe(302);
    expect((await app.db.prisma.plan.findUniqueOrThrow({ where: { id: ids.plan } })).phase).toBe("UMSETZUNG");
    const event = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "plan.phase_set" } });
    // The phase is a fact of the plan: only the field is named where the ministry could read the log.
    expect(event.details).toEqual({ cycle: 1, fields: ["phase"] });
  });

  it("records a review meeting; a wrong date is refused in German next to the field, with the typed text kept", async () => {
    const bad = await as.staff.post(page(), {
      intent: "review",
      heldOn: "2999-01-01",
      notes: REVIEW,
      answer_obstacles: "Zeitmangel",
    });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain("Das Datum liegt in der Zukunft.");
    expect(html).toContain(REVIEW);
    expect(html).toContain("Zeitmangel");
    expect(await app.db.prisma.planReview.count()).toBe(0);
    const ok = await as.staff.post(page(), {
      intent: "review",
      heldOn: "2026-01-15",
      notes: REVIEW,
      answer_obstacles: "Zeitmangel",
    });
    expect(ok.status).toBe(302);
    const review = await app.db.prisma.planReview.findFirstOrThrow();
    expect(review.answers).toEqual({ obstacles: "Zeitmangel" });
    expect(text(await (await as.head.get(page())).text())).toContain(REVIEW);
  });

  it("checks only finished measures: the head records success, results and the decision", async () => {
    const unfinished = await as.head.post(page(), {
      intent: "consolidate",
      planMeasureId: ids.open,
      successful: "no",
      results: "",
      decision: "ADJUST",
      notes: "",
    });
    expect(unfinished.status).toBe(409);
    expect(await unfinished.text()).toContain("Diese Maßnahme ist noch nicht abgeschlossen.");
    const missing = await as.head.post(page(), { intent: "consolidate", planMeasureId: ids.finished, results: RESULTS });
    expect(missing.status).toBe(400);
    expect(await missing.text()).toContain("Bitte „Ja“ oder „Nein“ wählen.");
    const ok = await as.head.post(page(), {
      intent: "consolidate",
      planMeasureId: ids.finished,
      successful: "yes",
      results: RESULTS,
      decision: "KEEP",
      notes: "",
    });
    expect(ok.status).toBe(302);
    const m = await app.db.prisma.planMeasure.findUniqueOrThrow({ where: { id: ids.finished } });
    expect(m).toMatchObject({ consolidationSuccessful: true, consolidationResults: RESULTS, consolidationDecision: "KEEP" });
    expect(m.consolidatedAt).not.toBeNull();
  });

  it("answers outsiders 404 and shows the ministry nothing of an unreleased plan, its log included", async () => {
    for (const who of ["headB", "consultant"] as const) {
      expect((await as[who].get(page())).status, who).toBe(404);
      expect((await as[who].post(page(), { intent: "tick", task: "survey_run", note: "" })).status, who).toBe(404);
      expect((await as[who].get(`/behoerden/${ids.office}/plan/zyklen/1`)).status, who).toBe(404);
    }
    const admin = await as.admin.get(page());
    expect([403, 404]).toContain(admin.status);
    const log = await (await as.admin.get(`/netzwerke/phasen/protokoll`)).text();
    for (const secret of [NOTE, REVIEW, RESULTS, "UMSETZUNG", "Phase: Umsetzung"]) expect(log).not.toContain(secret);
    expect(log).toContain("Umsetzungsplan: Aufgabe einer Phase abgehakt");
    expect(await app.db.prisma.planPhaseTask.count({ where: { taskKey: "survey_run" } })).toBe(0);
  });

  it("starts a follow-up cycle only when the plan is essentially done, keeping the old plan read-only", async () => {
    const early = await as.head.post(page(), { intent: "followUp", roundId: ids.laterRound });
    expect(early.status).toBe(409);
    expect(await early.text()).toContain("noch nicht im Wesentlichen abgearbeitet");
    // The last step done and its measure finished: every measure finished or checked.
    await app.db.prisma.planActivity.update({ where: { id: ids.openActivity }, data: { status: "DONE", doneAt: new Date() } });
    await app.db.prisma.planMeasure.update({ where: { id: ids.open }, data: { completedAt: new Date() } });
    const started = await as.head.post(page(), { intent: "followUp", roundId: ids.laterRound });
    expect(started.status).toBe(302);
    expect(started.headers.get("location")).toContain("zyklus=2");

    const plans = await app.db.prisma.plan.findMany({ where: { officeId: ids.office }, orderBy: { cycle: "asc" } });
    expect(plans.map((p) => [p.cycle, p.closedAt !== null, p.sourceRoundId])).toEqual([
      [1, true, plans[0].sourceRoundId],
      [2, false, ids.laterRound],
    ]);
    // The old plan keeps everything; the new one proposes the later round's priority-"hoch" measure.
    expect(await app.db.prisma.planMeasure.count({ where: { planId: ids.plan } })).toBe(2);
    expect(await app.db.prisma.planPhaseTask.count({ where: { planId: ids.plan } })).toBe(1);
    expect(await app.db.prisma.planReview.count({ where: { planId: ids.plan } })).toBe(1);
    const proposed = await app.db.prisma.planMeasure.findMany({ where: { planId: plans[1].id } });
    expect(proposed.map((m) => m.origin)).toEqual(["priority"]);

    // The phases page now works on cycle 2 and links the earlier one, which reads with ✓ and text.
    const now = text(await (await as.staff.get(page())).text());
    expect(now).toContain("Zyklus 2");
    expect(now).toContain("Plan von Zyklus 1 ansehen");
    const old = await as.staff.get(`/behoerden/${ids.office}/plan/zyklen/1`);
    expect(old.status).toBe(200);
    const oldHtml = await old.text();
    expect(text(oldHtml)).toContain("Nur zum Lesen");
    expect(text(oldHtml)).toMatch(/Flyer gedruckt\s+✓\s+erledigt/);
    expect(oldHtml).not.toContain('name="intent"');
    expect((await as.staff.get(`/behoerden/${ids.office}/plan/zyklen/9`)).status).toBe(404);

    // The closed plan refuses every change, whoever asks (the domain re-reads its state).
    const head = {
      id: ids.headId,
      memberships: [{ networkId: ids.network, officeId: ids.office, role: "OFFICE_HEAD" as const }],
    };
    await expect(
      tickTask({ actor: head, office: { id: ids.office, networkId: ids.network }, plan: { id: ids.plan } }, "survey_run", ""),
    ).rejects.toBeInstanceOf(ForbiddenError);
    // No second follow-up from the same round.
    const again = await as.head.post(page(), { intent: "followUp", roundId: ids.laterRound });
    expect([400, 409]).toContain(again.status);
    expect(await app.db.prisma.plan.count({ where: { officeId: ids.office } })).toBe(2);
  });
});
