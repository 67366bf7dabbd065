import { generateTOTP } from "@oslojs/otp";
import { sealSecret } from "~/platform/auth/secret-box.server";
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { createPrismaClient } from "~/platform/db.server";
import { toCalendarDay } from "~/utils/calendar-day";
import { useCheckedPages, usePortal } from "../support/portal";

const PASSWORD = "ein-langes-passwort-2026";
const TOTP_SECRET = new Uint8Array(20).map((_, i) => i + 3);
const PEOPLE = {
  admin: "referat@ministerium.example",
  head: "leitung@mainz.example",
  sami: "sami@mainz.example",
  toni: "toni@mainz.example",
};

/**
 * A round from opening to resubmission, in Chromium: two staff members fill the draft at
 * the same time, the head submits with the keyboard alone, the admin reopens with a
 * reason, the head submits again. Every page visited is checked with axe-core.
 */
describe("the self-assessment, end to end", () => {
  const portal = usePortal();
  const { open } = useCheckedPages(portal);
  const ids = {} as { mainz: string; round: string };

  beforeAll(async () => {
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      ids.mainz = (await prisma.office.findFirstOrThrow({ where: { networkId: network.id, slug: "stadt-mainz" } })).id;
      const passwordHash = await hashPassword(PASSWORD);
      const admin = await prisma.user.create({
        data: {
          email: PEOPLE.admin,
          name: "Referat Integration",
          passwordHash,
          totpSecret: sealSecret(TOTP_SECRET),
          totpEnabledAt: new Date(),
        },
      });
      await prisma.membership.create({ data: { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" } });
      // The team is exactly the three below: the placeholder accounts the demo data gives an
      // office with a plan (prisma/seed/demo-plans.ts) are taken out of Mainz.
      await prisma.membership.deleteMany({ where: { officeId: ids.mainz, user: { email: { endsWith: ".demo.invalid" } } } });
      for (const [email, name, role] of [
        [PEOPLE.head, "Lena Leitung", "OFFICE_HEAD"],
        [PEOPLE.sami, "Sami Sachbearbeitung", "OFFICE_STAFF"],
        [PEOPLE.toni, "Toni Team", "OFFICE_STAFF"],
      ] as const) {
        const user = await prisma.user.create({ data: { email, name, passwordHash } });
        await prisma.membership.create({ data: { userId: user.id, networkId: network.id, officeId: ids.mainz, role } });
      }
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });

  async function signIn(email: string, path = "/anmelden") {
    const session = await open(path);
    const { page } = session;
    await page.getByLabel("E-Mail-Adresse", { exact: true }).fill(email);
    await page.getByLabel("Passwort", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Anmelden" }).click();
    if (email === PEOPLE.admin) {
      await page.getByRole("heading", { name: "Bestätigungs-Code eingeben" }).waitFor();
      await page.getByRole("textbox", { name: "Code", exact: true }).fill(generateTOTP(TOTP_SECRET, 30, 6));
      await page.getByRole("button", { name: "Bestätigen" }).click();
    }
    // Office members land on their dashboard, the admin on the network's monitoring.
    await page.waitForURL((url) => !url.pathname.startsWith("/anmelden"));
    return session;
  }

  const assessmentPath = () => `/behoerden/${ids.mainz}/runden/${ids.round}`;
  const status = (form: Locator) => async () => (await form.locator(".autosave-status").textContent()) ?? "";
  const saved = (form: Locator) => expect.poll(status(form), { timeout: 20_000 }).toMatch(/Gespeichert um/);
  /** Typing into a form that was saved before: wait until the status has left the old "Gespeichert um …" and come back. */
  const savedAgain = async (form: Locator) => {
    await expect.poll(status(form), { timeout: 5_000 }).not.toMatch(/Gespeichert um/);
    await saved(form);
  };
  /** Autosave needs JavaScript: wait until React has hydrated the page before typing. */
  const hydrated = (...pages: Page[]) => Promise.all(pages.map((p) => p.locator("html[data-hydrated]").waitFor()));

  /** Presses Tab until the focused element matches, as someone without a mouse would. */
  async function tabTo(
    page: Page,
    matches: (el: { tag: string; type: string; text: string; label: string }) => boolean,
    limit = 120,
  ) {
    for (let i = 0; i < limit; i++) {
      await page.keyboard.press("Tab");
      const el = await page.evaluate(() => {
        const a = document.activeElement as HTMLInputElement | null;
        return {
          tag: a?.tagName.toLowerCase() ?? "",
          type: a?.type ?? "",
          text: a?.textContent?.trim() ?? "",
          label: a?.labels?.[0]?.textContent?.trim() ?? "",
        };
      });
      if (matches(el)) return;
    }
    throw new Error("element not reachable with Tab");
  }

  it("the admin opens a round; two staff members fill the same goal at the same time and nothing is lost", async () => {
    const { page: admin } = await signIn(PEOPLE.admin);
    await admin.goto(`${portal.baseUrl}/netzwerke/rlp-demo/runden`);
    await admin.getByLabel("Name der Runde").fill("2026");
    await admin.getByLabel("Beginn (Datum)").fill(toCalendarDay(new Date(Date.now() - 86_400_000)));
    await admin.getByLabel("Frist (Datum)").fill(toCalendarDay(new Date(Date.now() + 60 * 86_400_000)));
    await admin.getByRole("button", { name: "Runde eröffnen" }).click();
    await admin.getByText(/Die Runde „2026“ ist eröffnet/).waitFor();
    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      ids.round = (await prisma.assessmentRound.findFirstOrThrow({ where: { name: "2026" } })).id;
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }

    // Both open goal 1 before either has typed anything.
    const { page: sami } = await signIn(PEOPLE.sami);
    const { page: toni } = await signIn(PEOPLE.toni);
    await Promise.all([
      sami.goto(`${portal.baseUrl}${assessmentPath()}/ziele/1`),
      toni.goto(`${portal.baseUrl}${assessmentPath()}/ziele/1`),
    ]);
    await hydrated(sami, toni);
    const samiForm = sami.getByRole("form", { name: "Gemeinsame Bewertung der Behörde" });
    const toniForm = toni.getByRole("form", { name: "Gemeinsame Bewertung der Behörde" });
    await Promise.all([
      samiForm.getByLabel("Kommentar").pressSequentially("Beratung zum Aufenthaltsstatus findet statt.", { delay: 5 }),
      toniForm.getByLabel("Belege", { exact: true }).pressSequentially("Dienstanweisung vom März.", { delay: 5 }),
    ]);
    await Promise.all([saved(samiForm), saved(toniForm)]);
    // Each also records an own rating.
    const samiMine = sami.getByRole("form", { name: "Meine eigene Einschätzung" });
    await samiMine.getByRole("radio", { name: /^2 – / }).check();
    await saved(samiMine);
    const toniMine = toni.getByRole("form", { name: "Meine eigene Einschätzung" });
    await toniMine.getByRole("radio", { name: /^4 – / }).check();
    await saved(toniMine);

    // Sami adds to the comment; Toni, whose page has not seen that, rewrites it: a conflict, both versions shown.
    await samiForm.getByLabel("Kommentar").fill("Beratung zum Aufenthaltsstatus findet statt, auch telefonisch.");
    await savedAgain(samiForm);
    await toniForm.getByLabel("Kommentar").fill("Toni sieht das anders.");
    await toni.getByRole("heading", { name: "Zwei Fassungen – bitte entscheiden" }).waitFor({ timeout: 30_000 });
    await expect.poll(() => toni.locator(".conflict").textContent()).toContain("auch telefonisch");
    await expect.poll(() => toni.locator(".conflict").textContent()).toContain("Toni sieht das anders.");
    await toni.getByRole("link", { name: "Gespeicherte Fassung übernehmen" }).click();
    expect(await toniForm.getByLabel("Kommentar").inputValue()).toBe(
      "Beratung zum Aufenthaltsstatus findet statt, auch telefonisch.",
    );

    // Meanwhile they rate different measures.
    await Promise.all([
      sami.goto(`${portal.baseUrl}${assessmentPath()}/massnahmen`),
      toni.goto(`${portal.baseUrl}${assessmentPath()}/massnahmen`),
    ]);
    await hydrated(sami, toni);
    const m11 = sami.getByRole("form", { name: "Maßnahme 1.1 speichern" });
    const m12 = toni.getByRole("form", { name: "Maßnahme 1.2 speichern" });
    await Promise.all([
      m11.getByLabel("Veränderungsbedarf").selectOption("HIGH"),
      m12.getByLabel("Veränderungsbedarf").selectOption("MEDIUM"),
    ]);
    await Promise.all([
      m11.getByLabel("Aufwand", { exact: true }).selectOption("LOW"),
      m12.getByLabel("Aufwand", { exact: true }).selectOption("HIGH"),
    ]);
    await expect.poll(() => m11.textContent()).toContain("Priorität nach der Regel: hoch");
    await Promise.all([saved(m11), saved(m12)]);

    // A fresh page (as after closing the browser) shows everything both of them entered.
    await sami.goto(`${portal.baseUrl}${assessmentPath()}/ziele/1`);
    expect(await samiForm.getByLabel("Kommentar").inputValue()).toBe(
      "Beratung zum Aufenthaltsstatus findet statt, auch telefonisch.",
    );
    expect(await samiForm.getByLabel("Belege", { exact: true }).inputValue()).toBe("Dienstanweisung vom März.");
    await sami.getByText("2 von 3 Personen im Team haben eingeschätzt.").waitFor();
    await sami.goto(`${portal.baseUrl}${assessmentPath()}`);
    await sami.getByText("Maßnahmen: 2 von 56 bewertet").waitFor();

    // Typing and closing the tab at once (before the autosave's pause): the beacon still saves it.
    const tab = await sami.context().newPage();
    await tab.goto(`${portal.baseUrl}${assessmentPath()}/ziele/2`);
    await hydrated(tab);
    await tab
      .getByRole("form", { name: "Gemeinsame Bewertung der Behörde" })
      .getByLabel("Kommentar")
      .fill("Nur kurz notiert, dann Tab zu.");
    await tab.close({ runBeforeUnload: true });
    await expect
      .poll(
        async () => {
          await sami.goto(`${portal.baseUrl}${assessmentPath()}/ziele/2`);
          return samiForm.getByLabel("Kommentar").inputValue();
        },
        { timeout: 15_000 },
      )
      .toBe("Nur kurz notiert, dann Tab zu.");
  });

  it("the head rates and submits with the keyboard alone; the assessment is then locked", async () => {
    const { page } = await signIn(PEOPLE.head);
    await page.goto(`${portal.baseUrl}${assessmentPath()}/ziele/1`);
    await hydrated(page);
    await tabTo(page, (el) => el.type === "radio");
    // Tab lands on the checked option ("Noch offen lassen", the last); arrow keys wrap round to 1, 2, 3.
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowDown");
    const form = page.getByRole("form", { name: "Gemeinsame Bewertung der Behörde" });
    await expect.poll(() => form.getByRole("radio", { name: /^3 – / }).isChecked()).toBe(true);
    await saved(form);

    await tabTo(page, (el) => el.tag === "a" && el.text === "Zur Übersicht der Selbsteinschätzung");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: /Selbsteinschätzung: / }).waitFor();
    await page.getByText("Ziele: 1 von 12 beantwortet").waitFor();
    await tabTo(page, (el) => el.tag === "a" && el.text === "Zusammenfassung und Abgabe");
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "Zusammenfassung und Abgabe" }).waitFor();
    await page.getByText("Noch offene Ziele (11)").waitFor();
    await tabTo(page, (el) => el.type === "checkbox");
    await page.keyboard.press("Space");
    await tabTo(page, (el) => el.tag === "button" && el.text === "Selbsteinschätzung verbindlich abgeben");
    await page.keyboard.press("Enter");
    await page.getByText("Die Selbsteinschätzung ist abgegeben.").waitFor();

    await page.goto(`${portal.baseUrl}${assessmentPath()}/ziele/1`);
    expect(await form.getByLabel("Kommentar").isDisabled()).toBe(true);
    await page.goto(`${portal.baseUrl}${assessmentPath()}`);
    await page.getByText(/Abgegeben am .* von Lena Leitung/).waitFor();
  });

  it("the admin reopens it with a reason the office sees; the head submits again", async () => {
    const { page: admin } = await signIn(PEOPLE.admin);
    await admin.goto(`${portal.baseUrl}/netzwerke/rlp-demo/runden/${ids.round}`);
    const reopen = admin.getByRole("form", { name: "Selbsteinschätzung von Ausländerbehörde Stadt Mainz wieder öffnen" });
    await reopen.getByLabel("Begründung").fill("Ziel 2 fehlt noch, bitte ergänzen.");
    await reopen.getByRole("button", { name: "Wieder öffnen" }).click();
    await admin.getByText("Die Selbsteinschätzung von Ausländerbehörde Stadt Mainz ist wieder geöffnet.").waitFor();

    const { page } = await signIn(PEOPLE.head);
    await page.goto(`${portal.baseUrl}${assessmentPath()}`);
    await page.getByText(/Grund: Ziel 2 fehlt noch, bitte ergänzen\./).waitFor();
    await page.goto(`${portal.baseUrl}${assessmentPath()}/ziele/2`);
    await hydrated(page);
    const form = page.getByRole("form", { name: "Gemeinsame Bewertung der Behörde" });
    await form.getByRole("radio", { name: "Nicht bewertet" }).check();
    await saved(form);
    await page.goto(`${portal.baseUrl}${assessmentPath()}/abgeben`);
    await page.getByLabel(/Ich gebe ab, obwohl noch/).check();
    await page.getByRole("button", { name: "Selbsteinschätzung verbindlich abgeben" }).click();
    await page.getByText("Die Selbsteinschätzung ist abgegeben.").waitFor();

    const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      expect(await prisma.emailMessage.count({ where: { template: "assessment-submitted", to: PEOPLE.head } })).toBe(2);
      expect(await prisma.assessmentReopening.count()).toBe(1);
    } finally {
      await prisma.$disconnect();
      await prisma.pool.end();
    }
  });
});
