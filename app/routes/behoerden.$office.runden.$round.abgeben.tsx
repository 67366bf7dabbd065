import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roundScope } from "./behoerden.$office.runden.$round";
import { can } from "~/platform/auth/can";
import { AssessmentHeader } from "~/ui/assessment";
import { FormAlert, SubmitButton } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { loadAssessment, submitAssessment } from "~/domains/assessment/assessments.server";
import { documentTitle } from "~/ui/meta";
import { readForm } from "~/platform/http/forms";

async function summary(ctx: Awaited<ReturnType<typeof roundScope>>) {
  const content = await loadAssessment(ctx);
  return {
    emptyGoals: content.goals.filter((g) => g.answer === "").map((g) => ({ number: g.number, title: g.shortTitle })),
    emptyMeasures: content.workFields.flatMap((w) =>
      w.measures.filter((m) => !m.done).map((m) => ({ code: m.code, title: m.title, goal: w.goal })),
    ),
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const url = new URL(request.url);
  return {
    office: ctx.office,
    round: { id: ctx.assessment.round.id, name: ctx.assessment.round.name },
    state: ctx.state,
    maySubmit: can(ctx.actor, "office.submitAssessment", {
      networkId: ctx.office.networkId,
      officeId: ctx.office.id,
    }),
    notice: url.searchParams.get("ergebnis"),
    ...(await summary(ctx)),
    pageTitle: (await i18next.getFixedT(request, "assessment"))("pageTitle.submit", { office: ctx.office.name }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

/**
 * Submits (heads only). A repeated request finds the assessment submitted and changes
 * nothing; both answers redirect to this page with what happened.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.submitAssessment");
  const formData = await readForm(request);
  const t = await i18next.getFixedT((await i18next.getLocale(request)) as Language, "assessment");
  if (formData.get("intent") !== "submit") return data({ error: t("errors.unknownIntent") }, { status: 400 });
  if (ctx.state === "draft") {
    const { emptyGoals, emptyMeasures } = await summary(ctx);
    if (emptyGoals.length + emptyMeasures.length > 0 && formData.get("confirmGaps") !== "yes") {
      return data({ error: t("errors.confirmGaps") }, { status: 400 });
    }
  }
  const outcome = await submitAssessment(ctx);
  const here = `/behoerden/${ctx.office.id}/runden/${ctx.assessment.round.id}/abgeben`;
  return redirect(`${here}?ergebnis=${outcome.kind === "submitted" ? "abgegeben" : "schon-abgegeben"}`, 303);
}

export default function SubmitPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("assessment");
  const base = `/behoerden/${page.office.id}/runden/${page.round.id}`;
  const gaps = page.emptyGoals.length + page.emptyMeasures.length;
  return (
    <>
      <AssessmentHeader office={page.office} round={page.round} />
      <h1>{t("submit.title")}</h1>
      {page.notice === "abgegeben" ? (
        <p role="status" className="form-success">
          {t("submit.done")}
        </p>
      ) : page.notice === "schon-abgegeben" ? (
        <p role="status" className="form-success">
          {t("submit.already")}
        </p>
      ) : null}
      <FormAlert message={result?.error} />
      <p>{t("submit.intro")}</p>
      {gaps === 0 ? <p>{t("submit.complete")}</p> : null}
      {page.emptyGoals.length ? (
        <section aria-labelledby="empty-goals">
          <h2 id="empty-goals">{t("submit.emptyGoals", { count: page.emptyGoals.length })}</h2>
          <ul>
            {page.emptyGoals.map((g) => (
              <li key={g.number}>
                <Link to={`${base}/ziele/${g.number}`} lang="de">
                  {t("submit.goalItem", { number: g.number, title: g.title })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.emptyMeasures.length ? (
        <section aria-labelledby="empty-measures">
          <h2 id="empty-measures">{t("submit.emptyMeasures", { count: page.emptyMeasures.length })}</h2>
          <ul className="columns">
            {page.emptyMeasures.map((m) => (
              <li key={m.code}>
                <Link to={`${base}/massnahmen#massnahme-${m.code}`} lang="de">
                  {t("submit.measureItem", { code: m.code, title: m.title })}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {page.state === "draft" ? (
        page.maySubmit ? (
          <Form method="post" className="card">
            <input type="hidden" name="intent" value="submit" />
            {gaps > 0 ? (
              <p className="checkbox">
                <input type="checkbox" id="confirm-gaps" name="confirmGaps" value="yes" required />
                <label htmlFor="confirm-gaps">{t("submit.confirmGaps", { count: gaps })}</label>
              </p>
            ) : null}
            <SubmitButton intent="submit">{t("submit.button")}</SubmitButton>
          </Form>
        ) : (
          <p className="note">{t("submit.onlyHead")}</p>
        )
      ) : (
        <p className="note">
          <Link to={base}>{t("nav.overview")}</Link>
        </p>
      )}
    </>
  );
}
