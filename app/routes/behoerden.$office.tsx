/**
 * The office layout (docs/decisions/0014): every page below /behoerden/:office nests here.
 * It resolves and authorises the office once per request – `officeScope` – and carries
 * the office's navigation, so any page is one click from its siblings. Outsiders get
 * 404 here, before a child renders.
 *
 * Remix runs the loaders of a layout and its pages in parallel, so the pages do not wait
 * for this loader's data: they call `officeScope(args, action)`, which shares one
 * resolution per request (memoised on the request's load context) and checks the page's
 * own action on it with can(). No page below resolves the office itself.
 *
 * The office's own action (the team: invite, revoke, withdraw) stays at /behoerden/:office
 * and therefore lives here; the overview page (._index) shows its result. No meta here: a
 * page refused to a member (403) must not show the office's name in its title either.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { authorize, can } from "~/platform/auth/can";
import type { Action } from "~/platform/auth/permissions";
import { requireOfficeEntry } from "~/platform/auth/scope.server";
import { handlePeopleAction } from "~/domains/people/invitations.server";
import { readForm } from "~/platform/http/forms";
import { SubNav } from "~/ui/layout";

type Args = Pick<LoaderFunctionArgs, "request" | "params" | "context">;
export type OfficeScope = Awaited<ReturnType<typeof requireOfficeEntry>>;

/** One resolution per request: the load context is the same object for all loaders of a request. */
const resolved = new WeakMap<object, Promise<OfficeScope>>();

/**
 * The office of the URL and the signed-in person, resolved once per request (404 for an
 * outsider), and `action` authorised on it (403 for a member without the right).
 */
export async function officeScope(args: Args, action: Action = "office.view"): Promise<OfficeScope> {
  const found = await officeEntry(args);
  authorize(found.actor, action, { networkId: found.office.networkId, officeId: found.office.id });
  return found;
}

/**
 * The office for anyone who may enter its pages ("office.enter": members, the network's
 * admins, assigned consultants), without a page's own check – for the layouts (this one and
 * the plan's), which check their own rule on it.
 */
export async function officeEntry({ request, params, context }: Args): Promise<OfficeScope> {
  // A post resolves afresh: its action may change who may do what before the loaders run.
  const shared = request.method === "GET" || request.method === "HEAD";
  const key = shared && typeof context === "object" && context !== null ? context : null;
  let scope = key ? resolved.get(key) : undefined;
  if (!scope) {
    scope = requireOfficeEntry(request, params.office);
    if (key) resolved.set(key, scope);
  }
  return scope;
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office } = await officeEntry(args);
  const target = { networkId: office.networkId, officeId: office.id };
  // Ids and flags only: when a page below is refused (403), Remix still serialises this
  // layout's data into the error document; it must not carry the office's details.
  return {
    office: { id: office.id },
    // Only links to pages this person may open.
    nav: {
      overview: can(actor, "office.view", target),
      // The plan layout decides what this person may read of the plan (admins: released
      // plans only); the link shows for the team, assigned consultants and the admins.
      plan:
        can(actor, "office.workOnPlan", target) ||
        office.consultantIds.includes(actor.id) ||
        can(actor, "network.monitor", target),
      standing: can(actor, "office.compare", target),
      comparison: can(actor, "office.compare", target),
      history: can(actor, "office.assess", target),
      report: can(actor, "office.compare", target),
      sharing: can(actor, "office.manageSharing", target),
      audit: can(actor, "office.viewAudit", target),
    },
  };
}

/** The team of the office (thin: the form is parsed and authorised in handlePeopleAction). */
export async function action(args: ActionFunctionArgs) {
  const { actor, office } = await officeScope(args, "office.manageStaff");
  const result = await handlePeopleAction(actor, await readForm(args.request), {
    networkId: office.networkId,
    officeId: office.id,
  });
  if ((result.status === 403 && !result.errors) || result.status === 404) throw new Response(null, { status: result.status });
  return data(result, { status: result.status });
}

export type OfficeOutletContext = { teamResult: ReturnType<typeof useActionData<typeof action>> };

export default function OfficeLayout() {
  const { office, nav } = useLoaderData<typeof loader>();
  const teamResult = useActionData<typeof action>();
  const { t } = useTranslation("office");
  const base = `/behoerden/${office.id}`;
  const links = [
    { to: base, label: t("nav.overview"), end: true, show: nav.overview },
    { to: `${base}/stand`, label: t("nav.standing"), show: nav.standing },
    { to: `${base}/vergleich`, label: t("nav.comparison"), show: nav.comparison },
    { to: `${base}/verlauf`, label: t("nav.history"), show: nav.history },
    { to: `${base}/bericht`, label: t("nav.report"), show: nav.report },
    { to: `${base}/plan`, label: t("nav.plan"), show: nav.plan },
    { to: `${base}/freigabe`, label: t("nav.sharing"), show: nav.sharing },
    { to: `${base}#team-heading`, label: t("nav.team"), end: true, show: nav.overview, plain: true },
    { to: `${base}/protokoll`, label: t("nav.audit"), show: nav.audit },
  ].filter((l) => l.show);
  return (
    <>
      <SubNav label={t("nav.label")} links={links} />
      <Outlet context={{ teamResult } satisfies OfficeOutletContext} />
    </>
  );
}
