import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/**
 * The plan's files, for the plan pages: the Excel aid, CSV and PDF downloads (plain links –
 * a download is no navigation, so no client-side routing), and the import page for those
 * who may contribute. The plan overview includes it below its content.
 */
export function PlanFileLinks({ officeId, showImport }: { officeId: string; showImport: boolean }) {
  const { t } = useTranslation("planExport");
  const base = `/behoerden/${officeId}/plan`;
  return (
    <nav aria-label={t("links.label")} className="plan-files">
      <h2>{t("links.heading")}</h2>
      <ul>
        <li>
          <a href={`${base}/export/xlsx`} download>
            {t("links.xlsx")}
          </a>
        </li>
        <li>
          <a href={`${base}/export/csv`} download>
            {t("links.csv")}
          </a>
        </li>
        <li>
          <a href={`${base}/export/pdf`} download>
            {t("links.pdf")}
          </a>
        </li>
        {showImport ? (
          <li>
            <Link to={`${base}/import`}>{t("links.import")}</Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}
