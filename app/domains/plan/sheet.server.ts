/**
 * The plan as its files show it (export) and as the import compares it: measures in order
 * with title, code and intended result, activities with status, time frame, responsible
 * person, participants, resources, remarks and Sachstand entries; the office's members (to
 * name and to recognise a responsible person); the network's catalogue measures (to map a
 * sheet's blocks). Read as the acting person (row-level security), with flat queries one
 * after another (no nested includes in the transaction, see db.server.ts).
 *
 * Written here rather than on the plan core's loader (h/core's load.server.ts was not there
 * when the Excel work started); it reads only what the files need.
 */
import type { Actor } from "~/platform/auth/auth.server";
import { type TenantTx, withUser } from "~/platform/db.server";
import type { CatalogueMeasure, PlanSnapshot } from "./excel-import";
import type { Day } from "./excel-format";

export const toDay = (d: Date | null): Day | null => (d ? d.toISOString().slice(0, 10) : null);
export const fromDay = (d: Day | null | undefined) => (d ? new Date(`${d}T00:00:00.000Z`) : null);

export type SheetPlan = PlanSnapshot & { catalogue: CatalogueMeasure[] };

export async function readPlanSheet(tx: TenantTx, plan: { id: string; officeId: string; networkId: string }): Promise<SheetPlan> {
  const measures = await tx.planMeasure.findMany({
    where: { planId: plan.id, officeId: plan.officeId },
    orderBy: [{ position: "asc" }, { addedAt: "asc" }],
    select: { id: true, measureId: true, ownTitle: true, intendedResult: true },
  });
  const activities = await tx.planActivity.findMany({
    where: { planId: plan.id, officeId: plan.officeId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
  });
  const updates = await tx.planActivityUpdate.findMany({
    where: { planId: plan.id, officeId: plan.officeId },
    orderBy: [{ notedOn: "asc" }, { createdAt: "asc" }],
    select: { activityId: true, notedOn: true, body: true },
  });
  const network = await tx.network.findUniqueOrThrow({ where: { id: plan.networkId }, select: { frameworkVersionId: true } });
  const catalogue = await tx.measure.findMany({
    where: { frameworkVersionId: network.frameworkVersionId },
    orderBy: { position: "asc" },
    select: { id: true, code: true, title: true, result: true },
  });
  // Measures of the plan from another framework version (a plan older than the network's switch).
  const missing = measures.map((m) => m.measureId).filter((id): id is string => !!id && !catalogue.some((c) => c.id === id));
  const older = missing.length
    ? await tx.measure.findMany({ where: { id: { in: missing } }, select: { id: true, code: true, title: true, result: true } })
    : [];
  const memberships = await tx.membership.findMany({ where: { officeId: plan.officeId }, select: { userId: true } });
  const userIds = [
    ...new Set([
      ...memberships.map((m) => m.userId),
      ...activities.map((a) => a.responsibleUserId).filter((id): id is string => !!id),
    ]),
  ];
  const users = await tx.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } });
  const nameOf = new Map(users.map((u) => [u.id, u.name]));
  const known = new Map([...catalogue, ...older].map((c) => [c.id, c]));
  return {
    catalogue,
    members: memberships.map((m) => ({ id: m.userId, name: nameOf.get(m.userId) ?? "" })).filter((m) => m.name),
    measures: measures.map((m) => {
      const c = m.measureId ? known.get(m.measureId) : undefined;
      return {
        id: m.id,
        measureId: m.measureId,
        code: c?.code ?? null,
        title: c?.title ?? m.ownTitle ?? "",
        intendedResult: m.intendedResult,
        activities: activities
          .filter((a) => a.planMeasureId === m.id)
          .map((a) => ({
            id: a.id,
            title: a.title,
            status: a.status,
            startsOn: toDay(a.startsOn),
            endsOn: toDay(a.endsOn),
            responsibleUserId: a.responsibleUserId,
            responsible: (a.responsibleUserId ? nameOf.get(a.responsibleUserId) : null) ?? a.responsibleName ?? "",
            participants: a.participants,
            resources: a.resources,
            remarks: a.remarks,
            createdById: a.createdById,
            updates: updates.filter((u) => u.activityId === a.id).map((u) => ({ notedOn: toDay(u.notedOn)!, body: u.body })),
          })),
      };
    }),
  };
}

/** The plan for its files, as the acting person may read it. */
export function loadPlanSheet(actor: Pick<Actor, "id">, plan: { id: string; officeId: string; networkId: string }) {
  return withUser(actor.id, (tx) => readPlanSheet(tx, plan));
}
