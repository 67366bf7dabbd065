import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { listFrameworkVersions } from "~/domains/catalogue/framework.server";

export async function loader() {
  const versions = await listFrameworkVersions();
  // With a single version there is nothing to choose: go straight to it.
  if (versions.length === 1) throw redirect(`/katalog/${versions[0].slug}`);
  return { versions };
}

export default function CatalogueVersions() {
  const { versions } = useLoaderData<typeof loader>();
  const { t } = useTranslation("catalogue");
  return (
    <>
      <h1>{t("versionsTitle")}</h1>
      <p>{t("versionsIntro")}</p>
      <ul className="link-list">
        {versions.map((v) => (
          <li key={v.slug}>
            <Link to={`/katalog/${v.slug}`}>{v.title}</Link>
          </li>
        ))}
      </ul>
    </>
  );
}
