/**
 * The network layout (docs/decisions/0014): the administration pages of a network nest
 * here. `networkScope` resolves the network of the URL once per request (404 for anyone
 * outside it) and authorises the page's action on it with can(); the layout carries the
 * administration's navigation for those who administer the network.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { authorize, can } from "~/platform/auth/can";
import type { Action } from "~/platform/auth/permissions";
import { requireNetwork } from "~/platform/auth/scope.server";
import { AdminNav } from "~/ui/admin-nav";

type Args = Pick<LoaderFunctionArgs, "request" | "params" | "context">;
export type NetworkScope = Awaited<ReturnType<typeof requireNetwork>>;

const resolved = new WeakMap<object, Promise<NetworkScope>>();

/** The network of the URL, resolved once per request (404 for outsiders), with `action` authorised (403). */
export async function networkScope({ request, params, context }: Args, action: Action = "network.view"): Promise<NetworkScope> {
  // A post resolves afresh: its action may change who may do what before the loaders run.
  const shared = request.method === "GET" || request.method === "HEAD";
  const key = shared && typeof context === "object" && context !== null ? context : null;
  let scope = key ? resolved.get(key) : undefined;
  if (!scope) {
    scope = requireNetwork(request, params.network, "network.view");
    if (key) resolved.set(key, scope);
  }
  const found = await scope;
  authorize(found.actor, action, { networkId: found.network.id });
  return found;
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, network } = await networkScope(args);
  return { slug: network.slug, administers: can(actor, "network.manageOffices", { networkId: network.id }) };
}

export default function NetworkLayout() {
  const { slug, administers } = useLoaderData<typeof loader>();
  return (
    <>
      {administers ? <AdminNav networkSlug={slug} /> : null}
      <Outlet />
    </>
  );
}
