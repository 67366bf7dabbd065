/**
 * `npm run admin -- --email … --network <slug> [--network-name … --state …] [--name …]`
 * Bootstraps a network admin on a fresh installation: creates the network if needed and
 * an invitation, and prints its link (it is also e-mailed through the outbox). The
 * person sets their password and two-factor authentication when accepting.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { ConfigError, parseConfig } from "~/platform/config.server";
import { createPrismaClient } from "~/platform/db.server";
import { createToken } from "~/platform/auth/tokens.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { openDatabase } from "../server/database/index";
import { migrate } from "../server/database/migrate";
import { readFramework, seedFramework } from "../prisma/seed/framework";
import { INVITATION_DAYS } from "~/domains/people/invitations.server";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    name: { type: "string" },
    network: { type: "string" },
    "network-name": { type: "string" },
    state: { type: "string" },
  },
});

const args = z
  .object({
    email: z
      .string()
      .trim()
      .toLowerCase()
      .pipe(z.email({ message: "--email: keine gültige E-Mail-Adresse" })),
    name: z.string().optional(),
    network: z.string().regex(/^[a-z0-9-]+$/, "--network: nur Kleinbuchstaben, Ziffern und Bindestriche"),
    "network-name": z.string().optional(),
    state: z.string().optional(),
  })
  .safeParse(values);
if (!args.success) {
  console.error(args.error.issues.map((i) => i.message).join("\n"));
  console.error(
    'Aufruf: npm run admin -- --email leitung@ministerium.de --network rlp --network-name "Rheinland-Pfalz" --state "Rheinland-Pfalz"',
  );
  process.exit(2);
}

try {
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  const prisma = createPrismaClient(database.url, { max: 2 });
  try {
    await migrate(database.url);
    const version = await seedFramework(prisma, await readFramework());
    const a = args.data;
    let network = await prisma.network.findUnique({ where: { slug: a.network } });
    if (!network) {
      if (!a["network-name"] || !a.state)
        throw new Error(`Netzwerk „${a.network}“ gibt es noch nicht: bitte --network-name und --state angeben.`);
      network = await prisma.network.create({
        data: { slug: a.network, name: a["network-name"], state: a.state, frameworkVersionId: version.id },
      });
      console.log(`Netzwerk angelegt: ${network.name}`);
    }
    const { token, tokenHash } = createToken();
    const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
    const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
    const acceptUrl = new URL(`/einladung/${token}`, base).href;
    await prisma.$transaction(async (tx) => {
      await tx.invitation.create({
        data: { tokenHash, email: a.email, name: a.name ?? null, role: "NETWORK_ADMIN", networkId: network.id, expiresAt },
      });
      await tx.auditEvent.create({
        data: {
          action: "invitation.created",
          networkId: network.id,
          targetType: "invitation",
          details: { email: a.email, role: "NETWORK_ADMIN", via: "npm run admin" },
        },
      });
      await enqueueEmail(tx, {
        to: a.email,
        template: "invitation",
        language: "de",
        props: {
          inviteeName: a.name,
          inviterName: "ABH-Netz",
          roleLabel: "Netzwerk-Administration",
          networkName: network.name,
          acceptUrl,
          expiresAt,
        },
      });
    });
    console.log(
      `Einladung für ${a.email} als Netzwerk-Administration in „${network.name}“ (gültig ${INVITATION_DAYS} Tage):\n${acceptUrl}`,
    );
  } finally {
    await prisma.$disconnect();
    await prisma.pool.end();
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
