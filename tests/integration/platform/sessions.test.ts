import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeEach, describe, expect, it } from "vitest";
import { sealSecret } from "~/platform/auth/secret-box.server";
import { createToken, hashToken } from "~/platform/auth/tokens.server";
import { migrate } from "../../../server/database/migrate";
import { client, codeAt, createUser, signIn, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createTestDatabase } from "../../support/database";

/** Issue 19, item 11: hashed session ids, a new id after the second factor, a way past a lock. */

const MIGRATION = "20261206000300_hashed_session_ids";
const SECOND_STEP = "/anmelden/zwei-faktor";
const LOCKED = /Zu viele Fehlversuche\. Aus Sicherheitsgründen ist die Anmeldung für \d+ Minuten gesperrt/;

const tokenOf = (cookie: string) => cookie.split("=")[1];

describe("sessions and the sign-in lock", () => {
  const app = useApp();
  const db = app.db;

  beforeEach(async () => {
    // Many sign-ins from this test's one address; the address limit is tested on its own below.
    await db.prisma.$executeRaw`DELETE FROM rate_limit WHERE key LIKE 'signInAddress%'`;
  });

  /** A person with two-factor on (arranged directly): the key their app holds. */
  async function withTwoFactor() {
    const user = await createUser(db.prisma);
    const key = new Uint8Array(randomBytes(20));
    await db.prisma.user.update({ where: { id: user.id }, data: { totpSecret: sealSecret(key), totpEnabledAt: new Date() } });
    return { user, key };
  }

  const post = (form: Record<string, string>) => client(app.baseUrl).post("/anmelden", { redirectTo: "/konto", ...form });

  /** A stranger's wrong passwords, one after another, until the account is locked. */
  async function lockOut(email: string) {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await post({ email, password: `geraten-${i}-xxxxxxxx` })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400));
    expect(statuses[10]).toBe(429);
  }

  describe("session ids are stored hashed", () => {
    it("the table keeps the SHA-256 of the cookie's token, never the token; the stored value signs no one in", async () => {
      const user = await createUser(db.prisma);
      const c = await signIn(app.baseUrl, user.email);
      const token = tokenOf(c.cookie);
      expect(token).toMatch(/^[a-z0-9]{40}$/);
      const rows = await db.prisma.session.findMany({ where: { userId: user.id } });
      expect(rows.map((r) => r.id)).toEqual([hashToken(token)]);
      expect(await db.prisma.session.count({ where: { id: token } })).toBe(0);

      expect((await c.get("/konto")).status).toBe(200);
      // Someone who read the table holds the hash: as a cookie it is nobody's session.
      const leaked = client(app.baseUrl, `abh_session=${rows[0].id}`);
      expect((await leaked.get("/konto")).status).toBe(302);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    });

    it("signing out, and the sign-out on all devices, find the hashed rows", async () => {
      const user = await createUser(db.prisma);
      const a = await signIn(app.baseUrl, user.email);
      const b = await signIn(app.baseUrl, user.email);
      const third = await signIn(app.baseUrl, user.email);
      expect((await a.post("/abmelden", {})).status).toBe(302);
      expect(await db.prisma.session.count({ where: { id: hashToken(tokenOf(b.cookie)) } })).toBe(1);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(2);
      expect((await b.post("/abmelden", { everywhere: "1" })).status).toBe(302);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
      expect((await third.get("/konto")).status).toBe(302);
    });

    it("the database refuses a session id that is not a SHA-256", async () => {
      const user = await createUser(db.prisma);
      await expect(
        db.prisma.session.create({ data: { id: "a".repeat(40), userId: user.id, expiresAt: new Date(Date.now() + 60_000) } }),
      ).rejects.toThrow();
    });

    it(`migration ${MIGRATION} ends the sessions stored before it (plain ids)`, async () => {
      const old = await createTestDatabase();
      const pool = new pg.Client({ connectionString: old.url });
      await pool.connect();
      try {
        // The database as it was before the migration: no constraint, plain ids.
        await pool.query(`ALTER TABLE session DROP CONSTRAINT session_id_sha256`);
        await pool.query(`DELETE FROM _prisma_migrations WHERE migration_name = $1`, [MIGRATION]);
        const { rows } = await pool.query(
          `INSERT INTO user_account (id, email, name, password_hash) VALUES (gen_random_uuid(), 'alt@beispiel.example', 'Alt', 'x') RETURNING id`,
        );
        await pool.query(`INSERT INTO session (id, user_id, expires_at) VALUES ($1, $2, now() + interval '1 hour')`, [
          "klartext0session0id0aus0der0zeit0davor0",
          rows[0].id,
        ]);
        expect((await migrate(old.url)).applied).toEqual([MIGRATION]);
        expect((await pool.query(`SELECT count(*)::int AS n FROM session`)).rows[0].n).toBe(0);
        const constraint = await pool.query(`SELECT 1 FROM pg_constraint WHERE conname = 'session_id_sha256'`);
        expect(constraint.rowCount).toBe(1);
      } finally {
        await pool.end();
        await old.drop();
      }
    });
  });

  describe("a new session id after the second factor", () => {
    it("the id from the password step stops working; the new one is signed in", async () => {
      const { user, key } = await withTwoFactor();
      const c = await signIn(app.baseUrl, user.email);
      const before = c.cookie;
      expect((await c.get("/konto")).headers.get("location")).toBe(SECOND_STEP);

      const ok = await c.post(SECOND_STEP, { code: codeAt(key, 0), redirectTo: "/konto" });
      expect(ok.status).toBe(302);
      expect(ok.headers.getSetCookie().join()).toMatch(/abh_session=[a-z0-9]{40};.*HttpOnly/i);
      expect(c.cookie).not.toBe(before);
      expect((await c.get("/konto")).status).toBe(200);

      // Whoever saw the cookie before the second factor holds nothing any more.
      const old = client(app.baseUrl, before);
      expect((await old.get("/konto")).status).toBe(302);
      expect((await old.get(SECOND_STEP)).headers.get("location")).toBe("/anmelden");
      const rows = await db.prisma.session.findMany({ where: { userId: user.id } });
      expect(rows.map((r) => [r.id, r.twoFactorVerified])).toEqual([[hashToken(tokenOf(c.cookie)), true]]);
    });
  });

  describe("a locked account: the owner still gets in", () => {
    it("with the right password and a valid second factor in one request; wrong either way → the same 429", async () => {
      const { user, key } = await withTwoFactor();
      await lockOut(user.email);

      // The password alone no longer gets through, not even the right one.
      const alone = await post({ email: user.email, password: user.password });
      expect(alone.status).toBe(429);
      const page = await alone.text();
      expect(text(page)).toMatch(LOCKED);
      // The locked page offers the code field to everyone (it does not tell who has two-factor).
      expect(page).toContain('name="code"');
      expect(text(page)).toContain("Haben Sie einen zweiten Faktor eingerichtet?");
      expect(text(page)).toContain("Nach dem Zurücksetzen des Passworts ist die Sperre aufgehoben.");
      expect(alone.headers.get("set-cookie")).toBeNull();

      // A stranger with a wrong password and even a valid code: 429, and the code is not even looked at.
      const wrongPassword = await post({ email: user.email, password: "geraten-mit-code-xx", code: codeAt(key, 0) });
      expect(wrongPassword.status).toBe(429);
      const wrongPasswordText = text(await wrongPassword.text()).replace(/\d+ Minuten/, "");
      // The right password with a wrong code: the same answer, so a guess learns nothing.
      const wrongCode = await post({ email: user.email, password: user.password, code: "000000" });
      expect(wrongCode.status).toBe(429);
      expect(text(await wrongCode.text()).replace(/\d+ Minuten/, "")).toBe(wrongPasswordText);
      expect(wrongCode.headers.get("set-cookie")).toBeNull();
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);

      // The owner: password and code together → signed in at once, second factor done.
      const owner = client(app.baseUrl);
      const ok = await owner.post("/anmelden", {
        email: user.email,
        password: user.password,
        code: codeAt(key, 0),
        redirectTo: "/konto",
      });
      expect(ok.status).toBe(302);
      expect(ok.headers.get("location")).toBe("/konto");
      expect((await owner.get("/konto")).status).toBe(200);
      const actions = (await db.prisma.auditEvent.findMany({ where: { actorId: user.id }, select: { action: true } })).map(
        (e) => e.action,
      );
      expect(actions).toEqual(expect.arrayContaining(["auth.locked_out", "auth.sign_in", "auth.sign_in_second_factor"]));
      // The lock is over for the owner: the next sign-in takes the usual two steps.
      expect((await post({ email: user.email, password: user.password })).headers.get("location")).toBe(
        `${SECOND_STEP}?redirectTo=${encodeURIComponent("/konto")}`,
      );
    });

    it("a recovery code works as the second factor past the lock too", async () => {
      const { user } = await withTwoFactor();
      const code = "abcd-efgh-ijkl-mnop";
      await db.prisma.recoveryCode.create({ data: { userId: user.id, codeHash: hashToken(code.replace(/-/g, "")) } });
      await lockOut(user.email);
      const ok = await post({ email: user.email, password: user.password, code });
      expect(ok.status).toBe(302);
      expect(await db.prisma.recoveryCode.count({ where: { userId: user.id, usedAt: { not: null } } })).toBe(1);
    });

    it("without two-factor the lock holds against the right password, with any code; a password reset lifts it", async () => {
      const user = await createUser(db.prisma);
      await lockOut(user.email);
      expect((await post({ email: user.email, password: user.password })).status).toBe(429);
      expect((await post({ email: user.email, password: user.password, code: "123456" })).status).toBe(429);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);

      // The owner resets the password (the link from the e-mail, arranged here).
      const { token, tokenHash } = createToken();
      await db.prisma.passwordReset.create({
        data: { userId: user.id, tokenHash, expiresAt: new Date(Date.now() + 30 * 60_000) },
      });
      const newPassword = "nach der Sperre neu 2026";
      const reset = await client(app.baseUrl).post(`/passwort-neu/${token}`, {
        password: newPassword,
        passwordRepeat: newPassword,
      });
      expect(reset.status).toBe(302);
      const again = await post({ email: user.email, password: newPassword });
      expect(again.status).toBe(302);
      expect(again.headers.get("location")).toBe("/konto");
    });

    it("the per-address limit still applies, also to password and code together", async () => {
      const { user, key } = await withTwoFactor();
      await lockOut(user.email);
      await db.prisma.$executeRaw`UPDATE rate_limit SET points = 1000 WHERE key LIKE 'signInAddress%'`;
      const res = await post({ email: user.email, password: user.password, code: codeAt(key, 0) });
      expect(res.status).toBe(429);
      expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    });
  });
});
