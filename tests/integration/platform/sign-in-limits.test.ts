import pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { LIMITS, takeAttempt } from "~/platform/auth/rate-limit.server";
import { createUser } from "../../support/accounts";
import { useApp } from "../../support/app";

const EMAIL = "leitung@abh-a.example";
const PASSWORD = "richtiges-passwort-2026";

describe("sign-in abuse limits", () => {
  const app = useApp();

  beforeAll(async () => {
    await app.db.prisma.user.create({ data: { email: EMAIL, name: "Leitung A", passwordHash: await hashPassword(PASSWORD) } });
  });

  const signIn = (password: string, email = EMAIL) =>
    fetch(`${app.baseUrl}/anmelden`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ email, password, redirectTo: "/" }),
    });

  it("signs in with the right password and sets an HttpOnly, SameSite session cookie", async () => {
    const res = await signIn(PASSWORD);
    expect(res.status).toBe(302);
    expect(res.headers.get("set-cookie")).toMatch(/abh_session=\w+;.*HttpOnly/i);
    expect(res.headers.get("set-cookie")).toMatch(/SameSite=Lax/i);
  });

  it("answers a wrong password and an unknown address with the same German message", async () => {
    const wrong = await signIn("falsch-falsch-falsch");
    const unknown = await signIn("falsch-falsch-falsch", "niemand@nirgends.example");
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const a = await wrong.text();
    const b = await unknown.text();
    expect(a).toContain("E-Mail-Adresse oder Passwort ist falsch.");
    expect(b).toContain("E-Mail-Adresse oder Passwort ist falsch.");
  });

  it("locks the account after repeated wrong passwords, refuses even the right one, and unlocks by itself", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signIn(`falsch-${i}-xxxxxxxx`)).status);
    expect(statuses).toContain(429);
    const locked = await signIn(PASSWORD);
    expect(locked.status).toBe(429);
    const html = await locked.text();
    expect(html).toMatch(/Zu viele Fehlversuche\. Aus Sicherheitsgründen ist die Anmeldung für \d+ Minuten gesperrt/);
    expect(locked.headers.get("set-cookie")).toBeNull();

    // The lock is a row with an expiry; let its time run out.
    await app.db.prisma.$executeRaw`UPDATE rate_limit SET expire = ${BigInt(Date.now() - 1000)} WHERE key LIKE 'signInAccount%'`;
    const after = await signIn(PASSWORD);
    expect(after.status).toBe(302);
    const events = await app.db.prisma.auditEvent.findMany({
      where: { action: { startsWith: "auth." } },
      select: { action: true },
    });
    const actions = events.map((e) => e.action);
    expect(actions).toContain("auth.locked_out");
    expect(actions.filter((a) => a === "auth.sign_in_failed").length).toBeGreaterThanOrEqual(10);
  });

  /** Sign-in attempts from this test's single address; each test that floods starts afresh. */
  const clearAddressCounter = () => app.db.prisma.$executeRaw`DELETE FROM rate_limit WHERE key LIKE 'signInAddress%'`;
  const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

  it("40 wrong passwords for one account sent at once: at most 10 are checked, the rest 429, the log shows at most 10 failures", async () => {
    const user = await createUser(app.db.prisma);
    await clearAddressCounter();
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn(`falsch-parallel-${i}-xxxx`, user.email)));
    const statuses = responses.map((r) => r.status);
    // 400: the password was checked and wrong; 429: refused unchecked.
    expect(count(statuses, 400)).toBeLessThanOrEqual(10);
    expect(count(statuses, 400) + count(statuses, 429)).toBe(40);
    const locked = await responses.find((r) => r.status === 429)!.text();
    expect(locked).toMatch(/Zu viele Fehlversuche\. Aus Sicherheitsgründen ist die Anmeldung für \d+ Minuten gesperrt/);
    const audited = (action: string) => app.db.prisma.auditEvent.count({ where: { action, actorId: user.id } });
    expect(await audited("auth.sign_in_failed")).toBe(count(statuses, 400));
    expect(await audited("auth.sign_in_failed")).toBeLessThanOrEqual(10);
    // The lock is logged once, by the request that caused it.
    expect(await audited("auth.locked_out")).toBe(1);
    // The right password alone does not get past the lock either.
    expect((await signIn(user.password, user.email)).status).toBe(429);
  });

  it("per address: 60 wrong passwords for 60 accounts sent at once, at most 50 are checked", async () => {
    await clearAddressCounter();
    const before = await app.db.prisma.auditEvent.count({ where: { action: "auth.sign_in_failed" } });
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => signIn("falsch-falsch-falsch", `unbekannt-${i}@nirgends.example`)),
    );
    const statuses = responses.map((r) => r.status);
    expect(count(statuses, 400)).toBeLessThanOrEqual(50);
    expect(count(statuses, 400) + count(statuses, 429)).toBe(60);
    const after = await app.db.prisma.auditEvent.count({ where: { action: "auth.sign_in_failed" } });
    expect(after - before).toBeLessThanOrEqual(50);
    await clearAddressCounter();
  });

  it("right passwords do not use up the address's allowance (an office behind one address)", async () => {
    await clearAddressCounter();
    const people = await Promise.all(Array.from({ length: 3 }, () => createUser(app.db.prisma)));
    for (let round = 0; round < 20; round++)
      for (const person of people) expect((await signIn(person.password, person.email)).status).toBe(302);
  });

  it("two portal processes share one count: 40 attempts from two, at once, only 10 pass", async () => {
    // The second process: its own connection pool and its own limiter, the same table.
    const pool = new pg.Pool({ connectionString: app.db.appUrl, max: 5 });
    try {
      const other = new RateLimiterPostgres({
        storeClient: pool,
        storeType: "pool",
        tableName: "rate_limit",
        tableCreated: true,
        keyPrefix: "signInAccount",
        ...LIMITS.signInAccount,
      });
      const key = "zwei-prozesse@abh-a.example";
      const here = Array.from({ length: 20 }, () => takeAttempt("signInAccount", key).then((a) => a.ok));
      const there = Array.from({ length: 20 }, () =>
        other.consume(key).then(
          () => true,
          () => false,
        ),
      );
      const passed = (await Promise.all([...here, ...there])).filter(Boolean).length;
      expect(passed).toBe(LIMITS.signInAccount.points);
    } finally {
      await pool.end();
    }
  });
});
