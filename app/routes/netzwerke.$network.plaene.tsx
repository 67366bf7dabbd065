import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { requestAchievementFigures } from "~/domains/plan/achievement.server";
import { useTranslation } from "react-i18next";
import { networkScope } from "./netzwerke.$network";
import { networkThreshold, planMonitoring, releasedPlans } from "~/domains/plan/achievement.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

/**
 * The ministry's view of the implementation plans (issue 21, item 9): aggregates over the
 * offices whose plans the admins cannot see (stored by abh_stats under the anonymity rule,
 * app/domains/plan/achievement.ts) and the list of released plans. Nothing of an unreleased
 * plan appears here except those aggregates. Printable as the network's plan summary; the
 * same figures are in the monitoring CSV/XLSX exports.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const language = (await i18next.getLocale(request)) as Language;
  const t = await i18next.getFixedT(request, "achievement");
  const [figures, released, k] = await Promise.all([
    planMonitoring(actor, network.id),
    releasedPlans(actor, network.id),
    networkThreshold(actor, network.id),
  ]);
  return {
    network: { slug: network.slug, name: network.name },
    k,
    figures: figures && {
      ...figures,
      computedAt: formatDateTime(figures.computedAt, language),
    },
    released: released.map((p) => ({
      id: p.id,
      office: p.office,
      cycle: p.cycle,
      phase: p.phase,
      releasedAt: p.releasedAt ? formatDay(p.releasedAt, language) : "",
    })),
    pageTitle: `${t("plans.title")} – ${network.name}`,
  };
}

/** "Jetzt neu berechnen": queues the network's computation (one job per network at a time). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  await requestAchievementFigures(actor, network.id);
  return redirect(`/netzwerke/${network.slug}/plaene?neu=1`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function NetworkPlans() {
  const { network, k, figures, released } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("achievement");
  const [searchParams] = useSearchParams();
  const percent = new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "de-DE", { maximumFractionDigits: 0 });
  return (
    <div className="monitoring">
      <p className="eyebrow">{network.name}</p>
      <h1>{t("plans.title")}</h1>
      <p>{t("plans.intro")}</p>
      {searchParams.get("neu") === "1" ? (
        <p role="status" className="form-success">
          {t("plans.requested")}
        </p>
      ) : null}
      <Form method="post">
        <button type="submit" className="button-secondary">
          {t("plans.recompute")}
        </button>
      </Form>

      <Section id="plan-figures-heading" title={t("plans.figuresTitle")}>
        {figures ? (
          <>
            <DataTable caption={t("plans.figuresCaption")} columns={[t("figure"), t("value")]}>
              <tr data-figure="plans">
                <th scope="row">{t("plans.withPlan")}</th>
                <td>{figures.plans.shown ? figures.plans.n : t("suppressed")}</td>
              </tr>
              <tr data-figure="doneShare">
                <th scope="row">{t("plans.doneShare")}</th>
                <td>
                  {figures.doneShare.shown
                    ? t("plans.doneShareValue", {
                        value: percent.format(figures.doneShare.median * 100),
                        n: figures.doneShare.n,
                      })
                    : t("suppressed")}
                </td>
              </tr>
            </DataTable>
            {figures.knownOffices ? <p className="muted">{t("plans.knownOffices", { count: figures.knownOffices })}</p> : null}
            <p className="muted">{t("rule", { k })}</p>
            <p className="muted">{t("computedAt", { date: figures.computedAt })}</p>

            <h3>{t("plans.mostPlannedTitle")}</h3>
            {figures.mostPlanned.length ? (
              <DataTable
                caption={t("plans.mostPlannedCaption", { k })}
                columns={[t("plans.measure"), t("plans.plannedBy"), t("plans.completedBy")]}
              >
                {figures.mostPlanned.map((m) => (
                  <tr key={m.measureId}>
                    <th scope="row" lang="de">
                      {m.code} {m.title}
                    </th>
                    <td>{m.planned}</td>
                    <td>{m.completed.shown ? m.completed.n : t("suppressed")}</td>
                  </tr>
                ))}
              </DataTable>
            ) : (
              <p>{t("plans.noneMostPlanned", { k })}</p>
            )}
          </>
        ) : (
          <p role="status">{t("pending")}</p>
        )}
      </Section>

      <Section id="released-heading" title={t("plans.releasedTitle")}>
        {released.length ? (
          <DataTable
            caption={t("plans.releasedCaption")}
            columns={[t("plans.office"), t("plans.cycle"), t("plans.phase"), t("plans.releasedAt")]}
          >
            {released.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={`/behoerden/${p.office.id}/plan`} aria-label={t("plans.open", { office: p.office.name })}>
                    {p.office.name}
                  </Link>
                </th>
                <td>{p.cycle}</td>
                <td>{t(`plans.phaseName.${p.phase}`)}</td>
                <td>{p.releasedAt}</td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p>{t("plans.noneReleased")}</p>
        )}
      </Section>
    </div>
  );
}
