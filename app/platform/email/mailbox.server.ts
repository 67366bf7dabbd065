import { getConfig } from "~/platform/config.server";
import { getPrisma } from "~/platform/db.server";
import { asOutbox, localDeliveryOf } from "~/platform/email/outbox.server";

/**
 * The local mailbox (/dev/postfach): every e-mail the outbox holds, for developers.
 * It shows other people's messages, so it exists only outside production; every function
 * here refuses to run in production. The database keeps token links redacted; a message
 * the local transport delivered in this process is shown as it went out (with its
 * working link), from that process's memory.
 */

export const MAILBOX_LIMIT = 200;

export function isMailboxAvailable() {
  return !getConfig().isProduction;
}

function assertAvailable() {
  if (!isMailboxAvailable()) throw new Error("The local mailbox does not exist in production");
}

/** The newest messages first (at most MAILBOX_LIMIT). */
export async function listMailbox() {
  assertAvailable();
  return asOutbox(
    getPrisma(),
    (tx) =>
      tx.emailMessage.findMany({
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: MAILBOX_LIMIT,
        select: { id: true, to: true, subject: true, template: true, status: true, createdAt: true },
      }),
    "mailbox",
  );
}

export async function getMailboxMessage(id: string) {
  assertAvailable();
  const message = await asOutbox(
    getPrisma(),
    (tx) =>
      tx.emailMessage.findUnique({
        where: { id },
        select: {
          id: true,
          to: true,
          subject: true,
          template: true,
          status: true,
          attempts: true,
          nextAttemptAt: true,
          lastError: true,
          providerId: true,
          sentAt: true,
          createdAt: true,
          text: true,
          html: true,
        },
      }),
    "mailbox",
  );
  const delivered = localDeliveryOf(id);
  return message && delivered ? { ...message, text: delivered.text, html: delivered.html } : message;
}
