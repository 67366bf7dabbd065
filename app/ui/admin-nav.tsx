import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Sub-navigation of a network's administration pages. */
export function AdminNav({ networkSlug }: { networkSlug: string }) {
  const { t } = useTranslation("admin");
  const { t: ts } = useTranslation("settings");
  const { t: tm } = useTranslation("monitoring");
  const { t: tj } = useTranslation("jobs");
  const { t: ta } = useTranslation("achievement");
  const base = `/netzwerke/${networkSlug}`;
  return (
    <nav aria-label={t("nav.label")} className="sub-nav">
      <ul>
        <li>
          <NavLink to={`${base}/personen`}>{t("nav.people")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/behoerden`} end>
            {t("nav.offices")}
          </NavLink>
        </li>
        <li>
          <NavLink to={`${base}/runden`}>{t("nav.rounds")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/monitoring`}>{tm("nav")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/plaene`}>{ta("plans.nav")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/protokoll`}>{t("nav.audit")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/einstellungen`}>{ts("nav")}</NavLink>
        </li>
        <li>
          <NavLink to={`${base}/auftraege`}>{tj("nav")}</NavLink>
        </li>
      </ul>
    </nav>
  );
}
