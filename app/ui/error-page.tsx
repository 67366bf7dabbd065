import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** The friendly page for 4xx/5xx; never shows technical details to the visitor. */
export function ErrorPage({
  status,
  message,
}: {
  status: number;
  /** What exactly is not possible (an i18n key from a domain error, app/platform/errors.ts). */
  message?: { key: string; params: Record<string, string | number> } | null;
}) {
  const { t } = useTranslation("errors");
  const [title, text] =
    status === 404
      ? [t("notFoundTitle"), t("notFoundText")]
      : status === 403
        ? [t("forbiddenTitle"), t("forbiddenText")]
        : status === 400
          ? [t("badRequestTitle"), t("serverText")]
          : status === 413
            ? [t("tooLargeTitle"), t("tooLargeText")]
            : status === 409
              ? [t("conflictTitle"), t("conflictText")]
              : [t("serverTitle"), t("serverText")];
  return (
    <section className="error-page" aria-labelledby="error-title">
      <p className="error-code">{status}</p>
      <h1 id="error-title">{title}</h1>
      <p>{message ? t(message.key, { ...message.params, defaultValue: text }) : text}</p>
      <p>
        <Link to="/">{t("backHome")}</Link>
      </p>
    </section>
  );
}
