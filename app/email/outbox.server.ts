import { performance } from "node:perf_hooks";
import { Resend } from "resend";
import { getConfig } from "~/config.server";
import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { Language } from "~/i18n/config";
import { findLinks } from "./links";
import { publicUrl } from "./public-url.server";
import { type EmailTemplateName, type EmailTemplateProps, renderEmail } from "./templates.server";

/**
 * The e-mail outbox: no e-mail is lost.
 *
 * An e-mail is rendered and stored as an `email_message` row in the same transaction as
 * the change that caused it (enqueueEmail). A worker (startOutboxWorker) claims due rows
 * with FOR UPDATE SKIP LOCKED, sends each through a transport with the row id as the
 * provider's idempotency key, and marks it SENT — or puts it back with exponential
 * back-off. Rows are never deleted and never given up on: a message that keeps failing is
 * retried hourly and stays visible (status PENDING, attempts, last_error) until it goes out.
 */

/** What enqueueEmail writes with: the client or an interactive transaction's client. */
export type EmailDb = Pick<Prisma.TransactionClient, "emailMessage">;

export type OutgoingEmail = { id: string; to: string; subject: string; html: string; text: string };

export interface EmailTransport {
  readonly name: string;
  /** Delivers one message or throws. Must not deliver twice for the same idempotencyKey. */
  send(message: OutgoingEmail, options: { idempotencyKey: string }): Promise<{ providerId: string }>;
}

