import { DEMO_OFFICE_SLUG, DEMO_PASSWORD, DEMO_PEOPLE } from "~/platform/auth/demo-people";
import { hashPassword } from "~/platform/auth/password.server";
import type { PrismaClient } from "~/generated/prisma/client";
import { DEMO_NETWORK, demoOffices } from "./demo-network";
import { seedDemoPlans } from "./demo-plans";
import { readFramework, seedFramework } from "./framework";

/** Creates the demo network "Rheinland-Pfalz (Demo)" with its 36 offices, its people and plans (demo-plans.ts). Idempotent. */
export async function seedDemoNetwork(prisma: PrismaClient, frameworkVersionId: string) {
  const network = await prisma.network.upsert({
    where: { slug: DEMO_NETWORK.slug },
    create: { ...DEMO_NETWORK, isDemo: true, frameworkVersionId },
    update: {},
  });
  for (const office of demoOffices()) {
    await prisma.office.upsert({
      where: { networkId_slug: { networkId: network.id, slug: office.slug } },
      create: { networkId: network.id, ...office },
      update: {},
    });
  }
  await seedDemoPeople(prisma, network.id);
  await seedDemoPlans(prisma, network.id);
  return network;
}

/**
 * The demo's people (app/auth/demo-people.ts): one account per role with the shared demo
 * password, each with their one role in the demo network. Idempotent: an existing account
 * or role is left as it is (also a password the newcomer changed).
 */
export async function seedDemoPeople(prisma: PrismaClient, networkId: string) {
  const office = await prisma.office.findUniqueOrThrow({
    where: { networkId_slug: { networkId, slug: DEMO_OFFICE_SLUG } },
  });
  let passwordHash: string | undefined;
  for (const person of DEMO_PEOPLE) {
    const user =
      (await prisma.user.findUnique({ where: { email: person.email } })) ??
      (await prisma.user.create({
        data: { email: person.email, name: person.name, passwordHash: (passwordHash ??= await hashPassword(DEMO_PASSWORD)) },
      }));
    const role = { userId: user.id, networkId, officeId: person.inDemoOffice ? office.id : null, role: person.role };
    // Not an upsert: the unique key has a nullable column (NULLS NOT DISTINCT in the migration).
    if (!(await prisma.membership.findFirst({ where: role }))) await prisma.membership.create({ data: role });
  }
}

/** Everything a fresh installation needs; demo data only when asked for (never in production). */
export async function seed(prisma: PrismaClient, { demo }: { demo: boolean }) {
  const version = await seedFramework(prisma, await readFramework());
  if (demo) await seedDemoNetwork(prisma, version.id);
}
