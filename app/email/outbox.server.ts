import { performance } from "node:perf_hooks";
import { Resend } from "resend";
import { getConfig } from "~/config.server";
import { Prisma, type PrismaClient } from "~/generated/prisma/client";
import type { Language } from "~/i18n/config";
import { enqueueJob } from "~/platform/jobs/enqueue.server";
import { findLinks } from "./links";
import { publicUrl } from "./public-url.server";
import { type EmailTemplateName, type EmailTemplateProps, renderEmail } from "./templates.server";

/**
 * The e-mail outbox: no e-mail is lost.
 *
 * An e-mail is rendered and stored as an `email_message` row in the same transaction as
 * the change that caused it (enqueueEmail), together with an `email.deliver` job
 * (app/platform/jobs). The job worker runs deliverEmail: it claims the row, sends it through
 * a transport with the row id as the provider's idempotency key, and marks it SENT — or
 * puts it back and fails the job, which graphile-worker retries with exponential back-off.
 * A message whose job keeps failing stays PENDING (attempts, last_error) and its job ends
 * in the network admin's list of failed jobs, from where it can be retried.
 */

/** What enqueueEmail writes with: the client or an interactive transaction's client. */
export type EmailDb = Pick<Prisma.TransactionClient, "emailMessage" | "$executeRaw">;

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
 * Renders the e-mail and stores it as PENDING through `db`, with the job that delivers it.
 * Pass the transaction client (`tx`) of the change that causes the e-mail, so all three
 * commit or roll back together; the workers are woken when it commits (LISTEN/NOTIFY).
 * Returns the message id (also its idempotency key).
 */
export async function enqueueEmail<N extends EmailTemplateName>(db: EmailDb, email: EnqueueEmail<N>): Promise<string> {
  const rendered = await renderEmail(email.template, email.language, email.props);
  const { id } = await db.emailMessage.create({
    data: { to: email.to, template: email.template, ...rendered },
    select: { id: true },
  });
  await enqueueJob(db, "email.deliver", { messageId: id }, { jobKey: `email:${id}` });
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
  only,
}: {
  prisma: PrismaClient;
  transport: EmailTransport;
  now?: Date;
  batchSize?: number;
  lockMs?: number;
  logger?: OutboxLogger;
  signal?: AbortSignal;
  /** Just this message, whenever it is not sent or being sent (its job decides when). */
  only?: string;
}): Promise<DeliveryResult> {
  const start = now ?? new Date();
  const started = performance.now();
  const clock = () => new Date(start.getTime() + (performance.now() - started));

  const at = start.toISOString();
  const lockedUntil = new Date(start.getTime() + lockMs).toISOString();
  const claimed = await prisma.$queryRaw<ClaimedRow[]>`
    WITH due AS (
      SELECT id FROM email_message
      WHERE ${only === undefined ? Prisma.sql`TRUE` : Prisma.sql`id = ${only}::uuid AND status <> 'SENT'`}
        AND ((status = 'PENDING' AND (next_attempt_at <= ${at}::timestamptz OR ${only !== undefined}))
         OR (status = 'SENDING' AND locked_until < ${at}::timestamptz))
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

/** Why a message was not delivered this time; the job is retried (with back-off) for it. */
export class EmailNotDelivered extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EmailNotDelivered";
  }
}

/**
 * What the `email.deliver` job runs: sends one message now. A message that is already sent
 * (a retried or duplicate job) or gone is done. Throws EmailNotDelivered when the transport
 * failed (the row keeps attempts and last_error) or another worker holds the message — the
 * job is then retried with back-off. The thrown message names the transport's status only,
 * never the recipient: it is shown in the failed-jobs list.
 */
export async function deliverEmail({
  prisma,
  transport,
  messageId,
  lockMs,
  logger,
  signal,
}: {
  prisma: PrismaClient;
  transport: EmailTransport;
  messageId: string;
  lockMs?: number;
  logger?: OutboxLogger;
  signal?: AbortSignal;
}): Promise<"sent" | "already-sent" | "gone"> {
  const result = await deliverDueEmails({ prisma, transport, lockMs, logger, signal, only: messageId, batchSize: 1 });
  if (result.sent === 1) return "sent";
  const row = await prisma.emailMessage.findUnique({
    where: { id: messageId },
    select: { status: true, attempts: true, lastError: true },
  });
  if (!row) return "gone";
  if (row.status === "SENT") return "already-sent";
  if (result.failed === 1) {
    throw new EmailNotDelivered(`${transport.name}: ${publicError(row.lastError ?? "")} (attempt ${row.attempts})`);
  }
  throw new EmailNotDelivered(`${transport.name}: the message is being sent by another worker`);
}

/** A provider's error without what could name a person: its status words, no addresses. */
function publicError(error: string) {
  const head = /^Resend (\S+ \S+?):/.exec(error)?.[1] ?? error;
  return head.replace(/\S+@\S+/g, "[address]").slice(0, 200);
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

/**
 * Nothing to do any more: a delivery job wakes the workers itself when the transaction that
 * added it commits (graphile-worker's LISTEN/NOTIFY). Kept so that the models which still
 * call it after their transaction (rounds, invitations, assessments, password reset) need
 * not change in this step; drop those calls when next touching them.
 */
export function wakeOutbox() {}
