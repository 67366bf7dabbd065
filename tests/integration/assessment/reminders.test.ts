import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sendDueReminders } from "~/domains/assessment/reminders.server";
import { endOfDay, startOfDay } from "~/utils/calendar-day";
import { sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "erinnerungs-passwort-fuer-tests";

describe("deadline reminders", () => {
  const app = useApp();
  const ids = {} as { network: string; slug: string; version: string; a: string; b: string; c: string; adminId: string };
  let admin = "";
  let headA = "";

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "erinnern", name: "Netz Erinnern", state: "RP", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const c = await p.office.create({
      data: { networkId: network.id, slug: "c", name: "ABH Gamma (ohne Leitung)", kind: "LANDKREIS" },
    });
    const passwordHash = await hashPassword(PASSWORD);
    const ad = await p.user.create({
      data: { email: "admin@erinnern.example", name: "Admin", passwordHash, totpEnabledAt: new Date() },
    });
    await p.membership.create({ data: { userId: ad.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    const people: Array<[string, string, "OFFICE_HEAD" | "OFFICE_STAFF", string]> = [
      ["head-a@erinnern.example", a.id, "OFFICE_HEAD", "de"],
      ["head-a-en@erinnern.example", a.id, "OFFICE_HEAD", "en"],
      ["staff-a@erinnern.example", a.id, "OFFICE_STAFF", "de"],
      ["head-b@erinnern.example", b.id, "OFFICE_HEAD", "de"],
    ];
    for (const [email, officeId, role, language] of people) {
      const u = await p.user.create({ data: { email, name: email.split("@")[0], passwordHash, language } });
      await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role } });
    }
    Object.assign(ids, {
      network: network.id,
      slug: network.slug,
      version: version.id,
      a: a.id,
      b: b.id,
      c: c.id,
      adminId: ad.id,
    });
    admin = await sessionCookie(app.baseUrl, "admin@erinnern.example", PASSWORD);
    await p.session.updateMany({ where: { userId: ad.id }, data: { twoFactorVerified: true } });
    headA = await sessionCookie(app.baseUrl, "head-a@erinnern.example", PASSWORD);
  });

  /** A round as the admin would open it, arranged directly so its dates can be anywhere. */
  async function round(name: string, opensAt: Date, deadline: Date, offices = [ids.a, ids.b], reminderDays?: number[]) {
    const p = app.db.prisma;
    const r = await p.assessmentRound.create({
      data: {
        networkId: ids.network,
        frameworkVersionId: ids.version,
        name,
        opensAt,
        deadline,
        createdById: ids.adminId,
        ...(reminderDays ? { reminderDays } : {}),
      },
    });
    await p.roundParticipant.createMany({ data: offices.map((officeId) => ({ roundId: r.id, officeId })) });
    await p.assessment.createMany({ data: offices.map((officeId) => ({ roundId: r.id, officeId })) });
    return r;
  }
  /** Closes a round so later tests' runs at other times leave it alone. */
  const done = (roundId: string) =>
    app.db.prisma.assessmentRound.update({ where: { id: roundId }, data: { closedAt: new Date() } });
  /** The reminder e-mails of one round (its name is in the text), as "recipient" strings, sorted. */
  const mails = async (roundName: string) =>
    (await app.db.prisma.emailMessage.findMany({ where: { template: "round-reminder", text: { contains: `„${roundName}“` } } }))
      .map((m) => m.to)
      .sort();
  const mailsEn = async (roundName: string) =>
    (
      await app.db.prisma.emailMessage.findMany({ where: { template: "round-reminder", text: { contains: `“${roundName}”` } } })
    ).map((m) => m.to);
  const recorded = async (roundId: string) =>
    (
      await app.db.prisma.assessmentReminder.findMany({
        where: { assessment: { roundId } },
        select: { daysBefore: true, assessment: { select: { officeId: true } } },
      })
    )
      .map((r) => `${r.assessment.officeId === ids.a ? "A" : r.assessment.officeId === ids.b ? "B" : "C"}:${r.daysBefore}`)
      .sort();

  const headsA = ["head-a@erinnern.example"];
  const headsB = ["head-b@erinnern.example"];

  it("sends the 14-day and the 3-day reminder once each, at the right time, to the offices' heads only", async () => {
    const r = await round("Takt", startOfDay("2027-01-10"), endOfDay("2027-03-31"));
    // Times carry their German offset. 14 days before 24:00 on 31 March is 24:00 on 17 March;
    // 3 days before is 24:00 on 28 March, the day clocks go forward.
    await sendDueReminders(new Date("2027-03-17T23:59+01:00"));
    expect(await mails("Takt")).toEqual([]);
    const first = await sendDueReminders(new Date("2027-03-18T00:00+01:00"));
    expect(first.emails).toBeGreaterThanOrEqual(3);
    expect(await mails("Takt")).toEqual([...headsA, ...headsB].sort());
    // The English-speaking head gets it in English; the staff member gets nothing.
    expect(await mailsEn("Takt")).toEqual(["head-a-en@erinnern.example"]);
    expect(await recorded(r.id)).toEqual(["A:14", "B:14"]);

    // Later runs before the 3-day point send nothing again.
    await sendDueReminders(new Date("2027-03-18T00:15+01:00"));
    await sendDueReminders(new Date("2027-03-28T23:59+02:00"));
    expect(await mails("Takt")).toHaveLength(2);

    await sendDueReminders(new Date("2027-03-29T08:00+02:00"));
    await sendDueReminders(new Date("2027-03-29T08:15+02:00"));
    expect(await mails("Takt")).toEqual([...headsA, ...headsA, ...headsB, ...headsB].sort());
    expect(await recorded(r.id)).toEqual(["A:14", "A:3", "B:14", "B:3"]);

    // After the deadline: nothing more.
    await sendDueReminders(new Date("2027-04-01T08:00+02:00"));
    expect(await mails("Takt")).toHaveLength(4);

    const mail = await app.db.prisma.emailMessage.findFirstOrThrow({
      where: { template: "round-reminder", to: "head-a@erinnern.example", text: { contains: "„Takt“" } },
    });
    expect(mail.text).toContain("31. März 2027");
    expect(mail.text).toContain("Bisher bewertet: 0 von 12 Zielen und 0 von 56 Maßnahmen.");
    expect(mail.text).toContain(`/behoerden/${ids.a}/runden/${r.id}`);
    const audit = await app.db.prisma.auditEvent.findMany({
      where: {
        action: "round.reminder_sent",
        targetId: { in: (await app.db.prisma.assessment.findMany({ where: { roundId: r.id } })).map((x) => x.id) },
      },
    });
    expect(audit).toHaveLength(4);
    expect(audit.every((e) => e.actorId === null)).toBe(true);
    await done(r.id);
  });

  it("sends each reminder once when runs overlap (two processes, or a run and a retry)", async () => {
    const r = await round("Gleichzeitig", startOfDay("2027-01-10"), endOfDay("2027-05-31"));
    const now = new Date("2027-05-20T10:00+02:00");
    await Promise.all([sendDueReminders(now), sendDueReminders(now), sendDueReminders(now), sendDueReminders(now)]);
    await sendDueReminders(now);
    expect(await mails("Gleichzeitig")).toEqual([...headsA, ...headsB].sort());
    expect(await recorded(r.id)).toEqual(["A:14", "B:14"]);
    await done(r.id);
  });

  it("reminds nobody who has submitted, in a closed round, or before the round opens", async () => {
    const submitted = await round("Abgegeben", startOfDay("2027-01-10"), endOfDay("2027-06-30"));
    const head = await app.db.prisma.user.findUniqueOrThrow({ where: { email: "head-a@erinnern.example" } });
    await app.db.prisma.assessment.update({
      where: { roundId_officeId: { roundId: submitted.id, officeId: ids.a } },
      data: { submittedAt: new Date("2027-06-01T09:00+02:00"), submittedById: head.id },
    });
    const closed = await round("Geschlossen", startOfDay("2027-01-10"), endOfDay("2027-06-30"));
    await app.db.prisma.assessmentRound.update({
      where: { id: closed.id },
      data: { closedAt: new Date("2027-06-10T09:00+02:00") },
    });
    // Opens on 25 June, five days before its deadline: nothing before, and then at once.
    const late = await round("Spätstart", startOfDay("2027-06-25"), endOfDay("2027-06-30"));

    await sendDueReminders(new Date("2027-06-20T09:00+02:00"));
    expect(await mails("Abgegeben")).toEqual(headsB);
    expect(await mails("Geschlossen")).toEqual([]);
    expect(await mails("Spätstart")).toEqual([]);

    await sendDueReminders(new Date("2027-06-25T00:15+02:00"));
    expect(await recorded(late.id)).toEqual(["A:14", "B:14"]);
    expect(await mails("Geschlossen")).toEqual([]);
    await Promise.all([done(submitted.id), done(closed.id), done(late.id)]);
  });

  it("sends only the nearest reminder when several are due at once, never a stale one later", async () => {
    // Opened two days before its deadline: the 3-day reminder, and no 14-day one ever.
    const r = await round("Kurz", startOfDay("2027-07-29"), endOfDay("2027-07-31"));
    await sendDueReminders(new Date("2027-07-29T08:00+02:00"));
    expect(await recorded(r.id)).toEqual(["A:3", "B:3"]);
    await sendDueReminders(new Date("2027-07-30T08:00+02:00"));
    expect(await mails("Kurz")).toEqual([...headsA, ...headsB].sort());
    await done(r.id);
  });

  it("counts from an office's extended deadline, and follows the round's own reminder days", async () => {
    const r = await round("Verlängert", startOfDay("2027-08-01"), endOfDay("2027-09-30"), [ids.a, ids.b], [7]);
    await app.db.prisma.roundParticipant.update({
      where: { roundId_officeId: { roundId: r.id, officeId: ids.b } },
      data: { deadlineOverride: endOfDay("2027-10-31") },
    });
    await sendDueReminders(new Date("2027-09-16T12:00+02:00")); // 14 days before: not one of this round's days
    expect(await mails("Verlängert")).toEqual([]);
    await sendDueReminders(new Date("2027-09-24T12:00+02:00"));
    expect(await mails("Verlängert")).toEqual(headsA);
    await sendDueReminders(new Date("2027-10-25T12:00+02:00")); // 7 days before 24:00 on 31 October is 24:00 on the 24th
    expect(await recorded(r.id)).toEqual(["A:7", "B:7"]);
    const toB = await app.db.prisma.emailMessage.findFirstOrThrow({
      where: { template: "round-reminder", to: headsB[0], text: { contains: "„Verlängert“" } },
    });
    expect(toB.text).toContain("31. Oktober 2027");
    await done(r.id);
  });

  it("keeps a due reminder for an office without a head until it has one", async () => {
    const r = await round("Ohne Leitung", startOfDay("2027-11-01"), endOfDay("2027-11-30"), [ids.c]);
    await sendDueReminders(new Date("2027-11-20T12:00+01:00"));
    expect(await recorded(r.id)).toEqual([]);
    const u = await app.db.prisma.user.create({ data: { email: "head-c@erinnern.example", name: "Head C", passwordHash: "x" } });
    await app.db.prisma.membership.create({
      data: { userId: u.id, networkId: ids.network, officeId: ids.c, role: "OFFICE_HEAD" },
    });
    await sendDueReminders(new Date("2027-11-20T12:15+01:00"));
    expect(await recorded(r.id)).toEqual(["C:14"]);
    expect(await mails("Ohne Leitung")).toEqual(["head-c@erinnern.example"]);
    await done(r.id);
  });

  // ─── By hand, over HTTP ─────────────────────────────────────────────────────

  const post = (path: string, cookie: string, body: Record<string, string>) =>
    fetch(app.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams(body),
    });

  it("lets the admin remind one office by hand and shows each office's status and reminders", async () => {
    const now = Date.now();
    const r = await round("Von Hand", new Date(now - 86_400_000), new Date(now + 30 * 86_400_000));
    const path = `/netzwerke/${ids.slug}/runden/${r.id}`;
    const p = app.db.prisma;
    await p.assessment.update({
      where: { roundId_officeId: { roundId: r.id, officeId: ids.a } },
      data: { goalsDone: 3, measuresDone: 5, lastEditedAt: new Date() },
    });

    const res = await post(path, admin, { intent: "remind", officeId: ids.a });
    expect(res.status).toBe(200);
    const page = text(await res.text());
    expect(page).toContain("Die Erinnerung an ABH Alpha ist unterwegs (2 E-Mails an die Leitung).");
    expect(await mails("Von Hand")).toEqual(headsA);
    expect(await mailsEn("Von Hand")).toEqual(["head-a-en@erinnern.example"]);
    const mail = await p.emailMessage.findFirstOrThrow({
      where: { template: "round-reminder", to: headsA[0], text: { contains: "„Von Hand“" } },
    });
    expect(mail.text).toContain("Bisher bewertet: 3 von 12 Zielen und 5 von 56 Maßnahmen.");
    const reminder = await p.assessmentReminder.findFirstOrThrow({ where: { assessment: { roundId: r.id, officeId: ids.a } } });
    expect(reminder).toMatchObject({ daysBefore: null, sentById: ids.adminId });
    expect(await p.auditEvent.count({ where: { action: "round.reminder_sent", actorId: ids.adminId, officeId: ids.a } })).toBe(1);

    // A reloaded form does not send it again.
    const again = await post(path, admin, { intent: "remind", officeId: ids.a });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain("An diese Behörde ist gerade eben eine Erinnerung gegangen.");
    expect(await mails("Von Hand")).toEqual(headsA);

    // The page: status per office and the reminders sent.
    const view = text(await (await fetch(app.baseUrl + path, { headers: { cookie: admin } })).text());
    expect(view).toContain("in Bearbeitung (3/12 Ziele, 5/56 Maßnahmen)");
    expect(view).toContain("nicht begonnen");
    expect(view).toContain("1 verschickt");
    expect(view).toContain("Automatische Erinnerungen: 14 und 3 Tage vor der Frist.");
    await done(r.id);
  });

  it("refuses a reminder for a submitted assessment or a closed round, and marks a late submission", async () => {
    const now = Date.now();
    const r = await round("Verweigert", new Date(now - 10 * 86_400_000), new Date(now - 86_400_000));
    const head = await app.db.prisma.user.findUniqueOrThrow({ where: { email: "head-b@erinnern.example" } });
    await app.db.prisma.assessment.update({
      where: { roundId_officeId: { roundId: r.id, officeId: ids.b } },
      data: { submittedAt: new Date(now - 3600_000), submittedById: head.id },
    });
    const path = `/netzwerke/${ids.slug}/runden/${r.id}`;
    const before = await app.db.prisma.assessmentReminder.count();

    const submitted = await post(path, admin, { intent: "remind", officeId: ids.b });
    expect(submitted.status).toBe(409);
    expect(text(await submitted.text())).toContain("Diese Behörde hat ihre Selbsteinschätzung schon abgegeben.");
    const view = text(await (await fetch(app.baseUrl + path, { headers: { cookie: admin } })).text());
    expect(view).toMatch(/abgegeben am \d+\. \w+ \d{4} – verspätet/);

    await done(r.id);
    const closed = await post(path, admin, { intent: "remind", officeId: ids.a });
    expect(closed.status).toBe(409);
    expect(text(await closed.text())).toContain("Die Runde ist abgeschlossen. Erinnerungen sind nicht mehr möglich.");
    expect(await app.db.prisma.assessmentReminder.count()).toBe(before);
  });

  it("refuses the reminder to an office head (403) and to an admin of another network (404)", async () => {
    const now = Date.now();
    const r = await round("Fremd", new Date(now - 86_400_000), new Date(now + 30 * 86_400_000));
    const path = `/netzwerke/${ids.slug}/runden/${r.id}`;
    expect((await post(path, headA, { intent: "remind", officeId: ids.a })).status).toBe(403);

    const p = app.db.prisma;
    const other = await p.network.create({
      data: { slug: "anderes-netz", name: "Anderes Netz", state: "HE", frameworkVersionId: ids.version },
    });
    const outsider = await p.user.create({
      data: {
        email: "admin@anderes.example",
        name: "Fremd",
        passwordHash: await hashPassword(PASSWORD),
        totpEnabledAt: new Date(),
      },
    });
    await p.membership.create({ data: { userId: outsider.id, networkId: other.id, role: "NETWORK_ADMIN" } });
    const cookie = await sessionCookie(app.baseUrl, "admin@anderes.example", PASSWORD);
    await p.session.updateMany({ where: { userId: outsider.id }, data: { twoFactorVerified: true } });
    expect((await post(path, cookie, { intent: "remind", officeId: ids.a })).status).toBe(404);
    // Nor through their own network's address.
    expect((await post(`/netzwerke/${other.slug}/runden/${r.id}`, cookie, { intent: "remind", officeId: ids.a })).status).toBe(
      404,
    );
    expect(await mails("Fremd")).toEqual([]);
    await done(r.id);
  });

  // ─── The field in "open a round" ────────────────────────────────────────────

  const openForm = (name: string, reminderDays: string) => ({
    name,
    frameworkVersionId: ids.version,
    opensOn: "2027-01-10",
    deadlineOn: "2027-03-31",
    scope: "all",
    reminderDays,
  });

  it("validates the reminder days when a round is opened: 400, a German message at the field, the input kept", async () => {
    const before = await app.db.prisma.assessmentRound.count();
    const cases: Array<[string, string]> = [
      ["14, 0", "Bitte geben Sie ganze Zahlen von 1 bis 90 ein"],
      ["14, 91", "Bitte geben Sie ganze Zahlen von 1 bis 90 ein"],
      ["zwei Wochen", "Bitte geben Sie ganze Zahlen von 1 bis 90 ein"],
      ["3.5", "Bitte geben Sie ganze Zahlen von 1 bis 90 ein"],
      ["30, 14, 7, 5, 3, 1", "Bitte geben Sie höchstens 5 Zahlen ein."],
    ];
    for (const [value, message] of cases) {
      const res = await post(`/netzwerke/${ids.slug}/runden`, admin, openForm("Falsche Tage", value));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(text(html)).toContain(message);
      expect(html).toContain(`value="${value}"`);
      expect(html).toMatch(/id="field-reminderDays-error"/);
    }
    expect(await app.db.prisma.assessmentRound.count()).toBe(before);
  });

  it("stores the reminder days given, largest first; empty means none", async () => {
    expect((await post(`/netzwerke/${ids.slug}/runden`, admin, openForm("Eigene Tage", " 7 , 21,7 "))).status).toBe(200);
    expect((await app.db.prisma.assessmentRound.findFirstOrThrow({ where: { name: "Eigene Tage" } })).reminderDays).toEqual([
      21, 7,
    ]);
    expect((await post(`/netzwerke/${ids.slug}/runden`, admin, openForm("Keine Tage", ""))).status).toBe(200);
    expect((await app.db.prisma.assessmentRound.findFirstOrThrow({ where: { name: "Keine Tage" } })).reminderDays).toEqual([]);
    const page = await (await fetch(`${app.baseUrl}/netzwerke/${ids.slug}/runden`, { headers: { cookie: admin } })).text();
    expect(page).toContain('value="14, 3"');
  });
});
