import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { networkScope } from "./netzwerke.$network";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { NetworkProfileTable, useNetworkProfile } from "~/ui/network-profile";
import { getRoundSummary, type NetworkProfile } from "~/domains/comparison/monitoring.server";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { documentTitle } from "~/ui/meta";
import { Section } from "~/ui/layout";

/**
 * One round on one printed page for the ministry: participation, reminders and – once the
 * round is closed – the network's goal profile (aggregates under the anonymity rule, with
 * the change since the previous closed round). No office names, no office's ratings.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const summary = await getRoundSummary(actor, network.id, requireRouteIds(params, "round").round);
  if (!summary) throw new Response("Not Found", { status: 404 });
  const language = (await i18next.getLocale(request)) as Language;
  const t = await i18next.getFixedT(request, "monitoring");
  const day = (d: Date) => formatDay(d, language);
  const now = new Date();
  const { round, profile } = summary;
  const state = round.closedAt
    ? t("summary.closed", { date: day(round.closedAt) })
    : round.opensAt > now
      ? t("summary.upcoming", { date: day(round.opensAt) })
      : t("summary.open", { date: day(now) });
  return {
    network: { slug: network.slug, name: network.name },
    round: {
      id: round.id,
      name: round.name,
      period: t("summary.period", { opensAt: day(round.opensAt), deadline: day(round.deadline) }),
      state,
      participants: round.participants,
      figures: {
        submittedOnTime: round.submittedOnTime,
        submittedLate: round.submittedLate,
        inProgress: round.inProgress,
        notStarted: round.notStarted,
        overdue: round.overdue,
      },
      remindersAutomatic: round.remindersAutomatic,
      remindersManual: round.remindersManual,
    },
    profile,
    footer: t("summary.footer", { network: network.name, date: formatDateTime(now, language) }),
    pageTitle: `${t("summary.title", { round: round.name })} – ${network.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

/** Print rules: app/styles/app.css, block "Ministry monitoring and printable round summary" (the CSP allows no inline styles). */
export default function RoundSummaryPage() {
  const { network, round, profile, footer } = useLoaderData<typeof loader>();
  const { t, i18n } = useTranslation("monitoring");
  const locale = i18n.language === "en" ? "en-GB" : "de-DE";
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const share = (count: number) =>
    round.participants > 0 ? t("share", { count, share: percent.format(count / round.participants) }) : String(count);

  return (
    <div className="print-summary">
      <p className="print-summary-screen">
        <Link to={`/netzwerke/${network.slug}/monitoring`}>{t("summary.back")}</Link>
      </p>
      <p className="eyebrow">
        {t("summary.eyebrow")} · {network.name}
      </p>
      <h1>{t("summary.title", { round: round.name })}</h1>
      <p>{round.period}</p>
      <p>{round.state}</p>
      <p className="print-summary-screen muted">{t("summary.printHint")}</p>

      <Section id="summary-participation" title={t("summary.participationTitle")}>
        <table className="data" data-table="participation">
          <caption>{t("summary.participationCaption")}</caption>
          <tbody>
            <tr>
              <th scope="row">{t("participation.participants")}</th>
              <td>{round.participants}</td>
            </tr>
            {(Object.keys(round.figures) as Array<keyof typeof round.figures>).map((key) => (
              <tr key={key} data-figure={key}>
                <th scope="row">{t(`participation.${key}`)}</th>
                <td>{share(round.figures[key])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>

      <Section id="summary-reminders" title={t("summary.remindersTitle")}>
        <p data-figure="reminders">
          {t("summary.reminders", { automatic: round.remindersAutomatic, manual: round.remindersManual })}
        </p>
      </Section>

      <Section id="summary-profile" title={t("summary.profileTitle")}>
        {!profile ? (
          <p>{t("summary.profilePending")}</p>
        ) : (
          <>
            <ProfileSummary profile={profile} />
            <NetworkProfileTable profile={profile} />
          </>
        )}
      </Section>
      <p className="print-summary-footer muted">{footer}</p>
    </div>
  );
}

function ProfileSummary({ profile }: { profile: NetworkProfile }) {
  return <p>{useNetworkProfile(profile).summary}</p>;
}
