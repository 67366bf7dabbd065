import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Resend } from "resend";
import { openSecret, sealSecret } from "~/platform/auth/secret-box.server";
import { getConfig } from "~/platform/config.server";
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
 *
 * No usable token at rest (docs/decisions/0012-outbox-without-live-tokens.md): an e-mail
 * that carries a single-use token (invitation, password reset) is stored redacted – its
 * link reads …/einladung/[entfernt] – and the token itself only sealed with the app's
 * secret box (AES-256-GCM, key from SESSION_SECRET) in `sealed_token`. Delivery opens it,
 * puts it back into the message that goes out, and erases it in the same update that marks
 * the message SENT; a provider outage only delays that (the sealed token waits for the
 * retry). Delivered messages lose their bodies after EMAIL_KEEP_DAYS
 * (purgeDeliveredBodies, a daily job). Row-level security lets the request path only add messages:
 * reading and changing them needs the outbox's own context (asOutbox).
 */

/** What enqueueEmail writes with: the client or an interactive transaction's client. */
export type EmailDb = Pick<Prisma.TransactionClient, "$executeRaw">;

/** What a token in a stored message reads as. */
export const REDACTED = "[entfernt]";

/**
 * Runs `work` in a transaction with the outbox's context: row-level security shows and
 * changes email_message rows only there (`app.outbox`: "deliver" for the worker, which may
 * change them, "mailbox" for the local development mailbox, which may only read).
 */
export async function asOutbox<T>(
  prisma: PrismaClient,
  work: (tx: Prisma.TransactionClient) => Promise<T>,
  access: "deliver" | "mailbox" = "deliver",
): Promise<T> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.outbox', ${access}, true)`;
    return work(tx);
  });
}

/** The copy that is kept: every occurrence of the token replaced by REDACTED. */
export function redactToken<E extends { subject: string; html: string; text: string }>(email: E, token: string): E {
  if (!email.html.includes(token) || !email.text.includes(token)) throw new Error("the token is not in the e-mail");
  const redact = (value: string) => value.replaceAll(token, REDACTED);
  return { ...email, subject: redact(email.subject), html: redact(email.html), text: redact(email.text) };
}

/**
 * The message as it goes out: the sealed token (if any) opened and put back where the
 * stored copy says REDACTED (only in a path: "/[entfernt]"). Throws when the token
 * cannot be opened (SESSION_SECRET changed): the message then waits, visibly, as failed.
 */
export function openForDelivery<M extends OutgoingEmail>(message: M, sealedToken: Uint8Array | null): M {
  if (!sealedToken) return message;
  const plain = openSecret(sealedToken, -1);
  if (!plain) throw new Error("the message's token cannot be opened (was SESSION_SECRET changed?)");
  const token = new TextDecoder().decode(plain);
  const restore = (value: string) => value.replaceAll(`/${REDACTED}`, `/${token}`);
  return { ...message, html: restore(message.html), text: restore(message.text) };
}

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
  /** A single-use token the e-mail's links carry: stored only sealed, the copy redacted. */
  token?: string;
};

/**
 * Renders the e-mail and stores it as PENDING through `db`, with the job that delivers it.
 * Pass the transaction client (`tx`) of the change that causes the e-mail, so all three
 * commit or roll back together; the workers are woken when it commits (LISTEN/NOTIFY).
 * Returns the message id (also its idempotency key).
 */
