import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { assignedOffices } from "~/domains/plan/consultants.server";
import { requireActor } from "~/platform/auth/auth.server";
import { i18next } from "~/i18n/i18next.server";
import { documentTitle } from "~/ui/meta";

/**
 * A consultant's start (issue 21): the offices assigned to them, each with a link to its
 * implementation plan (readable for assigned consultants, app_plan_office_ids). Everyone
 * signed in may open it; it lists only their own assignments (RLS).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const t = await i18next.getFixedT(request, "achievement");
  return { offices: await assignedOffices(actor), pageTitle: t("landing.title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function ConsultantLanding() {
  const { offices } = useLoaderData<typeof loader>();
  const { t } = useTranslation("achievement");
  return (
    <>
      <h1>{t("landing.title")}</h1>
      {offices.length ? (
        <>
          <p>{t("landing.intro")}</p>
          <ul className="action-list">
            {offices.map((o) => (
              <li key={o.id}>
                <Link to={`/behoerden/${o.id}/plan`}>{t("landing.plan", { office: o.name })}</Link>{" "}
                <span className="muted">({o.network})</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>{t("landing.none")}</p>
      )}
    </>
  );
}
