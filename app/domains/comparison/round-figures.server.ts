import pg from "pg";
import { type CohortEntry, createComparison, type Figure, sizeClassOf } from "~/domains/comparison/anonymity";

/**
 * The one privileged step of the comparison (migration 20261206000100, decision 0005):
 * computes a closed round's figures for every audience with the anonymity rule and stores
 * them as aggregates in round_figure_set / round_figure, which the portal (abh_app) reads
 * under row-level security. It connects as abh_stats (STATS_DATABASE_URL), the only role
 * that may read the frozen cohort's ratings; nothing else in the portal uses that role,
 * and nothing it reads leaves this module except through createComparison.
 *
 * Audiences (rule 11 of app/domains/comparison/anonymity.ts): "office" – per office of the
 * network, the figures over the other offices (the office knows its own ratings);
 * "ministry" – the figures over the offices that never released their results of the
 * round (the network's admins have seen, and may have kept, every released rating).
 *
 * A closed round's cohort and k never change, so an office's set is computed once. The
 * ministry's set is computed again when a new release grant of the round appears (grants
 * are never deleted: a changed count means the known set may have grown).
 */

const globalForStats = globalThis as unknown as { __statsPool?: pg.Pool & { closing?: boolean } };

export function statsPool() {
  const url = process.env.STATS_DATABASE_URL;
  if (!url) return null;
  if (!globalForStats.__statsPool) {
    const pool: pg.Pool & { closing?: boolean } = new pg.Pool({ connectionString: url, max: 2 });
    pool.on("error", (error) => {
      if (pool.closing) return;
      console.error(JSON.stringify({ level: "error", msg: "idle stats database client failed", err: error.message }));
    });
    globalForStats.__statsPool = pool;
  }
  return globalForStats.__statsPool;
}

/** Closes the stats connection pool (shutdown, tests). */
export async function closeStatsPool() {
  const pool = globalForStats.__statsPool;
  globalForStats.__statsPool = undefined;
  if (!pool) return;
  pool.closing = true;
  await pool.end();
}

type InfoRow = { anonymity_threshold: number; office_ids: string[]; shares_seen: number };
type CohortRow = {
  member_id: string;
  office_id: string | null;
  office_kind: string;
  clients_served: number | null;
  released: boolean;
  goal_number: number | null;
  rating: number | null;
};
type SetRow = { audience: "office" | "ministry"; office_id: string | null; shares_seen: number };

async function insertSet(
  client: pg.PoolClient,
  roundId: string,
  audience: { audience: "office" | "ministry"; officeId: string | null; sharesSeen: number },
  cohort: CohortEntry[],
  known: string[],
  k: number,
  goals: number[],
) {
  await client.query(`DELETE FROM round_figure_set WHERE round_id = $1 AND audience = $2 AND office_id IS NOT DISTINCT FROM $3`, [
    roundId,
    audience.audience,
    audience.officeId,
  ]);
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO round_figure_set (round_id, audience, office_id, known_offices, shares_seen)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [
      roundId,
      audience.audience,
      audience.officeId,
      cohort.filter((c) => known.includes(c.officeKey)).length,
      audience.sharesSeen,
    ],
  );
  const comparison = createComparison(cohort, k, { known });
  const goalNumbers: number[] = [];
  const groupIds: string[] = [];
  const figures: Figure[] = [];
  for (const goal of goals)
    for (const { group, figure } of comparison.lattice(goal)) {
      goalNumbers.push(goal);
      groupIds.push(group.id);
      figures.push(figure);
    }
  const shown = (f: Figure) => (f.shown ? f : null);
  await client.query(
    `INSERT INTO round_figure (set_id, goal_number, group_id, shown, n, median, q1, q3)
     SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bool[], $5::int[], $6::float8[], $7::float8[], $8::float8[])`,
    [
      rows[0].id,
      goalNumbers,
      groupIds,
      figures.map((f) => f.shown),
      figures.map((f) => shown(f)?.n ?? null),
      figures.map((f) => shown(f)?.median ?? null),
      figures.map((f) => shown(f)?.q1 ?? null),
      figures.map((f) => shown(f)?.q3 ?? null),
    ],
  );
}

/**
 * Computes what is missing or out of date of one closed round's figures. Returns whether
 * the round has figures now (false: not closed, or no stats connection configured).
 */
export async function computeRoundFigures(roundId: string): Promise<boolean> {
  const pool = statsPool();
  if (!pool) return false;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // One computation per round at a time (two pages asking at once, or start-up and a page).
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('round_figures'), hashtext($1))`, [roundId]);
    const [info] = (await client.query<InfoRow>(`SELECT * FROM stats_round_info($1::uuid)`, [roundId])).rows;
    if (!info) {
      await client.query("ROLLBACK");
      return false;
    }
    const existing = (
      await client.query<SetRow>(`SELECT audience, office_id, shares_seen FROM round_figure_set WHERE round_id = $1`, [roundId])
    ).rows;
    const ministry = existing.find((s) => s.audience === "ministry");
    const haveOffice = new Set(existing.filter((s) => s.audience === "office").map((s) => s.office_id));
    const missingOffices = info.office_ids.filter((id) => !haveOffice.has(id));
    const ministryStale = !ministry || ministry.shares_seen !== info.shares_seen;
    if (!ministryStale && missingOffices.length === 0) {
      await client.query("COMMIT");
      return true;
    }

    const rows = (await client.query<CohortRow>(`SELECT * FROM stats_round_cohort($1::uuid)`, [roundId])).rows;
    const entries = new Map<string, CohortEntry & { ratings: Record<number, number> }>();
    const officeOf = new Map<string, string | null>();
    const released: string[] = [];
    const goals = new Set<number>();
    for (const row of rows) {
      let entry = entries.get(row.member_id);
      if (!entry) {
        entry = { officeKey: row.member_id, kind: row.office_kind, sizeClass: sizeClassOf(row.clients_served), ratings: {} };
        entries.set(row.member_id, entry);
        officeOf.set(row.member_id, row.office_id);
        if (row.released) released.push(row.member_id);
      }
      if (row.goal_number !== null && row.rating !== null) {
        entry.ratings[row.goal_number] = row.rating;
        goals.add(row.goal_number);
      }
    }
    const cohort = [...entries.values()];
    const goalList = [...goals].sort((a, b) => a - b);
    const k = info.anonymity_threshold;
    if (ministryStale)
      await insertSet(
        client,
        roundId,
        { audience: "ministry", officeId: null, sharesSeen: info.shares_seen },
        cohort,
        released,
        k,
        goalList,
      );
    for (const officeId of missingOffices) {
      const own = cohort.filter((c) => officeOf.get(c.officeKey) === officeId).map((c) => c.officeKey);
      await insertSet(client, roundId, { audience: "office", officeId, sharesSeen: 0 }, cohort, own, k, goalList);
    }
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Like computeRoundFigures for a page: a failure is logged and leaves the figures "being computed". */
export async function ensureRoundFigures(roundId: string): Promise<boolean> {
  try {
    return await computeRoundFigures(roundId);
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        msg: "round figures failed",
        roundId,
        err: error instanceof Error ? error.message : error,
      }),
    );
    return false;
  }
}

/** Every closed round's missing or out-of-date figures (start-up). Returns how many rounds were checked. */
export async function computeMissingFigures(): Promise<number> {
  const pool = statsPool();
  if (!pool) return 0;
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM stats_closed_round_ids() AS id`);
  for (const row of rows) await computeRoundFigures(row.id);
  return rows.length;
}
