/**
 * The audit log in the database, talked to as the portal's role abh_app (row-level
 * security applies, no application check helps): who may append which event (issue 19,
 * item 11), who reads what an office wrote (audit_content, item 3), and that the migration
 * moved the content already stored by the old code out of the readable log.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { migrate } from "../../../server/database/migrate";
import { useTestDatabase } from "../../support/database";

const MIGRATION = "20261206000200_audit_content";

describe("the audit log for the portal's database role", () => {
  const db = useTestDatabase();
  const ids = {} as Record<string, string>;

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const n1 = await p.network.create({ data: { slug: "n1", name: "N1", state: "RP", frameworkVersionId: version.id } });
    const n2 = await p.network.create({ data: { slug: "n2", name: "N2", state: "HE", frameworkVersionId: version.id } });
    const a = await p.office.create({ data: { networkId: n1.id, slug: "a", name: "ABH A", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: n1.id, slug: "b", name: "ABH B", kind: "LANDKREIS" } });
    const c = await p.office.create({ data: { networkId: n2.id, slug: "c", name: "ABH C", kind: "LANDKREIS" } });
    const user = (email: string) => p.user.create({ data: { email, name: email, passwordHash: "x" } });
    const [headA, staffA, admin, member] = [
      await user("head-a@example.org"),
      await user("staff-a@example.org"),
      await user("admin@example.org"),
      await user("member@example.org"),
    ];
    await p.membership.createMany({
      data: [
        { userId: headA.id, networkId: n1.id, officeId: a.id, role: "OFFICE_HEAD" },
        { userId: staffA.id, networkId: n1.id, officeId: a.id, role: "OFFICE_STAFF" },
        { userId: admin.id, networkId: n1.id, role: "NETWORK_ADMIN" },
        { userId: member.id, networkId: n1.id, role: "NETWORK_MEMBER" },
      ],
    });
    Object.assign(ids, {
      n1: n1.id,
      n2: n2.id,
      a: a.id,
      b: b.id,
      c: c.id,
      headA: headA.id,
      staffA: staffA.id,
      admin: admin.id,
      member: member.id,
    });
  });

  /** Runs `sql` as abh_app in one transaction, as `userId` (or as nobody); the error code, or null. */
  async function asApp(userId: string | null, sql: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      if (userId) await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      const result = await client.query(sql, values);
      await client.query("COMMIT");
      return { error: null as string | null, rows: result.rows };
    } catch (error) {
      await client.query("ROLLBACK");
      return { error: (error as { code?: string }).code ?? String(error), rows: [] };
    } finally {
      await client.end();
    }
  }
  const append = (
    userId: string | null,
    e: { action: string; actor?: string | null; network?: string | null; office?: string | null },
  ) =>
    asApp(userId, `INSERT INTO audit_event (action, actor_id, network_id, office_id) VALUES ($1, $2::uuid, $3::uuid, $4::uuid)`, [
      e.action,
      e.actor === undefined ? userId : e.actor,
      e.network ?? null,
      e.office ?? null,
    ]);

  it("lets a person write events for their own office, and admins for every office of their network", async () => {
    expect((await append(ids.staffA, { action: "assessment.goal_saved", network: ids.n1, office: ids.a })).error).toBeNull();
    expect((await append(ids.admin, { action: "round.deadline_extended", network: ids.n1, office: ids.b })).error).toBeNull();
    expect((await append(ids.admin, { action: "round.opened", network: ids.n1 })).error).toBeNull();
    expect((await append(ids.member, { action: "auth.two_factor_enabled" })).error).toBeNull();
  });

  it("refuses events for another office, another network, a mismatched pair or under someone else's name", async () => {
    const refused = [
      ["another office", ids.staffA, { action: "assessment.goal_saved", network: ids.n1, office: ids.b }],
      ["another network", ids.headA, { action: "office.updated", network: ids.n2 }],
      ["another network's office", ids.admin, { action: "round.deadline_extended", network: ids.n2, office: ids.c }],
      ["an office under the wrong network", ids.admin, { action: "round.deadline_extended", network: ids.n1, office: ids.c }],
      ["an office without its network", ids.staffA, { action: "assessment.goal_saved", office: ids.a }],
      ["a network member for an office", ids.member, { action: "office.updated", network: ids.n1, office: ids.a }],
      [
        "someone else as actor",
        ids.staffA,
        { action: "assessment.goal_saved", actor: ids.headA, network: ids.n1, office: ids.a },
      ],
      ["nobody as actor", ids.staffA, { action: "assessment.goal_saved", actor: null, network: ids.n1, office: ids.a }],
    ] as const;
    for (const [what, userId, event] of refused) expect((await append(userId, event)).error, what).toBe("42501");
  });

  it("lets system events without a user write only account events, and a reminder only the one just recorded", async () => {
    expect((await append(null, { action: "auth.sign_in_failed", actor: ids.staffA })).error).toBeNull();
    expect((await append(null, { action: "auth.password_reset_requested" })).error).toBeNull();
    expect((await append(null, { action: "assessment.goal_saved", network: ids.n1, office: ids.a })).error).toBe("42501");
    expect((await append(null, { action: "auth.sign_in", network: ids.n1 })).error).toBe("42501");
    // A reminder event for an assessment whose reminder was not recorded in this transaction.
    const version = await db.prisma.frameworkVersion.findFirstOrThrow();
    const round = await db.prisma.assessmentRound.create({
      data: {
        networkId: ids.n1,
        frameworkVersionId: version.id,
        name: "R",
        opensAt: new Date(),
        deadline: new Date(Date.now() + 86_400_000),
        createdById: ids.admin,
      },
    });
    await db.prisma.roundParticipant.create({ data: { roundId: round.id, officeId: ids.a } });
    const assessment = await db.prisma.assessment.create({ data: { roundId: round.id, officeId: ids.a } });
    const forged = await asApp(
      null,
      `INSERT INTO audit_event (action, network_id, office_id, target_type, target_id) VALUES ('round.reminder_sent', $1::uuid, $2::uuid, 'assessment', $3)`,
      [ids.n1, ids.a, assessment.id],
    );
    expect(forged.error).toBe("42501");
    // Recorded earlier (another transaction): still refused.
    await db.prisma.assessmentReminder.create({ data: { assessmentId: assessment.id, daysBefore: 7, sentAt: new Date() } });
    expect(
      (
        await asApp(
          null,
          `INSERT INTO audit_event (action, network_id, office_id, target_type, target_id) VALUES ('round.reminder_sent', $1::uuid, $2::uuid, 'assessment', $3)`,
          [ids.n1, ids.a, assessment.id],
        )
      ).error,
    ).toBe("42501");
  });

  it("shows an office's content to its members only, and lets only the event's author attach it", async () => {
    // As recordAudit does it: the event, then its content by the id just drawn (currval).
    const write = await asApp(
      ids.staffA,
      `INSERT INTO audit_event (action, actor_id, network_id, office_id)
         VALUES ('assessment.goal_saved', '${ids.staffA}', '${ids.n1}', '${ids.a}');
       INSERT INTO audit_content (event_id, office_id, details)
         VALUES (currval('audit_event_id_seq'), '${ids.a}', '{"changes":{"comment":{"from":"","to":"geheim-A"}}}');`,
    );
    expect(write.error).toBeNull();
    const read = (userId: string) =>
      asApp(userId, `SELECT details::text AS d FROM audit_content WHERE details::text LIKE '%geheim-A%'`);
    expect((await read(ids.headA)).rows).toHaveLength(1);
    expect((await read(ids.staffA)).rows).toHaveLength(1);
    expect((await read(ids.admin)).rows).toHaveLength(0);
    expect((await read(ids.member)).rows).toHaveLength(0);
    // The admin reads the event itself (who did what), without its content.
    expect(
      (
        await asApp(ids.admin, `SELECT 1 FROM audit_event WHERE office_id = $1::uuid AND action = 'assessment.goal_saved'`, [
          ids.a,
        ])
      ).rows.length,
    ).toBeGreaterThan(0);
    // Content attached to someone else's event, or for another office: refused.
    const [{ id }] = (await asApp(ids.headA, `SELECT id::text FROM audit_event WHERE actor_id = $1::uuid LIMIT 1`, [ids.staffA]))
      .rows as Array<{ id: string }>;
    expect(
      (
        await asApp(ids.headA, `INSERT INTO audit_content (event_id, office_id, details) VALUES ($1, $2::uuid, '{}')`, [
          id,
          ids.a,
        ])
      ).error,
    ).toBe("42501");
    expect(
      (
        await asApp(ids.admin, `INSERT INTO audit_content (event_id, office_id, details) VALUES ($1, $2::uuid, '{}')`, [
          id,
          ids.a,
        ])
      ).error,
    ).toBe("42501");
  });

  it("moves what the old code wrote into the log out of the ministry's sight (migration)", async () => {
    const owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    try {
      // Back to the state before the migration, with entries as the old code wrote them.
      await owner.query(`
        DROP TABLE audit_content;
        DROP POLICY audit_append ON audit_event;
        DROP FUNCTION app_reminder_recorded_here(text, uuid, uuid);
        CREATE POLICY audit_append ON audit_event FOR INSERT WITH CHECK (true);
        DELETE FROM _prisma_migrations WHERE migration_name = '${MIGRATION}';`);
      const old = (action: string, details: object) =>
        owner.query(
          `INSERT INTO audit_event (action, actor_id, network_id, office_id, details) VALUES ($1, $2, $3, $4, $5) RETURNING id::text`,
          [action, ids.staffA, ids.n1, ids.a, JSON.stringify(details)],
        );
      const goal = (
        await old("assessment.goal_saved", {
          round: "2025",
          goal: 3,
          changes: { answer: { from: "2", to: "4" }, comment: { from: "alt-X", to: "neu-X" } },
        })
      ).rows[0].id;
      const own = (
        await old("assessment.individual_saved", { round: "2025", goal: 3, changes: { reasons: { from: "", to: "eigen-X" } } })
      ).rows[0].id;
      const measure = (
        await old("assessment.measure_saved", { round: "2025", measure: "1.1", changes: { reason: { from: "", to: "grund-X" } } })
      ).rows[0].id;
      expect(await migrate(db.url)).toEqual({ applied: [MIGRATION] });

      const details = async (id: string) =>
        (await owner.query(`SELECT details FROM audit_event WHERE id = $1`, [id])).rows[0].details;
      expect(await details(goal)).toEqual({ round: "2025", goal: 3, fields: ["answer", "comment"] });
      expect(await details(own)).toEqual({ round: "2025", goal: 3, fields: ["reasons"] });
      expect(await details(measure)).toEqual({ round: "2025", measure: "1.1", fields: ["reason"] });
      const content = await owner.query(
        `SELECT event_id::text AS id, office_id, details FROM audit_content WHERE event_id = ANY($1::bigint[])`,
        [[goal, own, measure]],
      );
      expect(content.rows.map((r) => r.id).sort()).toEqual([goal, measure].sort());
      expect(content.rows.find((r) => r.id === goal)?.details).toEqual({
        changes: { answer: { from: "2", to: "4" }, comment: { from: "alt-X", to: "neu-X" } },
      });
      // Nothing a member wrote for themselves is left anywhere in the log.
      const left = await owner.query(
        `SELECT count(*)::int AS n FROM audit_event e LEFT JOIN audit_content c ON c.event_id = e.id WHERE e.details::text LIKE '%-X%' OR c.details::text LIKE '%eigen-X%'`,
      );
      expect(left.rows[0].n).toBe(0);
      // And the ministry reads none of it.
      expect(
        (await asApp(ids.admin, `SELECT 1 FROM audit_content WHERE event_id = ANY($1::bigint[])`, [[goal, measure]])).rows,
      ).toHaveLength(0);
    } finally {
      await owner.end();
    }
  });
});
