/**
 * What the progress rules (progress.ts) need of a plan, read under row-level security as the
 * acting person (withUser): the timeline page's measures and activities, and the office
 * dashboard's panel in one query. The rules themselves – done, overdue, due soon – live only
 * in progress.ts; nothing here decides them.
 *
 * The timeline reads only the columns it shows (loadPlan in load.server.ts brings Sachstand,
 * milestones and more for the plan page and the exports); the panel is one SQL query.
 */
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { withUser } from "~/platform/db.server";
import { toCalendarDay } from "~/utils/calendar-day";
import { type ActivityStatus, planProgress, type PlanProgress, type ProgressActivity } from "./progress";

/** A DATE column as Prisma returns it (midnight UTC) → YYYY-MM-DD. */
const day = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : null);

export type TimelineActivity = ProgressActivity & {
  title: string;
  /** The member's name, the name entered instead, or null. */
  responsible: string | null;
};
export type TimelineMeasure = {
  id: string;
  /** The catalogue measure's code ("1.2") or null for the office's own measure. */
  code: string | null;
  title: string;
  activities: TimelineActivity[];
};

/** The plan's measures in their order, each with its activities in their order. */
export async function loadPlanTimeline(actor: Pick<Actor, "id">, planId: string): Promise<TimelineMeasure[]> {
  const measures = await withUser(actor.id, (tx) =>
    tx.planMeasure.findMany({
      where: { planId },
      orderBy: [{ position: "asc" }, { addedAt: "asc" }],
      select: {
        id: true,
        ownTitle: true,
        measure: { select: { code: true, title: true } },
        activities: {
          orderBy: [{ position: "asc" }, { createdAt: "asc" }],
          select: {
            id: true,
            title: true,
            status: true,
            startsOn: true,
            endsOn: true,
            responsibleName: true,
            responsibleUser: { select: { name: true } },
          },
        },
      },
    }),
  );
  return measures.map((m) => ({
    id: m.id,
    code: m.measure?.code ?? null,
    title: m.ownTitle ?? m.measure?.title ?? "",
    activities: m.activities.map((a) => ({
      id: a.id,
      title: a.title,
      status: a.status,
      startsOn: day(a.startsOn),
      endsOn: day(a.endsOn),
      responsible: a.responsibleUser?.name ?? a.responsibleName ?? null,
    })),
  }));
}

export type ProgressPanel = {
  planId: string;
  progress: PlanProgress;
  measures: Array<{ id: string; code: string | null; title: string }>;
};

type PanelRow = {
  plan_id: string;
  measure_id: string | null;
  code: string | null;
  title: string | null;
  activity_id: string | null;
  status: ActivityStatus | null;
  starts_on: string | null;
  ends_on: string | null;
};

/**
 * The office dashboard's panel: the open plan's progress on `today`, in one query (a row per
 * activity, measures without activities once). Null when the office has no open plan the
 * person may read.
 */
export async function loadProgressPanel(
  actor: Pick<Actor, "id">,
  officeId: string,
  today: string,
): Promise<ProgressPanel | null> {
  const rows = await withUser(
    actor.id,
    (tx) => tx.$queryRaw<PanelRow[]>`
      SELECT p.id AS plan_id, pm.id AS measure_id, m.code, COALESCE(pm.own_title, m.title) AS title,
             a.id AS activity_id, a.status::text AS status, a.starts_on::text AS starts_on, a.ends_on::text AS ends_on
      FROM plan p
      LEFT JOIN plan_measure pm ON pm.plan_id = p.id AND pm.office_id = p.office_id
      LEFT JOIN measure m ON m.id = pm.measure_id
      LEFT JOIN plan_activity a ON a.plan_measure_id = pm.id AND a.plan_id = pm.plan_id
      WHERE p.office_id = ${officeId}::uuid AND p.closed_at IS NULL
      ORDER BY pm.position, pm.added_at, pm.id, a.position, a.created_at`,
  );
  if (rows.length === 0) return null;
  const measures = new Map<string, { id: string; code: string | null; title: string; activities: ProgressActivity[] }>();
  for (const r of rows) {
    if (!r.measure_id) continue;
    let measure = measures.get(r.measure_id);
    if (!measure) {
      measure = { id: r.measure_id, code: r.code, title: r.title ?? "", activities: [] };
      measures.set(r.measure_id, measure);
    }
    if (r.activity_id && r.status)
      measure.activities.push({ id: r.activity_id, status: r.status, startsOn: r.starts_on, endsOn: r.ends_on });
  }
  const list = [...measures.values()];
  return {
    planId: rows[0].plan_id,
    progress: planProgress(list, today),
    measures: list.map(({ id, code, title }) => ({ id, code, title })),
  };
}

/**
 * The panel for an office dashboard's loader: undefined when the person may not read the plan
 * (the panel is not shown), null when there is no open plan, else its progress today.
 */
export async function progressPanelFor(
  actor: Actor,
  office: { id: string; networkId: string; consultantIds: readonly string[] },
): Promise<ProgressPanel | null | undefined> {
  // The dashboard is the office's own: an admin sees a released plan in the plan pages, not here.
  const subject = { networkId: office.networkId, officeId: office.id, released: false, consultantIds: office.consultantIds };
  if (!can(actor, "plan.read", subject)) return undefined;
  return loadProgressPanel(actor, office.id, toCalendarDay(new Date()));
}
