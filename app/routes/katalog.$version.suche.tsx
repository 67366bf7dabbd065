import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Breadcrumbs, CatalogueSearch, German } from "~/ui/catalogue";
import { getCatalogueOverview, searchCatalogue } from "~/domains/catalogue/framework.server";
import { MARK_END, MARK_START } from "~/ui/highlight";
import { i18next } from "~/i18n/i18next.server";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";

const MAX_QUERY = 200;
const querySchema = z.string().trim().max(MAX_QUERY);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const version = await getCatalogueOverview(params.version!);
  if (!version) notFound();
  const raw = new URL(request.url).searchParams.get("q") ?? "";
  const parsed = querySchema.safeParse(raw);
  const t = await i18next.getFixedT(request, "catalogue");
  const base = {
    version: { slug: version.slug, title: version.title },
    pageTitle: raw ? `${t("searchTitle")}: ${raw.slice(0, 60)}` : t("searchTitle"),
  };
  if (!parsed.success) {
    // Keep what was typed and say what is wrong; 400, not 500.
    return data({ ...base, query: raw.slice(0, MAX_QUERY * 2), error: "tooLong" as const, results: null }, { status: 400 });
  }
  if (!parsed.data) return { ...base, query: "", error: null, results: null };
  const results = await searchCatalogue(version.slug, parsed.data);
  return { ...base, query: parsed.data, error: null, results };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

/** Renders ts_headline's markers as <mark> without ever injecting HTML. */
function Snippet({ text }: { text: string }) {
  const parts = text.split(MARK_START);
  return (
    <German as="p" className="snippet">
      {parts.map((part, i) => {
        if (i === 0) return <span key={i}>{part}</span>;
        const [marked, rest] = part.split(MARK_END);
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        );
      })}
    </German>
  );
}

export default function SearchPage() {
  const { version, query, error, results } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const base = `/katalog/${version.slug}`;
  const count = results ? results.goals.length + results.measures.length : 0;
  return (
    <>
      <Breadcrumbs
        items={[{ to: "/", label: t("common:nav.home") }, { to: base, label: version.title }, { label: t("searchTitle") }]}
      />
      <h1>{t("searchTitle")}</h1>
      <CatalogueSearch
        versionSlug={version.slug}
        defaultValue={query}
        error={error ? t("validation:searchTooLong", { max: MAX_QUERY }) : undefined}
      />
      <div aria-live="polite" className="search-status">
        {results ? (
          <p>{count ? t("searchResults", { count, query }) : t("searchNoResults", { query })}</p>
        ) : !error ? (
          <p className="muted">{t("searchEmpty")}</p>
        ) : null}
      </div>
      {results?.goals.length ? (
        <section aria-labelledby="goal-hits">
          <h2 id="goal-hits">{t("searchGoals")}</h2>
          <ul className="measure-list">
            {results.goals.map((g) => (
              <li key={g.number}>
                <Link to={`${base}/ziele/${g.number}`}>
                  {t("goal", { number: g.number })}: <German as="span">{g.shortTitle}</German>
                </Link>
                <German as="p" className="muted">
                  {g.title}
                </German>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {results?.measures.length ? (
        <section aria-labelledby="measure-hits">
          <h2 id="measure-hits">{t("searchMeasures")}</h2>
          <ul className="measure-list">
            {results.measures.map((m) => (
              <li key={m.code}>
                <Link to={`${base}/massnahmen/${m.code}`}>
                  <span className="code">{m.code}</span> <German as="span">{m.title}</German>
                </Link>
                <Snippet text={m.snippet} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
