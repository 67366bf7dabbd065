import { delay, http, HttpResponse } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "~/platform/db.server";
import {
  asOutbox,
  deliverDueEmails,
  enqueueEmail,
  type EmailTransport,
  localTransport,
  type OutgoingEmail,
  purgeDeliveredBodies,
  REDACTED,
  resendTransport,
  type OutboxLogger,
} from "~/platform/email/outbox.server";
import { useTestDatabase } from "../../support/database";
import { startTestWorker } from "../../support/jobs";
import { mswServer } from "../../support/setup-msw";

const RESEND = "https://api.resend.com/emails";
const TIMEOUT_MS = 300;
/** How long a "hanging" Resend takes to answer: far beyond the transport's timeout. */
const HANG_MS = TIMEOUT_MS * 10;
const FROM = "ABH-Netz <noreply@abh-netz.example.de>";
// No spacing between requests here; the spacing has its own test.
const transport = resendTransport({ apiKey: "re_test_key", from: FROM, timeoutMs: TIMEOUT_MS, minIntervalMs: 0 });

type Answer = "ok" | "error" | "hang";
type Request = { key: string | null; to: string; subject: string; answer: Answer };

/**
 * A stand-in for Resend's send endpoint: records every request with its Idempotency-Key
 * and answers as the test says — 200 with an id, a 500, or only after the client has
 * long given up.
 */
function fakeResend(initial: Answer = "ok", { latencyMs = 0 } = {}) {
  const state = { answer: initial, requests: [] as Request[] };
  mswServer.use(
    http.post(RESEND, async ({ request }) => {
      const body = (await request.json()) as { to: string | string[]; subject: string };
      const key = request.headers.get("idempotency-key");
      const answer = state.answer;
      state.requests.push({ key, to: String(body.to), subject: body.subject, answer });
      if (latencyMs) await delay(latencyMs);
      if (answer === "error") {
        return HttpResponse.json({ statusCode: 500, name: "internal_server_error", message: "Something broke" }, { status: 500 });
      }
      if (answer === "hang") await delay(HANG_MS);
      return HttpResponse.json({ id: `re_${state.requests.length}_${key}` });
    }),
  );
  return {
    state,
    accepted: () => state.requests.filter((r) => r.answer === "ok"),
  };
}

function collectingLogger() {
  const lines: string[] = [];
  const errors: string[] = [];
  const logger: OutboxLogger = {
    info: (message) => lines.push(message),
    warn: (_details, message) => lines.push(message),
    error: (details, message) => errors.push(`${message}: ${String((details as { err?: unknown }).err)}`),
  };
  return { logger, lines, errors };
}

const reset = (name: string, url = "https://abh-netz.example.de/passwort/neu/abc") => ({
  to: `${name.toLowerCase()}@behoerde.example.de`,
  template: "password-reset" as const,
  language: "de" as const,
  props: { name, resetUrl: url, validMinutes: 30 },
});

const seconds = (s: number) => new Date(Date.now() + s * 1000);

