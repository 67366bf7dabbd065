import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LegalPageView } from "~/ui/legal-page";
import { i18next } from "~/i18n/i18next.server";
import { getLegalPage } from "~/domains/catalogue/legal.server";
import { documentTitle } from "~/ui/meta";

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18next.getFixedT(request, "legal");
  return { ...(await getLegalPage("barrierefreiheit")), pageTitle: t("accessibility") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function Page() {
  const { t } = useTranslation("legal");
  const { html, file } = useLoaderData<typeof loader>();
  return <LegalPageView title={t("accessibility")} html={html} file={file} />;
}
