/**
 * Activities (Arbeitsschritte) of a plan measure, their state entries (Aktueller Sachstand)
 * and the measure's milestones – the team's work (issue 21, items 1–2).
 *
 * Who: any team member adds an activity, a state entry or a milestone ("plan.contribute");
 * editing an activity and setting its status is for the head, the person responsible and
 * the staff member who added it ("activity.update"). Two people editing at once lose
 * nothing: an edit names the version it was loaded with, and a stale one is answered with
 * a conflict (their input and the current values, side by side) instead of overwriting.
 *
 * plan_measure.completed_at follows the activities: set when the measure has at least one
 * and all are done, cleared otherwise (syncCompleted, in the same transaction).
 */
import { authorize, type Actor } from "~/platform/auth/can";
import { withUser, type TenantTx } from "~/platform/db.server";
import { InvalidInputError, NotFoundError } from "~/platform/errors";
import {
  fromDbDay,
  measureOfPlan,
  planForChange,
  planToContribute,
  syncCompleted,
  toDbDay,
  type PlanRow,
  planAudit,
  ACTIVITY_SELECT,
} from "./access.server";
import { ACTIVITY_FIELDS, type ActivityInput, type ActivityValues } from "./schemas";
import type { ActivityStatus } from "./status";

type ActivityRow = {
  id: string;
  planMeasureId: string;
  title: string;
  status: ActivityStatus;
  startsOn: Date | null;
  endsOn: Date | null;
  responsibleUserId: string | null;
  responsibleName: string | null;
  participants: string;
  resources: string;
  remarks: string;
  createdById: string;
  version: number;
  updatedAt: Date;
};

/** The editable values of a stored activity, in the form's terms. */
export function activityValues(
  row: Omit<ActivityRow, "id" | "planMeasureId" | "createdById" | "version" | "updatedAt">,
): ActivityValues {
  return {
    title: row.title,
    status: row.status,
    startsOn: fromDbDay(row.startsOn),
    endsOn: fromDbDay(row.endsOn),
    responsibleUserId: row.responsibleUserId,
    responsibleName: row.responsibleUserId ? "" : (row.responsibleName ?? ""),
    participants: row.participants,
    resources: row.resources,
    remarks: row.remarks,
  };
}

/** The responsible person must be a member of the office (head or staff); a name stands for someone outside the portal. */
async function checkResponsible(tx: TenantTx, officeId: string, input: ActivityInput) {
  if (!input.responsibleUserId) return;
  const member = await tx.membership.findFirst({
    where: { userId: input.responsibleUserId, officeId, role: { in: ["OFFICE_HEAD", "OFFICE_STAFF"] } },
    select: { id: true },
  });
  if (!member) throw new InvalidInputError({ responsibleUserId: "plan:errors.responsibleUnknown" });
}

function activityData(input: ActivityInput, now: Date, before?: { status: ActivityStatus; doneAt?: Date | null }) {
  return {
    title: input.title,
    status: input.status,
    startsOn: toDbDay(input.startsOn),
    endsOn: toDbDay(input.endsOn),
    responsibleUserId: input.responsibleUserId,
    responsibleName: input.responsibleUserId ? null : input.responsibleName || null,
    participants: input.participants,
    resources: input.resources,
    remarks: input.remarks,
    doneAt: input.status === "DONE" ? (before?.status === "DONE" ? (before.doneAt ?? now) : now) : null,
  };
}

