/**
 * Consultants assigned to an office (issue 21; table consultant_assignment, migration
 * 20261206100000): the network's admins assign people with the network role "Beratung"
 * (CONSULTANT) to an office, and an assigned consultant may read the office's plan
 * (app_plan_office_ids). Row-level security lets only the network's admins write the table;
 * the route asks can("network.manageOffices") first. Every change is in the audit log (who,
 * which consultant by e-mail; no office content).
 */
import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { withUser } from "~/platform/db.server";
import { NotFoundError } from "~/platform/errors";

export const consultantFormSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("assignConsultant"), consultantId: z.uuid({ message: "achievement:consultants.unknown" }) }),
  z.object({ intent: z.literal("unassignConsultant"), consultantId: z.uuid({ message: "achievement:consultants.unknown" }) }),
]);

type Scope = { networkId: string; officeId: string };

/** The office's assigned consultants and the network's consultants that could be assigned. */
export async function officeConsultants(actor: Pick<Actor, "id">, { networkId, officeId }: Scope) {
  return withUser(actor.id, async (tx) => {
    const assigned = await tx.consultantAssignment.findMany({
      where: { networkId, officeId },
      orderBy: { consultant: { name: "asc" } },
      select: { assignedAt: true, consultant: { select: { id: true, name: true, email: true } } },
    });
    const members = await tx.membership.findMany({
      where: { networkId, officeId: null, role: "CONSULTANT" },
      orderBy: { user: { name: "asc" } },
      select: { user: { select: { id: true, name: true, email: true } } },
    });
    const taken = new Set(assigned.map((a) => a.consultant.id));
    return {
      assigned: assigned.map((a) => ({ ...a.consultant, assignedAt: a.assignedAt })),
      available: members.map((m) => m.user).filter((u) => !taken.has(u.id)),
      consultantsInNetwork: members.length,
    };
  });
}

async function consultantOf(tx: Parameters<Parameters<typeof withUser>[1]>[0], networkId: string, consultantId: string) {
  const membership = await tx.membership.findFirst({
    where: { networkId, officeId: null, role: "CONSULTANT", userId: consultantId },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  return membership?.user ?? null;
}

export type AssignResult =
  | { ok: true; consultant: { id: string; name: string; email: string } }
  | { ok: false; error: "achievement:consultants.unknown" | "achievement:consultants.already" };

/** Assigns a consultant of the network to the office; a field error when they are none or already assigned. */
export async function assignConsultant(
  actor: Pick<Actor, "id">,
  { networkId, officeId }: Scope,
  consultantId: string,
): Promise<AssignResult> {
  return withUser(actor.id, async (tx) => {
    const consultant = await consultantOf(tx, networkId, consultantId);
    if (!consultant) return { ok: false, error: "achievement:consultants.unknown" };
    const existing = await tx.consultantAssignment.findUnique({
      where: { officeId_consultantId: { officeId, consultantId } },
      select: { officeId: true },
    });
    if (existing) return { ok: false, error: "achievement:consultants.already" };
    await tx.consultantAssignment.create({ data: { networkId, officeId, consultantId, assignedById: actor.id } });
    await recordAudit(
      {
        action: "consultant.assigned",
        actorId: actor.id,
        networkId,
        officeId,
        targetType: "user",
        targetId: consultantId,
        details: { email: consultant.email },
      },
      tx,
    );
    return { ok: true, consultant };
  });
}

/** Removes a consultant's assignment to the office; 404 when there is none. */
export async function unassignConsultant(actor: Pick<Actor, "id">, { networkId, officeId }: Scope, consultantId: string) {
  return withUser(actor.id, async (tx) => {
    const row = await tx.consultantAssignment.findFirst({
      where: { networkId, officeId, consultantId },
      select: { consultant: { select: { id: true, name: true, email: true } } },
    });
    if (!row) throw new NotFoundError();
    await tx.consultantAssignment.deleteMany({ where: { networkId, officeId, consultantId } });
    await recordAudit(
      {
        action: "consultant.unassigned",
        actorId: actor.id,
        networkId,
        officeId,
        targetType: "user",
        targetId: consultantId,
        details: { email: row.consultant.email },
      },
      tx,
    );
    return row.consultant;
  });
}

/** The offices assigned to the signed-in consultant (their landing), in every network. */
export async function assignedOffices(actor: Pick<Actor, "id">) {
  const rows = await withUser(actor.id, (tx) =>
    tx.consultantAssignment.findMany({
      where: { consultantId: actor.id },
      orderBy: { office: { name: "asc" } },
      select: { office: { select: { id: true, name: true, network: { select: { name: true } } } } },
    }),
  );
  return rows.map((r) => ({ id: r.office.id, name: r.office.name, network: r.office.network.name }));
}
