import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sessionCookie } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "admin-passwort-fuer-tests";

describe("assessment rounds: open, extend a deadline, close", () => {
  const app = useApp();
  const ids = {} as { network: string; networkId: string; version: string; a: string; b: string; c: string };
  let admin = "";
  let headA = "";
  let headB = "";

  const signIn = (email: string) => sessionCookie(app.baseUrl, email, PASSWORD);

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "runden", name: "Netz Runden", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "anderes", name: "Anderes Netz", state: "HE", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const c = await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const ad = await p.user.create({
      data: { email: "admin@runden.example", name: "Admin", passwordHash, totpEnabledAt: new Date() },
    });
    await p.membership.create({ data: { userId: ad.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    for (const [email, officeId] of [
      ["head-a@runden.example", a.id],
      ["head-a2@runden.example", a.id],
      ["head-b@runden.example", b.id],
    ] as const) {
      const u = await p.user.create({ data: { email, name: email, passwordHash } });
      await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role: "OFFICE_HEAD" } });
    }
    Object.assign(ids, { network: network.slug, networkId: network.id, version: version.id, a: a.id, b: b.id, c: c.id });
    admin = await signIn("admin@runden.example");
    await p.session.updateMany({ where: { userId: ad.id }, data: { twoFactorVerified: true } });
    headA = await signIn("head-a@runden.example");
    headB = await signIn("head-b@runden.example");
  });

  const post = (path: string, cookie: string, body: Array<[string, string]>) =>
    fetch(app.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams(body),
    });
  const form = (over: Record<string, string> = {}, offices: string[] = []): Array<[string, string]> => [
    ...Object.entries({
      name: "2026",
      frameworkVersionId: ids.version,
      opensOn: "2026-01-10",
      deadlineOn: "2027-03-31",
      scope: "all",
      ...over,
    }),
    ...offices.map((o): [string, string] => ["officeIds", o]),
  ];
  const counts = async () => ({
    rounds: await app.db.prisma.assessmentRound.count(),
    participants: await app.db.prisma.roundParticipant.count(),
    emails: await app.db.prisma.emailMessage.count({ where: { template: "round-opened" } }),
  });

  it("rejects bad input with 400, German messages at the fields, the input kept and nothing saved", async () => {
    const before = await counts();
    const cases: Array<[Array<[string, string]>, string]> = [
      [form({ name: "  " }), "Bitte geben Sie einen Namen ein."],
      [form({ opensOn: "2027-04-01", deadlineOn: "2027-03-01", name: "Falsch herum" }), "Die Frist muss nach dem Beginn liegen."],
      [form({ scope: "selected", name: "Ohne Behörde" }), "Bitte wählen Sie mindestens eine Behörde."],
      [form({ scope: "selected", name: "Fremde Behörde" }, [ids.a, ids.c]), "gehört nicht zu diesem Netzwerk"],
    ];
    for (const [body, message] of cases) {
      const res = await post(`/netzwerke/${ids.network}/runden`, admin, body);
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      const name = body.find(([k]) => k === "name")![1];
      if (name.trim()) expect(html).toContain(`value="${name}"`);
    }
    expect(await counts()).toEqual(before);
  });

  it("opens a round for selected offices: participants, one e-mail per head, an audit entry", async () => {
    const res = await post(`/netzwerke/${ids.network}/runden`, admin, form({ scope: "selected", name: "Pilot" }, [ids.a]));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Die Runde „Pilot“ ist eröffnet.");
    const round = await app.db.prisma.assessmentRound.findFirstOrThrow({
      where: { name: "Pilot" },
      include: { participants: true },
    });
    expect(round.participants.map((p) => p.officeId)).toEqual([ids.a]);
    const emails = await app.db.prisma.emailMessage.findMany({
      where: { template: "round-opened", subject: { contains: "Pilot" } },
    });
    expect(emails.map((e) => e.to).sort()).toEqual(["head-a2@runden.example", "head-a@runden.example"]);
    expect(emails[0].text).toContain("31. März 2027");
    const audit = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "round.opened", targetId: round.id } });
    expect(audit.details).toMatchObject({ name: "Pilot", offices: 1 });
  });

  it("shows the head of a participating office the round, and not an office that is not in it", async () => {
    expect(await (await fetch(`${app.baseUrl}/behoerden/${ids.a}`, { headers: { cookie: headA } })).text()).toContain("Pilot");
    const b = await (await fetch(`${app.baseUrl}/behoerden/${ids.b}`, { headers: { cookie: headB } })).text();
    expect(b).not.toContain("Pilot");
    expect(b).toContain("Zurzeit keine offene Erhebungsrunde.");
  });

  it("opens a round for all offices and refuses a duplicate name in the network", async () => {
    expect((await post(`/netzwerke/${ids.network}/runden`, admin, form())).status).toBe(200);
    const round = await app.db.prisma.assessmentRound.findFirstOrThrow({
      where: { name: "2026" },
      include: { participants: true },
    });
    expect(round.participants.map((p) => p.officeId).sort()).toEqual([ids.a, ids.b].sort());
    expect(await app.db.prisma.emailMessage.count({ where: { template: "round-opened", subject: { contains: "„2026“" } } })).toBe(
      3,
    );
    const before = await counts();
    const dup = await post(`/netzwerke/${ids.network}/runden`, admin, form());
    expect(dup.status).toBe(400);
    expect(await dup.text()).toContain("Eine Runde mit diesem Namen gibt es in diesem Netzwerk schon.");
    expect(await counts()).toEqual(before);
  });

  it("extends the deadline for one office only, then closes the round for good", async () => {
    const round = await app.db.prisma.assessmentRound.findFirstOrThrow({ where: { name: "2026" } });
    const path = `/netzwerke/${ids.network}/runden/${round.id}`;
    const early = await post(path, admin, [
      ["intent", "extend"],
      ["officeId", ids.b],
      ["deadlineOn", "2027-01-01"],
    ]);
    expect(early.status).toBe(400);
    expect(await early.text()).toContain("Die neue Frist muss nach der allgemeinen Frist liegen.");
    const res = await post(path, admin, [
      ["intent", "extend"],
      ["officeId", ids.b],
      ["deadlineOn", "2027-04-30"],
    ]);
    expect(res.status).toBe(200);
    const participants = await app.db.prisma.roundParticipant.findMany({ where: { roundId: round.id } });
    expect(participants.find((p) => p.officeId === ids.b)!.deadlineOverride).not.toBeNull();
    expect(participants.find((p) => p.officeId === ids.a)!.deadlineOverride).toBeNull();
    expect(await (await fetch(`${app.baseUrl}/behoerden/${ids.b}`, { headers: { cookie: headB } })).text()).toContain(
      "30. April 2027",
    );
    expect(await app.db.prisma.auditEvent.count({ where: { action: "round.deadline_extended", officeId: ids.b } })).toBe(1);

    expect((await post(path, admin, [["intent", "close"]])).status).toBe(200);
    expect((await app.db.prisma.assessmentRound.findUniqueOrThrow({ where: { id: round.id } })).closedAt).not.toBeNull();
    expect(await app.db.prisma.auditEvent.count({ where: { action: "round.closed", targetId: round.id } })).toBe(1);
    const late = await post(path, admin, [
      ["intent", "extend"],
      ["officeId", ids.a],
      ["deadlineOn", "2027-05-30"],
    ]);
    expect(late.status).toBe(400);
    expect(await late.text()).toContain("Die Runde ist abgeschlossen.");
    expect((await post(path, admin, [["intent", "close"]])).status).toBe(400);
    // A closed round no longer shows on the office page.
    expect(await (await fetch(`${app.baseUrl}/behoerden/${ids.b}`, { headers: { cookie: headB } })).text()).toContain(
      "Zurzeit keine offene Erhebungsrunde.",
    );
  });

  it("refuses heads the admin pages", async () => {
    expect((await fetch(`${app.baseUrl}/netzwerke/${ids.network}/runden`, { headers: { cookie: headA } })).status).toBe(403);
  });
});
