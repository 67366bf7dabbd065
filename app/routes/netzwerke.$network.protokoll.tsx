import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { networkScope } from "./netzwerke.$network";
import { AuditLog } from "~/ui/audit-log";
import { i18next } from "~/i18n/i18next.server";
import { auditPage } from "~/platform/audit/audit.server";
import { documentTitle } from "~/ui/meta";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.viewAudit");
  const { status, view } = await auditPage(request, actor, { networkId: network.id });
  const t = await i18next.getFixedT(request, "audit");
  return data({ network, view, pageTitle: `${t("title")} – ${network.name}` }, { status });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function NetworkAudit() {
  const { network, view } = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <p className="muted">{t("contentNote")}</p>
      <AuditLog view={view} showOffice />
    </>
  );
}
