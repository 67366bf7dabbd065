import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/auth/password.server";
import { useApp } from "../support/app";

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
});
