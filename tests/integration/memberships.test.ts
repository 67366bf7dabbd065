import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { useApp } from "../support/app";
import { client, createUser, PASSWORD } from "../support/accounts";

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
    const mail = await p.emailMessage.findFirstOrThrow({
      where: { to: "tippfehler@behoerde.example.de", template: "invitation" },
    });
    const link = /\/einladung\/[\w-]+/.exec(mail.html)![0];
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

  it("refuses a form post from another site on every route that changes something (CSRF)", async () => {
    const build = (await import(pathToFileURL(path.resolve(import.meta.dirname, "../../build/index.js")).href)) as ServerBuild;
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
