import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sizeClassOf } from "~/domains/comparison/anonymity";
import { createPrismaClient } from "~/platform/db.server";
import { useCheckedPages, usePortal } from "../support/portal";

const PASSWORD = "ein-langes-passwort-2026";
const HEAD = "leitung@mainz.example";
const SUPPRESSED = "Zu wenige Behörden für einen anonymen Vergleich";

/**
 * The office dashboard in Chromium, on the demo network (36 offices): after a closed round
 * in which every office submitted, the head of Mainz sees the office's profile against the
 * network; the same page for a peer group with fewer than k offices (the large offices:
 * Mainz and Ludwigshafen) shows the suppression message and no numbers. Every page visited
 * is checked with axe-core.
 */
describe("the office dashboard, end to end", () => {
  const portal = usePortal();
  const { open } = useCheckedPages(portal);
  const ids = {} as { mainz: string; largeOffices: number };

  beforeAll(async () => {
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      const offices = await prisma.office.findMany({ where: { networkId: network.id }, orderBy: { slug: "asc" } });
      const mainz = offices.find((o) => o.slug === "stadt-mainz")!;
      ids.mainz = mainz.id;
      ids.largeOffices = offices.filter((o) => sizeClassOf(o.clientsServed) === "large").length;
      const head = await prisma.user.create({
        data: { email: HEAD, name: "Lena Leitung", passwordHash: await hashPassword(PASSWORD) },
      });
      await prisma.membership.create({
        data: { userId: head.id, networkId: network.id, officeId: mainz.id, role: "OFFICE_HEAD" },
      });

      const goals = await prisma.goal.findMany({ where: { frameworkVersionId: network.frameworkVersionId } });
      const round = await prisma.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: network.frameworkVersionId,
          name: "2025",
          opensAt: new Date("2025-01-10T00:00:00+01:00"),
          deadline: new Date("2025-03-31T23:59:59+02:00"),
          createdById: head.id,
        },
      });
      await prisma.roundParticipant.createMany({ data: offices.map((o) => ({ roundId: round.id, officeId: o.id })) });
      // Mainz rates every goal 2; the other 35 offices 1–5 in turn (seven of each). Mainz
      // sees the other offices only: 1×7 … 5×7 → median 3, middle half 2 to 4, 35 offices.
      const others = offices.filter((o) => o.id !== mainz.id);
      const submittedAt = new Date("2025-03-20T10:00:00+01:00");
      await prisma.assessment.createMany({
        data: offices.map((o) => ({ roundId: round.id, officeId: o.id, submittedAt, submittedById: head.id })),
      });
      const assessments = await prisma.assessment.findMany({
        where: { roundId: round.id },
        select: { id: true, officeId: true },
      });
      await prisma.goalAssessment.createMany({
        data: assessments.flatMap((a) => {
          const rating = a.officeId === mainz.id ? 2 : (others.findIndex((o) => o.id === a.officeId) % 5) + 1;
          return goals.map((g) => ({ assessmentId: a.id, goalId: g.id, rating }));
        }),
      });
      // Closing freezes the cohort (trigger on closed_at).
      await prisma.assessmentRound.update({ where: { id: round.id }, data: { closedAt: new Date("2025-05-02T12:00:00+02:00") } });
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });

  it("shows an office's profile against the network; a peer group below k shows the suppression message and no numbers", async () => {
    expect(ids.largeOffices).toBeLessThan(5);
    const { page } = await open("/anmelden");
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill(HEAD);
    await page.getByLabel("Passwort", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden" }).click();
    // Signing in leads an office head straight to where the office stands.
    await page.getByRole("heading", { name: "Wo wir stehen", level: 1 }).waitFor();

    const profile = page.locator("section", { has: page.getByRole("heading", { name: "Ihr Profil im Vergleich" }) });
    await expect.poll(() => profile.textContent()).toContain("Vergleich aus der Runde „2025“, abgeschlossen am 2. Mai 2025");
    const table = profile.getByRole("table", {
      name: "Ihre Bewertung und Median (andere Behörden des Netzwerks) je Ziel, Runde 2025",
    });
    const firstGoal = table.getByRole("row").nth(1);
    expect((await firstGoal.getByRole("cell").allTextContents()).map((c) => c.trim())).toEqual(["2", "3", "2 bis 4", "35"]);
    expect(await table.getByRole("row").count()).toBe(13);
    await expect
      .poll(() => profile.textContent())
      .toContain("Bei 12 von 12 vergleichbaren Zielen liegt Ihre Behörde unter dem Median (andere Behörden des Netzwerks).");
    // The chart is there, hidden from assistive technology; the table carries the data.
    await expect.poll(() => profile.locator(".chart-canvas[aria-hidden='true'] svg").count(), { timeout: 20_000 }).toBe(1);
    // "Where to look" names three goals and links their catalogue measures.
    const look = page.locator("section", { has: page.getByRole("heading", { name: "Wo Sie ansetzen können" }) });
    expect(await look.locator("h3 a[href*='/ziele/']").count()).toBe(3);
    expect(await look.locator("a[href*='/massnahmen/']").count()).toBeGreaterThan(3);

    // The same page for the large offices (two of them): the message, no numbers.
    await profile.getByLabel("Vergleichen mit").selectOption({ label: "über 30 000 Kundinnen und Kunden" });
    await profile.getByRole("button", { name: "Anzeigen" }).click();
    await page.waitForURL(/gruppe=size%3Alarge/);
    const suppressed = page.locator("section", { has: page.getByRole("heading", { name: "Ihr Profil im Vergleich" }) });
    await suppressed.getByRole("status").filter({ hasText: SUPPRESSED }).waitFor();
    expect(await suppressed.getByRole("table").count()).toBe(0);
    expect(await suppressed.locator("svg").count()).toBe(0);
    const words = (await suppressed.getByRole("status").filter({ hasText: SUPPRESSED }).textContent()) ?? "";
    // Only k (the threshold, 5) appears – no median, quartile or count.
    expect(words.match(/\d+([.,]\d+)?/g)?.filter((n) => !["30", "000", "5"].includes(n)) ?? []).toEqual([]);

    // The one-page report for the council, with a print button once scripts run.
    await page.getByRole("link", { name: "Bericht öffnen" }).click();
    await page.getByRole("heading", { name: "Ausländerbehörde Stadt Mainz: Selbsteinschätzung 2025", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Drucken" }).waitFor();
    const report = page.getByRole("table", { name: "Unsere Bewertung und Median der anderen Behörden je Ziel, Runde 2025" });
    expect((await report.getByRole("row").nth(1).getByRole("cell").allTextContents()).map((c) => c.trim())).toEqual([
      "2",
      "3",
      "unter dem Median",
    ]);
    // One page: printed to A4 (print styles hide header, navigation, footer and the controls).
    const pdf = (
      await page.pdf({ format: "A4", margin: { top: "1.5cm", bottom: "1.5cm", left: "1.5cm", right: "1.5cm" } })
    ).toString("latin1");
    expect(pdf.match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(1);
    expect(errors).toEqual([]);
  });
});
