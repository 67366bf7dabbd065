import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { networkScope } from "./netzwerke.$network";
import { i18next } from "~/i18n/i18next.server";
import { listOffices } from "~/domains/network/offices.server";
import { documentTitle } from "~/ui/meta";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageOffices");
  const t = await i18next.getFixedT(request, "admin");
  return { network, offices: await listOffices(actor, network.id), pageTitle: `${t("offices.title")} – ${network.name}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function NetworkOffices() {
  const { network, offices } = useLoaderData<typeof loader>();
  const { t } = useTranslation("admin");
  const { t: to } = useTranslation("office");
  const number = (n: number | null) => (n === null ? "—" : n.toLocaleString("de-DE"));
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("offices.title")}</h1>
      <table className="data">
        <caption>{t("offices.caption", { network: network.name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("offices.name")}</th>
            <th scope="col">{t("offices.kind")}</th>
            <th scope="col">{t("offices.region")}</th>
            <th scope="col">{t("offices.clientsServed")}</th>
            <th scope="col">{t("offices.staffCount")}</th>
            <th scope="col">{t("offices.members")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("offices.edit")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {offices.map((o) => (
            <tr key={o.id}>
              <th scope="row">
                <Link to={`/behoerden/${o.id}`}>{o.name}</Link>
              </th>
              <td>{to(`kind.${o.kind}`)}</td>
              <td>{o.region ?? "—"}</td>
              <td>{number(o.clientsServed)}</td>
              <td>{number(o.staffCount)}</td>
              <td>{o._count.memberships}</td>
              <td>
                <Link to={o.id} aria-label={t("offices.editLabel", { name: o.name })}>
                  {t("offices.edit")}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