export async function enqueueEmail<N extends EmailTemplateName>(db: EmailDb, email: EnqueueEmail<N>): Promise<string> {
  const rendered = await renderEmail(email.template, email.language, email.props);
  const stored = email.token ? redactToken(rendered, email.token) : rendered;
  const sealed = email.token ? Buffer.from(sealSecret(new TextEncoder().encode(email.token))) : null;
  // No RETURNING (Prisma's create has one): the request path may add rows but not read them.
  const id = randomUUID();
  await db.$executeRaw`
    INSERT INTO email_message (id, "to", subject, html, text, template, sealed_token)
    VALUES (${id}::uuid, ${email.to}, ${stored.subject}, ${stored.html}, ${stored.text}, ${email.template}, ${sealed})`;
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

type ClaimedRow = OutgoingEmail & { attempts: number; sealed_token: Uint8Array | null };

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
  const claimed = await asOutbox(
    prisma,
    (tx) => tx.$queryRaw<ClaimedRow[]>`
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
    RETURNING m.id::text AS id, m."to", m.subject, m.html, m.text, m.attempts, m.sealed_token`,
  );

  const result: DeliveryResult = { claimed: claimed.length, sent: 0, failed: 0 };
  for (const [index, message] of claimed.entries()) {
    if (signal?.aborted || performance.now() - started > lockMs / 2) {
      // Stopping, or running out of the claim's time: give the rest back untouched rather
      // than leave them locked or risk a second worker claiming them while we still send.
      const rest = claimed.slice(index).map((m) => m.id);
      await asOutbox(prisma, (tx) =>
        tx.emailMessage.updateMany({
          where: { id: { in: rest }, status: "SENDING" },
          data: { status: "PENDING", lockedUntil: null },
        }),
      );
      break;
    }
    try {
      const { sealed_token: sealedToken, attempts: _attempts, ...stored } = message;
      const { providerId } = await transport.send(openForDelivery(stored, sealedToken), { idempotencyKey: message.id });
      // Delivered: the sealed token is erased with the same update.
      await asOutbox(prisma, (tx) =>
        tx.emailMessage.updateMany({
          where: { id: message.id, status: "SENDING" },
          data: { status: "SENT", providerId, sentAt: clock(), lockedUntil: null, lastError: null, sealedToken: null },
        }),
      );
      result.sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const nextAttemptAt = new Date(clock().getTime() + backoffMs(attempts));
      const lastError = errorMessage(error).slice(0, 2000);
      await asOutbox(prisma, (tx) =>
        tx.emailMessage.updateMany({
          where: { id: message.id, status: "SENDING" },
          data: { status: "PENDING", attempts, lastError, nextAttemptAt, lockedUntil: null },
        }),
      );
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
  const row = await asOutbox(prisma, (tx) =>
    tx.emailMessage.findUnique({ where: { id: messageId }, select: { status: true, attempts: true, lastError: true } }),
  );
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

// ─── Retention ──────────────────────────────────────────────────────────────────────

/**
 * Deletes the bodies (HTML, text, any sealed token) of messages delivered more than
 * `retentionDays` (default: EMAIL_KEEP_DAYS) ago; who got what subject when stays.
 * Idempotent, safe to run from several processes; returns how many messages it emptied.
 * The outbox worker runs it hourly; a job queue can schedule it instead.
 */
export async function purgeDeliveredBodies({
  prisma,
  now = new Date(),
  retentionDays = getConfig().EMAIL_KEEP_DAYS,
}: {
  prisma: PrismaClient;
  now?: Date;
  retentionDays?: number;
}): Promise<number> {
  const before = new Date(now.getTime() - retentionDays * 86_400_000);
  const { count } = await asOutbox(prisma, (tx) =>
    tx.emailMessage.updateMany({
      where: { status: "SENT", sentAt: { lte: before }, bodiesDeletedAt: null },
      data: { html: "", text: "", sealedToken: null, bodiesDeletedAt: now },
    }),
  );
  return count;
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
      rememberLocalDelivery(message);
      logger.info(`email (local, not sent) to: ${message.to}`);
      logger.info(`  subject: ${message.subject}`);
      for (const link of findLinks(message.text)) logger.info(`  link: ${link}`);
      if (mailboxUrl) logger.info(`  mailbox: ${mailboxUrl}/${message.id}`);
      return { providerId: "local" };
    },
  };
}

// Kept on globalThis like the wakers: the worker's copy of this module delivers, the Remix
// build's copy shows the mailbox.
const LOCAL_DELIVERIES = Symbol.for("abh-netz.outbox.local-deliveries");
const LOCAL_DELIVERIES_KEPT = 200;

/**
 * What the local transport "delivered", as it went out (with its link), kept in this
 * process's memory only – never in the database – so the development mailbox can show a
 * working link. Resend, always used in production, keeps nothing.
 */
function localDeliveries(): Map<string, OutgoingEmail> {
  const holder = globalThis as { [LOCAL_DELIVERIES]?: Map<string, OutgoingEmail> };
  return (holder[LOCAL_DELIVERIES] ??= new Map());
}

function rememberLocalDelivery(message: OutgoingEmail) {
  const kept = localDeliveries();
  kept.set(message.id, message);
  for (const id of kept.keys()) {
    if (kept.size <= LOCAL_DELIVERIES_KEPT) break;
    kept.delete(id);
  }
}

/** The message as the local transport delivered it in this process, if it did. */
export function localDeliveryOf(id: string): OutgoingEmail | undefined {
  return localDeliveries().get(id);
}

/** Resend when RESEND_API_KEY is set (always in production), the local transport otherwise. */
export function createEmailTransport({ logger, timeoutMs }: { logger: Pick<OutboxLogger, "info">; timeoutMs?: number }) {
  const config = getConfig();
  if (config.RESEND_API_KEY) {
    return resendTransport({ apiKey: config.RESEND_API_KEY, from: config.EMAIL_FROM, timeoutMs });
  }
  return localTransport({ logger, mailboxUrl: publicUrl("/dev/postfach") });
}
