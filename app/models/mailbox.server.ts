import { getConfig } from "~/config.server";
import { getPrisma } from "~/db.server";

/**
 * The local mailbox (/dev/postfach): every e-mail the outbox holds, for developers.
 * It shows other people's messages (with their sign-in links), so it exists only
 * outside production; every function here refuses to run in production.
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
  return getPrisma().emailMessage.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: MAILBOX_LIMIT,
    select: { id: true, to: true, subject: true, template: true, status: true, createdAt: true },
  });
}

export async function getMailboxMessage(id: string) {
  assertAvailable();
  return getPrisma().emailMessage.findUnique({
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
  });
}
