import type { Prisma } from "~/generated/prisma/client";
import type { TenantTx } from "~/db.server";
import { getPrisma } from "~/db.server";

export type AuditInput = {
  action: string;
  actorId?: string | null;
  networkId?: string | null;
  officeId?: string | null;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
};

/**
 * Appends to the audit log. Pass the transaction of the change it records, so the
 * change and its audit entry commit together; security events without one use the pool.
 */
export async function recordAudit(event: AuditInput, tx?: TenantTx) {
  // createMany writes without RETURNING: the portal may append entries it may not read
  // back (RLS), e.g. a failed sign-in that belongs to nobody's scope.
  await (tx ?? getPrisma()).auditEvent.createMany({ data: [event] });
}
