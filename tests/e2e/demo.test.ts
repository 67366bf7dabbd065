import { beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "~/platform/db.server";
import { useCheckedPages, usePortal } from "../support/portal";

/**
 * Issue 20, item 10, in Chromium: a newcomer who has just run `npm start` (development,
 * demo data by default) opens the sign-in page, picks the demo office head and lands on
 * that office's dashboard — no other command, no password to set, no second factor. The
 * demo box's forms also work without JavaScript. Every page visited is checked with axe-core.
 */
describe("a newcomer looks around with the demo's people, end to end", () => {
  const portal = usePortal();
  const { open } = useCheckedPages(portal);
  const ids = {} as { koblenz: string };

  beforeAll(async () => {
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      ids.koblenz = (await prisma.office.findFirstOrThrow({ where: { networkId: network.id, slug: "stadt-koblenz" } })).id;
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });

  it("picks the demo office head on the sign-in page and lands on that office's dashboard", async () => {
    const { page } = await open("/anmelden");
    const demo = page.getByRole("region", { name: "Demo: die Rollen ausprobieren" });
    await demo.waitFor();
    // Each role once, and the shared password for typing by hand.
    for (const role of [
      "Netzwerk-Administration",
      "Leitung der Ausländerbehörde",
      "Mitarbeitende der Ausländerbehörde",
      "Beratung",
      "Netzwerkmitglied",
    ])
      expect(await demo.getByText(role).count(), role).toBeGreaterThan(0);
    expect(await demo.locator("code").textContent()).toBe("demo-demo-demo");

    await demo.getByRole("button", { name: "Weiter als Thomas Becker" }).click();
    await page.getByRole("heading", { name: "Wo wir stehen", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/behoerden/${ids.koblenz}/stand`);
    expect(await page.getByText("Ausländerbehörde Stadt Koblenz").count()).toBeGreaterThan(0);
  });

  it("shows the demo head the office's implementation plan, seeded in the Umsetzungsphase with six measures", async () => {
    const { page } = await open("/anmelden");
    await page.getByRole("button", { name: "Weiter als Thomas Becker" }).click();
    await page.getByRole("heading", { name: "Wo wir stehen", level: 1 }).waitFor();
    await page.goto(`${portal.baseUrl}/behoerden/${ids.koblenz}/plan`);
    await page.getByRole("heading", { name: "Umsetzungsplan", level: 1 }).waitFor();
    const measures = page.getByRole("table", { name: "Maßnahmen des Umsetzungsplans mit dem Stand ihrer Arbeitsschritte" });
    expect(await measures.locator("tbody tr").count()).toBe(6);
  });

  it("takes the demo admin to the network's monitoring without a second factor, even without JavaScript", async () => {
    const { page } = await open("/anmelden", { javaScriptEnabled: false });
    await page.getByRole("button", { name: "Weiter als Katrin Neumann" }).click();
    await page.getByRole("heading", { name: "Monitoring", level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/netzwerke/rlp-demo/monitoring");
  });
});
