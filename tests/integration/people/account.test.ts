import { describe, expect, it } from "vitest";
import { client, createUser, signIn, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const NEW_PASSWORD = "mein neues Passwort 2026";

describe("my account (/konto)", () => {
  const app = useApp();
  const db = app.db;

  const changePassword = (
    c: ReturnType<typeof client>,
    currentPassword: string,
    newPassword = NEW_PASSWORD,
    newPasswordRepeat = newPassword,
  ) => c.post("/konto", { intent: "password", currentPassword, newPassword, newPasswordRepeat });

  it("needs a sign-in", async () => {
    const res = await client(app.baseUrl).get("/konto");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/anmelden?redirectTo=${encodeURIComponent("/konto")}`);
  });

  it("shows name, e-mail, two-factor status and the sign-out-everywhere form", async () => {
    const user = await createUser(db.prisma, { name: "Kim Muster" });
    const c = await signIn(app.baseUrl, user.email);
    const html = await (await c.get("/konto")).text();
    expect(html).toContain('value="Kim Muster"');
    expect(text(html)).toContain(user.email);
    expect(text(html)).toContain("Der zweite Faktor ist ausgeschaltet.");
    expect(html).toContain('href="/konto/zwei-faktor"');
    expect(html).toMatch(/<form method="post" action="\/abmelden"[^>]*><input type="hidden" name="everywhere" value="1"\/>/);
  });

  it("changing the password ends the other sessions; this device continues with a fresh one", async () => {
    const user = await createUser(db.prisma);
    const here = await signIn(app.baseUrl, user.email);
    const elsewhere = await signIn(app.baseUrl, user.email);
    const oldCookie = here.cookie;

    const res = await changePassword(here, user.password);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/konto?hinweis=passwort-geaendert");
    expect(here.cookie).not.toBe(oldCookie);
    const page = await here.get("/konto?hinweis=passwort-geaendert");
    expect(page.status).toBe(200);
    expect(text(await page.text())).toContain("Ihr Passwort ist geändert. Auf allen anderen Geräten sind Sie jetzt abgemeldet.");

    expect((await elsewhere.get("/konto")).status).toBe(302);
    expect((await client(app.baseUrl, oldCookie).get("/konto")).status).toBe(302);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.password_changed", actorId: user.id } })).toBe(1);

    expect((await signIn(app.baseUrl, user.email, user.password)).response.status).toBe(400);
    expect((await signIn(app.baseUrl, user.email, NEW_PASSWORD)).response.status).toBe(302);
  });

  it("a wrong current password: 400 with a German message at the field, and nothing changes", async () => {
    const user = await createUser(db.prisma);
    const here = await signIn(app.baseUrl, user.email);
    const elsewhere = await signIn(app.baseUrl, user.email);
    const before = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });

    const res = await changePassword(here, "nicht mein Passwort 1");
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="field-currentPassword-error" class="field-error">Das jetzige Passwort stimmt nicht\.<\/p>/);
    expect(html).toMatch(/id="field-currentPassword"[^>]*aria-invalid="true"[^>]*aria-describedby="field-currentPassword-error"/);

    const after = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(before.passwordHash);
    expect(after.passwordChangedAt).toEqual(before.passwordChangedAt);
    expect((await here.get("/konto")).status).toBe(200);
    expect((await elsewhere.get("/konto")).status).toBe(200);
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.password_changed", actorId: user.id } })).toBe(0);
  });

  it("40 wrong current passwords sent at once: at most 10 are checked, the rest 429 in German, the log shows at most 10", async () => {
    const user = await createUser(db.prisma);
    const c = await signIn(app.baseUrl, user.email);
    const before = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => changePassword(c, `nicht mein Passwort ${i}`)));
    const statuses = responses.map((r) => r.status);
    const checked = statuses.filter((s) => s === 400).length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(statuses.filter((s) => s === 429).length).toBe(40 - checked);
    expect(text(await responses.find((r) => r.status === 429)!.text())).toMatch(
      /Zu viele falsche Passwörter\. Aus Sicherheitsgründen ist das für \d+ Minuten gesperrt\./,
    );
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.password_check_failed", actorId: user.id } })).toBe(checked);
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.locked_out", actorId: user.id } })).toBe(1);
    // Locked now even for the right password; nothing changed.
    expect((await changePassword(c, user.password)).status).toBe(429);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBe(before.passwordHash);
  });

  it("a too short or mismatched new password: 400 at the field, nothing changes", async () => {
    const user = await createUser(db.prisma);
    const c = await signIn(app.baseUrl, user.email);
    const short = await changePassword(c, user.password, "kurz");
    expect(short.status).toBe(400);
    expect(await short.text()).toMatch(/id="field-newPassword-error"[^>]*>Das Passwort muss mindestens 12 Zeichen lang sein\./);
    const mismatch = await changePassword(c, user.password, NEW_PASSWORD, `${NEW_PASSWORD}!`);
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toMatch(
      /id="field-newPasswordRepeat-error"[^>]*>Die beiden Passwörter stimmen nicht überein\./,
    );
    const after = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after.passwordHash).toBe(user.passwordHash);
  });

  it("name and language are saved; the language also becomes this device's language", async () => {
    const user = await createUser(db.prisma, { name: "Alt Name" });
    const c = await signIn(app.baseUrl, user.email);

    const empty = await c.post("/konto", { intent: "profile", name: "  ", language: "de" });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toMatch(/id="field-name-error"[^>]*>Bitte füllen Sie dieses Feld aus\./);
    const badLanguage = await c.post("/konto", { intent: "profile", name: "Neu Name", language: "fr" });
    expect(badLanguage.status).toBe(400);
    expect(await badLanguage.text()).toMatch(/id="field-language-error"[^>]*>Bitte wählen Sie Deutsch oder Englisch\./);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).name).toBe("Alt Name");

    const saved = await c.post("/konto", { intent: "profile", name: "Neu Name", language: "en" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/konto?hinweis=gespeichert");
    const lng = saved.headers.getSetCookie().find((line) => line.startsWith("lng="));
    expect(lng).toBeDefined();
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored).toMatchObject({ name: "Neu Name", language: "en" });

    // The next page comes in English with that cookie.
    const page = await fetch(`${app.baseUrl}/konto?hinweis=gespeichert`, {
      headers: { Cookie: `${c.cookie}; ${lng!.split(";")[0]}` },
    });
    const html = await page.text();
    expect(html).toContain('<html lang="en"');
    expect(text(html)).toContain("Saved.");
  });
});
