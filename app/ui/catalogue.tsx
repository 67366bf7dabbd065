import { Form, Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Framework texts are German; mark them so screen readers pronounce them right in the English UI. */
export function German({
  children,
  as: Tag = "div",
  className,
}: {
  children: React.ReactNode;
  as?: "div" | "span" | "p" | "h1" | "h2" | "h3" | "li";
  className?: string;
}) {
  return (
    <Tag lang="de" className={className}>
      {children}
    </Tag>
  );
}

/** Explanation texts arrive as paragraphs separated by blank lines. */
export function Paragraphs({ text }: { text: string }) {
  return (
    <div lang="de" className="prose">
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>{paragraph}</p>
      ))}
    </div>
  );
}

export function Breadcrumbs({ items }: { items: Array<{ to?: string; label: string }> }) {
  const { t } = useTranslation("common");
  return (
    <nav aria-label={t("breadcrumb")} className="breadcrumbs">
      <ol>
        {items.map((item, i) => (
          <li key={i}>
            {item.to && i < items.length - 1 ? (
              <Link to={item.to}>{item.label}</Link>
            ) : (
              <span aria-current={i === items.length - 1 ? "page" : undefined}>{item.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A GET form: searching works without JavaScript and results have a shareable URL. */
export function CatalogueSearch({
  versionSlug,
  defaultValue = "",
  error,
}: {
  versionSlug: string;
  defaultValue?: string;
  error?: string;
}) {
  const { t } = useTranslation("catalogue");
  return (
    <Form method="get" action={`/katalog/${versionSlug}/suche`} role="search" className="catalogue-search">
      <label htmlFor="catalogue-q">{t("searchLabel")}</label>
      <div className="search-row">
        <input
          id="catalogue-q"
          type="search"
          name="q"
          defaultValue={defaultValue}
          placeholder={t("searchPlaceholder")}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? "catalogue-q-error" : undefined}
        />
        <button type="submit">{t("searchButton")}</button>
      </div>
      {error ? (
        <p id="catalogue-q-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </Form>
  );
}
