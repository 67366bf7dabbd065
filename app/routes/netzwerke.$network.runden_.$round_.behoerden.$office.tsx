import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { networkScope } from "./netzwerke.$network";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { viewSharedAssessment } from "~/domains/comparison/sharing.server";
import { formatDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

/**
 * One office's individual results of a round, for the network's admins – only while the
 * office shares them (the database enforces it). Every view is logged for the office.
 * Anything else is 404, without saying whether the office or a share exists.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const { round, office } = requireRouteIds(params, "round", "office");
  const shared = await viewSharedAssessment(actor, network.id, round, office);
  if (!shared) throw new Response("Not Found", { status: 404 });
  const language = (await i18next.getLocale(request)) as Language;
  const day = (d: Date) => formatDay(d, language);
  return {
    network: { slug: network.slug, name: network.name },
    office: shared.office,
    round: shared.round,
    submittedAt: day(shared.submittedAt),
    grantedAt: day(shared.grantedAt),
    goals: shared.goals,
    measures: shared.measures,
    pageTitle: `${shared.office.name} – ${shared.round.name}`,
  };
}

// Each view is logged, and the content is the office's: never served from a cache.
export const headers: HeadersFunction = () => ({ "Cache-Control": "private, no-store" });

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

const isWebLink = (link: string) => /^https?:\/\//i.test(link);

export default function SharedResults() {
  const { network, office, round, submittedAt, grantedAt, goals, measures } = useLoaderData<typeof loader>();
  const { t } = useTranslation("sharing");
  const { t: th } = useTranslation("history");
  const rating = (g: (typeof goals)[number]) =>
    g.rating === "notAssessed" ? (
      th("answer.notAssessed")
    ) : g.rating === null ? (
      <>
        <span aria-hidden="true">{th("answer.empty")}</span>
        <span className="visually-hidden">{th("answer.emptyLabel")}</span>
      </>
    ) : g.levelLabel ? (
      th("answer.level", { level: g.rating, label: g.levelLabel })
    ) : (
      String(g.rating)
    );
  return (
    <>
      <p className="eyebrow">{t("admin.eyebrow", { network: network.name })}</p>
      <h1>{t("admin.title", { office: office.name, round: round.name })}</h1>
      <p>
        <Link to={`/netzwerke/${network.slug}/runden/${round.id}`}>{t("admin.back")}</Link>
      </p>
      <p>{t("admin.intro", { date: grantedAt })}</p>
      <p>{t("admin.logged")}</p>
      <p>
        {t("admin.submitted", { date: submittedAt })} {t("admin.teamNote")}
      </p>

      <Section id="goals-heading" title={t("admin.goalsTitle")}>
        <DataTable
          caption={t("admin.goalsCaption")}
          columns={[t("admin.goal"), t("admin.rating"), t("admin.comment"), t("admin.evidence")]}
        >
          {goals.map((g) => (
            <tr key={g.number}>
              <th scope="row">{t("admin.goalName", { number: g.number, title: g.shortTitle })}</th>
              <td>{rating(g)}</td>
              <td>{g.comment || t("admin.empty")}</td>
              <td>
                {g.evidence || (g.evidenceLinks.length ? null : t("admin.empty"))}
                {g.evidenceLinks.length ? (
                  <ul>
                    {g.evidenceLinks.map((link) => (
                      <li key={link}>
                        {isWebLink(link) ? (
                          <a href={link} rel="noopener noreferrer">
                            {link}
                          </a>
                        ) : (
                          link
                        )}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="measures-heading" title={t("admin.measuresTitle")}>
        <DataTable
          caption={t("admin.measuresCaption")}
          columns={[t("admin.measure"), t("admin.need"), t("admin.effort"), t("admin.priority")]}
        >
          {measures.map((m) => (
            <tr key={m.code}>
              <th scope="row">{t("admin.measureName", { code: m.code, title: m.title })}</th>
              <td>{m.need ? th(`grade.${m.need}`) : t("admin.empty")}</td>
              <td>{m.effort ? th(`grade.${m.effort}`) : t("admin.empty")}</td>
              <td>
                {m.effective === null
                  ? t("admin.empty")
                  : m.override
                    ? t("admin.overridden", {
                        priority: th(`priority.${m.override}`),
                        rule: m.rulePriority ? th(`priority.${m.rulePriority}`) : th("priority.unset"),
                        reason: m.reason,
                      })
                    : th(`priority.${m.effective}`)}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </>
  );
}
