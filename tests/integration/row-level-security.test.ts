/**
 * The second layer of tenant isolation: even if the application forgot a check, the
 * database role the portal uses (abh_app) sees and changes no row of another office.
 * These tests talk SQL as abh_app directly, bypassing every application check.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database";

describe("row-level security for the portal's database role", () => {
  const db = useTestDatabase();
  const ids = {} as Record<string, string>;

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({ data: { slug: "n", name: "N", state: "RP", frameworkVersionId: version.id } });
    const other = await p.network.create({ data: { slug: "o", name: "O", state: "HE", frameworkVersionId: version.id } });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH A", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH B", kind: "KREISFREIE_STADT" } });
    const c = await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH C", kind: "LANDKREIS" } });
    const user = (email: string) => p.user.create({ data: { email, name: email, passwordHash: "x" } });
    const headA = await user("head-a@example.org");
    const staffA = await user("staff-a@example.org");
    const headB = await user("head-b@example.org");
    const admin = await user("admin@example.org");
    await p.membership.createMany({
      data: [
        { userId: headA.id, networkId: network.id, officeId: a.id, role: "OFFICE_HEAD" },
        { userId: staffA.id, networkId: network.id, officeId: a.id, role: "OFFICE_STAFF" },
        { userId: headB.id, networkId: network.id, officeId: b.id, role: "OFFICE_HEAD" },
        { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" },
      ],
    });
    const later = new Date(Date.now() + 86_400_000);
    await p.invitation.createMany({
      data: [
        {
          tokenHash: "ta",
          email: "new-a@example.org",
          networkId: network.id,
          officeId: a.id,
          role: "OFFICE_STAFF",
          expiresAt: later,
        },
        {
          tokenHash: "tb",
          email: "new-b@example.org",
          networkId: network.id,
          officeId: b.id,
          role: "OFFICE_STAFF",
          expiresAt: later,
        },
      ],
    });
    await p.auditEvent.createMany({
      data: [
        { networkId: network.id, officeId: a.id, action: "office.updated", actorId: headA.id },
        { networkId: network.id, officeId: b.id, action: "office.updated", actorId: headB.id },
        { networkId: other.id, officeId: c.id, action: "office.updated" },
      ],
    });
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(),
        deadline: later,
        createdById: admin.id,
      },
    });
    await p.roundParticipant.create({ data: { roundId: round.id, officeId: a.id } });
    ids.round = round.id;
    Object.assign(ids, {
      network: network.id,
      other: other.id,
      a: a.id,
      b: b.id,
      c: c.id,
      headA: headA.id,
      staffA: staffA.id,
      headB: headB.id,
      admin: admin.id,
    });
  });

  /** Runs SQL as abh_app inside one transaction with the given settings. */
  async function asApp<T>(
    settings: Record<string, string>,
    work: (q: (sql: string, params?: unknown[]) => Promise<pg.QueryResult>) => Promise<T>,
  ) {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      for (const [key, value] of Object.entries(settings)) await client.query("SELECT set_config($1, $2, true)", [key, value]);
      const result = await work((sql, params) => client.query(sql, params));
      await client.query("ROLLBACK");
      return result;
    } finally {
      await client.end();
    }
  }
  const asUser = <T>(userId: string, work: Parameters<typeof asApp<T>>[1]) => asApp({ "app.user_id": userId }, work);

  it("connects as a role that is no superuser, cannot bypass RLS and owns no table", async () => {
    const rows = await asApp({}, (q) =>
      q(`SELECT rolsuper, rolbypassrls, (SELECT count(*)::int FROM pg_tables WHERE tableowner = current_user) AS owned
         FROM pg_roles WHERE rolname = current_user`),
    );
    expect(rows.rows).toEqual([{ rolsuper: false, rolbypassrls: false, owned: 0 }]);
  });

  it("sees nothing of any office without an acting user", async () => {
    await asApp({}, async (q) => {
      for (const table of ["network", "office", "membership", "invitation", "audit_event"]) {
        expect((await q(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n, table).toBe(0);
      }
    });
  });

  it("shows an office head only their own office's memberships, invitations and audit events", async () => {
    await asUser(ids.headA, async (q) => {
      const memberships = (await q(`SELECT office_id FROM membership`)).rows.map((r) => r.office_id);
      expect(new Set(memberships)).toEqual(new Set([ids.a]));
      expect((await q(`SELECT office_id FROM invitation`)).rows).toEqual([{ office_id: ids.a }]);
      expect((await q(`SELECT office_id FROM audit_event`)).rows).toEqual([{ office_id: ids.a }]);
      // Even asking for office B's rows by id returns nothing.
      expect((await q(`SELECT * FROM membership WHERE office_id = $1`, [ids.b])).rowCount).toBe(0);
      expect((await q(`SELECT * FROM invitation WHERE token_hash = 'tb'`)).rowCount).toBe(0);
      // Office profiles in the own network are visible, other networks' are not.
      const offices = (await q(`SELECT id FROM office`)).rows.map((r) => r.id);
      expect(new Set(offices)).toEqual(new Set([ids.a, ids.b]));
    });
  });

  it("lets an office head change nothing of another office", async () => {
    await asUser(ids.headA, async (q) => {
      expect((await q(`UPDATE office SET name = 'gekapert' WHERE id = $1`, [ids.b])).rowCount).toBe(0);
      expect((await q(`DELETE FROM membership WHERE office_id = $1`, [ids.b])).rowCount).toBe(0);
      expect((await q(`UPDATE invitation SET revoked_at = now() WHERE office_id = $1`, [ids.b])).rowCount).toBe(0);
      await q("SAVEPOINT s");
      await expect(
        q(
          `INSERT INTO membership (id, user_id, network_id, office_id, role) VALUES (gen_random_uuid(), $1, $2, $3, 'OFFICE_STAFF')`,
          [ids.headA, ids.network, ids.b],
        ),
      ).rejects.toThrow(/row-level security/);
      await q("ROLLBACK TO SAVEPOINT s");
      await expect(
        q(
          `INSERT INTO invitation (id, token_hash, email, network_id, office_id, role, expires_at) VALUES (gen_random_uuid(), 'x', 'x@example.org', $1, $2, 'OFFICE_STAFF', now() + interval '1 day')`,
          [ids.network, ids.b],
        ),
      ).rejects.toThrow(/row-level security/);
    });
  });

  it("does not let office staff manage memberships or read the office's audit log", async () => {
    await asUser(ids.staffA, async (q) => {
      expect((await q(`DELETE FROM membership WHERE office_id = $1`, [ids.a])).rowCount).toBe(0);
      expect((await q(`SELECT * FROM invitation`)).rowCount).toBe(0);
      expect((await q(`SELECT * FROM audit_event`)).rowCount).toBe(0);
      await expect(q(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/permission denied/);
    });
  });

  it("gives network admins their network and nothing of another network", async () => {
    await asUser(ids.admin, async (q) => {
      const offices = (await q(`SELECT id FROM office`)).rows.map((r) => r.id);
      expect(new Set(offices)).toEqual(new Set([ids.a, ids.b]));
      expect((await q(`SELECT * FROM audit_event WHERE office_id = $1`, [ids.c])).rowCount).toBe(0);
      expect((await q(`UPDATE office SET name = 'x' WHERE id = $1`, [ids.c])).rowCount).toBe(0);
    });
  });

  it("keeps the audit log append-only for the portal", async () => {
    await asUser(ids.admin, async (q) => {
      await q("SAVEPOINT s");
      await expect(q(`DELETE FROM audit_event`)).rejects.toThrow(/permission denied/);
      await q("ROLLBACK TO SAVEPOINT s");
      await expect(q(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/permission denied/);
    });
  });

  it("lets an invitation token reveal only its own invitation", async () => {
    await asApp({ "app.invitation_token_hash": "ta" }, async (q) => {
      expect((await q(`SELECT office_id FROM invitation`)).rows).toEqual([{ office_id: ids.a }]);
      expect((await q(`SELECT count(*)::int AS n FROM membership`)).rows[0].n).toBe(0);
    });
  });

  it("shows a round participation only to its own office and the network's admins", async () => {
    await asUser(ids.headB, async (q) => {
      // Office B does not take part: neither the participation of office A nor the round is visible.
      expect((await q(`SELECT * FROM round_participant WHERE office_id = $1`, [ids.a])).rowCount).toBe(0);
      expect((await q(`SELECT * FROM assessment_round`)).rowCount).toBe(0);
      expect((await q(`UPDATE round_participant SET deadline_override = now() + interval '90 days'`)).rowCount).toBe(0);
    });
    await asUser(ids.headA, async (q) => {
      expect((await q(`SELECT office_id FROM round_participant`)).rows).toEqual([{ office_id: ids.a }]);
      expect((await q(`SELECT id FROM assessment_round`)).rows).toEqual([{ id: ids.round }]);
      // A head may read, not change, the round.
      expect((await q(`UPDATE assessment_round SET closed_at = now()`)).rowCount).toBe(0);
    });
    await asUser(ids.admin, async (q) => {
      expect((await q(`SELECT office_id FROM round_participant`)).rowCount).toBe(1);
    });
  });
});
