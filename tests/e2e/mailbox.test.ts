import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { useApp } from "../support/app";
import { expectAccessible, launchBrowser, useCheckedPages } from "../support/portal";

const acceptUrl = "http://localhost:3000/einladung/tok-e2e?lng=de&x=1";

describe("the local mailbox in Chromium", () => {
  // The real express stack (CSP included) in this process, so the test can enqueue directly.
  const app = useApp();
  const portal = {} as { baseUrl: string; browser: Browser };
  beforeAll(async () => {
    portal.baseUrl = app.baseUrl;
    portal.browser = await launchBrowser();
  });
  afterAll(() => portal.browser?.close());
  const { open } = useCheckedPages(portal);

  it("leads from the list to a message whose link a developer can click, without breaking the CSP", async () => {
    const id = await enqueueEmail(app.db.prisma, {
      to: "dana@behoerde.example.de",
      template: "invitation",
      language: "de",
      props: { inviterName: "Referat Integration", roleLabel: "Leitung", networkName: "RLP", acceptUrl, expiresAt: new Date() },
    });
    const { page } = await open("/dev/postfach");
    const consoleErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    await page.getByRole("table", { name: "E-Mails, die neuesten zuerst" }).waitFor();
    await page.getByRole("link", { name: "Einladung zu ABH-Netz – RLP" }).click();
    await page.waitForURL(`**/dev/postfach/${id}`);
    await page.getByRole("heading", { level: 1, name: "E-Mail: Einladung zu ABH-Netz – RLP" }).waitFor();

    const link = page.locator(".mail-text a", { hasText: acceptUrl });
    expect(await link.getAttribute("href")).toBe(acceptUrl);

    await page.getByText("HTML-Quelltext anzeigen").click();
    await expect.poll(() => page.locator("details pre").isVisible()).toBe(true);
    expect(await page.locator("details pre").innerText()).toContain(`href="${acceptUrl.replaceAll("&", "&amp;")}"`);
    await expectAccessible(page);
    expect(consoleErrors).toEqual([]);
    // Axe takes seconds per page on a busy 2-core machine; leave room beyond the default.
  }, 120_000);
});
