import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Breadcrumbs, German, Paragraphs } from "~/ui/catalogue";
import { getMeasure } from "~/domains/catalogue/framework.server";
import { i18next } from "~/i18n/i18next.server";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";
import { getOptionalUser, membershipsOf } from "~/platform/auth/auth.server";
import { measureAchievementsFor } from "~/domains/plan/achievement.server";
import { MeasureAchievement } from "~/ui/achievement";
import { Section } from "~/ui/layout";

const measureCode = z.string().regex(/^\d{1,2}\.\d{1,2}$/);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const code = measureCode.safeParse(params.measure);
  if (!code.success) notFound();
  const measure = await getMeasure(params.version!, code.data);
  if (!measure) notFound();
  const t = await i18next.getFixedT(request, "catalogue");
  // What the measure achieved, per network of a signed-in member (stored aggregates under
  // the anonymity rule); anonymous visitors get nothing of it.
  const user = await getOptionalUser(request);
  const achievements = user
    ? await measureAchievementsFor({ id: user.id, memberships: await membershipsOf(user.id) }, measure)
    : [];
  return { measure, achievements, pageTitle: `${t("measure", { code: measure.code })}: ${measure.title}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function MeasurePage() {
  const { measure, achievements } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  const base = `/katalog/${measure.frameworkVersion.slug}`;
  const goal = measure.workField.goal;
  const link = (code: string) => `${base}/massnahmen/${code}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { to: "/", label: t("common:nav.home") },
          { to: base, label: measure.frameworkVersion.title },
          { to: `${base}/ziele/${goal.number}`, label: t("goal", { number: goal.number }) },
          { label: t("measure", { code: measure.code }) },
        ]}
      />
      <p className="eyebrow">
        {t("measure", { code: measure.code })} · {t("workField", { code: measure.workField.code })}:{" "}
        <German as="span">{measure.workField.title}</German>
      </p>
      <h1>
        <German as="span">{measure.title}</German>
      </h1>

      <section aria-labelledby="result-heading" className="card">
        <h2 id="result-heading">{t("result")}</h2>
        <German as="p">{measure.result}</German>
      </section>

      <Section id="activities-heading" title={t("activities")}>
        <ul lang="de" className="activities">
          {measure.activities.map((activity, i) => (
            <li key={i}>{activity}</li>
          ))}
        </ul>
      </Section>

      <MeasureAchievement items={achievements} code={measure.code} goal={goal.number} />

      {measure.explanation ? (
        <Section id="explanation-heading" title={t("measureExplanation")}>
          <Paragraphs text={measure.explanation} />
        </Section>
      ) : null}

      <MeasureLinks
        id="related-heading"
        title={t("related")}
        intro={t("relatedIntro")}
        measures={measure.relatedTo.map((r) => r.toMeasure)}
        link={link}
      />
      <MeasureLinks
        id="referenced-heading"
        title={t("referencedBy")}
        measures={measure.relatedFrom.map((r) => r.fromMeasure)}
        link={link}
      />

      {measure.workingAids.length ? (
        <Section id="aids-heading" title={t("workingAids")}>
          <ul className="aid-list">
            {measure.workingAids.map(({ workingAid: aid }) => (
              <li key={aid.code}>
                <strong>{t("workingAid", { code: aid.code })}:</strong> <German as="span">{aid.title}</German>
                {aid.description ? (
                  <German as="p" className="muted">
                    {aid.description}
                  </German>
                ) : null}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}

      <nav aria-label={t("pager")} className="pager">
        {measure.previous ? (
          <Link to={link(measure.previous.code)} rel="prev">
            ← {t("previous")}: {measure.previous.code} <German as="span">{measure.previous.title}</German>
          </Link>
        ) : (
          <span />
        )}
        {measure.next ? (
          <Link to={link(measure.next.code)} rel="next">
            {t("next")}: {measure.next.code} <German as="span">{measure.next.title}</German> →
          </Link>
        ) : null}
      </nav>
      <p>
        <Link to={`${base}/ziele/${goal.number}`}>{t("backToGoal", { number: goal.number })}</Link>
      </p>
    </>
  );
}

/** A titled list of links to other measures (cross-references in either direction). */
function MeasureLinks({
  id,
  title,
  intro,
  measures,
  link,
}: {
  id: string;
  title: string;
  intro?: string;
  measures: Array<{ code: string; title: string }>;
  link: (code: string) => string;
}) {
  if (!measures.length) return null;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {intro ? <p>{intro}</p> : null}
      <ul className="measure-list">
        {measures.map((m) => (
          <li key={m.code}>
            <Link to={link(m.code)}>
              <span className="code">{m.code}</span> <German as="span">{m.title}</German>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