function changedFields(before: ActivityValues, after: ActivityValues) {
  return ACTIVITY_FIELDS.filter((f) => JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}

/** The activity (of this office), its plan locked for the change, with "activity.update" checked. */
async function activityForUpdate(tx: TenantTx, actor: Actor, officeId: string, activityId: string) {
  const found = await tx.planActivity.findFirst({ where: { id: activityId, officeId }, select: { planId: true } });
  if (!found) throw new NotFoundError();
  const plan = await planForChange(tx, officeId, found.planId);
  const rows = await tx.$queryRaw<
    Array<{ id: string }>
  >`SELECT id::text FROM plan_activity WHERE id = ${activityId}::uuid FOR UPDATE`;
  if (!rows.length) throw new NotFoundError();
  const row = await tx.planActivity.findUniqueOrThrow({
    where: { id: activityId },
    select: { ...ACTIVITY_SELECT, doneAt: true },
  });
  authorize(actor, "activity.update", {
    networkId: plan.networkId,
    officeId: plan.officeId,
    ownerId: row.responsibleUserId,
    createdById: row.createdById,
    closed: plan.closedAt !== null,
  });
  return { plan, row: row as ActivityRow & { doneAt: Date | null } };
}

function measureLabel(m: { code: string | null }): Record<string, string> {
  return m.code ? { measure: m.code } : { origin: "own" };
}

/** Adds an activity to a measure of the plan (the team). */
export async function addActivity(actor: Actor, officeId: string, planId: string, planMeasureId: string, input: ActivityInput) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToContribute(tx, actor, officeId, planId);
    const m = await measureOfPlan(tx, plan, planMeasureId);
    await checkResponsible(tx, plan.officeId, input);
    const last = await tx.planActivity.aggregate({ where: { planMeasureId: m.id }, _max: { position: true } });
    const id = crypto.randomUUID();
    await tx.planActivity.createMany({
      data: [
        {
          id,
          planMeasureId: m.id,
          planId: plan.id,
          officeId: plan.officeId,
          position: (last._max.position ?? -1) + 1,
          createdById: actor.id,
          ...activityData(input, new Date()),
        },
      ],
    });
    await syncCompleted(tx, m.id);
    await audit(
      tx,
      actor,
      plan,
      "plan.activity_added",
      id,
      {
        ...measureLabel(m),
        status: input.status,
      },
      { values: contentOf(input) },
    );
    return { activityId: id };
  });
}

/** What the office wrote in an activity (for audit_content only). */
function contentOf(v: ActivityValues) {
  return Object.fromEntries(ACTIVITY_FIELDS.map((f) => [f, v[f]]));
}

export type ActivitySaveOutcome =
  | { kind: "saved"; version: number; fields: string[] }
  | { kind: "conflict"; version: number; mine: ActivityValues; current: ActivityValues; at: Date };

/**
 * Saves an edited activity on top of the version the form was loaded with. A stale version
 * changes nothing and answers with both sides (→ 409 and the conflict view); the person
 * re-applies on the current version.
 */
export async function saveActivity(
  actor: Actor,
  officeId: string,
  activityId: string,
  input: ActivityInput & { version: number },
): Promise<ActivitySaveOutcome> {
  return withUser(actor.id, async (tx): Promise<ActivitySaveOutcome> => {
    const { plan, row } = await activityForUpdate(tx, actor, officeId, activityId);
    const { version, ...values } = input;
    const mine: ActivityValues = { ...values, responsibleName: values.responsibleUserId ? "" : values.responsibleName };
    const current = activityValues(row);
    if (version !== row.version) return { kind: "conflict", version: row.version, mine, current, at: row.updatedAt };
    const fields = changedFields(current, mine);
    if (fields.length === 0) return { kind: "saved", version: row.version, fields };
    await checkResponsible(tx, plan.officeId, values);
    await tx.planActivity.update({
      where: { id: row.id },
      data: { ...activityData(values, new Date(), row), version: row.version + 1, updatedAt: new Date() },
      select: { id: true },
    });
    if (fields.includes("status")) await syncCompleted(tx, row.planMeasureId);
    const m = await measureOfPlan(tx, plan, row.planMeasureId);
    const changes = Object.fromEntries(fields.map((f) => [f, { from: current[f], to: mine[f] }]));
    await audit(tx, actor, plan, "plan.activity_saved", row.id, { ...measureLabel(m), fields }, { changes });
    return { kind: "saved", version: row.version + 1, fields };
  });
}

/**
 * Sets an activity's status (the quick buttons). A status is an absolute choice, so it needs
 * no version: setting "erledigt" twice is the same, and it does not overwrite other fields.
 */
