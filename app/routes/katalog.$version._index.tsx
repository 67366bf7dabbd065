import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Breadcrumbs, CatalogueSearch, German } from "~/ui/catalogue";
import { getCatalogueOverview } from "~/domains/catalogue/framework.server";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";

export async function loader({ params }: LoaderFunctionArgs) {
  const version = await getCatalogueOverview(params.version!);
  if (!version) notFound();
  return { version };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.version.title);

export default function CatalogueOverview() {
  const { version } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  return (
    <>
      <Breadcrumbs items={[{ to: "/", label: t("common:nav.home") }, { label: version.title }]} />
      <h1>{version.title}</h1>
      <p className="muted">
        {t("source")}: <German as="span">{version.source}</German>
      </p>
      {t("contentLanguageNote") ? <p className="note">{t("contentLanguageNote")}</p> : null}
      <CatalogueSearch versionSlug={version.slug} />

      <section aria-labelledby="goals-heading">
        <h2 id="goals-heading">{t("goalsTitle")}</h2>
        <p>{t("goalsIntro")}</p>
        <ol className="goal-grid">
          {version.goals.map((goal) => {
            const measures = goal.workFields.reduce((sum, wf) => sum + wf._count.measures, 0);
            return (
              <li key={goal.number} className="goal-card">
                <h3>
                  <Link to={`ziele/${goal.number}`}>
                    <span className="goal-number">{t("goal", { number: goal.number })}</span>{" "}
                    <German as="span">{goal.shortTitle}</German>
                  </Link>
                </h3>
                <German as="p">{goal.title}</German>
                <p className="muted">
                  {goal.workFields.map((wf) => t("workField", { code: wf.code })).join(" · ")} ·{" "}
                  {t("measureCount", { count: measures })}
                </p>
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="areas-heading">
        <h2 id="areas-heading">{t("designAreasTitle")}</h2>
        <p>{t("designAreasIntro")}</p>
        <dl className="design-areas">
          {version.designAreas.map((area) => (
            <div key={area.code}>
              <dt>
                {area.code}. <German as="span">{area.title}</German>
              </dt>
              <dd>
                <German as="p">{area.description}</German>
                {area.goals.length ? (
                  <p className="muted">
                    {t("designAreaGoals")}:{" "}
                    {area.goals
                      .map((g) => g.goal)
                      .sort((a, b) => a.number - b.number)
                      .map((g, i) => (
                        <span key={g.number}>
                          {i > 0 ? ", " : null}
                          <Link to={`ziele/${g.number}`}>{t("goal", { number: g.number })}</Link>
                        </span>
                      ))}
                  </p>
                ) : null}
              </dd>
            </div>
          ))}
        </dl>
      </section>
    </>
  );
}
