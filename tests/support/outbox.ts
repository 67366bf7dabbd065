import type { PrismaClient } from "~/platform/db.server";
import { deliverDueEmails, type OutgoingEmail } from "~/platform/email/outbox.server";
import { findLinks } from "~/platform/email/links";

/**
 * A transport that keeps what it "sends": the outbox stores e-mails with token links
 * redacted, so a test reads a link from the message as it went out, like its recipient.
 */
export function recordingOutbox(prisma: PrismaClient) {
  const sent: OutgoingEmail[] = [];
  const transport = {
    name: "recording",
    async send(message: OutgoingEmail) {
      sent.push(message);
      return { providerId: `rec-${sent.length}` };
    },
  };
  return {
    sent,
    transport,
    /** Delivers everything due now. */
    deliver: () => deliverDueEmails({ prisma, transport, batchSize: 100 }),
    /** Delivers, then the path of the newest delivered link to `to` that contains `part`. */
    async linkTo(to: string, part: string) {
      await deliverDueEmails({ prisma, transport, batchSize: 100 });
      const link = sent
        .filter((m) => m.to === to)
        .flatMap((m) => findLinks(m.text))
        .filter((l) => l.includes(part))
        .pop();
      if (!link) throw new Error(`no delivered link with ${part} to ${to}`);
      return new URL(link).pathname;
    },
  };
}
