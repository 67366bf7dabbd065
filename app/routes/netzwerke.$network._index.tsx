import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { can } from "~/platform/auth/can";
import { NotFoundError } from "~/platform/errors";
import { networkScope } from "./netzwerke.$network";

/** /netzwerke/:network has no page of its own: its administrators start with the people, everyone else gets 404 as before. */
export async function loader(args: LoaderFunctionArgs) {
  const { actor, network } = await networkScope(args);
  if (!can(actor, "network.manageRoles", { networkId: network.id })) throw new NotFoundError();
  return redirect(`/netzwerke/${network.slug}/personen`);
}
