import type { PrismaClient } from "~/generated/prisma/client";
import { DEMO_NETWORK, demoOffices } from "./demo-network";
import { readFramework, seedFramework } from "./framework";

/** Creates the demo network "Rheinland-Pfalz (Demo)" with its 36 offices. Idempotent. */
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
  return network;
}

/** Everything a fresh installation needs; demo data only when asked for (never in production). */
export async function seed(prisma: PrismaClient, { demo }: { demo: boolean }) {
  const version = await seedFramework(prisma, await readFramework());
  if (demo) await seedDemoNetwork(prisma, version.id);
}
