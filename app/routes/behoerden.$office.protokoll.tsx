import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { officeScope } from "./behoerden.$office";
import { AuditLog } from "~/ui/audit-log";
import { i18next } from "~/i18n/i18next.server";
import { auditPage } from "~/platform/audit/audit.server";
import { documentTitle } from "~/ui/meta";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.viewAudit");
  const { status, view } = await auditPage(request, actor, { networkId: office.networkId, officeId: office.id });
  const t = await i18next.getFixedT(request, "audit");
  return data({ office, view, pageTitle: `${t("title")} – ${office.name}` }, { status });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function OfficeAudit() {
  const { office, view } = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      <p className="muted">{t("contentNote")}</p>
      <AuditLog view={view} showOffice={false} />
    </>
  );
}
