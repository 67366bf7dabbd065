import { Form, Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { auditDetailLines } from "~/platform/audit/audit-details";
import { formatDateTime } from "~/utils/datetime";

type AuditView = {
  events: Array<{ id: string; createdAt: string; action: string; actor: string | null; office: string | null; details: unknown }>;
  olderThan: string | null;
  filter: { aktion?: string; von?: string; bis?: string };
  errors: Record<string, string>;
  actions: string[];
};

/** An entry's details as short labelled lines ("Kommentar: „alt“ → „neu“"), not JSON. */
function AuditDetails({ details }: { details: unknown }) {
  const { t, i18n } = useTranslation("audit");
  const lines = auditDetailLines(details, t, i18n.language === "en" ? "en" : "de");
  if (!lines.length) return null;
  return (
    <ul className="audit-details">
      {lines.map((line, i) => (
        <li key={i}>
          <span className="audit-details-label">{line.label}:</span> {line.value}
        </li>
      ))}
    </ul>
  );
}

/** The audit table with its filter (a GET form: works without JavaScript, shareable URL). */
export function AuditLog({ view, showOffice }: { view: AuditView; showOffice: boolean }) {
  const { t, i18n } = useTranslation("audit");
  const location = useLocation();
  const label = (action: string) => (i18n.exists(`audit:actions.${action}`) ? t(`actions.${action}`) : action);
  const olderParams = new URLSearchParams(location.search);
  if (view.olderThan) olderParams.set("vor", view.olderThan);
  const dateField = (name: "von" | "bis", text: string) => (
    <div className={view.errors[name] ? "field field-invalid" : "field"}>
      <label htmlFor={`audit-${name}`}>{text}</label>
      {view.errors[name] ? (
        <p id={`audit-${name}-error`} className="field-error">
          {t(view.errors[name])}
        </p>
      ) : null}
      <input
        id={`audit-${name}`}
        name={name}
        type="date"
        defaultValue={view.filter[name] ?? ""}
        aria-invalid={view.errors[name] ? true : undefined}
        aria-describedby={view.errors[name] ? `audit-${name}-error` : undefined}
      />
    </div>
  );
  return (
    <>
      <Form method="get" className="form audit-filter" aria-label={t("filter")}>
        <div className="field">
          <label htmlFor="audit-aktion">{t("filterAction")}</label>
          <select id="audit-aktion" name="aktion" defaultValue={view.filter.aktion ?? ""}>
            <option value="">{t("filterAll")}</option>
            {view.actions.map((a) => (
              <option key={a} value={a}>
                {label(a)}
              </option>
            ))}
          </select>
        </div>
        {dateField("von", t("filterFrom"))}
        {dateField("bis", t("filterTo"))}
        <button type="submit" className="button-secondary">
          {t("apply")}
        </button>
      </Form>
      {view.events.length ? (
        <table className="data">
          <caption>{t("caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("when")}</th>
              <th scope="col">{t("what")}</th>
              <th scope="col">{t("who")}</th>
              {showOffice ? <th scope="col">{t("where")}</th> : null}
              <th scope="col">{t("details")}</th>
            </tr>
          </thead>
          <tbody>
            {view.events.map((e) => (
              <tr key={e.id}>
                <td>{formatDateTime(new Date(e.createdAt), i18n.language === "en" ? "en" : "de")}</td>
                <th scope="row">{label(e.action)}</th>
                <td>{e.actor ?? t("system")}</td>
                {showOffice ? <td>{e.office ?? "—"}</td> : null}
                <td>
                  <AuditDetails details={e.details} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("none")}</p>
      )}
      {view.olderThan ? (
        <p>
          <Link to={`?${olderParams.toString()}`}>{t("older")}</Link>
        </p>
      ) : null}
    </>
  );
}
