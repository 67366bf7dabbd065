import { randomBytes } from "node:crypto";
import { encodeBase32LowerCaseNoPadding } from "@oslojs/encoding";
import { beforeEach, describe, expect, it } from "vitest";
import { sealSecret } from "~/platform/auth/secret-box.server";
import { hashToken } from "~/platform/auth/tokens.server";
import { client, createUser, signIn } from "../../support/accounts";
import { useApp } from "../../support/app";

/**
 * Issue 19, item 7: the page asked for before signing in (redirectTo) is where the portal
 * sends the person afterwards — after the password, after the second factor, and from the
 * sign-in pages when already signed in. Whatever is put there, the Location that goes out
 * resolves, in a browser, to the portal itself, and nothing ends in a 500.
 */
const HOSTILE = [
  "/\t/evil.example",
  "\t//evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/konto\r\nSet-Cookie: abh_session=gestohlen",
  "/konto\nx",
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t\\evil.example",
  "/.//evil.example",
  "/a/..//evil.example",
  "/%2e%2e//evil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/%09/evil.example",
  "/／／evil.example",
  "/ämter\u2028",
  "https://evil.example/",
  "javascript:alert(1)",
];

describe("redirectTo after signing in stays on the portal (item 7)", () => {
  const app = useApp();
  const db = app.db;
  const origin = () => new URL(app.baseUrl).origin;

  beforeEach(async () => {
    // Many sign-ins from one address in this file; the address limit is not under test here.
    await db.prisma.$executeRaw`DELETE FROM rate_limit WHERE key LIKE 'signInAddress%'`;
  });

  /** Where a browser would go with this response's Location. */
  const browserGoesTo = (res: Response) => new URL(res.headers.get("location") ?? "", `${app.baseUrl}/anmelden`);

  it.each(HOSTILE)("password step: %j → 302 on this site", async (redirectTo) => {
    const user = await createUser(db.prisma);
    const res = await client(app.baseUrl).post("/anmelden", { email: user.email, password: user.password, redirectTo });
    expect(res.status).toBe(302);
    expect(browserGoesTo(res).origin).toBe(origin());
  });

  it("already signed in: the sign-in pages send every hostile redirectTo home, never a 500", async () => {
    const user = await createUser(db.prisma);
    const c = await signIn(app.baseUrl, user.email);
    for (const redirectTo of HOSTILE) {
      for (const page of ["/anmelden", "/anmelden/zwei-faktor"]) {
        const res = await c.get(`${page}?redirectTo=${encodeURIComponent(redirectTo)}`);
        expect(res.status, `${page} ${JSON.stringify(redirectTo)}`).toBe(302);
        expect(browserGoesTo(res).origin, `${page} ${JSON.stringify(redirectTo)}`).toBe(origin());
      }
    }
  });

  it("second-factor step: hostile targets end on this site, with a recovery code each", async () => {
    const user = await createUser(db.prisma);
    const codes = HOSTILE.map(() => encodeBase32LowerCaseNoPadding(randomBytes(10)));
    await db.prisma.user.update({
      where: { id: user.id },
      data: {
        totpSecret: sealSecret(randomBytes(20)),
        totpEnabledAt: new Date(),
        recoveryCodes: { create: codes.map((code) => ({ codeHash: hashToken(code) })) },
      },
    });
    for (const [i, redirectTo] of HOSTILE.entries()) {
      const c = await signIn(app.baseUrl, user.email);
      expect(c.response.status).toBe(302);
      const res = await c.post("/anmelden/zwei-faktor", { code: codes[i], redirectTo });
      expect(res.status, JSON.stringify(redirectTo)).toBe(302);
      expect(browserGoesTo(res).origin, JSON.stringify(redirectTo)).toBe(origin());
      expect((await c.get("/konto")).status).toBe(200);
    }
  });

  it("a harmless target is kept, query and all", async () => {
    const user = await createUser(db.prisma);
    const res = await client(app.baseUrl).post("/anmelden", {
      email: user.email,
      password: user.password,
      redirectTo: "/katalog?q=Beratung",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/katalog?q=Beratung");
  });
});
