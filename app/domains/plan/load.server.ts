/**
 * The plan as every reader needs it: its measures (catalogue code and title, or the office's
 * own title), each with its activities (with the latest state entry), milestones and counts.
 * Read as the acting person under row-level security – the office's team, an assigned
 * consultant, or the ministry where the office released the plan. The pages, the Excel/CSV/
 * PDF export, the timeline and the progress figures all read the plan through loadPlan.
 */
import type { Actor } from "~/platform/auth/can";
import { withUser, type TenantTx } from "~/platform/db.server";
import { NotFoundError } from "~/platform/errors";
import { ACTIVITY_SELECT, fromDbDay } from "./access.server";
import { countByStatus, type ActivityStatus } from "./status";

export type LoadedActivityUpdate = { id: string; notedOn: string; body: string; author: string | null; createdAt: Date };

export type LoadedActivity = {
  id: string;
  planMeasureId: string;
  position: number;
  title: string;
  status: ActivityStatus;
  /** Calendar days YYYY-MM-DD or null. */
  startsOn: string | null;
  endsOn: string | null;
  responsibleUserId: string | null;
  /** The member's name, or the free name; null: nobody named. */
  responsible: string | null;
  responsibleName: string | null;
  participants: string;
  resources: string;
  remarks: string;
  doneAt: Date | null;
  createdById: string;
  version: number;
  updatedAt: Date;
  /** The newest state entry (Aktueller Sachstand), or null. */
  latestUpdate: LoadedActivityUpdate | null;
};

export type LoadedMilestone = { id: string; title: string; dueOn: string | null; reachedOn: string | null; position: number };

export type LoadedMeasure = {
  id: string;
  /** The catalogue measure, or null for the office's own. */
  measureId: string | null;
  code: string | null;
  title: string;
  origin: "priority" | "catalogue" | "own";
  intendedResult: string;
  position: number;
  completedAt: Date | null;
  version: number;
  activities: LoadedActivity[];
  milestones: LoadedMilestone[];
  counts: Record<ActivityStatus, number>;
};

export type LoadedPlan = {
  id: string;
  networkId: string;
  officeId: string;
  cycle: number;
  phase: "INITIIERUNG" | "PLANUNG" | "MOBILISIERUNG" | "UMSETZUNG" | "KONSOLIDIERUNG";
  sourceRound: { id: string; name: string } | null;
  startedAt: Date;
  closedAt: Date | null;
  releasedAt: Date | null;
  version: number;
  measures: LoadedMeasure[];
  counts: Record<ActivityStatus, number>;
};

/** The whole plan, or NotFoundError when it does not exist or the person may not read it. */
export async function loadPlan(actor: Pick<Actor, "id">, planId: string): Promise<LoadedPlan> {
  const plan = await withUser(actor.id, (tx) => readPlan(tx, planId));
  if (!plan) throw new NotFoundError();
  return plan;
}

