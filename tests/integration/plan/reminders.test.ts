/**
 * Reminders about plan activities (issue 21, item 4): the responsible member gets one e-mail
 * REMINDER_DAYS_BEFORE days before an activity's end date and one when it is overdue – exactly
 * once each, also across runs, restarts and two workers – unless they turned reminders off on
 * /konto. The e-mail and the audit entry carry counts and links only.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { REMINDER_DAYS_BEFORE, sendDueActivityReminders } from "~/domains/plan/reminders.server";
import { hashPassword } from "~/platform/auth/password.server";
import { addDays, startOfDay, toCalendarDay } from "~/utils/calendar-day";
import { signIn } from "../../support/accounts";
import { useApp } from "../../support/app";
import { startTestWorker } from "../../support/jobs";

const PASSWORD = "erinnerungs-passwort-fuer-plaene";
/** A fixed morning in German time, so the calendar day under test is known. */
const TODAY = "2027-05-10";
const at = (day: string) => new Date(startOfDay(day).getTime() + 7 * 3_600_000);
const day = (offset: number) => addDays(TODAY, offset);
const date = (d: string) => new Date(`${d}T00:00:00Z`);

describe("reminders about plan activities", () => {
  const app = useApp();
  const ids = {} as Record<"network" | "office" | "other" | "plan" | "measure" | "head", string>;
  const people = {} as Record<"resp" | "english" | "optedOut" | "former" | "toggler", { id: string; email: string }>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "plan-erinnern", name: "Netz Plan", state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Plan", kind: "LANDKREIS" } });
    const other = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Andere", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const head = await p.user.create({ data: { email: "leitung@plan.example", name: "Leitung", passwordHash } });
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    const make = async (key: keyof typeof people, language: string, officeId: string | null, activityReminders = true) => {
      const email = `${key.toLowerCase()}@plan.example`;
      const u = await p.user.create({ data: { email, name: `Person ${key}`, passwordHash, language, activityReminders } });
      if (officeId) await p.membership.create({ data: { userId: u.id, networkId: network.id, officeId, role: "OFFICE_STAFF" } });
      people[key] = { id: u.id, email };
    };
    await make("resp", "de", office.id);
    await make("english", "en", office.id);
    await make("optedOut", "de", office.id, false);
    // Responsible for an activity of office A but a member of another office only (left A).
    await make("former", "de", other.id);
    await make("toggler", "de", office.id);
    const plan = await p.plan.create({ data: { networkId: network.id, officeId: office.id, startedById: head.id } });
    const measure = await p.planMeasure.create({
      data: { planId: plan.id, officeId: office.id, ownTitle: "Geheime Maßnahme", origin: "own", addedById: head.id },
    });
    Object.assign(ids, {
      network: network.id,
      office: office.id,
      other: other.id,
      plan: plan.id,
      measure: measure.id,
      head: head.id,
    });
  });

  beforeEach(async () => {
    const p = app.db.prisma;
    await p.planActivity.deleteMany({ where: { planId: ids.plan } });
    await p.emailMessage.deleteMany();
    await p.auditEvent.deleteMany({ where: { action: "plan.reminder_sent" } });
  });

  async function activity(
    title: string,
    endsOn: string | null,
    {
      status = "NOT_STARTED",
      responsible,
      name,
    }: { status?: "NOT_STARTED" | "IN_PROGRESS" | "DONE"; responsible?: string; name?: string } = {},
  ) {
    const a = await app.db.prisma.planActivity.create({
      data: {
        planMeasureId: ids.measure,
        planId: ids.plan,
        officeId: ids.office,
        title,
        status,
        endsOn: endsOn ? date(endsOn) : null,
        responsibleUserId: responsible ?? null,
        responsibleName: name ?? null,
        createdById: ids.head,
      },
    });
    return a.id;
  }
  const mails = async () =>
    (await app.db.prisma.emailMessage.findMany({ where: { template: "plan-reminder" }, orderBy: { to: "asc" } })).map((m) => ({
      to: m.to,
      subject: m.subject,
      text: m.text,
    }));
  const records = () =>
    app.db.prisma.planActivityReminder.findMany({ where: { planId: ids.plan }, orderBy: [{ dueOn: "asc" }, { kind: "asc" }] });

  it("reminds the responsible member before the end date and once it is overdue – counts and a link only", async () => {
    await activity("Bald fällig", day(5), { responsible: people.resp.id });
    await activity("Genau am Tag", day(REMINDER_DAYS_BEFORE), { responsible: people.resp.id });
    await activity("Später", day(REMINDER_DAYS_BEFORE + 1), { responsible: people.resp.id });
    await activity("Überfällig", day(-2), { status: "IN_PROGRESS", responsible: people.resp.id });
    await activity("Heute das Ende", day(0), { responsible: people.english.id });
    await activity("Erledigt", day(3), { status: "DONE", responsible: people.resp.id });
    await activity("Erledigt und alt", day(-30), { status: "DONE", responsible: people.resp.id });
    await activity("Ohne Datum", null, { responsible: people.resp.id });
    await activity("Nur ein Name", day(3), { name: "Frau Extern" });
    await activity("Ausgetreten", day(3), { responsible: people.former.id });

    const run = await sendDueActivityReminders(at(TODAY));
    expect(run).toEqual({ due: 4, people: 2, activities: 4, failed: 0 });

    const sent = await mails();
    expect(sent.map((m) => m.to)).toEqual([people.english.email, people.resp.email]);
    const [en, de] = sent;
    expect(de.subject).toBe("Erinnerung: Ein Arbeitsschritt im Umsetzungsplan ist überfällig");
    expect(de.text).toContain(
      `2 Arbeitsschritte, für die Sie verantwortlich sind, enden in den nächsten ${REMINDER_DAYS_BEFORE} Tagen`,
    );
    expect(de.text).toContain("Ein Arbeitsschritt, für den Sie verantwortlich sind, hat sein Enddatum überschritten");
    expect(de.text).toContain(`/behoerden/${ids.office}/plan/zeitplan`);
    expect(de.text).toContain("/konto");
    expect(en.subject).toBe("Reminder: an activity in the implementation plan ends soon");
    expect(en.text).toContain("an activity you are responsible for ends in the next 7 days");
    // Nothing the office wrote leaves the portal by e-mail.
    for (const m of sent) expect(m.text).not.toMatch(/Bald fällig|Überfällig|Geheime Maßnahme|ABH Plan/);

    expect((await records()).map((r) => [toCalendarDay(r.dueOn), r.kind])).toEqual([
      [day(-2), "overdue"],
      [day(0), "before_end"],
      [day(5), "before_end"],
      [day(REMINDER_DAYS_BEFORE), "before_end"],
    ]);
    const audit = await app.db.prisma.auditEvent.findMany({
      where: { action: "plan.reminder_sent" },
      orderBy: { targetId: "asc" },
    });
    expect(audit.map((e) => ({ ...pick(e), target: e.targetId }))).toEqual(
      [
        {
          actorId: null,
          officeId: ids.office,
          networkId: ids.network,
          details: { beforeEnd: 2, overdue: 1 },
          target: people.resp.id,
        },
        {
          actorId: null,
          officeId: ids.office,
          networkId: ids.network,
          details: { beforeEnd: 1, overdue: 0 },
          target: people.english.id,
        },
      ].sort((a, b) => a.target.localeCompare(b.target)),
    );
  });

  it("sends each reminder exactly once: a second run the same day, and the next days, send only what became due", async () => {
    const soon = await activity("Bald", day(5), { responsible: people.resp.id });
    await activity("Später", day(10), { responsible: people.resp.id });

    await sendDueActivityReminders(at(TODAY));
    expect(await sendDueActivityReminders(at(TODAY))).toEqual({ due: 0, people: 0, activities: 0, failed: 0 });
    expect(await sendDueActivityReminders(at(day(1)))).toEqual({ due: 0, people: 0, activities: 0, failed: 0 });
    expect(await mails()).toHaveLength(1);

    // Three days on: "Später" is 7 days away; "Bald" ends in 2 days, already reminded.
    expect(await sendDueActivityReminders(at(day(3)))).toMatchObject({ people: 1, activities: 1 });
    // The day after "Bald" ended it is overdue: one more reminder, then never again.
    expect(await sendDueActivityReminders(at(day(6)))).toMatchObject({ people: 1, activities: 1 });
    expect(await sendDueActivityReminders(at(day(20)))).toMatchObject({ people: 1, activities: 1 }); // "Später" overdue
    expect(await sendDueActivityReminders(at(day(40)))).toMatchObject({ people: 0, activities: 0 });
    expect(await mails()).toHaveLength(4);

    // A moved end date is a new date to be reminded of; setting it done stops everything.
    await app.db.prisma.planActivity.update({ where: { id: soon }, data: { endsOn: date(day(45)) } });
    expect(await sendDueActivityReminders(at(day(40)))).toMatchObject({ people: 1, activities: 1 });
    await app.db.prisma.planActivity.update({ where: { id: soon }, data: { status: "DONE" } });
    expect(await sendDueActivityReminders(at(day(50)))).toMatchObject({ people: 0, activities: 0 });
  });

  it("sends nothing to a person who turned reminders off, and again after they turn them on (on /konto)", async () => {
    await activity("Abgeschaltet", day(3), { responsible: people.optedOut.id });
    await activity("Umschalter", day(3), { responsible: people.toggler.id });
    const account = await signIn(app.baseUrl, people.toggler.email, PASSWORD);
    expect(account.cookie).not.toBe("");

    // Unticked: the form sends no value for the box.
    const off = await account.post("/konto", { intent: "reminders" });
    expect(off.status).toBe(302);
    expect(off.headers.get("location")).toBe("/konto?hinweis=erinnerungen");
    expect((await app.db.prisma.user.findUniqueOrThrow({ where: { id: people.toggler.id } })).activityReminders).toBe(false);
    expect(
      await app.db.prisma.auditEvent.count({ where: { action: "account.reminders_changed", actorId: people.toggler.id } }),
    ).toBe(1);
    // Anything but the box's value is refused, and changes nothing.
    expect((await account.post("/konto", { intent: "reminders", activityReminders: "ja bitte" })).status).toBe(400);

    expect(await sendDueActivityReminders(at(TODAY))).toEqual({ due: 0, people: 0, activities: 0, failed: 0 });
    expect(await mails()).toEqual([]);
    expect(await records()).toEqual([]);

    const page = await (await account.get("/konto")).text();
    expect(page).toContain("Erinnerungen zu meinen Arbeitsschritten");
    expect(page).not.toMatch(/name="activityReminders"[^>]*checked/);

    expect((await account.post("/konto", { intent: "reminders", activityReminders: "on" })).status).toBe(302);
    expect(await sendDueActivityReminders(at(TODAY))).toMatchObject({ people: 1, activities: 1 });
    expect((await mails()).map((m) => m.to)).toEqual([people.toggler.email]);
  });

  it("sends nothing for a closed plan", async () => {
    await activity("Im alten Plan", day(3), { responsible: people.resp.id });
    await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { closedAt: new Date() } });
    try {
      expect(await sendDueActivityReminders(at(TODAY))).toMatchObject({ due: 0, people: 0 });
    } finally {
      await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { closedAt: null } });
    }
  });

  describe("as the daily job", () => {
    let delivered = 0;
    const transport = {
      name: "recording",
      send: async () => ({ providerId: `rec-${++delivered}` }),
    };
    const workers: Array<Awaited<ReturnType<typeof startTestWorker>>> = [];
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop()));
    });

    /** The daily tick was last run two days ago: a starting worker backfills the missed one. */
    const missedTick = () => app.db.prisma.$executeRaw`
      INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
      VALUES ('plan.reminders', now() - interval '3 days', now() - interval '2 days')
      ON CONFLICT (identifier) DO UPDATE SET last_execution = excluded.last_execution`;

    it("two workers starting after a missed day run the tick once; a restart sends nothing again", async () => {
      // Dates around the real today: the job uses the clock.
      const today = toCalendarDay(new Date());
      await activity("Job bald", addDays(today, 2), { responsible: people.resp.id });
      await activity("Job überfällig", addDays(today, -1), { responsible: people.resp.id });
      await app.db.prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      await missedTick();

      const runs: number[] = [];
      const [a, b] = await Promise.all([
        startTestWorker(app.db.appUrl, { transport, cron: true }),
        startTestWorker(app.db.appUrl, { transport, cron: true }),
      ]);
      workers.push(a, b);
      for (const w of [a, b])
        w.runner.events.on("job:success", ({ job }) => {
          if (job.task_identifier === "plan.reminders") runs.push(1);
        });
      await vi.waitFor(async () => expect(await records()).toHaveLength(2), { timeout: 15_000, interval: 100 });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(runs).toHaveLength(1);
      expect((await mails()).map((m) => m.to)).toEqual([people.resp.email]);

      // A restart that finds the tick missed again runs it again: it finds nothing left to send.
      await Promise.all(workers.splice(0).map((w) => w.stop()));
      await missedTick();
      const c = await startTestWorker(app.db.appUrl, { transport, cron: true });
      workers.push(c);
      const again: number[] = [];
      c.runner.events.on("job:success", ({ job }) => {
        if (job.task_identifier === "plan.reminders") again.push(1);
      });
      await vi.waitFor(() => expect(again).toHaveLength(1), { timeout: 15_000, interval: 100 });
      expect(await mails()).toHaveLength(1);
      expect(await records()).toHaveLength(2);
    });
  });
});

function pick(e: { actorId: string | null; officeId: string | null; networkId: string | null; details: unknown }) {
  return { actorId: e.actorId, officeId: e.officeId, networkId: e.networkId, details: e.details };
}
