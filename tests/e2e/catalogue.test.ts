import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { expectAccessible, useCheckedPages, usePortal } from "../support/portal";

const V = "/katalog/orientierungsrahmen-rlp-2015";

describe("the framework catalogue in Chromium", () => {
  const portal = usePortal();

  // Every address these tests visit is also checked with axe-core after each test.
  const { open } = useCheckedPages(portal);

  async function focusedText(page: Page) {
    return page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? "");
  }

  it("leads from the start page through a goal to a measure and its related measures", async () => {
    const { page, close } = await open("/");
    await expectAccessible(page);
    await page.getByRole("link", { name: "Orientierungsrahmen öffnen" }).click();
    await page.waitForURL(`**${V}`);
    await expect.poll(() => page.locator(".goal-card").count()).toBe(12);
    await expectAccessible(page);

    await page
      .getByRole("link", { name: /Ziel 2\b/ })
      .first()
      .click();
    await page.waitForURL(`**${V}/ziele/2`);
    await page.getByRole("heading", { name: "Maßnahmen zu diesem Ziel" }).waitFor();
    await expectAccessible(page);

    await page.getByRole("link", { name: /^2\.1 / }).click();
    await page.waitForURL(`**${V}/massnahmen/2.1`);
    for (const heading of ["Ergebnis", "Zentrale Aktivitäten", "Erläuterungen", "Verwandte Maßnahmen"]) {
      await page.getByRole("heading", { name: heading, exact: true }).waitFor();
    }
    await expectAccessible(page);

    const related = page.locator('section[aria-labelledby="related-heading"] a').first();
    const href = await related.getAttribute("href");
    await related.click();
    await page.waitForURL(`**${href}`);
    expect(page.url()).toMatch(/\/massnahmen\/\d+\.\d+$/);
    await close();
  });

  it("works with the keyboard alone: skip link, visible focus, links and the search form", async () => {
    const { page, close } = await open("/");
    await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("Zum Inhalt springen");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

    // From the main content, Tab reaches the catalogue link; Enter follows it.
    for (let i = 0; i < 10 && (await focusedText(page)) !== "Orientierungsrahmen öffnen"; i++) await page.keyboard.press("Tab");
    expect(await focusedText(page)).toBe("Orientierungsrahmen öffnen");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**${V}`);

    await page.getByLabel("Im Orientierungsrahmen suchen").focus();
    await page.keyboard.type("Wartezeiten");
    await page.keyboard.press("Enter");
    await page.waitForURL(`**${V}/suche?q=Wartezeiten`);
    await page.getByRole("link", { name: /^5\.1 / }).waitFor();
    expect(await page.locator("mark").first().innerText()).toBe("Wartezeiten");
    await expectAccessible(page);
    await close();
  });

  it("works without JavaScript: search, and the switch to English and back", async () => {
    const { page, close } = await open(`${V}/ziele/5`, { javaScriptEnabled: false });
    await page.getByRole("button", { name: "Switch to English" }).click();
    // The post redirects back to the same address, now in English.
    await page.getByRole("heading", { name: "Measures for this goal" }).waitFor();
    expect(page.url()).toBe(`${portal.baseUrl}${V}/ziele/5`);
    expect(await page.getAttribute("html", "lang")).toBe("en");
    // (axe-core needs JavaScript; the same pages are checked in the tests above.)

    await page.getByLabel("Search the framework").fill("Terminvergabe");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/suche\?q=Terminvergabe/);
    expect(await page.locator(".search-status").innerText()).toMatch(/results? for “Terminvergabe”/);

    await page.getByRole("button", { name: "Auf Deutsch umschalten" }).click();
    await page.getByRole("heading", { name: "Suche im Orientierungsrahmen" }).waitFor();
    expect(page.url()).toMatch(/suche\?q=Terminvergabe$/);
    expect(await page.getAttribute("html", "lang")).toBe("de");
    await close();
  });

  it("answers an unknown address with a friendly, accessible German 404 page", async () => {
    const { page, response, close } = await open(`${V}/massnahmen/77.7`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole("heading", { level: 1 }).innerText()).toBe("Seite nicht gefunden");
    await expectAccessible(page);
    await close();
  });

  it("links Impressum, Datenschutz and the accessibility statement from every page", async () => {
    const { page, close } = await open(`${V}/massnahmen/12.1`);
    const footer = page.getByRole("navigation", { name: "Rechtliches" });
    for (const name of ["Impressum", "Datenschutz", "Erklärung zur Barrierefreiheit"]) {
      expect(await footer.getByRole("link", { name }).isVisible(), name).toBe(true);
    }
    await footer.getByRole("link", { name: "Erklärung zur Barrierefreiheit" }).click();
    await page.waitForURL("**/barrierefreiheit");
    await expectAccessible(page);
    await close();
  });
});
