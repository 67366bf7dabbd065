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
  await (tx ?? getPrisma()).auditEvent.create({ data: event });
}
