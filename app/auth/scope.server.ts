import { z } from "zod";
import { withUser } from "~/db.server";
import { type Actor, requireActor } from "./auth.server";
import { type Action, can, isInNetwork } from "./permissions";

const uuid = z.uuid();

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
  if (!network || !isInNetwork(actor.memberships, network.id)) throw new Response("Not Found", { status: 404 });
  if (!can(actor.memberships, action, { networkId: network.id })) throw new Response("Forbidden", { status: 403 });
  return { actor, network };
}

/** Same for an office: 404 unless the person belongs to its network and may see it, 403 without the right. */
export async function requireOffice(request: Request, officeId: string | undefined, action: Action) {
  const actor = await requireActor(request);
  const id = uuid.safeParse(officeId);
  const office = id.success
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
          },
        }),
      )
    : null;
  if (!office || !can(actor.memberships, "office.view", { networkId: office.networkId, officeId: office.id })) {
    throw new Response("Not Found", { status: 404 });
  }
  if (!can(actor.memberships, action, { networkId: office.networkId, officeId: office.id }))
    throw new Response("Forbidden", { status: 403 });
  return { actor, office };
}

export type Scoped = { actor: Actor };
