import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listFrameworkVersions } from "~/models/framework.server";

export const meta: MetaFunction = () => [{ title: "ABH-Netz" }];

export async function loader() {
  const [version] = await listFrameworkVersions();
  return { version: version ?? null };
}

export default function Home() {
  const { version } = useLoaderData<typeof loader>();
  const { t } = useTranslation("home");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {version ? (
        <section aria-labelledby="catalogue-heading" className="card">
          <h2 id="catalogue-heading">{t("catalogueTitle")}</h2>
          <p>
            {t("catalogueText", {
              goals: version._count.goals,
              workFields: version._count.workFields,
              measures: version._count.measures,
            })}
          </p>
          <p>
            <Link to={`/katalog/${version.slug}`} className="button">
              {t("catalogueLink")}
            </Link>
          </p>
        </section>
      ) : null}
      <section aria-labelledby="who-heading">
        <h2 id="who-heading">{t("whoTitle")}</h2>
        <ul className="who-list">
          <li>{t("who.ministry")}</li>
          <li>{t("who.heads")}</li>
          <li>{t("who.staff")}</li>
          <li>{t("who.consultants")}</li>
        </ul>
      </section>
    </>
  );
}
