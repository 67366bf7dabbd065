import type { PrismaClient } from "~/platform/db.server";

/**
 * A network of the seeded framework with offices (Landkreise) and an open round that all of
 * them take part in, each with its (empty) assessment – the starting point of most tests of
 * the self-assessment and of the sweeps. Slugs must be unique within a test database.
 */
export async function createOpenRound(p: PrismaClient, { slug, offices = ["a"] }: { slug: string; offices?: string[] }) {
  const version = await p.frameworkVersion.findFirstOrThrow();
  const network = await p.network.create({
    data: { slug, name: `Netz ${slug}`, state: "RP", frameworkVersionId: version.id },
  });
  const created = [];
  for (const [i, office] of offices.entries()) {
    const name = `ABH ${["Alpha", "Beta", "Gamma", "Delta"][i] ?? office}`;
    created.push(await p.office.create({ data: { networkId: network.id, slug: office, name, kind: "LANDKREIS" } }));
  }
  const round = await p.assessmentRound.create({
    data: {
      networkId: network.id,
      frameworkVersionId: version.id,
      name: "2026",
      opensAt: new Date(Date.now() - 86_400_000),
      deadline: new Date(Date.now() + 30 * 86_400_000),
      createdById: created[0].id,
    },
  });
  for (const o of created) await p.roundParticipant.create({ data: { roundId: round.id, officeId: o.id } });
  await p.assessment.createMany({ data: created.map((o) => ({ roundId: round.id, officeId: o.id })) });
  return { version, network, offices: created, round };
}
