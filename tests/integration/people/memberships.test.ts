import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { useApp } from "../../support/app";
import { client, createUser, PASSWORD, text } from "../../support/accounts";
import { recordingOutbox } from "../../support/outbox";

describe("roles and sessions", () => {
  const app = useApp();
  const ids = {} as { office: string; staffMembership: string; staffEmail: string; headEmail: string };

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "rollen", name: "Rollen", state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH A", kind: "LANDKREIS" } });
    const head = await createUser(p, { name: "Hanna Head" });
    const staff = await createUser(p, { name: "Stefan Staff" });
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    const m = await p.membership.create({
      data: { userId: staff.id, networkId: network.id, officeId: office.id, role: "OFFICE_STAFF" },
    });
    Object.assign(ids, { office: office.id, staffMembership: m.id, staffEmail: staff.email, headEmail: head.email });
  });

  async function signedIn(email: string) {
    const c = client(app.baseUrl);
    expect((await c.post("/anmelden", { email, password: PASSWORD })).status).toBe(302);
    return c;
  }

  it("ends every session of a person whose role is revoked, and records it", async () => {
    const staffLaptop = await signedIn(ids.staffEmail);
    const staffPhone = await signedIn(ids.staffEmail);
    expect((await staffLaptop.get(`/behoerden/${ids.office}`)).status).toBe(200);

    const head = await signedIn(ids.headEmail);
    const res = await head.post(`/behoerden/${ids.office}`, { intent: "revoke", membershipId: ids.staffMembership });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Die Rolle wurde entzogen");

    for (const device of [staffLaptop, staffPhone]) {
      const after = await device.get(`/behoerden/${ids.office}`);
      expect(after.status).toBe(302);
      expect(after.headers.get("location")).toMatch(/^\/anmelden/);
    }
    expect(await app.db.prisma.session.count({ where: { user: { email: ids.staffEmail } } })).toBe(0);
    const event = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "membership.revoked" } });
    expect(event).toMatchObject({ officeId: ids.office, details: { role: "OFFICE_STAFF" } });
  });

  it("lets whoever may invite withdraw a pending invitation: its link stops working, and it is audited", async () => {
    const p = app.db.prisma;
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.office } });
    const other = await p.office.create({ data: { networkId: office.networkId, slug: "b", name: "ABH B", kind: "LANDKREIS" } });
    const otherHead = await createUser(p, { name: "Bea B" });
    await p.membership.create({
      data: { userId: otherHead.id, networkId: office.networkId, officeId: other.id, role: "OFFICE_HEAD" },
    });

    const head = await signedIn(ids.headEmail);
    expect(
      (await head.post(`/behoerden/${ids.office}`, { intent: "invite", email: "tippfehler@behoerde.example.de" })).status,
    ).toBe(200);
    const invitation = await p.invitation.findFirstOrThrow({ where: { email: "tippfehler@behoerde.example.de" } });
    const link = await recordingOutbox(p).linkTo("tippfehler@behoerde.example.de", "/einladung/");
    expect((await client(app.baseUrl).get(link)).status).toBe(200);
    // An invitation the head may not send (a second head, from the ministry) is listed without the button.
    await p.invitation.create({
      data: {
        tokenHash: "x".repeat(64),
        email: "zweite-leitung@behoerde.example.de",
        role: "OFFICE_HEAD",
        networkId: office.networkId,
        officeId: office.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const page = await (await head.get(`/behoerden/${ids.office}`)).text();
    expect(page).toContain("Einladung an tippfehler@behoerde.example.de zurückziehen");
    expect(page).toContain("zweite-leitung@behoerde.example.de");
    expect(page).not.toContain("Einladung an zweite-leitung@behoerde.example.de zurückziehen");

    // Staff of the office (who do not even see invitations), and the head of another office (on its own page), cannot.
    const staff = await signedIn(ids.staffEmail);
    expect((await staff.post(`/behoerden/${ids.office}`, { intent: "withdraw", invitationId: invitation.id })).status).toBe(404);
    const b = await signedIn(otherHead.email);
    expect((await b.post(`/behoerden/${other.id}`, { intent: "withdraw", invitationId: invitation.id })).status).toBe(404);
    expect((await p.invitation.findUniqueOrThrow({ where: { id: invitation.id } })).revokedAt).toBeNull();

    const res = await head.post(`/behoerden/${ids.office}`, { intent: "withdraw", invitationId: invitation.id });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain("Die Einladung an tippfehler@behoerde.example.de ist zurückgezogen");
    expect(text).not.toContain("Einladung an tippfehler@behoerde.example.de zurückziehen");
    expect((await client(app.baseUrl).get(link)).status).toBe(404);
    expect(await p.auditEvent.findFirst({ where: { action: "invitation.withdrawn", targetId: invitation.id } })).toMatchObject({
      officeId: ids.office,
      details: { email: "tippfehler@behoerde.example.de", role: "OFFICE_STAFF" },
    });
    // Withdrawing again changes nothing.
    expect((await head.post(`/behoerden/${ids.office}`, { intent: "withdraw", invitationId: invitation.id })).status).toBe(404);
    expect(await p.auditEvent.count({ where: { action: "invitation.withdrawn" } })).toBe(1);
  });

  /** A network admin of the test network, signed in with the second factor done. */
  async function signedInAdmin(networkId: string) {
    const p = app.db.prisma;
    const admin = await createUser(p, { name: "Referat Integration" });
    await p.membership.create({ data: { userId: admin.id, networkId, role: "NETWORK_ADMIN" } });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });
    const c = await signedIn(admin.email);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
    return Object.assign(c, { id: admin.id });
  }

  it("the ministry cannot place staff in an office: refused with a German message, and not offered", async () => {
    const p = app.db.prisma;
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.office }, include: { network: true } });
    const admin = await signedInAdmin(office.networkId);
    const people = `/netzwerke/${office.network.slug}/personen`;

    const res = await admin.post(people, {
      intent: "invite",
      email: "platziert@behoerde.example.de",
      role: "OFFICE_STAFF",
      officeId: office.id,
    });
    expect(res.status).toBe(403);
    expect(text(await res.text())).toContain("Mitarbeitende lädt die Leitung der Behörde selbst ein.");
    // On the office's own page, too.
    const onOffice = await admin.post(`/behoerden/${office.id}`, { intent: "invite", email: "platziert@behoerde.example.de" });
    expect(onOffice.status).toBe(403);
    expect(text(await onOffice.text())).toContain("Mitarbeitende lädt die Leitung der Behörde selbst ein.");
    expect(await p.invitation.count({ where: { email: "platziert@behoerde.example.de" } })).toBe(0);

    // Neither form offers it: the network's roles list heads, the office page has no staff invitation for the admin.
    const page = await (await admin.get(people)).text();
    expect(page).toContain('value="OFFICE_HEAD"');
    expect(page).not.toContain('value="OFFICE_STAFF"');
    expect(await (await admin.get(`/behoerden/${office.id}`)).text()).not.toContain("Mitarbeitende einladen");
    // The database refuses it as well.
    await expect(
      p.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE abh_app`);
        await tx.$executeRaw`SELECT set_config('app.user_id', ${admin.id}, true)`;
        await tx.invitation.create({
          data: {
            tokenHash: "y".repeat(64),
            email: "platziert@behoerde.example.de",
            role: "OFFICE_STAFF",
            networkId: office.networkId,
            officeId: office.id,
            expiresAt: new Date(Date.now() + 86_400_000),
          },
        });
      }),
    ).rejects.toThrow(/row-level security/);
  });

  it("an invitation into a made-up office or another network's office is a 400 at the office field, not a 500", async () => {
    const p = app.db.prisma;
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.office }, include: { network: true } });
    const version = await p.frameworkVersion.findFirstOrThrow();
    const elsewhere = await p.network.create({
      data: { slug: "anderswo", name: "Anderswo", state: "HE", frameworkVersionId: version.id },
    });
    const foreign = await p.office.create({ data: { networkId: elsewhere.id, slug: "f", name: "ABH Fremd", kind: "LANDKREIS" } });
    const admin = await signedInAdmin(office.networkId);
    for (const officeId of ["abc", "-".repeat(36), foreign.id]) {
      const res = await admin.post(`/netzwerke/${office.network.slug}/personen`, {
        intent: "invite",
        email: "irgendwer@behoerde.example.de",
        role: "OFFICE_HEAD",
        officeId,
      });
      expect(res.status, officeId).toBe(400);
      expect(await res.text()).toMatch(
        /id="field-officeId-error"[^>]*>Diese Behörde gehört nicht zum Netzwerk\. Bitte wählen Sie eine aus der Liste\./,
      );
    }
    expect(await p.invitation.count({ where: { email: "irgendwer@behoerde.example.de" } })).toBe(0);
  });

  it("a head invited by the ministry is announced to the office's heads and shown with who invited them", async () => {
    const p = app.db.prisma;
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.office }, include: { network: true } });
    const admin = await signedInAdmin(office.networkId);
    const email = "neue-leitung@behoerde.example.de";
    const invited = await admin.post(`/netzwerke/${office.network.slug}/personen`, {
      intent: "invite",
      email,
      role: "OFFICE_HEAD",
      officeId: office.id,
    });
    expect(invited.status).toBe(200);
    const outbox = recordingOutbox(p);
    const link = await outbox.linkTo(email, "/einladung/");
    const accepted = await client(app.baseUrl).post(link, { name: "Nora Neu", password: PASSWORD, passwordRepeat: PASSWORD });
    expect(accepted.status).toBe(302);

    // The office's (other) head hears of it, with who invited whom; the newcomer gets no notice of themself.
    await outbox.deliver();
    const notices = outbox.sent.filter((m) => m.subject.startsWith("Neu im Team"));
    expect(notices.map((m) => m.to)).toEqual([ids.headEmail]);
    expect(notices[0].subject).toBe("Neu im Team von ABH A: Nora Neu");
    expect(notices[0].text).toContain(`Nora Neu (${email})`);
    expect(notices[0].text).toContain("„Leitung der Ausländerbehörde“");
    expect(notices[0].text).toContain("Eingeladen hat: Referat Integration.");
    expect(notices[0].text).toContain(`/behoerden/${office.id}`);

    // The team page shows the inviter next to the member.
    const head = await signedIn(ids.headEmail);
    const page = text(await (await head.get(`/behoerden/${office.id}`)).text());
    expect(page).toContain("Eingeladen von");
    expect(page).toMatch(/Nora Neu neue-leitung@behoerde\.example\.de Leitung der Ausländerbehörde Referat Integration/);

    // A staff member invited by a head is announced as well (to every head but the newcomer).
    const staffEmail = "neu-staff@behoerde.example.de";
    expect((await head.post(`/behoerden/${office.id}`, { intent: "invite", email: staffEmail })).status).toBe(200);
    const staffLink = await outbox.linkTo(staffEmail, "/einladung/");
    await client(app.baseUrl).post(staffLink, { name: "Sam Staff", password: PASSWORD, passwordRepeat: PASSWORD });
    await outbox.deliver();
    const staffNotices = outbox.sent.filter((m) => m.subject === "Neu im Team von ABH A: Sam Staff");
    expect(staffNotices.map((m) => m.to).sort()).toEqual([ids.headEmail, email].sort());
    expect(staffNotices[0].text).toContain("Eingeladen hat: Hanna Head.");
  });

  it("a revoke posted on one office's page for a member of another office is 404 and removes nothing", async () => {
    const p = app.db.prisma;
    const office = await p.office.findUniqueOrThrow({ where: { id: ids.office } });
    const y = await p.office.create({ data: { networkId: office.networkId, slug: "y", name: "ABH Y", kind: "LANDKREIS" } });
    const member = await createUser(p, { name: "Yara Y" });
    const membership = await p.membership.create({
      data: { userId: member.id, networkId: office.networkId, officeId: y.id, role: "OFFICE_STAFF" },
    });
    // A network admin may revoke Y's staff – but only from Y's page (or the network's), not from X's.
    const admin = await signedInAdmin(office.networkId);
    const res = await admin.post(`/behoerden/${office.id}`, { intent: "revoke", membershipId: membership.id });
    expect(res.status).toBe(404);
    expect(await p.membership.findUnique({ where: { id: membership.id } })).not.toBeNull();
    expect(await p.auditEvent.count({ where: { action: "membership.revoked", targetId: member.id } })).toBe(0);
    // From Y's page it works.
    expect((await admin.post(`/behoerden/${y.id}`, { intent: "revoke", membershipId: membership.id })).status).toBe(200);
    expect(await p.membership.findUnique({ where: { id: membership.id } })).toBeNull();
  });

  it("refuses a form post from another site on every route that changes something (CSRF)", async () => {
    const build = (await import(pathToFileURL(path.resolve(import.meta.dirname, "../../../build/index.js")).href)) as ServerBuild;
    const head = await signedIn(ids.headEmail);
    const withActions = Object.values(build.routes).filter(
      (r) => typeof r.module.action === "function" && r.path && !r.path.includes("*"),
    );
    expect(withActions.length).toBeGreaterThanOrEqual(8);
    for (const route of withActions) {
      const url = "/" + route.path!.replace(/:office/g, ids.office).replace(/:\w+/g, "x");
      const res = await fetch(app.baseUrl + url, {
        method: "POST",
        redirect: "manual",
        headers: {
          Cookie: head.cookie,
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "https://evil.example",
          "Sec-Fetch-Site": "cross-site",
        },
        body: new URLSearchParams({ intent: "invite", email: "x@evil.example" }),
      });
      expect(res.status, url).toBe(403);
    }
    expect(await app.db.prisma.invitation.count({ where: { email: "x@evil.example" } })).toBe(0);
  });
});
