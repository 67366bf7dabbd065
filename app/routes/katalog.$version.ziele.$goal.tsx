import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Breadcrumbs, CatalogueSearch, German, Paragraphs } from "~/ui/catalogue";
import { getGoal, goalRatingScale } from "~/domains/catalogue/framework.server";
import { i18next } from "~/i18n/i18next.server";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

const goalNumber = z.coerce.number().int().min(1).max(99);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const number = goalNumber.safeParse(params.goal);
  if (!number.success) notFound();
  const goal = await getGoal(params.version!, number.data);
  if (!goal) notFound();
  const t = await i18next.getFixedT(request, "catalogue");
  const scale = goalRatingScale(goal.frameworkVersion.levels, goal.levelExamples);
  return { goal, scale, pageTitle: `${t("goal", { number: goal.number })}: ${goal.shortTitle}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function GoalPage() {
  const { goal, scale } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const version = goal.frameworkVersion;
  const base = `/katalog/${version.slug}`;
  const total = version._count.goals;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: "/", label: t("common:nav.home") },
          { to: base, label: version.title },
          { label: t("goal", { number: goal.number }) },
        ]}
      />
      <p className="eyebrow">{t("goal", { number: goal.number })}</p>
      <h1>
        <German as="span">{goal.shortTitle}</German>
      </h1>
      <German as="p" className="lead">
        {goal.title}
      </German>
      {goal.alternativeWording ? (
        <aside className="note" aria-labelledby="alt-heading">
          <h2 id="alt-heading" className="h4">
            {t("alternativeWording")}
          </h2>
          <German as="p">{goal.alternativeWording}</German>
          {goal.alternativeWordingNote ? (
            <German as="p" className="muted">
              {goal.alternativeWordingNote}
            </German>
          ) : null}
        </aside>
      ) : null}

      <Section id="explanation-heading" title={t("explanation")}>
        <Paragraphs text={goal.explanation} />
      </Section>

      <Section id="measures-heading" title={t("measuresInGoal")}>
        {goal.workFields.map((field) => (
          <section key={field.code} aria-labelledby={`wf-${field.code}`} className="work-field">
            <h3 id={`wf-${field.code}`}>
              {t("workField", { code: field.code })}: <German as="span">{field.title}</German>
            </h3>
            <ul className="measure-list">
              {field.measures.map((m) => (
                <li key={m.code}>
                  <Link to={`${base}/massnahmen/${m.code}`}>
                    <span className="code">{m.code}</span> <German as="span">{m.title}</German>
                  </Link>
                  <German as="p" className="muted">
                    {m.result}
                  </German>
                </li>
              ))}
            </ul>
          </section>
        ))}
      </Section>

      <Section id="scale-heading" title={t("scaleTitle")}>
        <p>{t("scaleIntro")}</p>
        <DataTable
          caption={t("scaleCaption", { number: goal.number })}
          columns={[t("scaleLevel"), t("scaleGeneral"), t("scaleExample")]}
        >
          {scale.map((level) => (
            <tr key={level.level}>
              <th scope="row">
                {level.level} – <span lang="de">{level.label}</span>
              </th>
              <td lang="de">{level.description}</td>
              <td lang="de">{level.example ?? "—"}</td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <nav aria-label={t("pager")} className="pager">
        {goal.number > 1 ? (
          <Link to={`${base}/ziele/${goal.number - 1}`} rel="prev">
            ← {t("previous")}: {t("goal", { number: goal.number - 1 })}
          </Link>
        ) : (
          <span />
        )}
        {goal.number < total ? (
          <Link to={`${base}/ziele/${goal.number + 1}`} rel="next">
            {t("next")}: {t("goal", { number: goal.number + 1 })} →
          </Link>
        ) : null}
      </nav>
      <CatalogueSearch versionSlug={version.slug} />
    </>
  );
}
