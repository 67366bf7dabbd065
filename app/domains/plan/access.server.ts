/**
 * Steps every change of the plan shares: the plan (or a measure, an activity) read as the
 * acting person under row-level security, inside the office of the URL, and the can() rule
 * of the change checked on it – so a domain call is safe whoever calls it (a route, the
 * Excel import, a job), not only behind a route that checked first.
 */
import { authorize, type Actor } from "~/platform/auth/can";
import type { TenantTx } from "~/platform/db.server";
import { type AuditInput, recordAudit } from "~/platform/audit/audit.server";
import { NotFoundError } from "~/platform/errors";

export type PlanRow = {
  id: string;
  networkId: string;
  officeId: string;
  cycle: number;
  closedAt: Date | null;
  releasedAt: Date | null;
};

/** The plan of this office, locked for the change (FOR NO KEY UPDATE: changes of one plan queue briefly), or 404. */
export async function planForChange(tx: TenantTx, officeId: string, planId: string): Promise<PlanRow> {
  const rows = await tx.$queryRaw<
    Array<{ id: string; network_id: string; office_id: string; cycle: number; closed_at: Date | null; released_at: Date | null }>
  >`SELECT id::text, network_id::text, office_id::text, cycle, closed_at, released_at FROM plan
    WHERE id = ${planId}::uuid AND office_id = ${officeId}::uuid FOR NO KEY UPDATE`;
  const row = rows[0];
  if (!row) throw new NotFoundError();
  return {
    id: row.id,
    networkId: row.network_id,
    officeId: row.office_id,
    cycle: row.cycle,
    closedAt: row.closed_at,
    releasedAt: row.released_at,
  };
}

/** The plan, with "plan.manage" (the head, open plan) checked. */
export async function planToManage(tx: TenantTx, actor: Actor, officeId: string, planId: string) {
  const plan = await planForChange(tx, officeId, planId);
  authorize(actor, "plan.manage", { networkId: plan.networkId, officeId: plan.officeId, closed: plan.closedAt !== null });
  return plan;
}

/** The plan, with "plan.contribute" (the team, open plan) checked. */
export async function planToContribute(tx: TenantTx, actor: Actor, officeId: string, planId: string) {
  const plan = await planForChange(tx, officeId, planId);
  authorize(actor, "plan.contribute", { networkId: plan.networkId, officeId: plan.officeId, closed: plan.closedAt !== null });
  return plan;
}

/** A measure of this plan with its catalogue code (null for the office's own), or 404. */
export async function measureOfPlan(tx: TenantTx, plan: PlanRow, planMeasureId: string) {
  const m = await tx.planMeasure.findFirst({
    where: { id: planMeasureId, planId: plan.id, officeId: plan.officeId },
    select: {
      id: true,
      measureId: true,
      ownTitle: true,
      intendedResult: true,
      version: true,
      measure: { select: { code: true } },
    },
  });
  if (!m) throw new NotFoundError();
  return { ...m, code: m.measure?.code ?? null };
}

/** Recomputes plan_measure.completed_at: set when it has ≥ 1 activity and every one is done, cleared otherwise. */
export async function syncCompleted(tx: TenantTx, planMeasureId: string) {
  await tx.$executeRaw`
    UPDATE plan_measure pm SET completed_at = CASE
        WHEN EXISTS (SELECT 1 FROM plan_activity a WHERE a.plan_measure_id = pm.id)
         AND NOT EXISTS (SELECT 1 FROM plan_activity a WHERE a.plan_measure_id = pm.id AND a.status <> 'DONE')
        THEN COALESCE(pm.completed_at, now()) ELSE NULL END
    WHERE pm.id = ${planMeasureId}::uuid`;
}

/** A calendar day (YYYY-MM-DD) as the Date Prisma writes to a DATE column, and back. */
export const toDbDay = (day: string | null) => (day ? new Date(`${day}T00:00:00.000Z`) : null);
export const fromDbDay = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

/** Detail keys of a plan event that everyone allowed to read the office's log may see: field names, origin, file type and size, cycle and counts. */
const VISIBLE_DETAILS = new Set([
  "fields",
  "origin",
  "fileType",
  "bytes",
  "cycle",
  "measuresAdded",
  "measuresChanged",
  "activitiesAdded",
  "activitiesChanged",
  "statesAdded",
]);

/**
 * One audit event of the plan, written in the change's transaction: who did what to which
 * row of which office. `details` is what everyone allowed to read the log sees (codes,
 * field names, counts – never the office's text); `content` (the office's text, if any)
 * goes to audit_content, which only the office reads.
 */
export async function planAudit(
  tx: TenantTx,
  actor: Pick<Actor, "id">,
  plan: { networkId: string; officeId: string },
  event: { action: string; targetType: string; targetId: string; details?: Record<string, unknown>; content?: unknown },
) {
  const { content, details = {}, ...rest } = event;
  // Only the shape of the change is visible outside the office (the network's admins read
  // the office's events): which fields, where from. Which measure, which status, which round
  // – what the office's plan holds – stays with the office, also before any release.
  const visible = Object.fromEntries(Object.entries(details).filter(([key]) => VISIBLE_DETAILS.has(key)));
  const hidden = Object.fromEntries(Object.entries(details).filter(([key]) => !VISIBLE_DETAILS.has(key)));
  const officeOnly =
    content === undefined && Object.keys(hidden).length === 0
      ? undefined
      : { ...hidden, ...(content && typeof content === "object" ? content : content === undefined ? {} : { value: content }) };
  await recordAudit(
    {
      ...rest,
      actorId: actor.id,
      networkId: plan.networkId,
      officeId: plan.officeId,
      details: visible as AuditInput["details"],
      content: officeOnly === undefined ? undefined : JSON.parse(JSON.stringify(officeOnly)),
    },
    tx,
  );
}

/** The columns of an activity that its pages, its edit and its conflict view read. */
export const ACTIVITY_SELECT = {
  id: true,
  planMeasureId: true,
  planId: true,
  officeId: true,
  title: true,
  status: true,
  startsOn: true,
  endsOn: true,
  responsibleUserId: true,
  responsibleName: true,
  participants: true,
  resources: true,
  remarks: true,
  createdById: true,
  version: true,
  updatedAt: true,
} as const;
