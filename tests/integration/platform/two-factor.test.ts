import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { describe, expect, it } from "vitest";
import type { Role } from "~/platform/auth/permissions";
import { openSecret } from "~/platform/auth/secret-box.server";
import { hashToken } from "~/platform/auth/tokens.server";
import { type Client, codeAt, createUser, signIn, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const SETUP = "/konto/zwei-faktor";
const SECOND_STEP = "/anmelden/zwei-faktor";
const WRONG_CODE = "Dieser Code stimmt nicht oder wurde schon benutzt.";

describe("two-factor sign-in (TOTP)", () => {
  const app = useApp();
  const db = app.db;

  const storedOf = async (userId: string) => (await db.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpSecret!;
  /** The secret the person's app holds: what the database keeps, decrypted. */
  const secretOf = async (userId: string) => openSecret(await storedOf(userId), 20)!;

  /** Runs the setup as the person would: start, read the QR page, confirm with the app's current code. */
  async function enable(c: Client, userId: string) {
    expect((await c.post(SETUP, { intent: "start" })).status).toBe(200);
    const page = await c.get(SETUP);
    expect(page.status).toBe(200);
    const html = await page.text();
    const key = await secretOf(userId);
    expect(key.length).toBe(20);
    expect(html).toMatch(/<img src="data:image\/png;base64,[^"]+" alt="QR-Code zum Einrichten des zweiten Faktors/);
    // The same secret for typing in by hand, in groups of four.
    expect(text(html).replace(/ /g, "")).toContain(encodeBase32UpperCaseNoPadding(key));
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: userId } })).totpEnabledAt).toBeNull();

    const confirmed = await c.post(SETUP, { intent: "confirm", code: generateTOTP(key, 30, 6) });
    expect(confirmed.status, String(confirmed.headers.get("location"))).toBe(200);
    const shown = await confirmed.text();
    expect(text(shown)).toContain("Der zweite Faktor ist jetzt eingeschaltet.");
    const recoveryCodes = [...shown.matchAll(/<code>([a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4})<\/code>/g)].map(
      (m) => m[1],
    );
    return { key, recoveryCodes };
  }

  async function userWithTwoFactor(role?: Role) {
    const user = await createUser(db.prisma, { role });
    const c = await signIn(app.baseUrl, user.email);
    if (role !== "NETWORK_ADMIN") expect((await c.get("/konto")).status).toBe(200);
    return { user, client: c, ...(await enable(c, user.id)) };
  }

  it("setup: a code from the app switches it on, shows 10 recovery codes once (stored as hashes), ends other sessions", async () => {
    const user = await createUser(db.prisma);
    const otherDevice = await signIn(app.baseUrl, user.email);
    const c = await signIn(app.baseUrl, user.email);

    // A wrong code does not switch it on.
    expect((await c.post(SETUP, { intent: "start" })).status).toBe(200);
    const key = await secretOf(user.id);
    const wrong = await c.post(SETUP, {
      intent: "confirm",
      code: String((Number(generateTOTP(key, 30, 6)) + 1) % 1_000_000).padStart(6, "0"),
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(new RegExp(`id="field-code-error"[^>]*>${WRONG_CODE}`));
    const notSix = await c.post(SETUP, { intent: "confirm", code: "12ab" });
    expect(notSix.status).toBe(400);
    expect(text(await notSix.text())).toContain("Der Code besteht aus 6 Ziffern.");

    const { recoveryCodes } = await enable(c, user.id);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { recoveryCodes: true } });
    expect(stored.totpEnabledAt).not.toBeNull();
    expect(stored.totpLastStep).not.toBeNull();
    expect(stored.recoveryCodes.map((r) => r.codeHash).sort()).toEqual(
      recoveryCodes.map((code) => hashToken(code.replace(/-/g, ""))).sort(),
    );
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.two_factor_enabled", actorId: user.id } })).toBe(1);

    // This device stays signed in; the one that never showed a second factor is out.
    expect((await c.get("/konto")).status).toBe(200);
    expect((await otherDevice.get("/konto")).status).toBe(302);
    // The codes are shown only once.
    expect(await (await c.get(SETUP)).text()).not.toContain(recoveryCodes[0]);
  });

  it("sign-in then needs the code; the same code does not work twice", async () => {
    const { user, key } = await userWithTwoFactor();

    const first = await signIn(app.baseUrl, user.email);
    expect(first.response.status).toBe(302);
    expect(first.response.headers.get("location")).toBe(`${SECOND_STEP}?redirectTo=${encodeURIComponent("/konto")}`);
    // Password alone is not signed in.
    const halfway = await first.get("/konto");
    expect(halfway.status).toBe(302);
    expect(halfway.headers.get("location")).toBe(SECOND_STEP);
    expect((await first.get(SECOND_STEP)).status).toBe(200);

    const wrong = await first.post(SECOND_STEP, { code: "000000", redirectTo: "/konto" });
    expect(wrong.status).toBe(400);
    expect(text(await wrong.text())).toContain(WRONG_CODE);

    // The setup used the code of its time step; the app's next code (one step ahead is accepted) works.
    const code = codeAt(key, 1);
    const ok = await first.post(SECOND_STEP, { code, redirectTo: "/konto" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/konto");
    expect((await first.get("/konto")).status).toBe(200);

    const second = await signIn(app.baseUrl, user.email);
    const replay = await second.post(SECOND_STEP, { code, redirectTo: "/konto" });
    expect(replay.status).toBe(400);
    expect(text(await replay.text())).toContain(WRONG_CODE);
    expect((await second.get("/konto")).status).toBe(302);
    // An older code (the current step, now behind the accepted one) is refused as well.
    expect((await second.post(SECOND_STEP, { code: codeAt(key, 0), redirectTo: "/konto" })).status).toBe(400);
  });

  it("an off-site redirectTo is not followed after the second step", async () => {
    const { user, key } = await userWithTwoFactor();
    const c = await signIn(app.baseUrl, user.email);
    const ok = await c.post(SECOND_STEP, { code: codeAt(key, 1), redirectTo: "//evil.example/x" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/");
  });

  it("a recovery code signs in once", async () => {
    const { user, recoveryCodes } = await userWithTwoFactor();
    const [code] = recoveryCodes;

    const c = await signIn(app.baseUrl, user.email);
    // Typed loosely: upper case, spaces instead of dashes.
    const ok = await c.post(SECOND_STEP, { code: code.toUpperCase().replace(/-/g, " "), redirectTo: "/konto" });
    expect(ok.status).toBe(302);
    expect((await c.get("/konto")).status).toBe(200);
    expect(await db.prisma.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1);
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.recovery_code_used", actorId: user.id } })).toBe(1);

    const again = await signIn(app.baseUrl, user.email);
    const replay = await again.post(SECOND_STEP, { code, redirectTo: "/konto" });
    expect(replay.status).toBe(400);
    expect((await again.get("/konto")).status).toBe(302);
  });

  it("after five wrong codes the second step is locked for a while (429), even for the right code", async () => {
    const { user, key } = await userWithTwoFactor();
    const c = await signIn(app.baseUrl, user.email);
    for (let i = 0; i < 5; i++) expect((await c.post(SECOND_STEP, { code: `00000${i}`, redirectTo: "/" })).status).toBe(400);
    const locked = await c.post(SECOND_STEP, { code: "000009", redirectTo: "/" });
    expect(locked.status).toBe(429);
    expect(text(await locked.text())).toMatch(
      /Zu viele falsche Codes\. Aus Sicherheitsgründen ist die Eingabe für \d+ Minuten gesperrt\./,
    );
    expect((await c.post(SECOND_STEP, { code: codeAt(key, 1), redirectTo: "/" })).status).toBe(429);
    expect((await c.get("/konto")).status).toBe(302);
  });

  it("50 wrong codes sent at once: at most 5 are checked, the rest 429, the log shows at most 5 failures", async () => {
    const { user, key } = await userWithTwoFactor();
    const c = await signIn(app.baseUrl, user.email);
    const right = new Set([codeAt(key, -1), codeAt(key, 0), codeAt(key, 1)]);
    const wrong = Array.from({ length: 60 }, (_, i) => String(100000 + i * 7919)).filter((code) => !right.has(code));
    const responses = await Promise.all(wrong.slice(0, 50).map((code) => c.post(SECOND_STEP, { code, redirectTo: "/" })));
    const statuses = responses.map((r) => r.status);
    const checked = statuses.filter((s) => s === 400).length;
    expect(checked).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBe(50 - checked);
    const audited = (action: string) => db.prisma.auditEvent.count({ where: { action, actorId: user.id } });
    expect(await audited("auth.two_factor_failed")).toBe(checked);
    expect(await audited("auth.locked_out")).toBe(1);
    // Still locked for the right code; the session stays half signed in.
    expect((await c.post(SECOND_STEP, { code: codeAt(key, 1), redirectTo: "/" })).status).toBe(429);
    expect((await c.get("/konto")).status).toBe(302);
  });

  it("a network admin without two-factor is sent to its setup, and cannot switch it off once on", async () => {
    const admin = await createUser(db.prisma, { role: "NETWORK_ADMIN" });
    const c = await signIn(app.baseUrl, admin.email);
    const elsewhere = await c.get("/konto");
    expect(elsewhere.status).toBe(302);
    expect(elsewhere.headers.get("location")).toBe(SETUP);
    const setup = await c.get(SETUP);
    expect(setup.status).toBe(200);
    expect(text(await setup.text())).toContain("Für die Netzwerk-Administration ist der zweite Faktor Pflicht.");

    const { key } = await enable(c, admin.id);
    expect((await c.get("/konto")).status).toBe(200);

    const page = await (await c.get(SETUP)).text();
    expect(page).not.toContain('name="intent" value="disable"');
    const refused = await c.post(SETUP, { intent: "disable", password: admin.password, code: codeAt(key, 1) });
    expect(refused.status).toBe(403);
    expect(text(await refused.text())).toContain("Er lässt sich nicht ausschalten.");
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(stored.totpEnabledAt).not.toBeNull();
    expect(stored.totpSecret).not.toBeNull();
  });

  it("keeps the secret encrypted: the database holds neither it nor anything that works without the key", async () => {
    const user = await createUser(db.prisma);
    const c = await signIn(app.baseUrl, user.email);
    const { key } = await enable(c, user.id);
    const stored = Buffer.from(await storedOf(user.id));
    expect(stored.length).toBe(1 + 12 + 20 + 16); // version, nonce, ciphertext, tag
    expect(stored.includes(Buffer.from(key))).toBe(false);
    // Altered bytes are not read as some other secret: the code no longer works, nothing breaks.
    stored[20] ^= 0xff;
    await db.prisma.user.update({ where: { id: user.id }, data: { totpSecret: new Uint8Array(stored) } });
    expect(openSecret(new Uint8Array(stored), 20)).toBeNull();
    const next = await signIn(app.baseUrl, user.email);
    const refused = await next.post(SECOND_STEP, { code: codeAt(key, 1), redirectTo: "/konto" });
    expect(refused.status).toBe(400);
    expect(text(await refused.text())).toContain(WRONG_CODE);
  });

  it("seals a secret stored before encryption the first time its code is used", async () => {
    const user = await createUser(db.prisma);
    const { key } = await enable(await signIn(app.baseUrl, user.email), user.id);
    await db.prisma.user.update({ where: { id: user.id }, data: { totpSecret: new Uint8Array(key) } });
    const next = await signIn(app.baseUrl, user.email);
    expect((await next.post(SECOND_STEP, { code: codeAt(key, 1), redirectTo: "/konto" })).status).toBe(302);
    const stored = await storedOf(user.id);
    expect(stored.length).toBe(49);
    expect(openSecret(stored, 20)).toEqual(new Uint8Array(key));
  });

  it("anyone else switches it off with password and a code; a wrong password changes nothing", async () => {
    const { user, client: c, key } = await userWithTwoFactor();
    const wrong = await c.post(SETUP, { intent: "disable", password: "falsches Passwort 123", code: codeAt(key, 1) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/id="field-password-error"[^>]*>Das jetzige Passwort stimmt nicht\./);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).totpEnabledAt).not.toBeNull();

    const off = await c.post(SETUP, { intent: "disable", password: user.password, code: codeAt(key, 1) });
    expect(off.status).toBe(200);
    expect(text(await off.text())).toContain("Der zweite Faktor ist ausgeschaltet.");
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id }, include: { recoveryCodes: true } });
    expect(stored.totpEnabledAt).toBeNull();
    expect(stored.totpSecret).toBeNull();
    expect(stored.recoveryCodes).toEqual([]);
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.two_factor_disabled", actorId: user.id } })).toBe(1);
    // Signing in needs the password only again.
    const next = await signIn(app.baseUrl, user.email);
    expect(next.response.headers.get("location")).toBe("/konto");
  });
});