describe("e-mail outbox", () => {
  const db = useTestDatabase();
  const row = (id: string) => db.prisma.emailMessage.findUniqueOrThrow({ where: { id } });

  beforeEach(async () => {
    await db.prisma.emailMessage.deleteMany();
  });

  it("Resend failing with 500: the message stays, is retried after the back-off and sent exactly once", async () => {
    const resend = fakeResend("error");
    const id = await enqueueEmail(db.prisma, reset("Anna"));
    expect((await row(id)).status).toBe("PENDING");

    const before = Date.now();
    expect(await deliverDueEmails({ prisma: db.prisma, transport })).toEqual({ claimed: 1, sent: 0, failed: 1 });
    const failed = await row(id);
    expect(failed.status).toBe("PENDING");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain("500");
    expect(failed.lockedUntil).toBeNull();
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 30_000);

    // Not due yet: another run right away neither claims nor calls Resend.
    expect(await deliverDueEmails({ prisma: db.prisma, transport })).toEqual({ claimed: 0, sent: 0, failed: 0 });
    expect(resend.state.requests).toHaveLength(1);

    // Resend is back; once the back-off has passed, the next run sends it.
    resend.state.answer = "ok";
    expect(await deliverDueEmails({ prisma: db.prisma, transport, now: seconds(31) })).toEqual({
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    const sent = await row(id);
    expect(sent.status).toBe("SENT");
    expect(sent.providerId).toBe(`re_2_${id}`);
    expect(sent.sentAt).not.toBeNull();
    expect(sent.attempts).toBe(1);
    expect(sent.lastError).toBeNull();

    // Sent means done: later runs leave it alone.
    expect(await deliverDueEmails({ prisma: db.prisma, transport, now: seconds(3600) })).toEqual({
      claimed: 0,
      sent: 0,
      failed: 0,
    });
    expect(resend.accepted()).toHaveLength(1);
    expect(resend.state.requests.map((r) => r.key)).toEqual([id, id]);
    expect(resend.state.requests[0]).toMatchObject({ to: "anna@behoerde.example.de", subject: "Neues Passwort für ABH-Netz" });
  });

  it("Resend not answering: the attempt times out and fails, the message stays and is sent once later", async () => {
    const resend = fakeResend("hang");
    const id = await enqueueEmail(db.prisma, reset("Ben"));

    const started = Date.now();
    expect(await deliverDueEmails({ prisma: db.prisma, transport })).toEqual({ claimed: 1, sent: 0, failed: 1 });
    // Cut off at the timeout, not held until the provider finally answers.
    expect(Date.now() - started).toBeLessThan(HANG_MS - 500);
    const failed = await row(id);
    expect(failed.status).toBe("PENDING");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toContain(`within ${TIMEOUT_MS} ms`);
    expect(failed.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());

    resend.state.answer = "ok";
    expect(await deliverDueEmails({ prisma: db.prisma, transport, now: seconds(31) })).toEqual({
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    expect(await row(id)).toMatchObject({ status: "SENT", providerId: `re_2_${id}`, attempts: 1 });
    expect(await deliverDueEmails({ prisma: db.prisma, transport, now: seconds(3600) })).toEqual({
      claimed: 0,
      sent: 0,
      failed: 0,
    });
    expect(resend.state.requests.map((r) => r.key)).toEqual([id, id]);
  });

  it("repeated failures back off exponentially up to an hour and never give up", async () => {
    const resend = fakeResend("error");
    const id = await enqueueEmail(db.prisma, reset("Cora"));
    const waits: number[] = [];
    let now = new Date();
    for (let i = 0; i < 9; i++) {
      expect((await deliverDueEmails({ prisma: db.prisma, transport, now })).failed).toBe(1);
      const { nextAttemptAt } = await row(id);
      waits.push(Math.round((nextAttemptAt.getTime() - now.getTime()) / 1000));
      now = nextAttemptAt;
    }
    expect(waits).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(await row(id)).toMatchObject({ status: "PENDING", attempts: 9 });
    resend.state.answer = "ok";
    expect((await deliverDueEmails({ prisma: db.prisma, transport, now })).sent).toBe(1);
    expect(new Set(resend.state.requests.map((r) => r.key))).toEqual(new Set([id]));
  });

  it("two workers delivering at the same time send every message exactly once", async () => {
    const resend = fakeResend("ok", { latencyMs: 25 });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await enqueueEmail(db.prisma, reset(`Person${i}`)));

    // The second worker has its own connection pool, like a second portal process.
    const other = createPrismaClient(db.url, { max: 2 });
    // Widen the race: each claimed row takes 30 ms to update (a trigger in this test's own
    // database only), so the two workers' claims overlap instead of running one after the
    // other by luck of timing. A claim without row locks would now take the same rows twice.
    await db.prisma.$executeRawUnsafe(`CREATE FUNCTION slow_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(0.03); RETURN NEW; END $$`);
    await db.prisma.$executeRawUnsafe(`CREATE TRIGGER slow_claim BEFORE UPDATE ON email_message FOR EACH ROW
      WHEN (NEW.status = 'SENDING') EXECUTE FUNCTION slow_claim()`);
    try {
      const drain = async (prisma: typeof db.prisma) => {
        let sent = 0;
        for (;;) {
          const result = await deliverDueEmails({ prisma, transport, batchSize: 2 });
          if (result.claimed === 0) return sent;
          sent += result.sent;
        }
      };
      const [a, b] = await Promise.all([drain(db.prisma), drain(other)]);
      expect(a + b).toBe(12);
      // Both really worked in parallel, so the test exercises the concurrent claim.
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(0);
    } finally {
      await db.prisma.$executeRawUnsafe("DROP TRIGGER slow_claim ON email_message");
      await db.prisma.$executeRawUnsafe("DROP FUNCTION slow_claim()");
      await other.$disconnect();
      await other.pool.end();
    }

    const perKey = new Map<string | null, number>();
    for (const r of resend.state.requests) perKey.set(r.key, (perKey.get(r.key) ?? 0) + 1);
    expect([...perKey.keys()].sort()).toEqual([...ids].sort());
    expect([...perKey.values()].every((count) => count === 1)).toBe(true);
    expect(await db.prisma.emailMessage.count({ where: { status: "SENT" } })).toBe(12);
  });

  it("a message whose worker died mid-send is claimed again after the lock expires, with the same key", async () => {
    const resend = fakeResend("ok");
    const id = await enqueueEmail(db.prisma, reset("Dora"));
    // A worker claimed it and then vanished before marking it.
    await db.prisma.emailMessage.update({ where: { id }, data: { status: "SENDING", lockedUntil: seconds(300) } });

    expect((await deliverDueEmails({ prisma: db.prisma, transport })).claimed).toBe(0);
    expect(await deliverDueEmails({ prisma: db.prisma, transport, now: seconds(301) })).toEqual({
      claimed: 1,
      sent: 1,
      failed: 0,
    });
    expect(resend.state.requests.map((r) => r.key)).toEqual([id]);
    expect((await row(id)).status).toBe("SENT");
  });

  it("requests to Resend are spaced out, so a burst does not run into its rate limit", async () => {
    const resend = fakeResend("ok");
    for (let i = 0; i < 4; i++) await enqueueEmail(db.prisma, reset(`Burst${i}`));
    const spaced = resendTransport({ apiKey: "re_test_key", from: FROM, timeoutMs: 1000, minIntervalMs: 200 });
    const started = performance.now();
    expect((await deliverDueEmails({ prisma: db.prisma, transport: spaced })).sent).toBe(4);
    // Four requests, three gaps of at least 200 ms between their starts.
    expect(performance.now() - started).toBeGreaterThanOrEqual(600);
    expect(resend.state.requests).toHaveLength(4);
  });

  it("an e-mail enqueued in a transaction that rolls back is gone; one that commits is stored", async () => {
    await expect(
      db.prisma.$transaction(async (tx) => {
        await enqueueEmail(tx, reset("Emil"));
        throw new Error("the change that caused the e-mail failed");
      }),
    ).rejects.toThrow("the change that caused the e-mail failed");
    expect(await db.prisma.emailMessage.count()).toBe(0);

    const id = await db.prisma.$transaction((tx) => enqueueEmail(tx, reset("Frida")));
    expect(await row(id)).toMatchObject({
      to: "frida@behoerde.example.de",
      template: "password-reset",
      subject: "Neues Passwort für ABH-Netz",
      status: "PENDING",
      attempts: 0,
    });
  });

  it("the local transport marks the message sent and logs recipient, subject and every link", async () => {
    const { logger, lines } = collectingLogger();
    const acceptUrl = "http://localhost:3000/einladung/tok123?lng=de&x=1";
    const id = await enqueueEmail(db.prisma, {
      to: "gerd@behoerde.example.de",
      template: "invitation",
      language: "en",
      props: {
        inviterName: "Referat Integration",
        roleLabel: "Office head",
        networkName: "RLP",
        acceptUrl,
        expiresAt: seconds(86400),
      },
    });
    const local = localTransport({ logger, mailboxUrl: "http://localhost:3000/dev/postfach" });

    expect(await deliverDueEmails({ prisma: db.prisma, transport: local })).toEqual({ claimed: 1, sent: 1, failed: 0 });
    expect(await row(id)).toMatchObject({ status: "SENT", providerId: "local", attempts: 0 });
    expect(lines).toEqual([
      "email (local, not sent) to: gerd@behoerde.example.de",
      "  subject: Invitation to ABH-Netz – RLP",
      `  link: ${acceptUrl}`,
      `  mailbox: http://localhost:3000/dev/postfach/${id}`,
    ]);
  });

  describe("single-use tokens (invitations, password resets)", () => {
    const TOKEN = "Tok3n_live-abcdefghijklmnopqrstuvwxyz0123456";
    const withToken = (name: string) => ({
      ...reset(name, `https://abh-netz.example.de/passwort-neu/${TOKEN}`),
      token: TOKEN,
    });
    /** A provider that is down until `up` is set, and keeps what it delivered. */
    function flakyProvider() {
      const state = { up: false, sent: [] as OutgoingEmail[] };
      const provider: EmailTransport = {
        name: "flaky",
        async send(message) {
          if (!state.up) throw new Error("provider down");
          state.sent.push(message);
          return { providerId: `p-${state.sent.length}` };
        },
      };
      return { state, provider };
    }

    it("are stored only redacted and sealed, survive a provider outage, go out complete, and are erased once delivered", async () => {
      const id = await enqueueEmail(db.prisma, withToken("Tara"));
      const stored = await row(id);
      for (const body of [stored.html, stored.text, stored.subject]) expect(body).not.toContain(TOKEN);
      expect(stored.text).toContain(`https://abh-netz.example.de/passwort-neu/${REDACTED}`);
      expect(stored.html).toContain(`href="https://abh-netz.example.de/passwort-neu/${REDACTED}"`);
      expect(stored.sealedToken).not.toBeNull();
      expect(Buffer.from(stored.sealedToken!).toString("latin1")).not.toContain(TOKEN);

      // The provider is down: the message waits with its sealed token, still without the token in clear.
      const { state, provider } = flakyProvider();
      expect(await deliverDueEmails({ prisma: db.prisma, transport: provider })).toMatchObject({ failed: 1 });
      const waiting = await row(id);
      expect(waiting).toMatchObject({ status: "PENDING", attempts: 1 });
      expect(waiting.sealedToken).not.toBeNull();
      expect(waiting.text).not.toContain(TOKEN);

      // Back up: the retry delivers the working link, and the stored copy keeps nothing usable.
      state.up = true;
      expect(await deliverDueEmails({ prisma: db.prisma, transport: provider, now: seconds(31) })).toMatchObject({ sent: 1 });
      expect(state.sent).toHaveLength(1);
      expect(state.sent[0].text).toContain(`https://abh-netz.example.de/passwort-neu/${TOKEN}`);
      expect(state.sent[0].html).toContain(`href="https://abh-netz.example.de/passwort-neu/${TOKEN}"`);
      expect(state.sent[0].text).not.toContain(REDACTED);
      const delivered = await row(id);
      expect(delivered.status).toBe("SENT");
      expect(delivered.sealedToken).toBeNull();
      expect(JSON.stringify(delivered)).not.toContain(TOKEN);
    });

    it("a sealed token that cannot be opened (another key) is not sent with a dead link: the message waits, visibly", async () => {
      const id = await enqueueEmail(db.prisma, withToken("Uwe"));
      await db.prisma.emailMessage.update({ where: { id }, data: { sealedToken: new Uint8Array(80).fill(1) } });
      const { state, provider } = flakyProvider();
      state.up = true;
      expect(await deliverDueEmails({ prisma: db.prisma, transport: provider })).toMatchObject({ failed: 1 });
      expect(state.sent).toEqual([]);
      expect((await row(id)).lastError).toContain("cannot be opened");
    });

    it("an e-mail whose text lacks its token is refused at once (it could never be completed)", async () => {
      await expect(enqueueEmail(db.prisma, { ...reset("Vera"), token: TOKEN })).rejects.toThrow("not in the e-mail");
    });
  });

  describe("retention", () => {
    it("deletes the bodies of messages delivered longer ago than the retention, and nothing else", async () => {
      const { state, provider } = (() => {
        const sent: OutgoingEmail[] = [];
        return {
          state: { sent },
          provider: { name: "ok", send: async (m: OutgoingEmail) => (sent.push(m), { providerId: "ok" }) },
        };
      })();
      const old = await enqueueEmail(db.prisma, reset("Olga"));
      const recent = await enqueueEmail(db.prisma, reset("Rita"));
      const pending = await enqueueEmail(db.prisma, reset("Paul"));
      await deliverDueEmails({ prisma: db.prisma, transport: provider, batchSize: 2 });
      expect(state.sent.map((m) => m.id).sort()).toEqual([old, recent].sort());
      await db.prisma.emailMessage.update({ where: { id: old }, data: { sentAt: new Date(Date.now() - 31 * 86_400_000) } });

      expect(await purgeDeliveredBodies({ prisma: db.prisma, retentionDays: 30 })).toBe(1);
      const purged = await row(old);
      expect(purged).toMatchObject({ html: "", text: "", status: "SENT", subject: "Neues Passwort für ABH-Netz" });
      expect(purged.bodiesDeletedAt).not.toBeNull();
      expect((await row(recent)).text).toContain("Rita");
      expect((await row(pending)).text).toContain("Paul");
      // Idempotent: a second run finds nothing more to do.
      expect(await purgeDeliveredBodies({ prisma: db.prisma, retentionDays: 30 })).toBe(0);
      // With a retention of 0 days, a delivered message is emptied at the next run.
      expect(await purgeDeliveredBodies({ prisma: db.prisma, retentionDays: 0 })).toBe(1);
      expect((await row(recent)).text).toBe("");
    });

    it("runs as an hourly job of the worker", async () => {
      const id = await enqueueEmail(db.prisma, reset("Wolf"));
      await db.prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
      await asOutbox(db.prisma, (tx) =>
        tx.emailMessage.update({ where: { id }, data: { status: "SENT", sentAt: new Date(Date.now() - 365 * 86_400_000) } }),
      );
      const worker = await startTestWorker(db.appUrl, { transport: localTransport({ logger: { info() {} } }) });
      try {
        await db.prisma.$executeRaw`SELECT graphile_worker.add_job('email.purge-bodies', '{}'::json)`;
        await vi.waitFor(async () => expect((await row(id)).text).toBe(""), { timeout: 10_000, interval: 50 });
        expect(worker.logs.lines).toContain("info e-mail bodies deleted after retention");
      } finally {
        await worker.stop();
      }
    });
  });

  describe("the portal's database role", () => {
    it("may add messages but neither read nor change nor delete them outside the outbox's context", async () => {
      const app = createPrismaClient(db.appUrl, { max: 1 });
      try {
        const id = await enqueueEmail(app, reset("Rolf"));
        expect(await app.emailMessage.count()).toBe(0);
        expect(await app.emailMessage.findUnique({ where: { id } })).toBeNull();
        expect((await app.emailMessage.updateMany({ data: { status: "SENT" } })).count).toBe(0);
        expect((await app.emailMessage.deleteMany()).count).toBe(0);
        // Not even as a finished message: a new one starts pending and untried.
        await expect(
          app.$executeRaw`INSERT INTO email_message (id, "to", subject, html, text, template, status)
            VALUES (gen_random_uuid(), 'x@y.de', 's', 'h', 't', 'password-reset', 'SENT')`,
        ).rejects.toThrow(/row-level security/);
        expect((await row(id)).status).toBe("PENDING");
        // The local mailbox (development) may read, not change.
        expect(await asOutbox(app, (tx) => tx.emailMessage.count(), "mailbox")).toBe(1);
        expect((await asOutbox(app, (tx) => tx.emailMessage.updateMany({ data: { status: "SENT" } }), "mailbox")).count).toBe(0);
        // The outbox's own context delivers.
        expect(await deliverDueEmails({ prisma: app, transport: localTransport({ logger: { info() {} } }) })).toMatchObject({
          sent: 1,
        });
        expect((await row(id)).status).toBe("SENT");
      } finally {
        await app.$disconnect();
        await app.pool.end();
      }
    });
  });

  describe("the job worker", () => {
    let stop: (() => Promise<void>) | undefined;
    beforeEach(async () => {
      await db.prisma.$executeRaw`DELETE FROM graphile_worker._private_jobs`;
    });
    afterEach(async () => {
      await stop?.();
      stop = undefined;
    });

    it("sends an e-mail right after it is enqueued, without waiting for the next poll", async () => {
      const resend = fakeResend("ok");
      // Polling once a minute: only the database's notification of the new job can wake it.
      const worker = await startTestWorker(db.appUrl, { transport, pollInterval: 60_000 });
      stop = worker.stop;
      await new Promise((resolve) => setTimeout(resolve, 200));
      const id = await enqueueEmail(db.prisma, reset("Hanna"));
      await vi.waitFor(async () => expect((await row(id)).status).toBe("SENT"), { timeout: 5000, interval: 50 });
      expect(resend.state.requests.map((r) => r.key)).toEqual([id]);
    });

    it("stop() lets the message in flight finish and leaves the others queued, untouched", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) ids.push(await enqueueEmail(db.prisma, reset(`Stop${i}`)));
      const sent: string[] = [];
      let started!: () => void;
      let release!: () => void;
      const inFlight = new Promise<void>((resolve) => (started = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      const slow = {
        name: "slow",
        async send(message: { id: string }) {
          started();
          await released;
          sent.push(message.id);
          return { providerId: `slow-${message.id}` };
        },
      };
      const worker = await startTestWorker(db.appUrl, { transport: slow, pollInterval: 60_000 });
      await inFlight;
      const stopped = worker.stop();
      release();
      await stopped;

      expect(sent).toHaveLength(1);
      const rows = await db.prisma.emailMessage.findMany({ where: { id: { in: ids } } });
      expect(rows.filter((r) => r.status === "SENT").map((r) => r.id)).toEqual(sent);
      const rest = rows.filter((r) => r.status !== "SENT");
      expect(rest).toHaveLength(2);
      for (const r of rest) expect(r).toMatchObject({ status: "PENDING", lockedUntil: null, attempts: 0 });
      const queued = await db.prisma.$queryRaw<Array<{ key: string; attempts: number; locked_at: Date | null }>>`
        SELECT key, attempts::int, locked_at FROM graphile_worker.jobs ORDER BY key`;
      expect(queued).toEqual(
        rest.map((r) => ({ key: `email:${r.id}`, attempts: 0, locked_at: null })).sort((a, b) => a.key.localeCompare(b.key)),
      );
    });

    it("after stop() nothing is sent", async () => {
      const resend = fakeResend("ok");
      const worker = await startTestWorker(db.appUrl, { transport, pollInterval: 20 });
      await worker.stop();
      const id = await enqueueEmail(db.prisma, reset("Jan"));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await row(id)).status).toBe("PENDING");
      expect(resend.state.requests).toHaveLength(0);
    });
  });
});
