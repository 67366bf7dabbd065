import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_PEOPLE } from "~/platform/auth/demo-people";
import { createPrismaClient } from "~/platform/db.server";
import { seed } from "../../prisma/seed/index";
import { client, createUser } from "../support/accounts";
import { useApp } from "../support/app";
import { startPortal } from "../support/portal";

const ADMIN = "admin@rlp-demo.invalid";
const HEAD = "leitung@rlp-demo.invalid";
const STAFF = "sachbearbeitung@rlp-demo.invalid";
const CONSULTANT = "beratung@rlp-demo.invalid";
const MEMBER = "mitglied@rlp-demo.invalid";

/** What one of the demo box's one-click forms posts. */
const demoForm = (email: string) => ({ email, password: DEMO_PASSWORD, redirectTo: "/", demo: "1" });

/**
 * Issue 20, item 10: with demo data outside production, the sign-in page offers the demo's
 * people (one per role) with one shared password; each lands where they normally land, the
 * demo admin without a second factor. Anywhere else the demo is neither shown nor accepted.
 */
describe("the demo's people on the sign-in page (development, demo data)", () => {
  const app = useApp();
  const ids = {} as { koblenz: string; network: string };

  it("shows no demo box while there are no demo people", async () => {
    const html = await (await client(app.baseUrl).get("/anmelden")).text();
    expect(html).not.toContain(DEMO_PASSWORD);
    expect(html).not.toContain('name="demo"');
  });

  describe("once the demo is seeded", () => {
    beforeAll(async () => {
      // Twice: seeding the demo people is idempotent.
      await seed(app.db.prisma, { demo: true });
      await seed(app.db.prisma, { demo: true });
      const network = await app.db.prisma.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      const koblenz = await app.db.prisma.office.findFirstOrThrow({ where: { networkId: network.id, slug: "stadt-koblenz" } });
      Object.assign(ids, { koblenz: koblenz.id, network: network.id });
    });

    it("seeds one account per role, once, each with one role in the demo network", async () => {
      const users = await app.db.prisma.user.findMany({
        where: { email: { endsWith: "@rlp-demo.invalid" } },
        include: { memberships: true },
        orderBy: { email: "asc" },
      });
      expect(users.map((u) => u.email).sort()).toEqual(DEMO_PEOPLE.map((p) => p.email).sort());
      expect(users.every((u) => u.memberships.length === 1 && u.memberships[0].networkId === ids.network)).toBe(true);
      const role = (email: string) => users.find((u) => u.email === email)!.memberships[0];
      expect(role(ADMIN)).toMatchObject({ role: "NETWORK_ADMIN", officeId: null });
      expect(role(HEAD)).toMatchObject({ role: "OFFICE_HEAD", officeId: ids.koblenz });
      expect(role(STAFF)).toMatchObject({ role: "OFFICE_STAFF", officeId: ids.koblenz });
      expect(role(CONSULTANT)).toMatchObject({ role: "CONSULTANT", officeId: null });
      expect(role(MEMBER)).toMatchObject({ role: "NETWORK_MEMBER", officeId: null });
      expect(users.every((u) => u.totpEnabledAt === null)).toBe(true);
    });

    it("lists each person with role, a one-click form, and the shared password", async () => {
      const res = await client(app.baseUrl).get("/anmelden");
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain("Demo: die Rollen ausprobieren");
      expect(html).toContain(`<code class="code">${DEMO_PASSWORD}</code>`);
      for (const person of DEMO_PEOPLE) {
        expect(html).toContain(`value="${person.email}"`);
        expect(html).toContain(`Weiter als ${person.name}`);
      }
      for (const role of [
        "Netzwerk-Administration",
        "Leitung der Ausländerbehörde",
        "Mitarbeitende der Ausländerbehörde",
        "Beratung",
        "Netzwerkmitglied",
      ])
        expect(html).toContain(role);
      expect(html).toContain("Ausländerbehörde Stadt Koblenz");
      expect(html.match(/name="demo" value="1"/g)).toHaveLength(5);
    });

    it("signs each person in with one click and takes them where they normally land", async () => {
      const landing: Array<[string, string]> = [
        [HEAD, `/behoerden/${ids.koblenz}/stand`],
        [STAFF, `/behoerden/${ids.koblenz}/stand`],
        [ADMIN, "/netzwerke/rlp-demo/monitoring"],
        // A consultant lands on the offices assigned to them (issue 21).
        [CONSULTANT, "/beratung"],
        [MEMBER, "/"],
      ];
      for (const [email, target] of landing) {
        const c = client(app.baseUrl);
        const res = await c.post("/anmelden", demoForm(email));
        expect(res.status, email).toBe(302);
        expect(res.headers.get("location"), email).toBe(target);
        const page = await c.get(target);
        expect(page.status, email).toBe(200);
      }
      // Typed by hand, the shared password works just the same.
      const typed = await client(app.baseUrl).post("/anmelden", { email: HEAD, password: DEMO_PASSWORD, redirectTo: "/" });
      expect(typed.headers.get("location")).toBe(`/behoerden/${ids.koblenz}/stand`);
    });

    it("signs in from a form posted without JavaScript (the browser sends Origin: null under no-referrer)", async () => {
      // What Chromium sends for the demo box's form when scripts are off: the portal's
      // Referrer-Policy (no-referrer) turns the Origin of a form navigation into "null".
      const res = await fetch(`${app.baseUrl}/anmelden`, {
        method: "POST",
        redirect: "manual",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Sec-Fetch-Site": "same-origin",
          Origin: "null",
        },
        body: new URLSearchParams(demoForm(HEAD)),
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/behoerden/${ids.koblenz}/stand`);
    });

    it("lets the demo admin in without a second factor, but no other admin without one", async () => {
      const demoAdmin = client(app.baseUrl);
      await demoAdmin.post("/anmelden", demoForm(ADMIN));
      const monitoring = await demoAdmin.get("/netzwerke/rlp-demo/monitoring");
      expect(monitoring.status).toBe(200);
      expect(await monitoring.text()).toContain("Rheinland-Pfalz (Demo)");

      // A real admin of the same demo network still has to set up two-factor first.
      const real = await createUser(app.db.prisma);
      await app.db.prisma.membership.create({ data: { userId: real.id, networkId: ids.network, role: "NETWORK_ADMIN" } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: real.email, password: real.password, redirectTo: "/" });
      const page = await c.get("/netzwerke/rlp-demo/monitoring");
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe("/konto/zwei-faktor");
    });

    it("refuses the demo shortcut for anyone who is not one of the demo's people", async () => {
      const real = await createUser(app.db.prisma);
      const res = await client(app.baseUrl).post("/anmelden", {
        email: real.email,
        password: real.password,
        redirectTo: "/",
        demo: "1",
      });
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).toContain("Die Demo-Anmeldung gibt es hier nicht.");
    });

    it("neither shows nor accepts the demo people, nor spares the admin's second factor, once their network is no demo", async () => {
      const admin = client(app.baseUrl);
      await admin.post("/anmelden", demoForm(ADMIN));
      await app.db.prisma.network.update({ where: { id: ids.network }, data: { isDemo: false } });
      try {
        const html = await (await client(app.baseUrl).get("/anmelden")).text();
        expect(html).not.toContain(DEMO_PASSWORD);
        for (const form of [demoForm(HEAD), { email: HEAD, password: DEMO_PASSWORD, redirectTo: "/" }]) {
          const res = await client(app.baseUrl).post("/anmelden", form);
          expect(res.status).toBe(403);
          expect(res.headers.getSetCookie()).toEqual([]);
        }
        // The admin's session from before: now the second factor is required like anywhere else.
        const page = await admin.get("/netzwerke/rlp-demo/monitoring");
        expect(page.status).toBe(302);
        expect(page.headers.get("location")).toBe("/konto/zwei-faktor");
      } finally {
        await app.db.prisma.network.update({ where: { id: ids.network }, data: { isDemo: true } });
      }
    });

    it("counts the one-click sign-in against the same limits as any other", async () => {
      for (let i = 0; i < 10; i++)
        await client(app.baseUrl).post("/anmelden", { email: MEMBER, password: "falsch falsch falsch", redirectTo: "/" });
      const res = await client(app.baseUrl).post("/anmelden", demoForm(MEMBER));
      expect(res.status).toBe(429);
      expect(res.headers.getSetCookie()).toEqual([]);
    });
  });
});

/**
 * The second guard: even with the demo's people in the database (seeded after the start,
 * past the start's own refusal), a portal in production — or in development without demo
 * data — neither shows nor accepts them.
 */
describe.each<{ where: string; env: Record<string, string> }>([
  {
    where: "in production",
    env: {
      NODE_ENV: "production",
      SESSION_SECRET: "p".repeat(40),
      PUBLIC_URL: "https://abh.example.de",
      RESEND_API_KEY: "re_test123",
      DEMO_DATA: "false",
    },
  },
  { where: "in development without demo data", env: { DEMO_DATA: "false" } },
])("the demo $where", ({ env }) => {
  it("is neither shown nor accepted", async () => {
    const portal = await startPortal(env);
    try {
      const prisma = createPrismaClient(portal.databaseUrl, { max: 1 });
      try {
        await seed(prisma, { demo: true });
      } finally {
        await prisma.$disconnect();
        await prisma.pool.end();
      }
      const c = client(portal.baseUrl);
      const page = await c.get("/anmelden");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).not.toContain(DEMO_PASSWORD);
      expect(html).not.toContain('name="demo"');
      for (const form of [demoForm(ADMIN), demoForm(HEAD), { email: HEAD, password: DEMO_PASSWORD, redirectTo: "/" }]) {
        const res = await c.post("/anmelden", form);
        expect(res.status, JSON.stringify(form)).toBe(403);
        expect(res.headers.getSetCookie()).toEqual([]);
        expect(await res.text()).toContain("Die Demo-Anmeldung gibt es hier nicht.");
      }
    } finally {
      await portal.stop();
    }
  }, 120_000);
});
