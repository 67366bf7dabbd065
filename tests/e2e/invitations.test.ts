import { generateTOTP } from "@oslojs/otp";
import { sealSecret } from "~/platform/auth/secret-box.server";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { createPrismaClient } from "~/platform/db.server";
import { useCheckedPages, usePortal } from "../support/portal";

const ADMIN = { email: "referat@ministerium.example", password: "admin-passwort-lang-genug" };
const TOTP_SECRET = new Uint8Array(20).map((_, i) => i + 7);

describe("invitations from the ministry down to office staff, in Chromium", () => {
  const portal = usePortal();
  const { open } = useCheckedPages(portal);
  const ids = {} as { mainz: string; trier: string };

  beforeAll(async () => {
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      const admin = await prisma.user.create({
        data: {
          email: ADMIN.email,
          name: "Referat Integration",
          passwordHash: await hashPassword(ADMIN.password),
          totpSecret: sealSecret(TOTP_SECRET),
          totpEnabledAt: new Date(),
        },
      });
      await prisma.membership.create({ data: { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" } });
      ids.mainz = (await prisma.office.findFirstOrThrow({ where: { networkId: network.id, slug: "stadt-mainz" } })).id;
      ids.trier = (await prisma.office.findFirstOrThrow({ where: { networkId: network.id, slug: "stadt-trier" } })).id;
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });

  /** The newest message to `to` in the local mailbox, followed to its first link. */
  async function followMailLink(page: Page, to: string) {
    await page.goto(`${portal.baseUrl}/dev/postfach`);
    await page.locator("tr", { hasText: to }).first().getByRole("link").click();
    const link = page.locator("a[href*='/einladung/']").first();
    const href = await link.getAttribute("href");
    expect(href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/einladung\/[\w-]{20,}$/);
    await page.goto(href!);
  }

  async function acceptAs(page: Page, name: string, password: string) {
    await page.getByLabel("Ihr Name").fill(name);
    await page.getByLabel("Passwort wählen").fill(password);
    await page.getByLabel("Passwort wiederholen").fill(password);
    await page.getByRole("button", { name: "Konto anlegen und anmelden" }).click();
    await page.getByRole("heading", { name: "Ihre Bereiche" }).waitFor();
  }

  it("admin invites a head, the head invites staff, the staff member sees only their office", async () => {
    // The network admin signs in with password and second factor.
    const { page } = await open("/anmelden");
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill(ADMIN.email);
    await page.getByLabel("Passwort", { exact: true }).fill(ADMIN.password);
    await page.getByRole("button", { name: "Anmelden" }).click();
    await page.getByRole("heading", { name: "Bestätigungs-Code eingeben" }).waitFor();
    await page.getByRole("textbox", { name: "Code", exact: true }).fill(generateTOTP(TOTP_SECRET, 30, 6));
    await page.getByRole("button", { name: "Bestätigen" }).click();
    // The admin of one network lands on its monitoring and goes on to its people.
    await page.getByRole("heading", { name: "Monitoring", level: 1 }).waitFor();
    await page.getByRole("navigation", { name: "Verwaltung des Netzwerks" }).getByRole("link", { name: "Personen" }).click();

    // … and invites the head of the Mainz office.
    await page.getByRole("heading", { name: "Personen und Rollen" }).waitFor();
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill("leitung@mainz.example");
    await page.getByLabel("Rolle", { exact: true }).selectOption("OFFICE_HEAD");
    await page.getByLabel(/^Behörde/).selectOption({ label: "Ausländerbehörde Stadt Mainz" });
    await page.getByRole("button", { name: "Einladung senden" }).click();
    await page.getByText("Die Einladung an leitung@mainz.example ist unterwegs.").waitFor();
    await page.context().clearCookies();

    // The head opens the link from the local mailbox, sets a password and is signed in.
    await followMailLink(page, "leitung@mainz.example");
    await acceptAs(page, "Lena Leitung", "leitungs-passwort-2026");
    await page.getByRole("link", { name: "Ausländerbehörde Stadt Mainz" }).click();
    await page.getByRole("heading", { name: "Mitarbeitende einladen" }).waitFor();
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill("sachbearbeitung@mainz.example");
    await page.getByRole("button", { name: "Einladung senden" }).click();
    await page.getByText("Die Einladung an sachbearbeitung@mainz.example ist unterwegs.").waitFor();
    await page.context().clearCookies();

    // The staff member accepts and sees their office – and only it.
    await followMailLink(page, "sachbearbeitung@mainz.example");
    await acceptAs(page, "Sami Sachbearbeitung", "mitarbeit-passwort-2026");
    const places = page.locator("section[aria-labelledby='places-heading'] li");
    expect(await places.allInnerTexts()).toEqual([
      "Ausländerbehörde Stadt Mainz – Mitarbeitende der Ausländerbehörde · Wo wir stehen",
    ]);
    await places.getByRole("link", { name: "Ausländerbehörde Stadt Mainz" }).click();
    await page.getByRole("heading", { name: "Ausländerbehörde Stadt Mainz", level: 1 }).waitFor();
    expect(await page.getByRole("heading", { name: "Mitarbeitende einladen" }).count()).toBe(0);

    const other = await page.goto(`${portal.baseUrl}/behoerden/${ids.trier}`);
    expect(other?.status()).toBe(404);
    const admin = await page.goto(`${portal.baseUrl}/netzwerke/rlp-demo/personen`);
    expect(admin?.status()).toBe(403);
  });
});
