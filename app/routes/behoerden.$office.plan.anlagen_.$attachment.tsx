/**
 * Downloads one attachment of the plan. Authorised on every request: the office (404 for
 * outsiders, from the plan layout's resolution), the attachment under row-level security
 * (404 when it is not there or hidden), and "plan.read" on the attachment's own plan – the
 * network's admins only where the office released it. The answer is always a download
 * (Content-Disposition: attachment, nosniff, no caching; app/platform/storage).
 *
 * A resource route (no component): the layouts' loaders do not run for it, so it resolves
 * the scope through planScope like every page below the plan.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { planScope } from "./behoerden.$office.plan";
import { findAttachment } from "~/domains/plan/attachments.server";
import { authorize } from "~/platform/auth/can";
import { NotFoundError } from "~/platform/errors";
import { getStorage } from "~/platform/storage/index.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, subject } = await planScope(args);
  const id = args.params.attachment ?? "";
  if (!UUID.test(id)) throw new NotFoundError();
  const attachment = await findAttachment(actor, office.id, id);
  authorize(actor, "plan.read", { ...subject, released: attachment.plan.releasedAt !== null });
  return getStorage().download({ kind: "office", officeId: office.id }, attachment.storageKey);
}
