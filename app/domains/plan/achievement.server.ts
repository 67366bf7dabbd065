/**
 * The privileged step of the measure-achievement figures and the ministry's plan figures
 * (migration 20261206160000): reads every plan and the frozen ratings of a network as
 * abh_stats (through the stats_* functions, like round-figures.server.ts), applies the rule
 * of ./achievement.ts per audience and stores the aggregates in achievement_figure_set /
 * achievement_figure, which the portal (abh_app) reads under row-level security. Nothing it
 * reads leaves this module except through the rule.
 *
 * Run by the job "achievement.compute" (nightly, see app/platform/jobs/tasks.server.ts), at
 * start-up (server/start.ts) and on demand; pages show when the figures were computed.
 */
import type pg from "pg";
import { clampK } from "~/domains/comparison/anonymity";
import { statsPool } from "~/domains/comparison/round-figures.server";
import type { Actor } from "~/platform/auth/auth.server";
import { withUser } from "~/platform/db.server";
import { enqueueJob } from "~/platform/jobs/enqueue.server";
import {
  type Achievement,
  countFromStore,
  type CountFigure,
  HIDDEN,
  measureAchievements,
  medianFromStore,
  type MedianFigure,
  type OfficeMeasure,
  planProgress,
} from "./achievement";

type InfoRow = { anonymity_threshold: number; office_ids: string[]; ministry_known: string[] };
type MeasureRow = {
  office_id: string;
  measure_id: string;
  completed_at: Date | null;
  rating_before: number | null;
  rating_after: number | null;
};
type ProgressRow = { office_id: string; activities: number; done: number };

async function insertSet(
  client: pg.PoolClient,
  networkId: string,
  audience: { audience: "office" | "ministry"; officeId: string | null },
  known: string[],
  rows: OfficeMeasure[],
  progress: ProgressRow[],
  k: number,
) {
  await client.query(
    `DELETE FROM achievement_figure_set WHERE network_id = $1 AND audience = $2 AND office_id IS NOT DISTINCT FROM $3`,
    [networkId, audience.audience, audience.officeId],
  );
  const ministry = audience.audience === "ministry";
  const plans = ministry
    ? planProgress(
        progress.map((p) => ({ officeKey: p.office_id, activities: p.activities, done: p.done })),
        k,
        { known },
      )
    : null;
  const shown = <T extends { shown: boolean }>(f: T | null | undefined) => (f?.shown ? (f as Extract<T, { shown: true }>) : null);
  const { rows: inserted } = await client.query<{ id: string }>(
    `INSERT INTO achievement_figure_set (network_id, audience, office_id, known_office_ids, plans_n, done_share_n, done_share_median)
     VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7) RETURNING id`,
    [
      networkId,
      audience.audience,
      audience.officeId,
      known,
      shown(plans?.plans)?.n ?? null,
      shown(plans?.doneShare)?.n ?? null,
      shown(plans?.doneShare)?.median ?? null,
    ],
  );
  const figures = [...measureAchievements(rows, k, { known })];
  if (!figures.length) return;
  await client.query(
    `INSERT INTO achievement_figure (set_id, measure_id, planned_n, completed_n, change_n, change_median)
     SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::int[], $5::int[], $6::float8[])`,
    [
      inserted[0].id,
      figures.map(([id]) => id),
      figures.map(([, a]) => shown(a.planned)?.n ?? null),
      figures.map(([, a]) => shown(a.completed)?.n ?? null),
      figures.map(([, a]) => shown(a.change)?.n ?? null),
      figures.map(([, a]) => shown(a.change)?.median ?? null),
    ],
  );
}

/** Computes one network's sets anew (every office's and the ministry's). False without a stats connection. */
export async function computeAchievementFigures(networkId: string): Promise<boolean> {
  const pool = statsPool();
  if (!pool) return false;
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('achievement_figures'), hashtext($1))`, [networkId]);
    const [info] = (await client.query<InfoRow>(`SELECT * FROM stats_achievement_info($1::uuid)`, [networkId])).rows;
    if (!info) {
      await client.query("ROLLBACK");
      return false;
    }
    const measureRows = (await client.query<MeasureRow>(`SELECT * FROM stats_achievement_measures($1::uuid)`, [networkId])).rows;
    const progress = (await client.query<ProgressRow>(`SELECT * FROM stats_plan_progress($1::uuid)`, [networkId])).rows;
    const rows: OfficeMeasure[] = measureRows.map((r) => ({
      officeKey: r.office_id,
      measureId: r.measure_id,
      completed: r.completed_at !== null,
      before: r.rating_before,
      after: r.rating_after,
    }));
    const k = info.anonymity_threshold;
    await insertSet(client, networkId, { audience: "ministry", officeId: null }, info.ministry_known, rows, progress, k);
    // Offices that no longer exist lose their sets.
    await client.query(
      `DELETE FROM achievement_figure_set WHERE network_id = $1 AND audience = 'office' AND NOT (office_id = ANY($2::uuid[]))`,
      [networkId, info.office_ids],
    );
    for (const officeId of info.office_ids)
      await insertSet(client, networkId, { audience: "office", officeId }, [officeId], rows, progress, k);
    await client.query("COMMIT");
    return true;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Queues the network's computation now (an admin's "recompute"); a waiting request is replaced, not doubled. */
export async function requestAchievementFigures(actor: Pick<Actor, "id">, networkId: string) {
  await withUser(actor.id, (tx) =>
    enqueueJob(tx, "achievement.compute", { networkId }, { jobKey: `achievement.compute:${networkId}`, maxAttempts: 3 }),
  );
}

/** Every network's figures (the nightly job, start-up). Returns how many networks were computed. */
export async function computeAllAchievementFigures(): Promise<number> {
  const pool = statsPool();
  if (!pool) return 0;
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM stats_achievement_network_ids() AS id`);
  let computed = 0;
  for (const row of rows) if (await computeAchievementFigures(row.id)) computed++;
  return computed;
}

