import type { Actor } from "~/auth/auth.server";
import { withUser } from "~/db.server";

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

/** The team of one office and its open invitations. */
export async function listOfficeTeam(actor: Actor, officeId: string) {
  return withUser(actor.id, async (tx) => ({
    memberships: await tx.membership.findMany({
      where: { officeId },
      orderBy: [{ role: "asc" }, { user: { name: "asc" } }],
      select: { id: true, role: true, user: { select: { name: true, email: true } } },
    }),
    invitations: await tx.invitation.findMany({
      where: { officeId, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
  }));
}
