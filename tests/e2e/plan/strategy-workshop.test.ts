/**
 * The Gesamtkonzept and the team workshop in Chromium, checked with axe-core (WCAG 2.1 AA):
 * the head's form, the team's read-only view, the workshop with its tables and notes – and a
 * note saved with the keyboard, the page checked again in the state it then shows.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/platform/db.server";
import { createUser, sessionCookie } from "../../support/accounts";
import { expectAccessible, usePortal } from "../../support/portal";

describe("Gesamtkonzept and team workshop are accessible", () => {
  const portal = usePortal();
  const ids = {} as { office: string; round: string };
  const cookies = {} as Record<"head" | "staff", string>;

  beforeAll(async () => {
    const p = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const version = await p.frameworkVersion.findFirstOrThrow();
      const network = await p.network.create({
        data: { slug: "konzept-e2e", name: "Netz Konzept", state: "RP", frameworkVersionId: version.id },
      });
      const office = await p.office.create({
        data: { networkId: network.id, slug: "a", name: "ABH Konzept", kind: "LANDKREIS" },
      });
      const people = {} as Record<"head" | "staff", { id: string; email: string; password: string }>;
      for (const role of ["head", "staff"] as const) {
        people[role] = await createUser(p, { name: `Konzept ${role}` });
        await p.membership.create({
          data: {
            userId: people[role].id,
            networkId: network.id,
            officeId: office.id,
            role: role === "head" ? "OFFICE_HEAD" : "OFFICE_STAFF",
          },
        });
      }
      const round = await p.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: version.id,
          name: "2026",
          opensAt: new Date(Date.now() - 86_400_000),
          deadline: new Date(Date.now() + 30 * 86_400_000),
          createdById: people.head.id,
        },
      });
      await p.roundParticipant.create({ data: { roundId: round.id, officeId: office.id } });
      const assessment = await p.assessment.create({ data: { roundId: round.id, officeId: office.id } });
      const goals = await p.goal.findMany({ where: { frameworkVersionId: version.id } });
      await p.goalAssessment.createMany({
        data: goals.map((g) => ({ assessmentId: assessment.id, goalId: g.id, rating: (g.number % 5) + 1 })),
      });
      const plan = await p.plan.create({
        data: { networkId: network.id, officeId: office.id, sourceRoundId: round.id, startedById: people.head.id },
      });
      const measure = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: version.id } });
      await p.planMeasure.create({
        data: { planId: plan.id, officeId: office.id, measureId: measure.id, origin: "priority", addedById: people.head.id },
      });
      await p.planStrategy.create({
        data: {
          planId: plan.id,
          officeId: office.id,
          guidingIdea: "Wir wollen eine Willkommensbehörde sein.",
          goals: goals.map((g) => ({
            goalId: g.id,
            adopted: g.number !== 9,
            wording: g.number === 2 ? "Wir beraten verständlich." : "",
          })),
        },
      });
      Object.assign(ids, { office: office.id, round: round.id });
      for (const role of ["head", "staff"] as const)
        cookies[role] = await sessionCookie(portal.baseUrl, people[role].email, people[role].password);
    } finally {
      await p.$disconnect();
      await p.pool.end();
    }
  });

  async function pageAs(who: "head" | "staff") {
    const context = await portal.browser.newContext({ locale: "de-DE" });
    const at = cookies[who].indexOf("=");
    await context.addCookies([{ name: cookies[who].slice(0, at), value: cookies[who].slice(at + 1), url: portal.baseUrl }]);
    return { context, page: await context.newPage() };
  }

  it("passes axe on the head's form, the staff's view and the workshop; a note is saved by keyboard", async () => {
    const head = await pageAs("head");
    const staff = await pageAs("staff");
    try {
      await head.page.goto(`${portal.baseUrl}/behoerden/${ids.office}/plan/gesamtkonzept`);
      await expect(head.page.getByRole("button", { name: "Gesamtkonzept speichern" }).count()).resolves.toBe(1);
      await expectAccessible(head.page);
      await staff.page.goto(`${portal.baseUrl}/behoerden/${ids.office}/plan/gesamtkonzept`);
      await expect(staff.page.getByRole("table").count()).resolves.toBe(1);
      await expectAccessible(staff.page);

      await staff.page.goto(`${portal.baseUrl}/behoerden/${ids.office}/runden/${ids.round}/workshop`);
      await staff.page.locator("html[data-hydrated]").waitFor({ state: "attached" });
      await expectAccessible(staff.page);
      const field = staff.page.getByLabel("Notizen des Teams zu Frage 1", { exact: true });
      await field.focus();
      await staff.page.keyboard.type("Beschilderung im Wartebereich");
      await staff.page.keyboard.press("Tab");
      await staff.page.keyboard.press("Enter");
      await staff.page.getByRole("status").filter({ hasText: "Die Notiz ist gespeichert." }).waitFor();
      await expectAccessible(staff.page);
    } finally {
      await head.context.close();
      await staff.context.close();
    }
  });
});
