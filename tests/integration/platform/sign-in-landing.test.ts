import { beforeAll, describe, expect, it } from "vitest";
import { useApp } from "../../support/app";
import { client, createUser } from "../../support/accounts";

/** After signing in, people land on their own work (issue 5: "an office sees where it stands"). */
describe("where people land after signing in", () => {
  const app = useApp();
  const ids = {} as { network: string; slug: string; officeA: string; officeB: string };

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "landung", name: "Netz Landung", state: "RP", frameworkVersionId: version.id },
    });
    const [a, b] = await Promise.all(
      ["a", "b"].map((slug) =>
        p.office.create({ data: { networkId: network.id, slug, name: `ABH ${slug}`, kind: "LANDKREIS" } }),
      ),
    );
    Object.assign(ids, { network: network.id, slug: network.slug, officeA: a.id, officeB: b.id });
  });

  async function person(
    memberships: Array<{ role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN" | "CONSULTANT"; officeId?: string }>,
  ) {
    const user = await createUser(app.db.prisma);
    for (const m of memberships)
      await app.db.prisma.membership.create({
        data: { userId: user.id, networkId: ids.network, officeId: m.officeId ?? null, role: m.role },
      });
    return user;
  }
  const signIn = (email: string, password: string, redirectTo = "/") =>
    client(app.baseUrl).post("/anmelden", { email, password, redirectTo });

  it("takes a member of one office straight to the office's dashboard", async () => {
    for (const role of ["OFFICE_HEAD", "OFFICE_STAFF"] as const) {
      const user = await person([{ role, officeId: ids.officeA }]);
      const c = client(app.baseUrl);
      const res = await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/behoerden/${ids.officeA}/stand`);
      // A new office without any round yet: the page is there and says what comes next.
      const page = await c.get(res.headers.get("location")!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Wo wir stehen");
    }
  });

  it("takes the admin of one network to its monitoring, through the second factor", async () => {
    const user = await person([{ role: "NETWORK_ADMIN" }]);
    await app.db.prisma.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
    const res = await signIn(user.email, user.password);
    expect(res.headers.get("location")).toBe(
      `/anmelden/zwei-faktor?redirectTo=${encodeURIComponent(`/netzwerke/${ids.slug}/monitoring`)}`,
    );
  });

  it("lets people with several places, or no role, choose on the start page; a consultant lands on their offices", async () => {
    const twoOffices = await person([
      { role: "OFFICE_STAFF", officeId: ids.officeA },
      { role: "OFFICE_STAFF", officeId: ids.officeB },
    ]);
    const nobody = await person([]);
    for (const user of [twoOffices, nobody]) expect((await signIn(user.email, user.password)).headers.get("location")).toBe("/");
    // A consultant's page lists the offices assigned to them, with links to their plans (issue 21).
    const consultant = await person([{ role: "CONSULTANT" }]);
    expect((await signIn(consultant.email, consultant.password)).headers.get("location")).toBe("/beratung");
  });

  it("keeps the page someone asked for before signing in", async () => {
    const user = await person([{ role: "OFFICE_HEAD", officeId: ids.officeA }]);
    const res = await signIn(user.email, user.password, `/behoerden/${ids.officeA}/verlauf`);
    expect(res.headers.get("location")).toBe(`/behoerden/${ids.officeA}/verlauf`);
  });
});
