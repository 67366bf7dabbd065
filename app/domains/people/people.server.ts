import type { Actor } from "~/platform/auth/auth.server";
import { type TenantTx, withUser } from "~/platform/db.server";

/** Adds who invited each member (the name of the inviting person, null for founding members). */
async function withInviters<M extends { createdById: string | null }>(tx: TenantTx, memberships: M[]) {
  const ids = [...new Set(memberships.map((m) => m.createdById).filter((id): id is string => id !== null))];
  const inviters = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(inviters.map((u) => [u.id, u.name]));
  return memberships.map(({ createdById, ...m }) => ({ ...m, invitedBy: createdById ? (names.get(createdById) ?? null) : null }));
}

/** Members and open invitations of a network (network admins; RLS limits the rows). */
export async function listNetworkPeople(actor: Actor, networkId: string) {
  return withUser(actor.id, async (tx) => ({
    memberships: await tx.membership.findMany({
      where: { networkId },
      orderBy: [{ office: { name: "asc" } }, { user: { name: "asc" } }],
      select: {
        id: true,
        role: true,
        user: { select: { name: true, email: true } },
        office: { select: { id: true, name: true } },
      },
    }),
    invitations: await tx.invitation.findMany({
      where: { networkId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true, office: { select: { name: true } } },
    }),
    offices: await tx.office.findMany({ where: { networkId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
  }));
}

/** The team of one office (each member with who invited them) and its open invitations. */
export async function listOfficeTeam(actor: Actor, officeId: string) {
  return withUser(actor.id, async (tx) => ({
    memberships: await withInviters(
      tx,
      await tx.membership.findMany({
        where: { officeId },
        orderBy: [{ role: "asc" }, { user: { name: "asc" } }],
        select: { id: true, role: true, createdById: true, user: { select: { name: true, email: true } } },
      }),
    ),
    invitations: await tx.invitation.findMany({
      where: { officeId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
  }));
}
