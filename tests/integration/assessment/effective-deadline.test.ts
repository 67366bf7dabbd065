/**
 * An office's effective deadline in a round (issue 20, item 4): the deadline the network
 * admin extended for that office, else the round's. One definition in TypeScript
 * (effectiveDeadline, app/domains/assessment/deadline.ts) and one in SQL
 * (app_effective_deadline, migration 20261206001000); this file holds both to the same
 * answers and fails when the rule is written out again somewhere in app/.
 */
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { effectiveDeadline } from "~/domains/assessment/deadline";
import { useTestDatabase } from "../../support/database";

const ROUND_DEADLINE = new Date("2027-03-31T22:00:00Z");
const EXTENDED = new Date("2027-04-30T21:59:59Z");

describe("effective deadline", () => {
  const db = useTestDatabase();
  const ids = {} as { round: string; extended: string; plain: string; outside: string };

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "frist", name: "Netz Frist", state: "RP", frameworkVersionId: version.id },
    });
    const office = (slug: string) =>
      p.office.create({ data: { networkId: network.id, slug, name: `ABH ${slug}`, kind: "LANDKREIS" } });
    const [extended, plain, outside] = await Promise.all([office("verlaengert"), office("regulaer"), office("ausserhalb")]);
    const admin = await p.user.create({ data: { email: "admin@frist.example", name: "Admin", passwordHash: "x" } });
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "Runde Frist",
        opensAt: new Date("2027-01-01T00:00:00Z"),
        deadline: ROUND_DEADLINE,
        createdById: admin.id,
      },
    });
    await p.roundParticipant.createMany({
      data: [
        { roundId: round.id, officeId: extended.id, deadlineOverride: EXTENDED },
        { roundId: round.id, officeId: plain.id },
      ],
    });
    Object.assign(ids, { round: round.id, extended: extended.id, plain: plain.id, outside: outside.id });
  });

  it("is the office's extended deadline if it has one, else the round's (TypeScript)", () => {
    expect(effectiveDeadline({ deadlineOverride: EXTENDED }, { deadline: ROUND_DEADLINE })).toEqual(EXTENDED);
    expect(effectiveDeadline({ deadlineOverride: null }, { deadline: ROUND_DEADLINE })).toEqual(ROUND_DEADLINE);
  });

  it("gives the same answer in SQL as in TypeScript, for every participant and for an office outside the round", async () => {
    const participants = await db.prisma.roundParticipant.findMany({ where: { roundId: ids.round }, include: { round: true } });
    const sql = await db.prisma.$queryRaw<Array<{ officeId: string; deadline: Date }>>`
      SELECT o.id AS "officeId", app_effective_deadline(p, r) AS deadline
      FROM assessment_round r
      CROSS JOIN office o
      LEFT JOIN round_participant p ON p.round_id = r.id AND p.office_id = o.id
      WHERE r.id = ${ids.round}::uuid AND o.network_id = r.network_id`;
    const bySql = Object.fromEntries(sql.map((row) => [row.officeId, row.deadline.toISOString()]));
    expect(bySql).toEqual({
      [ids.extended]: EXTENDED.toISOString(),
      [ids.plain]: ROUND_DEADLINE.toISOString(),
      // A LEFT JOIN that finds no participant row: the round's deadline, as COALESCE gave before.
      [ids.outside]: ROUND_DEADLINE.toISOString(),
    });
    for (const participant of participants) {
      expect(bySql[participant.officeId]).toBe(effectiveDeadline(participant, participant.round).toISOString());
    }
  });

  it("may be called by the portal's role abh_app (monitoring asks it inside the user's transaction)", async () => {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT app_effective_deadline(NULL::round_participant, NULL::assessment_round) AS deadline",
      );
      expect(rows).toEqual([{ deadline: null }]);
    } finally {
      await client.end();
    }
  });

  it("is not written out again anywhere in app/ (TypeScript or SQL)", () => {
    const root = path.resolve(import.meta.dirname, "../../../app");
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== "generated") walk(file);
        } else if (/\.tsx?$/.test(entry.name) && !file.endsWith(path.join("domains", "assessment", "deadline.ts"))) {
          const source = fs.readFileSync(file, "utf8");
          if (/deadlineOverride\s*\?\?|COALESCE\(\s*\w+\.deadline_override/.test(source))
            offenders.push(path.relative(root, file));
        }
      }
    };
    walk(root);
    expect(offenders).toEqual([]);
  });
});
