import { z } from "zod";
import { withUser } from "~/platform/db.server";
import { type Actor, requireActor } from "./auth.server";
import { NotFoundError } from "~/platform/errors";
import { authorize } from "./can";
import type { Action } from "./permissions";

const uuid = z.uuid();

/**
 * Route ids are UUIDs: a parameter that is not one (36 dashes, "abc", far too long) is a
 * 404 here, at the edge, before any query would fail to cast it (a 500). Call first in a
 * loader or action with the names of the route's id parameters; returns them checked.
 */
export function requireRouteIds<N extends string>(params: Partial<Record<string, string>>, ...names: N[]): Record<N, string> {
  const ids = {} as Record<N, string>;
  for (const name of names) {
    const id = uuid.safeParse(params[name]);
    if (!id.success) throw new NotFoundError();
    ids[name] = id.data;
  }
  return ids;
}

/**
 * Resolves the network of a URL for the signed-in person. Outsiders get 404 (the
 * network's existence is not confirmed), members without the right get 403.
 */
export async function requireNetwork(request: Request, slug: string | undefined, action: Action) {
  const actor = await requireActor(request);
  const network = slug
    ? await withUser(actor.id, (tx) =>
        tx.network.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, state: true } }),
      )
    : null;
  if (!network) throw new NotFoundError();
  authorize(actor, action, { networkId: network.id });
  return { actor, network };
}

/** Same for an office: 404 unless the person belongs to its network and may see it, 403 without the right. */
export async function requireOffice(request: Request, officeId: string | undefined, action: Action) {
  const found = await requireOfficeEntry(request, officeId);
  authorize(found.actor, action, { networkId: found.office.networkId, officeId: found.office.id });
  return found;
}

/**
 * The office of the URL for anyone who may enter its pages at all ("office.enter"): its
 * members, the network's admins, and consultants assigned to it (who see its plan only).
 * 404 for everyone else. `office.consultantIds` lists the assigned consultants (readable
 * under RLS by the office, the admins and the consultant themselves).
 */
export async function requireOfficeEntry(request: Request, officeId: string | undefined) {
  const actor = await requireActor(request);
  const id = uuid.safeParse(officeId);
  const row = id.success
    ? await withUser(actor.id, (tx) =>
        tx.office.findUnique({
          where: { id: id.data },
          select: {
            id: true,
            name: true,
            kind: true,
            region: true,
            networkId: true,
            network: { select: { name: true, slug: true } },
            consultantAssignments: { select: { consultantId: true } },
          },
        }),
      )
    : null;
  if (!row) throw new NotFoundError();
  const { consultantAssignments, ...rest } = row;
  const office = { ...rest, consultantIds: consultantAssignments.map((a) => a.consultantId) };
  authorize(actor, "office.enter", { networkId: office.networkId, officeId: office.id, consultantIds: office.consultantIds });
  return { actor, office };
}

export type Scoped = { actor: Actor };
