/**
 * The plan layout: every page of the implementation plan nests here (issue 21). It resolves
 * the office (via the office layout's shared resolution) and the office's open plan once per
 * request – `planScope` – checks "plan.read" (members, assigned consultants, the network's
 * admins only where the office released the plan) and carries the plan's navigation.
 *
 * A page below calls `planScope(args)` and then authorises its own action with can() on
 * `scope.subject` ("plan.manage", "plan.contribute", "activity.update" …). No page below
 * resolves the office or the plan itself.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { officeEntry } from "./behoerden.$office";
import { openPlan, type PlanHead } from "~/domains/plan/scope.server";
import { authorize, can } from "~/platform/auth/can";
import { SubNav } from "~/ui/layout";

/**
 * The overview's action, also at the layout's own path: a form posted to /behoerden/:office/plan
 * without "?index" reaches the layout (as with the office layout and its team action).
 */
export { action } from "./behoerden.$office.plan._index";

type Args = Pick<LoaderFunctionArgs, "request" | "params" | "context">;

export type PlanScope = Awaited<ReturnType<typeof officeEntry>> & {
  /** The open plan, or null: none started yet (or, for an admin, none released). */
  plan: PlanHead | null;
  /** The subject for can(): pass it with the page's action. */
  subject: { networkId: string; officeId: string; closed: boolean; released: boolean; consultantIds: readonly string[] };
};

const resolved = new WeakMap<object, Promise<PlanScope>>();

/** The office and its open plan for this request, with "plan.read" checked (404 for outsiders, 403 for a member without it). */
export async function planScope(args: Args): Promise<PlanScope> {
  const shared = args.request.method === "GET" || args.request.method === "HEAD";
  const key = shared && typeof args.context === "object" && args.context !== null ? args.context : null;
  let scope = key ? resolved.get(key) : undefined;
  if (!scope) {
    scope = resolvePlan(args);
    if (key) resolved.set(key, scope);
  }
  return scope;
}

async function resolvePlan(args: Args): Promise<PlanScope> {
  const found = await officeEntry(args);
  const { actor, office } = found;
  const plan = await openPlan(actor, office.id);
  const subject = {
    networkId: office.networkId,
    officeId: office.id,
    closed: plan?.closedAt != null,
    released: plan?.releasedAt != null,
    consultantIds: office.consultantIds,
  };
  // An admin without a released plan may still open the plan page: it says that only released
  // plans are shown, without telling whether the office has one.
  if (!can(actor, "network.monitor", subject)) authorize(actor, "plan.read", subject);
  return { ...found, plan, subject };
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  const readable = can(actor, "plan.read", subject);
  return {
    office: { id: office.id },
    nav: {
      show: readable && plan !== null,
      team: can(actor, "office.workOnPlan", subject),
    },
  };
}

export default function PlanLayout() {
  const { office, nav } = useLoaderData<typeof loader>();
  const { t } = useTranslation("plan");
  const base = `/behoerden/${office.id}/plan`;
  const links = [
    { to: base, label: t("nav.overview"), end: true, show: true },
    { to: `${base}/phasen`, label: t("nav.phases"), show: nav.show },
    { to: `${base}/zeitplan`, label: t("nav.timeline"), show: nav.show },
    { to: `${base}/gesamtkonzept`, label: t("nav.strategy"), show: nav.show },
    { to: `${base}/anlagen`, label: t("nav.attachments"), show: nav.show },
    { to: `${base}/import`, label: t("nav.import"), show: nav.show && nav.team },
    { to: `${base}/anlagen`, label: t("planAttachments:navLabel"), show: nav.show },
  ].filter((l) => l.show);
  return (
    <>
      {links.length > 1 ? <SubNav label={t("nav.label")} links={links} /> : null}
      <Outlet />
    </>
  );
}