/** The part of a pino logger the outbox uses (pino's Logger fits). */
export interface OutboxLogger {
  info(message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

// ─── Enqueue ────────────────────────────────────────────────────────────────────────

export type EnqueueEmail<N extends EmailTemplateName = EmailTemplateName> = {
  to: string;
  template: N;
  language: Language;
  props: EmailTemplateProps<N>;
};

/**
 * Renders the e-mail and stores it as PENDING through `db`. Pass the transaction client
 * (`tx`) of the change that causes the e-mail, so both commit or roll back together, and
 * call wakeOutbox() after that transaction has committed. With the plain client (no
 * transaction) the worker is woken here. Returns the message id (also its idempotency key).
 */
export async function enqueueEmail<N extends EmailTemplateName>(db: EmailDb, email: EnqueueEmail<N>): Promise<string> {
  const rendered = await renderEmail(email.template, email.language, email.props);
  const { id } = await db.emailMessage.create({
    data: { to: email.to, template: email.template, ...rendered },
    select: { id: true },
  });
  if ("$transaction" in db) wakeOutbox();
  return id;
}

// ─── Delivery ───────────────────────────────────────────────────────────────────────

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 60 * 60_000;

/** Wait before the next attempt after `failures` failed attempts: 30 s, 1 min, 2 min, … at most 1 h. */
export function backoffMs(failures: number) {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

export type DeliveryResult = { claimed: number; sent: number; failed: number };

type ClaimedRow = OutgoingEmail & { attempts: number };

/**
 * Sends the messages that are due: PENDING ones whose next attempt has come, and SENDING
 * ones whose claim expired (a worker died mid-send). The claim is one statement with
 * FOR UPDATE SKIP LOCKED, so concurrent workers never claim the same row; a row that is
 * claimed again after a crash is sent with the same idempotency key, so the provider
 * does not deliver it twice.
 *
 * `lockMs` is how long a claim holds; it must be well above the transport's timeout. A
 * batch that takes longer than half of it hands its unsent rest back instead.
 * `signal` (the worker's stop) hands the unsent rest back the same way.
 * `now` (default: the current time) is for tests that need "later" without waiting.
 */
export async function deliverDueEmails({
  prisma,
  transport,
  now,
  batchSize = 10,
  lockMs = 5 * 60_000,
  logger,
  signal,
}: {
  prisma: PrismaClient;
  transport: EmailTransport;
  now?: Date;
  batchSize?: number;
  lockMs?: number;
  logger?: OutboxLogger;
  signal?: AbortSignal;
}): Promise<DeliveryResult> {
  const start = now ?? new Date();
  const started = performance.now();
  const clock = () => new Date(start.getTime() + (performance.now() - started));

  const at = start.toISOString();
  const lockedUntil = new Date(start.getTime() + lockMs).toISOString();
  const claimed = await prisma.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM email_message
      WHERE (status = 'PENDING' AND next_attempt_at <= ${at}::timestamptz)
         OR (status = 'SENDING' AND locked_until < ${at}::timestamptz)
      ORDER BY next_attempt_at
      LIMIT ${batchSize}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE email_message AS m
    SET status = 'SENDING', locked_until = ${lockedUntil}::timestamptz
    FROM due
    WHERE m.id = due.id
    RETURNING m.id::text AS id, m."to", m.subject, m.html, m.text, m.attempts`;

  const result: DeliveryResult = { claimed: claimed.length, sent: 0, failed: 0 };
  for (const [index, message] of claimed.entries()) {
    if (signal?.aborted || performance.now() - started > lockMs / 2) {
      // Stopping, or running out of the claim's time: give the rest back untouched rather
      // than leave them locked or risk a second worker claiming them while we still send.
      const rest = claimed.slice(index).map((m) => m.id);
      await prisma.emailMessage.updateMany({
        where: { id: { in: rest }, status: "SENDING" },
        data: { status: "PENDING", lockedUntil: null },
      });
      break;
    }
    try {
      const { providerId } = await transport.send(message, { idempotencyKey: message.id });
      await prisma.emailMessage.updateMany({
        where: { id: message.id, status: "SENDING" },
        data: { status: "SENT", providerId, sentAt: clock(), lockedUntil: null, lastError: null },
      });
      result.sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const nextAttemptAt = new Date(clock().getTime() + backoffMs(attempts));
      const lastError = errorMessage(error).slice(0, 2000);
      await prisma.emailMessage.updateMany({
        where: { id: message.id, status: "SENDING" },
        data: { status: "PENDING", attempts, lastError, nextAttemptAt, lockedUntil: null },
      });
      result.failed++;
      logger?.warn(
        { emailId: message.id, transport: transport.name, attempts, nextAttemptAt, err: lastError },
        "email not delivered, will retry",
      );
    }
  }
  return result;
}

function errorMessage(error: unknown) {
  return error instanceof Error ? error.message : String(error);
}

// ─── Transports ─────────────────────────────────────────────────────────────────────

/**
 * Resend through its official SDK. The message id goes out as the `Idempotency-Key`
 * header (SDK option `idempotencyKey`), so a retry of a request whose answer we never
 * saw does not send the e-mail again (Resend keeps keys for 24 hours). A provider that
 * does not answer within `timeoutMs` counts as a failure: the request is aborted (SDK
 * option `signal`) and the attempt rejected, whatever the SDK does with the abort.
 * Requests start at least `minIntervalMs` apart: Resend allows 2 requests per second by
 * default, and a burst (a whole office invited at once) would otherwise meet 429s.
 */
export function resendTransport({
  apiKey,
  from,
  timeoutMs = 10_000,
  minIntervalMs = 500,
}: {
  apiKey: string;
  from: string;
  timeoutMs?: number;
  minIntervalMs?: number;
}): EmailTransport {
  const resend = new Resend(apiKey);
  let nextStart = 0;
  return {
    name: "resend",
    async send(message, { idempotencyKey }) {
      const wait = nextStart - performance.now();
      nextStart = Math.max(nextStart, performance.now()) + minIntervalMs;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const controller = new AbortController();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new Error(`Resend did not answer within ${timeoutMs} ms`);
          controller.abort(error);
          reject(error);
        }, timeoutMs);
      });
      try {
        const response = await Promise.race([
          resend.emails.send(
            { from, to: message.to, subject: message.subject, html: message.html, text: message.text },
            { idempotencyKey, signal: controller.signal },
          ),
          timeout,
        ]);
        if (response.error) {
          const { statusCode, name, message: text } = response.error;
          throw new Error(`Resend ${statusCode ?? "error"} ${name}: ${text}`);
        }
        return { providerId: response.data.id };
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Without RESEND_API_KEY (development, tests): nothing leaves the machine. "Delivering"
 * logs the recipient, the subject and every link of the plain text, one line each, so a
 * developer can click them; the message is marked SENT with provider id "local" and
 * stays readable in the local mailbox (/dev/postfach).
 */
export function localTransport({
  logger,
  mailboxUrl,
}: {
  logger: Pick<OutboxLogger, "info">;
  mailboxUrl?: string;
}): EmailTransport {
  return {
    name: "local",
    async send(message) {
      logger.info(`email (local, not sent) to: ${message.to}`);
      logger.info(`  subject: ${message.subject}`);
      for (const link of findLinks(message.text)) logger.info(`  link: ${link}`);
      if (mailboxUrl) logger.info(`  mailbox: ${mailboxUrl}/${message.id}`);
      return { providerId: "local" };
    },
  };
}

/** Resend when RESEND_API_KEY is set (always in production), the local transport otherwise. */
export function createEmailTransport({ logger, timeoutMs }: { logger: Pick<OutboxLogger, "info">; timeoutMs?: number }) {
  const config = getConfig();
  if (config.RESEND_API_KEY) {
    return resendTransport({ apiKey: config.RESEND_API_KEY, from: config.EMAIL_FROM, timeoutMs });
  }
  return localTransport({ logger, mailboxUrl: publicUrl("/dev/postfach") });
}

// ─── Worker ─────────────────────────────────────────────────────────────────────────

// Kept on globalThis: server/start.ts starts the worker from its own copy of this module,
// while routes that enqueue run inside the Remix build, which bundles another copy.
const WAKERS = Symbol.for("abh-netz.outbox.wakers");
function wakers(): Set<() => void> {
  const holder = globalThis as { [WAKERS]?: Set<() => void> };
  return (holder[WAKERS] ??= new Set());
}

/** Asks every running outbox worker in this process to look for due messages now. */
export function wakeOutbox() {
  for (const wake of wakers()) wake();
}

/**
 * Polls deliverDueEmails every `intervalMs` (and at once when woken), draining full
 * batches back to back. Errors are logged, never thrown out of the loop: a database that
 * is briefly away only delays e-mails. `stop()` ends polling, lets the message in flight
 * finish, hands the rest of its batch back, and resolves when the worker is idle.
 */
export function startOutboxWorker({
  prisma,
  transport,
  logger,
  intervalMs = 2000,
  batchSize = 10,
  lockMs,
}: {
  prisma: PrismaClient;
  transport: EmailTransport;
  logger: OutboxLogger;
  intervalMs?: number;
  batchSize?: number;
  lockMs?: number;
}): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let wokenDuringRun = false;
  const stopping = new AbortController();

  const schedule = (ms: number) => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
    timer.unref();
  };

  async function drain() {
    let more = true;
    while (more && !stopped) {
      wokenDuringRun = false;
      try {
        const { claimed } = await deliverDueEmails({ prisma, transport, batchSize, lockMs, logger, signal: stopping.signal });
        more = claimed === batchSize || wokenDuringRun;
      } catch (error) {
        logger.error({ err: error }, "email outbox run failed");
        more = false;
      }
    }
  }

  function run() {
    if (stopped) return;
    if (running) {
      wokenDuringRun = true;
      return;
    }
    clearTimeout(timer);
    running = drain().finally(() => {
      running = undefined;
      if (!stopped) schedule(wokenDuringRun ? 0 : intervalMs);
    });
  }

  wakers().add(run);
  schedule(0);

  return async function stop() {
    stopped = true;
    stopping.abort();
    clearTimeout(timer);
    wakers().delete(run);
    await running;
  };
}
