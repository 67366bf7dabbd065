import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sessionCookie } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "admin-passwort-fuer-tests";

describe("network administration: office profiles and the audit log", () => {
  const app = useApp();
  const ids = {} as { network: string; office: string; other: string };
  let admin = "";
  let head = "";

  const signIn = (email: string) => sessionCookie(app.baseUrl, email, PASSWORD);

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({ data: { slug: "netz", name: "Netz", state: "RP", frameworkVersionId: version.id } });
    const office = await p.office.create({
      data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS", clientsServed: 1000 },
    });
    const other = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const a = await p.user.create({
      data: { email: "admin@netz.example", name: "Admin", passwordHash, totpEnabledAt: new Date() },
    });
    await p.membership.create({ data: { userId: a.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    const h = await p.user.create({ data: { email: "head@netz.example", name: "Head", passwordHash } });
    await p.membership.create({ data: { userId: h.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    Object.assign(ids, { network: network.slug, office: office.id, other: other.id });
    admin = await signIn("admin@netz.example");
    // Admins must use a second factor; mark this session as having passed it.
    await p.session.updateMany({ where: { userId: a.id }, data: { twoFactorVerified: true } });
    head = await signIn("head@netz.example");
  });

  const post = (path: string, cookie: string, body: Record<string, string>) =>
    fetch(app.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams(body),
    });

  async function loadForm() {
    const html = await (
      await fetch(`${app.baseUrl}/netzwerke/${ids.network}/behoerden/${ids.office}`, { headers: { cookie: admin } })
    ).text();
    return /name="updatedAt" value="([^"]+)"/.exec(html)![1];
  }
  const profile = (updatedAt: string, overrides: Record<string, string> = {}) => ({
    name: "ABH Alpha",
    kind: "LANDKREIS",
    region: "Koblenz",
    clientsServed: "1200",
    staffCount: "9",
    email: "abh@alpha.example",
    phone: "",
    address: "",
    updatedAt,
    ...overrides,
  });

  it("lists the network's offices for the admin", async () => {
    const res = await fetch(`${app.baseUrl}/netzwerke/${ids.network}/behoerden`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("ABH Alpha");
    expect(html).toContain("ABH Beta");
  });

  it("saves an office profile and records who changed what", async () => {
    const res = await post(`/netzwerke/${ids.network}/behoerden/${ids.office}`, admin, profile(await loadForm()));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Das Profil ist gespeichert.");
    const office = await app.db.prisma.office.findUniqueOrThrow({ where: { id: ids.office } });
    expect(office).toMatchObject({ region: "Koblenz", clientsServed: 1200, staffCount: 9, email: "abh@alpha.example" });
    const event = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "office.updated", officeId: ids.office } });
    expect(event.details).toEqual({ changed: expect.arrayContaining(["region", "clientsServed", "staffCount", "email"]) });
  });

  it("rejects bad input with German messages next to the fields, keeping the input and the saved data", async () => {
    const before = await app.db.prisma.office.findUniqueOrThrow({ where: { id: ids.office } });
    const res = await post(
      `/netzwerke/${ids.network}/behoerden/${ids.office}`,
      admin,
      profile(await loadForm(), { clientsServed: "viele", email: "keine-adresse", region: "Neue Region" }),
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Bitte eine ganze Zahl ab 0 eingeben");
    expect(html).toContain("Bitte geben Sie eine gültige E-Mail-Adresse ein.");
    expect(html).toContain('value="Neue Region"');
    expect(await app.db.prisma.office.findUniqueOrThrow({ where: { id: ids.office } })).toEqual(before);
  });

  it("never silently overwrites a profile someone else saved meanwhile", async () => {
    const stale = await loadForm();
    expect(
      (await post(`/netzwerke/${ids.network}/behoerden/${ids.office}`, admin, profile(stale, { region: "Erste Änderung" })))
        .status,
    ).toBe(200);
    const res = await post(
      `/netzwerke/${ids.network}/behoerden/${ids.office}`,
      admin,
      profile(stale, { region: "Zweite Änderung" }),
    );
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("Jemand anderes hat dieses Profil inzwischen geändert.");
    expect(html).toContain('value="Zweite Änderung"');
    expect(html).toContain("Aktuell gespeichert: Erste Änderung");
    expect((await app.db.prisma.office.findUniqueOrThrow({ where: { id: ids.office } })).region).toBe("Erste Änderung");
  });

  it("shows the admin the network's audit log, filtered by event", async () => {
    const res = await fetch(`${app.baseUrl}/netzwerke/${ids.network}/protokoll?aktion=office.updated`, {
      headers: { cookie: admin },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Behördenprofil geändert");
    expect(html).not.toContain('<th scope="row">Anmeldung</th>');
    // Details in words, not JSON.
    expect(html.replaceAll("<!-- -->", "")).toMatch(/Geänderte Angaben:<\/span> [^<]*Region/);
    expect(html).not.toContain("&quot;changed&quot;");
  });

  it("answers a malformed date filter with 400 and a message, not a 500", async () => {
    const res = await fetch(`${app.baseUrl}/netzwerke/${ids.network}/protokoll?von=gestern`, { headers: { cookie: admin } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Bitte ein Datum im Format JJJJ-MM-TT angeben.");
  });

  it("shows a head their own office's log, and refuses the network log and other offices' logs", async () => {
    const own = await fetch(`${app.baseUrl}/behoerden/${ids.office}/protokoll`, { headers: { cookie: head } });
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("Behördenprofil geändert");
    expect((await fetch(`${app.baseUrl}/netzwerke/${ids.network}/protokoll`, { headers: { cookie: head } })).status).toBe(403);
    // Another office is not theirs to see at all: 404, its existence is not confirmed.
    expect((await fetch(`${app.baseUrl}/behoerden/${ids.other}/protokoll`, { headers: { cookie: head } })).status).toBe(404);
    expect(
      (await fetch(`${app.baseUrl}/netzwerke/${ids.network}/behoerden/${ids.office}`, { headers: { cookie: head } })).status,
    ).toBe(403);
  });
});
