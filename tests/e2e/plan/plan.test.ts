import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PRIORITY_RULE } from "~/domains/assessment/priority";
import { hashPassword } from "~/platform/auth/password.server";
import { createPrismaClient } from "~/platform/db.server";
import { useCheckedPages, usePortal } from "../../support/portal";

const PASSWORD = "ein-langes-passwort-2026";
const HEAD = "leitung@neustadt-plan.example";
const STAFF = "sami@neustadt-plan.example";
const ROUND = "2025";
const ACTIVITY = "Wegweiser im Wartebereich aufhängen";

/**
 * The implementation plan end to end in Chromium (issue 21), with the keyboard alone: a new
 * office of the demo network (so no demo plan is in the way) submitted its assessment of a
 * round with two measures rated priority "hoch" (need high, effort low) and one "niedrig".
 * The head opens the plan page, picks the round, finds exactly the two "hoch" measures
 * proposed and ticked, and starts the plan. A staff member adds an activity on one of them
 * with themselves responsible, sets it to "in Arbeit" and then "erledigt" – the status shown
 * with its symbol and words – and the dashboard's plan panel goes from "no activities" to
 * 0 % and then to 100 %. Every page visited is checked with axe-core.
 */
describe("the implementation plan, end to end", () => {
  const portal = usePortal();
  const { open } = useCheckedPages(portal);
  const ids = {} as { office: string; high: Array<{ id: string; code: string; title: string }>; low: string };

  beforeAll(async () => {
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      const office = await prisma.office.create({
        data: {
          networkId: network.id,
          slug: "kreis-neustadt-plan",
          name: "Ausländerbehörde Kreis Neustadt",
          kind: "LANDKREIS",
          clientsServed: 8000,
        },
      });
      ids.office = office.id;
      const passwordHash = await hashPassword(PASSWORD);
      const head = await prisma.user.create({ data: { email: HEAD, name: "Lena Leitung", passwordHash } });
      const staff = await prisma.user.create({ data: { email: STAFF, name: "Sami Sachbearbeiter", passwordHash } });
      await prisma.membership.createMany({
        data: [
          { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" },
          { userId: staff.id, networkId: network.id, officeId: office.id, role: "OFFICE_STAFF" },
        ],
      });

      const round = await prisma.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: network.frameworkVersionId,
          name: ROUND,
          opensAt: new Date("2025-01-10T00:00:00+01:00"),
          deadline: new Date("2025-03-31T23:59:59+02:00"),
          createdById: head.id,
        },
      });
      await prisma.roundParticipant.create({ data: { roundId: round.id, officeId: office.id } });
      const measures = await prisma.measure.findMany({
        where: { frameworkVersionId: network.frameworkVersionId },
        orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
        take: 3,
        select: { id: true, code: true, title: true },
      });
      ids.high = measures.slice(0, 2);
      ids.low = measures[2].id;
      const assessment = await prisma.assessment.create({
        data: {
          roundId: round.id,
          officeId: office.id,
          submittedAt: new Date("2025-03-20T10:00:00+01:00"),
          submittedById: head.id,
          measuresDone: 3,
          // Frozen at submission: the default rule (need high, effort low → "hoch").
          priorityRule: DEFAULT_PRIORITY_RULE,
        },
      });
      await prisma.measureAssessment.createMany({
        data: [
          ...ids.high.map((m) => ({
            assessmentId: assessment.id,
            measureId: m.id,
            need: "HIGH" as const,
            effort: "LOW" as const,
          })),
          { assessmentId: assessment.id, measureId: ids.low, need: "LOW" as const, effort: "LOW" as const },
        ],
      });
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });

  /** The focused element, as the tests see it. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const a = document.activeElement as HTMLInputElement | null;
      return {
        tag: a?.tagName.toLowerCase() ?? "",
        type: a?.type ?? "",
        name: a?.getAttribute("name") ?? "",
        value: a?.value ?? "",
        text: a?.textContent?.trim().replace(/\s+/g, " ") ?? "",
        label: a?.labels?.[0]?.textContent?.trim() ?? "",
      };
    });
  type Focused = Awaited<ReturnType<typeof focused>>;

  /** Presses Tab until the focused element matches, as someone without a mouse would. */
  async function tabTo(page: Page, matches: (el: Focused) => boolean, limit = 150) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      if (matches(await focused(page))) return;
    }
    throw new Error(`element not reachable with Tab on ${page.url()}`);
  }

  /** Signs in with the keyboard: Tab to the e-mail field, type, Tab to the password, type, Enter. */
  async function signIn(email: string) {
    const session = await open("/anmelden");
    const { page } = session;
    await tabTo(page, (el) => el.label === "E-Mail-Adresse");
    await page.keyboard.type(email);
    await tabTo(page, (el) => el.label === "Passwort");
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => !url.pathname.startsWith("/anmelden"));
    return session;
  }

  const panelText = async (page: Page) => {
    await page.goto(`${portal.baseUrl}/behoerden/${ids.office}/stand`);
    const panel = page.locator("section", { has: page.getByRole("heading", { name: "Umsetzungsplan", level: 2 }) });
    return ((await panel.textContent()) ?? "").replace(/\s+/g, " ");
  };

  it("the head starts the plan from the round's 'hoch' measures; staff work an activity to done; the dashboard's progress follows", async () => {
    // 1. The head: no plan on the dashboard yet; the plan page proposes the "hoch" measures.
    const { page: head } = await signIn(HEAD);
    await head.getByRole("heading", { name: "Wo wir stehen", level: 1 }).waitFor();
    expect(await panelText(head)).toContain("Ihre Behörde hat noch keinen Umsetzungsplan.");

    await head.goto(`${portal.baseUrl}/behoerden/${ids.office}/plan`);
    await head.getByRole("heading", { name: "Umsetzungsplan beginnen", level: 2 }).waitFor();
    // Pick the round: Tab to the round picker (the submitted round is the default), then to "Vorschlag anzeigen".
    await tabTo(head, (el) => el.label === "Erhebungsrunde");
    expect((await focused(head)).text).toContain(`${ROUND} (abgegeben)`);
    await tabTo(head, (el) => el.tag === "button" && el.text === "Vorschlag anzeigen");
    await head.keyboard.press("Enter");
    await head.waitForURL(/runde=/);
    const proposal = head.getByRole("group", { name: `Vorgeschlagene Maßnahmen (Priorität „hoch“ in „${ROUND}“)` });
    await proposal.waitFor();
    const boxes = proposal.getByRole("checkbox");
    expect(await boxes.count()).toBe(2);
    for (const [i, m] of ids.high.entries()) {
      expect(await boxes.nth(i).isChecked()).toBe(true);
      expect((await proposal.locator(`label[for="measure-${m.id}"]`).textContent())?.trim()).toBe(`${m.code} ${m.title}`);
    }
    // Through both ticked boxes (left as they are) to the submit button; Enter confirms.
    await tabTo(head, (el) => el.type === "checkbox");
    await tabTo(head, (el) => el.tag === "button" && el.text === "Plan mit den ausgewählten Maßnahmen beginnen");
    await head.keyboard.press("Enter");
    await head.getByRole("status").filter({ hasText: "Der Umsetzungsplan ist begonnen." }).waitFor();
    const measuresTable = head.getByRole("table", { name: "Maßnahmen des Umsetzungsplans mit dem Stand ihrer Arbeitsschritte" });
    const rowHeaders = (await measuresTable.getByRole("rowheader").allTextContents()).map((t) => t.trim());
    expect(rowHeaders).toEqual(ids.high.map((m) => `${m.code} ${m.title}`));
    expect(await panelText(head)).toContain("Noch keine Arbeitsschritte im Plan.");

    // 2. The staff member: from the plan to the first measure, add an activity with themselves responsible.
    const { page: staff } = await signIn(STAFF);
    await staff.goto(`${portal.baseUrl}/behoerden/${ids.office}/plan`);
    await staff.getByRole("heading", { name: "Umsetzungsplan", level: 1 }).waitFor();
    const first = `${ids.high[0].code} ${ids.high[0].title}`;
    await tabTo(staff, (el) => el.tag === "a" && el.text === first);
    await staff.keyboard.press("Enter");
    await staff.getByRole("heading", { name: first, level: 1 }).waitFor();
    await staff.getByText("Noch keine Arbeitsschritte.").waitFor();
    await tabTo(staff, (el) => el.label === "Arbeitsschritt");
    await staff.keyboard.type(ACTIVITY);
    await tabTo(staff, (el) => el.label === "Verantwortlich (Mitglied der Behörde)");
    // A closed select picks the option whose text starts with what one types.
    await staff.keyboard.type("Sami");
    expect((await focused(staff)).value).not.toBe("");
    expect(await staff.locator("#field-responsibleUserId option:checked").textContent()).toBe("Sami Sachbearbeiter");
    await tabTo(staff, (el) => el.tag === "button" && el.text === "Arbeitsschritt anlegen");
    await staff.keyboard.press("Enter");
    await staff.getByRole("status").filter({ hasText: "Der Arbeitsschritt ist angelegt." }).waitFor();
    const activities = staff.getByRole("table", {
      name: "Arbeitsschritte der Maßnahme mit Status, Zeitrahmen und Verantwortlichen",
    });
    const row = activities.getByRole("row").nth(1);
    expect((await row.getByRole("cell").allTextContents()).map((c) => c.trim())).toEqual(
      expect.arrayContaining(["✗ nicht begonnen", "Sami Sachbearbeiter"]),
    );
    expect(await panelText(staff)).toContain("0 von 1 Arbeitsschritten erledigt (0 %)");

    // Back to the measure (the browser's Back, as Alt+← does), then on the activity the quick
    // status buttons: "in Arbeit", then "erledigt".
    await staff.goBack();
    await staff.getByRole("heading", { name: first, level: 1 }).waitFor();
    await tabTo(staff, (el) => el.tag === "a" && el.text === ACTIVITY);
    await staff.keyboard.press("Enter");
    await staff.getByRole("heading", { name: ACTIVITY, level: 1 }).waitFor();
    const status = staff.locator(".plan-status").first();
    expect((await status.textContent())?.trim()).toBe("✗ nicht begonnen");
    await tabTo(staff, (el) => el.tag === "button" && el.text.includes("Auf „in Arbeit“ setzen"));
    await staff.keyboard.press("Enter");
    await staff.getByRole("status").filter({ hasText: "Der Status ist gesetzt." }).waitFor();
    await expect.poll(async () => (await status.textContent())?.trim()).toBe("! in Arbeit");
    await tabTo(staff, (el) => el.tag === "button" && el.text.includes("Auf „erledigt“ setzen"));
    await staff.keyboard.press("Enter");
    await expect.poll(async () => (await status.textContent())?.trim()).toBe("✓ erledigt");

    // 3. The dashboard's progress: from 0 % to 100 %.
    const after = await panelText(staff);
    expect(after).toContain("1 von 1 Arbeitsschritten erledigt (100 %)");
    expect(after).not.toContain("(0 %)");
    expect(await panelText(head)).toContain("1 von 1 Arbeitsschritten erledigt (100 %)");
  });
});
