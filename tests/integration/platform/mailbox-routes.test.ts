import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deliverDueEmails, enqueueEmail, localTransport } from "~/platform/email/outbox.server";
import { useApp } from "../../support/app";
import { startPortal } from "../../support/portal";

const resetUrl = "http://localhost:3000/passwort/neu/tok-abc?lng=de&x=1";

describe("the local mailbox /dev/postfach (development)", () => {
  const app = useApp();
  const get = (path: string) => fetch(app.baseUrl + path, { redirect: "manual" });

  it("lists every message newest first in an accessible table, never cached", async () => {
    const older = await enqueueEmail(app.db.prisma, {
      to: "alt@behoerde.example.de",
      template: "password-reset",
      language: "de",
      props: { name: "Alt", resetUrl, validMinutes: 30 },
    });
    await app.db.prisma.emailMessage.update({ where: { id: older }, data: { createdAt: new Date(Date.now() - 60_000) } });
    const newer = await enqueueEmail(app.db.prisma, {
      to: "neu@behoerde.example.de",
      template: "invitation",
      language: "en",
      props: {
        inviterName: "Referat",
        roleLabel: "Staff",
        networkName: "RLP",
        acceptUrl: "http://localhost:3000/einladung/x",
        expiresAt: new Date(),
      },
    });

    const res = await get("/dev/postfach");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("<h1>Lokales Postfach</h1>");
    expect(html).toContain("<caption>E-Mails, die neuesten zuerst</caption>");
    expect(html).toContain('<th scope="col">Betreff</th>');
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    const newerAt = html.indexOf(`href="/dev/postfach/${newer}"`);
    const olderAt = html.indexOf(`href="/dev/postfach/${older}"`);
    expect(newerAt).toBeGreaterThan(0);
    expect(olderAt).toBeGreaterThan(newerAt);
    expect(html).toContain("neu@behoerde.example.de");
    expect(html).toContain("Invitation to ABH-Netz – RLP");
    expect(html).toContain("wartet");

    const english = await (await get("/dev/postfach?lng=en")).text();
    expect(english).toContain("<h1>Local mailbox</h1>");
    expect(english).toContain("<caption>Emails, newest first</caption>");
  });

  it("shows one message: details, the text with clickable links, the HTML as source", async () => {
    const id = await enqueueEmail(app.db.prisma, {
      to: "dana@behoerde.example.de",
      template: "password-reset",
      language: "de",
      props: { name: "Dana", resetUrl, validMinutes: 30 },
    });
    const res = await get(`/dev/postfach/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const html = await res.text();
    expect(html).toContain("<h1>E-Mail: Neues Passwort für ABH-Netz</h1>");
    expect(html).toContain("<dd>dana@behoerde.example.de</dd>");
    expect(html).toContain("<dd>password-reset</dd>");
    // The link in the plain text is a real link.
    expect(html).toContain(`<a href="${resetUrl.replaceAll("&", "&amp;")}">`);
    // The HTML only as escaped source: nothing of the e-mail's markup is rendered or run.
    expect(html).not.toContain("<iframe");
    expect(html).toContain("<summary>HTML-Quelltext anzeigen</summary>");
    expect(html).toContain("&lt;html");
    expect(html).toContain(`href=&quot;${resetUrl.replaceAll("&", "&amp;amp;")}&quot;`);
  });

  it("a token link is stored redacted, but shows working once this process delivered it (memory only)", async () => {
    const token = "Tok3n-im-Postfach-0123456789abcdefghijklmno";
    const acceptUrl = `http://localhost:3000/einladung/${token}`;
    const id = await enqueueEmail(app.db.prisma, {
      to: "eingeladen@behoerde.example.de",
      template: "invitation",
      language: "de",
      props: { inviterName: "Referat", roleLabel: "Leitung", networkName: "RLP", acceptUrl, expiresAt: new Date() },
      token,
    });
    // Before delivery: only the redacted copy exists.
    const before = await (await get(`/dev/postfach/${id}`)).text();
    expect(before).not.toContain(token);
    expect(before).toContain("/einladung/[entfernt]");
    // The local transport delivers it (as the worker of `npm start` does): the mailbox shows the working link.
    await deliverDueEmails({ prisma: app.db.prisma, transport: localTransport({ logger: { info() {} } }) });
    const after = await (await get(`/dev/postfach/${id}`)).text();
    expect(after).toContain(`<a href="${acceptUrl}">`);
    // The database still holds no token.
    const row = await app.db.prisma.emailMessage.findUniqueOrThrow({ where: { id } });
    expect(`${row.html}${row.text}`).not.toContain(token);
    expect(row.sealedToken).toBeNull();
  });

  it("answers 404 for an unknown or malformed message id", async () => {
    expect((await get(`/dev/postfach/${randomUUID()}`)).status).toBe(404);
    expect((await get("/dev/postfach/not-a-uuid")).status).toBe(404);
  });
});

describe("the local mailbox in production", () => {
  it("does not exist", async () => {
    const portal = await startPortal({
      NODE_ENV: "production",
      SESSION_SECRET: "p".repeat(40),
      PUBLIC_URL: "https://abh.example.de",
      RESEND_API_KEY: "re_test123",
      DEMO_DATA: "false",
    });
    try {
      expect((await fetch(`${portal.baseUrl}/dev/postfach`)).status).toBe(404);
      expect((await fetch(`${portal.baseUrl}/dev/postfach/${randomUUID()}`)).status).toBe(404);
      // The portal itself is up: the 404 is the mailbox's, not a dead server's.
      expect((await fetch(`${portal.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await portal.stop();
    }
  }, 90_000);
});
