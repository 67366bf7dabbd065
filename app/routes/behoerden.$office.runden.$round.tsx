/**
 * The round layout (docs/decisions/0014): the assessment pages of an office in a round
 * nest here, inside the office layout. `roundScope` resolves the office (through the
 * office layout's `officeScope`) and its assessment in the round once per request and
 * authorises the page's action; 404 for an outsider or a round the office is not part of,
 * before a page renders. No page below resolves the assessment itself.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { assessmentInRound } from "~/domains/assessment/scope.server";
import { can } from "~/platform/auth/can";
import type { Action } from "~/platform/auth/permissions";
import { officeScope, type OfficeScope } from "./behoerden.$office";

type Args = Pick<LoaderFunctionArgs, "request" | "params" | "context">;
export type RoundScope = Awaited<ReturnType<typeof assessmentInRound<OfficeScope>>>;

const resolved = new WeakMap<object, Promise<RoundScope>>();

/**
 * The office's assessment in the round of the URL, resolved once per request, with
 * `action` authorised on the office first (403 before the round is looked up, as before).
 */
export async function roundScope(args: Args, action: Action = "office.assess"): Promise<RoundScope> {
  const { request, params, context } = args;
  const office = await officeScope(args, action);
  const shared = request.method === "GET" || request.method === "HEAD";
  const key = shared && typeof context === "object" && context !== null ? context : null;
  let scope = key ? resolved.get(key) : undefined;
  if (!scope) {
    scope = assessmentInRound(office, params.round);
    if (key) resolved.set(key, scope);
  }
  return scope;
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, assessment } = await roundScope(args);
  return {
    base: `/behoerden/${office.id}/runden/${assessment.round.id}`,
    roundName: assessment.round.name,
    mayManageSurvey: can(actor, "office.manageSurvey", { networkId: office.networkId, officeId: office.id }),
    mayWorkshop: can(actor, "office.workOnPlan", { networkId: office.networkId, officeId: office.id }),
  };
}

export default function RoundLayout() {
  const { base, roundName, mayManageSurvey, mayWorkshop } = useLoaderData<typeof loader>();
  const { t } = useTranslation("office");
  return (
    <>
      <nav aria-label={t("roundNav.label", { round: roundName })} className="sub-nav">
        <ul>
          <li>
            <NavLink to={base} end>
              {t("roundNav.overview")}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/massnahmen`}>{t("roundNav.measures")}</NavLink>
          </li>
          <li>
            <NavLink to={`${base}/abgeben`}>{t("roundNav.submit")}</NavLink>
          </li>
          {mayManageSurvey ? (
            <li>
              <NavLink to={`${base}/umfrage`}>{t("roundNav.survey")}</NavLink>
            </li>
          ) : null}
          {mayWorkshop ? (
            <li>
              <NavLink to={`${base}/workshop`}>{t("roundNav.workshop")}</NavLink>
            </li>
          ) : null}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}
