import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LegalPageView } from "~/components/legal-page";
import { getLegalPage } from "~/models/legal.server";

export const loader = () => getLegalPage("barrierefreiheit");

export const meta: MetaFunction = () => [{ title: "Erklärung zur Barrierefreiheit – ABH-Netz" }];

export default function Page() {
  const { t } = useTranslation("legal");
  return <LegalPageView title={t("accessibility")} {...useLoaderData<typeof loader>()} />;
}
