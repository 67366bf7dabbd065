import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { getOptionalUser, requireActor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { listFrameworkVersions } from "~/domains/catalogue/framework.server";

export const meta: MetaFunction = () => [{ title: "ABH-Netz" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const [version] = await listFrameworkVersions();
  const actor = (await getOptionalUser(request)) ? await requireActor(request) : null;
  const places = actor
    ? actor.memberships.map((m) => ({
        ...m,
        mayCompare: !!m.officeId && can(actor, "office.compare", { networkId: m.networkId, officeId: m.officeId }),
      }))
    : null;
  return { version: version ?? null, places };
}

export default function Home() {
  const { version, places } = useLoaderData<typeof loader>();
  const { t } = useTranslation("home");
  const { t: to } = useTranslation("office");
  const { t: ta } = useTranslation("auth");
  const { t: tdash } = useTranslation("dashboard");
  return (
    <>
      <h1>{t("title")}</h1>
      <p className="lead">{t("intro")}</p>
      {places ? (
        <section aria-labelledby="places-heading" className="card">
          <h2 id="places-heading">{to("home.yourPlaces")}</h2>
          {places.length ? (
            <ul className="link-list">
              {places.map((p) => (
                <li key={`${p.networkId}-${p.officeId}-${p.role}`}>
                  {p.officeId ? (
                    <Link to={`/behoerden/${p.officeId}`}>{p.officeName}</Link>
                  ) : p.role === "NETWORK_ADMIN" ? (
                    <Link to={`/netzwerke/${p.networkSlug}/personen`}>{to("home.network", { name: p.networkName })}</Link>
                  ) : (
                    <span>{to("home.network", { name: p.networkName })}</span>
                  )}{" "}
                  – {ta(`roles.${p.role}`)}
                  {p.mayCompare ? (
                    <>
                      {" · "}
                      <Link to={`/behoerden/${p.officeId}/stand`}>{tdash("link")}</Link>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p>{to("home.none")}</p>
          )}
        </section>
      ) : null}
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