// ─── Reading the stored figures (as the acting person, under RLS) ───────────

export type StoredAchievement = Achievement;
/** What a page gets: null when no figures exist yet for this person's audience, or they have none. */
export type MeasureAchievementView = { audience: "office" | "ministry"; computedAt: Date; achievement: Achievement } | null;

export type AudienceChoice = { audience: "office"; officeId: string } | { audience: "ministry" } | null;

/**
 * Which audience a person reads in a network: an office's members (of exactly one office,
 * no admin role there) that office's set; the network's admins (of no office) the
 * ministry's. Anyone else (consultants, several offices, an admin who is also in an
 * office) has no audience whose known set covers what they see individually: nothing.
 */
export function audienceOf(actor: Pick<Actor, "memberships">, networkId: string): AudienceChoice {
  const here = actor.memberships.filter((m) => m.networkId === networkId);
  const offices = [...new Set(here.flatMap((m) => (m.officeId ? [m.officeId] : [])))];
  const admin = here.some((m) => m.officeId === null && m.role === "NETWORK_ADMIN");
  const other = here.some((m) => m.officeId === null && m.role !== "NETWORK_ADMIN" && m.role !== "NETWORK_MEMBER");
  if (offices.length === 1 && !admin && !other) return { audience: "office", officeId: offices[0] };
  if (offices.length === 0 && admin && !other) return { audience: "ministry" };
  return null;
}

function toAchievement(f: {
  plannedN: number | null;
  completedN: number | null;
  changeN: number | null;
  changeMedian: number | null;
}): Achievement {
  return {
    planned: countFromStore(f.plannedN),
    completed: countFromStore(f.completedN),
    change: medianFromStore(f.changeN, f.changeMedian),
  };
}

const ALL_HIDDEN: Achievement = { planned: HIDDEN, completed: HIDDEN, change: HIDDEN };

async function readSet(actor: Pick<Actor, "id" | "memberships">, networkId: string, measureIds?: string[]) {
  const choice = audienceOf(actor, networkId);
  if (!choice) return null;
  const set = await withUser(actor.id, (tx) =>
    tx.achievementFigureSet.findFirst({
      where: { networkId, audience: choice.audience, officeId: choice.audience === "office" ? choice.officeId : null },
      select: {
        audience: true,
        computedAt: true,
        knownOfficeIds: true,
        plansN: true,
        doneShareN: true,
        doneShareMedian: true,
        figures: {
          where: measureIds ? { measureId: { in: measureIds } } : undefined,
          select: { measureId: true, plannedN: true, completedN: true, changeN: true, changeMedian: true },
        },
      },
    }),
  );
  return set ? { ...set, audience: set.audience as "office" | "ministry" } : null;
}

/**
 * One catalogue measure's figures in a network for this person (the catalogue measure page,
 * and the plan's measure page: `measureAchievement(actor, plan.networkId, measureId)`).
 */
export async function measureAchievement(
  actor: Pick<Actor, "id" | "memberships">,
  networkId: string,
  measureId: string,
): Promise<MeasureAchievementView> {
  const set = await readSet(actor, networkId, [measureId]);
  if (!set) return null;
  const figure = set.figures[0];
  return { audience: set.audience, computedAt: set.computedAt, achievement: figure ? toAchievement(figure) : ALL_HIDDEN };
}

export type PlanMonitoring = {
  computedAt: Date;
  plans: CountFigure;
  doneShare: MedianFigure;
  /** Measures planned by at least k (unknown) offices, most often first. */
  mostPlanned: Array<{ measureId: string; code: string; title: string; planned: number; completed: CountFigure }>;
  /** Offices whose plan the admins see (left out of every figure above). */
  knownOffices: number;
} | null;

