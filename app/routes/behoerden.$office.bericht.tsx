import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { officeScope } from "./behoerden.$office";
import { useRatingFormat } from "~/ui/charts";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { getComparison } from "~/domains/comparison/comparison.server";
import { figureOf, loadDashboard, ratingLevels } from "~/domains/comparison/dashboard.server";
import { formatDay } from "~/utils/calendar-day";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";
import { DataTable } from "~/ui/layout";

/**
 * A one-page report for the office's own council or district administration: its own
 * rating per goal and the network median, nothing else. Comparison circles of German
 * municipalities publish only their own figures, so no quartiles, no peer groups and no
 * numbers of offices appear here.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.compare");
  const language = (await i18next.getLocale(request)) as Language;
  const { closed } = await loadDashboard(actor, office);
  const requested = new URL(request.url).searchParams.get("runde");
  const round = requested ? closed.find((r) => r.id === requested) : closed[0];
  if (requested && !round) notFound();
  const base = {
    office: { id: office.id, name: office.name, network: office.network.name },
    pageTitle: `${office.name} – ${(await i18next.getFixedT(request, "dashboard"))("report.crumb")}`,
  };
  if (!round) return { ...base, report: null, rounds: [] };

  const [comparison, levels] = await Promise.all([
    getComparison(actor, office.id, round.id),
    ratingLevels(actor, round.versionSlug),
  ]);
  if (!comparison) notFound();
  return {
    ...base,
    rounds: closed.map((r) => ({ id: r.id, name: r.name })),
    report: {
      round: { id: round.id, name: round.name, closedAt: formatDay(round.closedAt, language) },
      submitted: round.submitted,
      k: comparison.k,
      levels,
      // Only the office's own rating and the network's median leave the loader.
      goals: comparison.goals.map((g) => {
        const network = figureOf(g);
        return { number: g.number, shortTitle: g.shortTitle, own: g.own, median: network.shown ? network.median : null };
      }),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

/** The print button needs JavaScript; without it the page says how to print from the browser. */
function PrintButton() {
  const { t } = useTranslation("dashboard");
  const hydrated = useSyncExternalStore(
    () => () => {},
    () => true,
    () => false,
  );
  if (!hydrated) return <p className="muted">{t("report.printHint")}</p>;
  return (
    <button type="button" className="button-primary" onClick={() => window.print()}>
      {t("report.print")}
    </button>
  );
}

export default function CouncilReport() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation("dashboard");
  const format = useRatingFormat();
  const report = page.report;
  const position = (own: number | null, median: number | null) =>
    own === null || median === null
      ? "—"
      : own > median
        ? t("report.above")
        : own < median
          ? t("report.below")
          : t("report.equal");

  return (
    <>
      <nav className="breadcrumbs" aria-label={t("common:breadcrumb")}>
        <ol>
          <li>
            <Link to={`/behoerden/${page.office.id}`}>{page.office.name}</Link>
          </li>
          <li>
            <Link to={`/behoerden/${page.office.id}/stand`}>{t("title")}</Link>
          </li>
          <li aria-current="page">{t("report.crumb")}</li>
        </ol>
      </nav>
      <article className="council-report">
        <p className="eyebrow">{page.office.network}</p>
        <h1>
          {report
            ? t("report.title", { office: page.office.name, round: report.round.name })
            : t("report.titleEmpty", { office: page.office.name })}
        </h1>
        {!report ? (
          <p role="status">{t("report.noRound")}</p>
        ) : (
          <>
            <div className="report-actions no-print">
              {page.rounds.length > 1 ? (
                <Form method="get" className="button-row">
                  <div className="field">
                    <label htmlFor="runde">{t("report.roundLabel")}</label>
                    <select id="runde" name="runde" defaultValue={report.round.id}>
                      {page.rounds.map((r) => (
                        <option key={r.id} value={r.id}>
                          {r.name}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit" className="button-secondary">
                    {t("report.roundSubmit")}
                  </button>
                </Form>
              ) : null}
              <PrintButton />
            </div>
            <p>{t("report.closed", { round: report.round.name, date: report.round.closedAt })}</p>
            <p>{t("report.explanation", { network: page.office.network, k: report.k })}</p>
            {report.levels.length ? (
              <p>
                {t("report.levels")}{" "}
                {report.levels.map((l, i) => (
                  <span key={l.level}>
                    {i ? "; " : ""}
                    {l.level} = <span lang="de">{l.label}</span>
                  </span>
                ))}
                .
              </p>
            ) : null}
            {!report.submitted ? <p className="note">{t("report.notSubmitted")}</p> : null}
            <DataTable
              caption={t("report.caption", { round: report.round.name })}
              columns={[t("chart.goal"), t("report.own"), t("report.median"), t("report.position")]}
            >
              {report.goals.map((g) => (
                <tr key={g.number}>
                  <th scope="row">
                    {`${g.number}. `}
                    <span lang="de">{g.shortTitle}</span>
                  </th>
                  <td>{g.own === null ? t("chart.noRating") : format(g.own)}</td>
                  <td>{g.median === null ? t("comparison:suppressed") : format(g.median)}</td>
                  <td>{position(g.own, g.median)}</td>
                </tr>
              ))}
            </DataTable>
            <p className="muted">{t("report.source")}</p>
          </>
        )}
      </article>
    </>
  );
}
