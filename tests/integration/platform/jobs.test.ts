import { spawn } from "node:child_process";
import path from "node:path";
import { http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { enqueueEmail, resendTransport } from "~/platform/email/outbox.server";
import { enqueueJob } from "~/platform/jobs/enqueue.server";
import { endOfDay, startOfDay } from "~/utils/calendar-day";
import { client, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { startTestWorker } from "../../support/jobs";
import { mswServer } from "../../support/setup-msw";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const RESEND = "https://api.resend.com/emails";
const PASSWORD = "auftrags-passwort-fuer-tests";
const transport = resendTransport({ apiKey: "re_test_key", from: "ABH-Netz <noreply@abh-netz.example.de>", minIntervalMs: 0 });

/** Resend as MSW answers it: every request recorded with its Idempotency-Key, 200 or 500 as the test says. */
function fakeResend() {
  const state = { answer: "ok" as "ok" | "error", requests: [] as Array<{ key: string | null; to: string; answer: string }> };
  mswServer.use(
    http.post(RESEND, async ({ request }) => {
      const body = (await request.json()) as { to: string | string[] };
      const key = request.headers.get("idempotency-key");
      state.requests.push({ key, to: String(body.to), answer: state.answer });
      if (state.answer === "error") {
        return HttpResponse.json(
          { statusCode: 500, name: "internal_server_error", message: `Could not send to ${String(body.to)}` },
          { status: 500 },
        );
      }
      return HttpResponse.json({ id: `re_${state.requests.length}` });
    }),
  );
  return state;
}

const reset = (name: string) => ({
  to: `${name.toLowerCase()}@behoerde.example.de`,
  template: "password-reset" as const,
  language: "de" as const,
  props: { name, resetUrl: "https://abh-netz.example.de/passwort-neu/abc", validMinutes: 30 },
});

type Worker = Awaited<ReturnType<typeof startTestWorker>>;

describe("durable jobs (graphile-worker)", () => {
  const app = useApp();
  const db = app.db;
  const workers: Worker[] = [];
  const start = async (options: Partial<Parameters<typeof startTestWorker>[1]> = {}) => {
    const worker = await startTestWorker(db.appUrl, { transport, ...options });
    workers.push(worker);
    return worker;
  };
  const status = async (id: string) => (await db.prisma.emailMessage.findUniqueOrThrow({ where: { id } })).status;
  const jobs = () =>
    db.prisma.$queryRaw<
      Array<{
        id: string;
        task: string;
        attempts: number;
        max_attempts: number;
        last_error: string | null;
        run_at: Date;
        key: string | null;
        locked_at: Date | null;
      }>
    >`
      SELECT id::text, task_identifier AS task, attempts::int, max_attempts::int, last_error, run_at, key, locked_at
      FROM graphile_worker.jobs ORDER BY id`;

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
  });
  beforeEach(async () => {
    await db.prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    await db.prisma.emailMessage.deleteMany();
  });

  it("an e-mail's delivery job commits with the change that causes it, and rolls back with it", async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await enqueueEmail(tx, reset("Rolf"));
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    // The job row goes once the task has returned, a moment after the e-mail is marked sent.
    await vi.waitFor(async () => expect(await jobs()).toEqual([]), { timeout: 10_000, interval: 50 });

    const id = await db.prisma.$transaction((tx) => enqueueEmail(tx, reset("Rita")));
    expect(await jobs()).toMatchObject([{ task: "email.deliver", attempts: 0, key: `email:${id}` }]);
  });

  it("a job survives a restart: queued while the worker is down, the next worker runs it", async () => {
    const resend = fakeResend();
    const first = await start();
    await first.stop();
    const id = await enqueueEmail(db.prisma, reset("Udo"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await status(id)).toBe("PENDING");
    expect(resend.requests).toHaveLength(0);

    await start();
    await vi.waitFor(async () => expect(await status(id)).toBe("SENT"), { timeout: 10_000, interval: 50 });
    expect(resend.requests.map((r) => r.key)).toEqual([id]);
    // The job row goes once the task has returned, a moment after the e-mail is marked sent.
    await vi.waitFor(async () => expect(await jobs()).toEqual([]), { timeout: 10_000, interval: 50 });
  });

  it("two workers on one database deliver every e-mail exactly once", async () => {
    const resend = fakeResend();
    await start({ concurrency: 2 });
    await start({ concurrency: 2 });
    const ids = await db.prisma.$transaction(async (tx) => {
      const out: string[] = [];
      for (let i = 0; i < 12; i++) out.push(await enqueueEmail(tx, reset(`Zwei${i}`)));
      return out;
    });
    await vi.waitFor(
      async () => expect(await db.prisma.emailMessage.count({ where: { id: { in: ids }, status: "SENT" } })).toBe(12),
      { timeout: 15_000, interval: 100 },
    );
    expect(resend.requests.map((r) => r.key).sort()).toEqual([...ids].sort());
    // The job row goes once the task has returned, a moment after the e-mail is marked sent.
    await vi.waitFor(async () => expect(await jobs()).toEqual([]), { timeout: 10_000, interval: 50 });
  });

  it("a failing job retries with back-off, ends in the admin's failed list, and the page's retry runs it again", async () => {
    const resend = fakeResend();
    resend.answer = "error";
    const { cookie, networkSlug, otherNetworkId } = await admin();
    const id = await enqueueEmail(db.prisma, reset("Fehler"));
    // Two attempts instead of 25, so the test does not wait for days (same job key: replaces the job).
    await enqueueJob(db.prisma, "email.deliver", { messageId: id }, { jobKey: `email:${id}`, maxAttempts: 2 });
    await start();

    // A running job counts its attempt already; a failed one is unlocked again.
    const failedAfter = async (attempts: number) =>
      vi.waitFor(async () => expect((await jobs())[0]).toMatchObject({ attempts, locked_at: null }), {
        timeout: 10_000,
        interval: 50,
      });
    await failedAfter(1);
    const [afterOne] = await jobs();
    // Back-off: graphile-worker waits e^attempts seconds (e¹ ≈ 2.7 s) before the next try.
    expect(afterOne.run_at.getTime() - Date.now()).toBeGreaterThan(1500);
    expect(afterOne.last_error).toBe("resend: 500 internal_server_error (attempt 1)");
    expect(resend.requests).toHaveLength(1);
    // "Later" without waiting: the retry becomes due now.
    await db.prisma.$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now()`;
    await failedAfter(2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resend.requests).toHaveLength(2); // used up: not tried a third time
    expect(await status(id)).toBe("PENDING");

    // A failed job naming another network is not this admin's to see or retry.
    const [foreign] = await db.prisma.$queryRaw<Array<{ id: string }>>`
      SELECT id::text FROM graphile_worker.add_job('reminders.send-due', json_build_object('networkId', ${otherNetworkId}::text),
        run_at := now() + interval '1 day', max_attempts := 1)`;
    await db.prisma
      .$executeRaw`UPDATE graphile_worker._private_jobs SET attempts = 1, last_error = 'boom' WHERE id = ${foreign.id}::bigint`;

    const page = client(app.baseUrl, cookie);
    const res = await page.get(`/netzwerke/${networkSlug}/auftraege`);
    expect(res.status).toBe(200);
    const html = text(await res.text());
    expect(html).toContain("Fehlgeschlagene Aufträge");
    expect(html).toContain("E-Mail zustellen");
    expect(html).toContain("2 von 2");
    expect(html).toContain("resend: 500 internal_server_error (attempt 2)");
    expect(html).not.toContain("fehler@behoerde.example.de");
    expect(html).not.toContain("boom");

    const [failed] = await jobs();
    expect((await page.post(`/netzwerke/${networkSlug}/auftraege`, { intent: "retry", job: foreign.id })).status).toBe(409);
    const bad = await page.post(`/netzwerke/${networkSlug}/auftraege`, { intent: "retry", job: "abc" });
    expect(bad.status).toBe(400);
    expect(text(await bad.text())).toContain("Diesen Auftrag gibt es nicht.");

    resend.answer = "ok";
    const retry = await page.post(`/netzwerke/${networkSlug}/auftraege`, { intent: "retry", job: failed.id });
    expect(retry.status).toBe(200);
    expect(text(await retry.text())).toContain("Der Auftrag wird erneut ausgeführt.");
    await vi.waitFor(async () => expect(await status(id)).toBe("SENT"), { timeout: 10_000, interval: 50 });
    expect(resend.requests.map((r) => r.answer)).toEqual(["error", "error", "ok"]);
    expect(new Set(resend.requests.map((r) => r.key))).toEqual(new Set([id]));

    const after = text(await (await page.get(`/netzwerke/${networkSlug}/auftraege`)).text());
    expect(after).toContain("Keine fehlgeschlagenen Aufträge.");
    // Retrying it again: it is no longer in the list.
    expect((await page.post(`/netzwerke/${networkSlug}/auftraege`, { intent: "retry", job: failed.id })).status).toBe(409);
  });

  it("two workers with the crontab run a due reminder tick once: one reminder, one e-mail", async () => {
    const resend = fakeResend();
    const { roundId } = await dueReminderRound("cron", "head@cron.example");
    await missedReminderTick();

    const runs: string[] = [];
    const [a, b] = await Promise.all([start({ cron: true }), start({ cron: true })]);
    for (const [name, worker] of [["a", a] as const, ["b", b] as const]) {
      worker.runner.events.on("job:success", ({ job }) => {
        if (job.task_identifier === "reminders.send-due") runs.push(name);
      });
    }
    await vi.waitFor(async () => expect(resend.requests.map((r) => r.to)).toEqual(["head@cron.example"]), {
      timeout: 15_000,
      interval: 100,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(runs).toHaveLength(1);
    expect(await db.prisma.assessmentReminder.count({ where: { assessment: { roundId } } })).toBe(1);
    expect(resend.requests).toHaveLength(1);
  });

  it("two `npm run worker` processes on one database: the reminder tick runs once; SIGTERM stops each cleanly", async () => {
    const { roundId } = await dueReminderRound("prozesse", "head@prozesse.example");
    await missedReminderTick();
    const { DATABASE_URL: _db, APP_DATABASE_URL: _app, RESEND_API_KEY: _key, ...inherited } = process.env;
    const spawnWorker = () => {
      const child = spawn(process.execPath, ["--import", "tsx", "server/worker.ts"], {
        cwd: ROOT,
        // No RESEND_API_KEY: the local transport, so nothing leaves the machine from a child process.
        env: { ...inherited, NODE_ENV: "development", LOG_LEVEL: "debug", DATABASE_URL: db.url },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (c) => (output += c));
      child.stderr.on("data", (c) => (output += c));
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      return { child, exited, output: () => output };
    };
    const both = [spawnWorker(), spawnWorker()];
    try {
      await vi.waitFor(
        async () => {
          const sent = await db.prisma.emailMessage.findMany({
            where: { template: "round-reminder", to: "head@prozesse.example" },
          });
          expect(sent.map((m) => [m.status, m.providerId])).toEqual([["SENT", "local"]]);
        },
        { timeout: 60_000, interval: 200 },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await db.prisma.assessmentReminder.count({ where: { assessment: { roundId } } })).toBe(1);
      // graphile-worker logs each completed job (at debug): one reminder run in all, in one of the two.
      const runs = both.map((w) => (w.output().match(/Completed task \d+ \(reminders\.send-due/g) ?? []).length);
      expect(runs.sort()).toEqual([0, 1]);
    } finally {
      for (const w of both) w.child.kill("SIGTERM");
    }
    for (const w of both) {
      expect(await w.exited).toBe(0);
      expect(w.output()).toContain('"msg":"stopped"');
    }
  }, 90_000);

  /** A round whose 14-day reminder is due now, for one office with one head. */
  async function dueReminderRound(slug: string, headEmail: string) {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug, name: `Netz ${slug}`, state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "x", name: "ABH X", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const head = await p.user.create({ data: { email: headEmail, name: "Leitung", passwordHash } });
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    const today = new Date().toISOString().slice(0, 10);
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: `Runde ${slug}`,
        opensAt: startOfDay(today),
        deadline: endOfDay(inTenDays),
        createdById: head.id,
        reminderDays: [14],
      },
    });
    await p.roundParticipant.create({ data: { roundId: round.id, officeId: office.id } });
    await p.assessment.create({ data: { roundId: round.id, officeId: office.id } });
    return { roundId: round.id };
  }

  /**
   * The reminder tick was last run 20 minutes ago (a quarter-hour tick was missed since):
   * each worker backfills it at start, and the database lets only one of them schedule it.
   */
  async function missedReminderTick() {
    await db.prisma.$executeRaw`
      INSERT INTO graphile_worker._private_known_crontabs (identifier, known_since, last_execution)
      VALUES ('reminders.send-due', now() - interval '1 day', now() - interval '20 minutes')
      ON CONFLICT (identifier) DO UPDATE SET last_execution = excluded.last_execution`;
  }

  /** A network admin (two-factor done) of one network, and another network. */
  async function admin() {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "auftraege", name: "Netz Aufträge", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "anderes", name: "Anderes Netz", state: "HE", frameworkVersionId: version.id },
    });
    const user = await p.user.create({
      data: {
        email: "admin@auftraege.example",
        name: "Admin",
        passwordHash: await hashPassword(PASSWORD),
        totpEnabledAt: new Date(),
      },
    });
    await p.membership.create({ data: { userId: user.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    const cookie = await sessionCookie(app.baseUrl, "admin@auftraege.example", PASSWORD);
    await p.session.updateMany({ where: { userId: user.id }, data: { twoFactorVerified: true } });
    return { cookie, networkSlug: network.slug, otherNetworkId: other.id };
  }
});