export async function setActivityStatus(actor: Actor, officeId: string, activityId: string, status: ActivityStatus) {
  return withUser(actor.id, async (tx) => {
    const { plan, row } = await activityForUpdate(tx, actor, officeId, activityId);
    if (row.status === status) return { changed: false };
    const now = new Date();
    await tx.planActivity.update({
      where: { id: row.id },
      data: { status, doneAt: status === "DONE" ? now : null, version: row.version + 1, updatedAt: now },
      select: { id: true },
    });
    await syncCompleted(tx, row.planMeasureId);
    const m = await measureOfPlan(tx, plan, row.planMeasureId);
    await audit(tx, actor, plan, "plan.status_changed", row.id, { ...measureLabel(m), status });
    return { changed: true };
  });
}

/** Adds a dated state entry (Aktueller Sachstand) to an activity – append-only (the team). */
export async function addActivityUpdate(
  actor: Actor,
  officeId: string,
  activityId: string,
  input: { notedOn: string; body: string },
) {
  return withUser(actor.id, async (tx) => {
    const found = await tx.planActivity.findFirst({ where: { id: activityId, officeId }, select: { id: true, planId: true } });
    if (!found) throw new NotFoundError();
    const plan = await planToContribute(tx, actor, officeId, found.planId);
    const id = crypto.randomUUID();
    await tx.planActivityUpdate.createMany({
      data: [
        {
          id,
          activityId: found.id,
          planId: plan.id,
          officeId: plan.officeId,
          notedOn: toDbDay(input.notedOn)!,
          body: input.body,
          authorId: actor.id,
        },
      ],
    });
    await audit(tx, actor, plan, "plan.sachstand_added", found.id, { date: input.notedOn }, { body: input.body });
    return { updateId: id };
  });
}

/** Adds a milestone to a measure (the team). */
export async function addMilestone(
  actor: Actor,
  officeId: string,
  planId: string,
  planMeasureId: string,
  input: { title: string; dueOn: string | null },
) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToContribute(tx, actor, officeId, planId);
    const m = await measureOfPlan(tx, plan, planMeasureId);
    const last = await tx.planMilestone.aggregate({ where: { planMeasureId: m.id }, _max: { position: true } });
    const id = crypto.randomUUID();
    await tx.planMilestone.createMany({
      data: [
        {
          id,
          planMeasureId: m.id,
          planId: plan.id,
          officeId: plan.officeId,
          title: input.title,
          dueOn: toDbDay(input.dueOn),
          position: (last._max.position ?? -1) + 1,
        },
      ],
    });
    await audit(tx, actor, plan, "plan.milestone_added", id, measureLabel(m), { title: input.title, dueOn: input.dueOn });
    return { milestoneId: id };
  });
}

/** Marks a milestone of the measure as reached on a day (the team); again with another day corrects it. */
export async function markMilestoneReached(
  actor: Actor,
  officeId: string,
  planId: string,
  planMeasureId: string,
  input: { milestoneId: string; reachedOn: string },
) {
  return withUser(actor.id, async (tx) => {
    const plan = await planToContribute(tx, actor, officeId, planId);
    const m = await measureOfPlan(tx, plan, planMeasureId);
    const updated = await tx.planMilestone.updateMany({
      where: { id: input.milestoneId, planMeasureId: m.id, planId: plan.id },
      data: { reachedOn: toDbDay(input.reachedOn) },
    });
    if (updated.count === 0) throw new InvalidInputError({ milestoneId: "plan:errors.milestoneUnknown" });
    await audit(tx, actor, plan, "plan.milestone_reached", input.milestoneId, { ...measureLabel(m), date: input.reachedOn });
  });
}

/**
 * One audit event: `details` say who did what to which measure (its catalogue code) and which
 * fields – never what the office wrote; that goes to audit_content (the office's members only).
 */
async function audit(
  tx: TenantTx,
  actor: Actor,
  plan: PlanRow,
  action: string,
  targetId: string,
  details: Record<string, string | number | string[]>,
  content?: Record<string, unknown>,
) {
  await planAudit(tx, actor, plan, {
    action,
    targetType: action.startsWith("plan.milestone") ? "plan_milestone" : "plan_activity",
    targetId,
    details,
    content,
  });
}