/** loadPlan inside a transaction the caller already holds (an export that reads more in the same snapshot). */
export async function readPlan(tx: TenantTx, planId: string): Promise<LoadedPlan | null> {
  const plan = await tx.plan.findUnique({
    where: { id: planId },
    select: {
      id: true,
      networkId: true,
      officeId: true,
      cycle: true,
      phase: true,
      startedAt: true,
      closedAt: true,
      releasedAt: true,
      version: true,
      sourceRound: { select: { id: true, name: true } },
    },
  });
  if (!plan) return null;
  // Flat reads, one after another (one connection per transaction: see inOrder in db.server).
  const measures = await tx.planMeasure.findMany({
    where: { planId },
    select: {
      id: true,
      measureId: true,
      ownTitle: true,
      origin: true,
      intendedResult: true,
      position: true,
      completedAt: true,
      version: true,
      measure: { select: { code: true, title: true } },
    },
  });
  const activities = await tx.planActivity.findMany({
    where: { planId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { ...ACTIVITY_SELECT, position: true, doneAt: true },
  });
  const milestones = await tx.planMilestone.findMany({
    where: { planId },
    orderBy: [{ position: "asc" }],
    select: { id: true, planMeasureId: true, title: true, dueOn: true, reachedOn: true, position: true },
  });
  // The newest state entry per activity.
  const latest = await tx.$queryRaw<
    Array<{ id: string; activity_id: string; noted_on: Date; body: string; author_id: string | null; created_at: Date }>
  >`SELECT DISTINCT ON (activity_id) id::text, activity_id::text, noted_on, body, author_id::text, created_at
    FROM plan_activity_update WHERE plan_id = ${planId}::uuid
    ORDER BY activity_id, noted_on DESC, created_at DESC`;
  const people = await peopleNames(tx, [...activities.map((a) => a.responsibleUserId), ...latest.map((u) => u.author_id)]);
  const latestOf = new Map(
    latest.map((u) => [
      u.activity_id,
      {
        id: u.id,
        notedOn: fromDbDay(u.noted_on)!,
        body: u.body,
        author: u.author_id ? (people.get(u.author_id) ?? null) : null,
        createdAt: u.created_at,
      },
    ]),
  );
  const loadedActivities: LoadedActivity[] = activities.map((a) => ({
    ...a,
    startsOn: fromDbDay(a.startsOn),
    endsOn: fromDbDay(a.endsOn),
    responsible: a.responsibleUserId ? (people.get(a.responsibleUserId) ?? null) : a.responsibleName,
    latestUpdate: latestOf.get(a.id) ?? null,
  }));
  const loadedMeasures: LoadedMeasure[] = measures
    .map((m) => {
      const own = loadedActivities.filter((a) => a.planMeasureId === m.id);
      return {
        id: m.id,
        measureId: m.measureId,
        code: m.measure?.code ?? null,
        title: m.measure?.title ?? m.ownTitle ?? "",
        origin: m.origin as LoadedMeasure["origin"],
        intendedResult: m.intendedResult,
        position: m.position,
        completedAt: m.completedAt,
        version: m.version,
        activities: own,
        milestones: milestones
          .filter((x) => x.planMeasureId === m.id)
          .map((x) => ({
            id: x.id,
            title: x.title,
            dueOn: fromDbDay(x.dueOn),
            reachedOn: fromDbDay(x.reachedOn),
            position: x.position,
          })),
        counts: countByStatus(own),
      };
    })
    .sort((x, y) => x.position - y.position || (x.code ?? "~").localeCompare(y.code ?? "~", "de", { numeric: true }));
  return { ...plan, measures: loadedMeasures, counts: countByStatus(loadedActivities) };
}

/** Names of people (members of the office) as the reader may see them; unknown ids are left out. */
async function peopleNames(tx: TenantTx, ids: Array<string | null>) {
  const wanted = [...new Set(ids.filter((id): id is string => !!id))];
  if (!wanted.length) return new Map<string, string>();
  const rows = await tx.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Every state entry of one activity, newest first (the activity page). */
export async function loadActivityUpdates(actor: Pick<Actor, "id">, activityId: string): Promise<LoadedActivityUpdate[]> {
  return withUser(actor.id, async (tx) => {
    const rows = await tx.planActivityUpdate.findMany({
      where: { activityId },
      orderBy: [{ notedOn: "desc" }, { createdAt: "desc" }],
      select: { id: true, notedOn: true, body: true, authorId: true, createdAt: true },
    });
    const people = await peopleNames(
      tx,
      rows.map((r) => r.authorId),
    );
    return rows.map((r) => ({
      id: r.id,
      notedOn: fromDbDay(r.notedOn)!,
      body: r.body,
      author: r.authorId ? (people.get(r.authorId) ?? null) : null,
      createdAt: r.createdAt,
    }));
  });
}

/** The office's team (head and staff) for the "responsible" select. */
export async function officeTeam(actor: Pick<Actor, "id">, officeId: string) {
  return withUser(actor.id, async (tx) => {
    const rows = await tx.membership.findMany({
      where: { officeId, role: { in: ["OFFICE_HEAD", "OFFICE_STAFF"] } },
      select: { user: { select: { id: true, name: true } } },
    });
    const unique = new Map(rows.map((r) => [r.user.id, r.user.name]));
    return [...unique].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, "de"));
  });
}

/** One activity of the plan with its measure (code and title) – or NotFoundError. Reads the whole plan (small) for consistency. */
export async function loadActivity(actor: Pick<Actor, "id">, planId: string, activityId: string) {
  const plan = await loadPlan(actor, planId);
  for (const measure of plan.measures) {
    const activity = measure.activities.find((a) => a.id === activityId);
    if (activity) return { plan, measure, activity };
  }
  throw new NotFoundError();
}
