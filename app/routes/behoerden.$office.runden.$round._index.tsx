import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roundScope } from "./behoerden.$office.runden.$round";
import { can } from "~/platform/auth/can";
import { AnswerText } from "~/ui/assessment";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { loadAssessment, personName } from "~/domains/assessment/assessments.server";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const { actor, office, assessment, state } = ctx;
  const language = (await i18next.getLocale(request)) as Language;
  const content = await loadAssessment(ctx);
  const target = { networkId: office.networkId, officeId: office.id };
  const measures = content.workFields.flatMap((w) => w.measures);
  return {
    office,
    round: { id: assessment.round.id, name: assessment.round.name },
    state,
    opensAt: formatDay(assessment.round.opensAt, language),
    deadline: formatDay(assessment.deadline, language),
    extended: assessment.deadline.getTime() !== assessment.round.deadline.getTime(),
    submitted: assessment.submittedAt
      ? { at: formatDateTime(assessment.submittedAt, language), by: (await personName(actor, assessment.submittedById)) ?? "" }
      : null,
    reopenings: content.reopenings.map((r) => ({ reason: r.reason, at: formatDateTime(r.reopenedAt, language) })),
    goals: content.goals,
    goalsDone: content.goals.filter((g) => g.answer !== "").length,
    measuresDone: measures.filter((m) => m.done).length,
    measureCount: measures.length,
    levels: content.levels,
    mayManageSurvey: can(actor, "office.manageSurvey", target),
    pageTitle: (await i18next.getFixedT(request, "assessment"))("pageTitle.overview", {
      office: office.name,
      round: assessment.round.name,
    }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function AssessmentOverview() {
  const page = useLoaderData<typeof loader>();
  const { t } = useTranslation("assessment");
  const base = `/behoerden/${page.office.id}/runden/${page.round.id}`;
  return (
    <>
      <nav className="breadcrumbs" aria-label={t("common:breadcrumb")}>
        <ol>
          <li>
            <Link to={`/behoerden/${page.office.id}`}>{page.office.name}</Link>
          </li>
          <li aria-current="page">{t("eyebrow", { round: page.round.name })}</li>
        </ol>
      </nav>
      <p className="eyebrow">{t("eyebrow", { round: page.round.name })}</p>
      <h1>
        {t("title")}: {page.office.name}
      </h1>
      <p>{page.extended ? t("deadlineExtended", { date: page.deadline }) : t("deadline", { date: page.deadline })}</p>
      <p className={`state state-${page.state}`} role="status">
        {page.state === "submitted" && page.submitted
          ? t("state.submitted", { date: page.submitted.at, name: page.submitted.by })
          : page.state === "upcoming"
            ? t("state.upcoming", { date: page.opensAt })
            : t(`state.${page.state}`)}
      </p>
      {page.reopenings.length ? (
        <section className="note" aria-labelledby="reopened-heading">
          <h2 id="reopened-heading" className="h4">
            {t("reopened.title")}
          </h2>
          <ul>
            {page.reopenings.map((r) => (
              <li key={r.at}>{t("reopened.entry", { date: r.at, reason: r.reason })}</li>
            ))}
          </ul>
        </section>
      ) : null}

      <Section id="progress-heading" title={t("progress.title")}>
        <p>
          <label htmlFor="progress-goals">{t("progress.goals", { done: page.goalsDone, total: page.goals.length })}</label>
          <br />
          <progress id="progress-goals" max={page.goals.length} value={page.goalsDone} />
        </p>
        <p>
          <label htmlFor="progress-measures">
            {t("progress.measures", { done: page.measuresDone, total: page.measureCount })}
          </label>
          <br />
          <progress id="progress-measures" max={page.measureCount} value={page.measuresDone} />
        </p>
      </Section>

      <nav aria-label={t("title")}>
        <ul className="action-list">
          <li>
            <Link to={`${base}/massnahmen`}>{t("nav.measures")}</Link>
          </li>
          <li>
            <Link to={`${base}/abgeben`}>{t("nav.submit")}</Link>
          </li>
          {page.mayManageSurvey ? (
            <li>
              <Link to={`${base}/umfrage`}>{t("nav.survey")}</Link>
            </li>
          ) : null}
          <li>
            <Link to={`/behoerden/${page.office.id}/verlauf`}>{t("nav.history")}</Link>
          </li>
          <li>
            {t("nav.export")}: <a href={`${base}/export/pdf`}>{t("nav.exportPdf")}</a> ·{" "}
            <a href={`${base}/export/csv`}>{t("nav.exportCsv")}</a> · <a href={`${base}/export/xlsx`}>{t("nav.exportXlsx")}</a>
          </li>
        </ul>
      </nav>

      <Section id="goals-heading" title={t("nav.goals")}>
        <DataTable
          caption={t("goals.caption")}
          columns={[t("goals.goal"), t("goals.consensus"), t("goals.team"), t("goals.mine")]}
        >
          {page.goals.map((g) => (
            <tr key={g.number}>
              <th scope="row">
                <Link to={`${base}/ziele/${g.number}`} aria-label={t("goals.open", { number: g.number })}>
                  {g.number}. <span lang="de">{g.shortTitle}</span>
                </Link>
              </th>
              <td>
                <AnswerText answer={g.answer} levels={page.levels} />
              </td>
              <td>{g.individualCount}</td>
              <td>
                <AnswerText answer={g.myAnswer} levels={page.levels} />
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>
    </>
  );
}