/** The network's threshold as the rule applies it (for the pages' explanation). */
export async function networkThreshold(actor: Pick<Actor, "id">, networkId: string) {
  const network = await withUser(actor.id, (tx) =>
    tx.network.findUnique({ where: { id: networkId }, select: { anonymityThreshold: true } }),
  );
  return clampK(network?.anonymityThreshold);
}

/** The ministry's plan figures of a network (monitoring); null until computed. */
export async function planMonitoring(
  actor: Pick<Actor, "id" | "memberships">,
  networkId: string,
  limit = 10,
): Promise<PlanMonitoring> {
  const set = await readSet(actor, networkId);
  if (!set || set.audience !== "ministry") return null;
  const planned = set.figures
    .filter((f) => f.plannedN !== null)
    .sort((a, b) => b.plannedN! - a.plannedN!)
    .slice(0, limit);
  const measures = planned.length
    ? await withUser(actor.id, (tx) =>
        tx.measure.findMany({
          where: { id: { in: planned.map((f) => f.measureId) } },
          select: { id: true, code: true, title: true },
        }),
      )
    : [];
  const byId = new Map(measures.map((m) => [m.id, m]));
  return {
    computedAt: set.computedAt,
    plans: countFromStore(set.plansN),
    doneShare: medianFromStore(set.doneShareN, set.doneShareMedian),
    mostPlanned: planned.map((f) => ({
      measureId: f.measureId,
      code: byId.get(f.measureId)?.code ?? "",
      title: byId.get(f.measureId)?.title ?? "",
      planned: f.plannedN!,
      completed: countFromStore(f.completedN),
    })),
    knownOffices: set.knownOfficeIds?.length ?? 0,
  };
}

/** Plans the network's admins may open: those their offices released (RLS decides). */
export async function releasedPlans(actor: Pick<Actor, "id">, networkId: string) {
  return withUser(actor.id, (tx) =>
    tx.plan.findMany({
      where: { networkId, releasedAt: { not: null }, closedAt: null },
      orderBy: { office: { name: "asc" } },
      select: { id: true, cycle: true, phase: true, releasedAt: true, office: { select: { id: true, name: true } } },
    }),
  );
}

export type NetworkAchievement = {
  network: { id: string; name: string; k: number };
  /** shown: figures (maybe all hidden); pending: not computed yet; notForRole: no audience fits. */
  status: "shown" | "pending" | "notForRole";
  computedAt: Date | null;
  achievement: Achievement | null;
  audience?: "office" | "ministry";
};

/**
 * A catalogue measure's figures in every network of the signed-in person that uses the
 * measure's framework version (the catalogue measure page). Nothing for anonymous visitors.
 */
export async function measureAchievementsFor(
  actor: Pick<Actor, "id" | "memberships">,
  measure: { id: string; frameworkVersionId: string },
): Promise<NetworkAchievement[]> {
  const networkIds = [...new Set(actor.memberships.map((m) => m.networkId))];
  if (!networkIds.length) return [];
  const networks = await withUser(actor.id, (tx) =>
    tx.network.findMany({
      where: { id: { in: networkIds }, frameworkVersionId: measure.frameworkVersionId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, anonymityThreshold: true },
    }),
  );
  const result: NetworkAchievement[] = [];
  for (const n of networks) {
    const network = { id: n.id, name: n.name, k: clampK(n.anonymityThreshold) };
    if (!audienceOf(actor, n.id)) {
      result.push({ network, status: "notForRole", computedAt: null, achievement: null });
      continue;
    }
    const view = await measureAchievement(actor, n.id, measure.id);
    result.push(
      view
        ? { network, status: "shown", computedAt: view.computedAt, achievement: view.achievement, audience: view.audience }
        : { network, status: "pending", computedAt: null, achievement: null },
    );
  }
  return result;
}

/**
 * What a catalogue measure achieved in the plan's network, for the plan's measure page (issue
 * 21, item 8: "on each catalogue measure page and in the plan"): the same stored figures as
 * the catalogue page, for that one network; null for an office's own measure.
 */
export async function planMeasureAchievement(
  actor: Pick<Actor, "id" | "memberships">,
  networkId: string,
  measureId: string | null,
): Promise<{ items: NetworkAchievement[]; goal: number } | null> {
  if (!measureId) return null;
  const measure = await withUser(actor.id, (tx) =>
    tx.measure.findUnique({
      where: { id: measureId },
      select: { id: true, frameworkVersionId: true, workField: { select: { goal: { select: { number: true } } } } },
    }),
  );
  if (!measure) return null;
  const items = (await measureAchievementsFor(actor, measure)).filter((item) => item.network.id === networkId);
  return { items, goal: measure.workField.goal.number };
}
