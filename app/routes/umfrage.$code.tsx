import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, type ShouldRevalidateFunction, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { answerField, parseSurveyAnswers, SURVEY_CHOICES } from "~/domains/assessment/survey-statements";
import { getOptionalUser } from "~/platform/auth/auth.server";
import { FormAlert, SubmitButton } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { findSurveyByCode, isHeadOfSurvey, submitSurveyAnswers } from "~/domains/assessment/survey.server";
import { formatDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { readForm } from "~/platform/http/forms";

/**
 * Public answer page of the staff survey: no account, the code in the address is the only
 * key. Unknown code 404, used code 409, survey over 410 – each with a German page, and
 * nothing stored. Nothing here reads the client's address. Only sending an answer looks
 * at the session, for one yes/no: is this browser signed in as a head of the survey's
 * office? Then the answer is kept but its code stops counting towards the threshold (the
 * head knows what was answered). Neither the account nor the yes/no is stored with it,
 * and no session cookie is sent back.
 */
type Statement = { key: string; title: string };
type Survey = { code: string; officeName: string; roundName: string; closesAt: Date };

const STATUS = { unknown: 404, used: 409, closed: 410 } as const;

function statusView(status: keyof typeof STATUS, survey: Survey | null, language: Language, t: TFunction) {
  return data(
    {
      view: status,
      closesOn: survey ? formatDay(survey.closesAt, language) : null,
      survey: null,
      statements: [] as Statement[],
      pageTitle: t(`answer.${status}Title`),
    },
    { status: STATUS[status] },
  );
}

async function resolve(request: Request, code: string) {
  const t = await i18next.getFixedT(request, "survey");
  const language = (await i18next.getLocale(request)) as Language;
  const found = await findSurveyByCode(code);
  return { t, language, found };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { t, language, found } = await resolve(request, params.code ?? "");
  if (found.status !== "open") return statusView(found.status, "survey" in found ? found.survey : null, language, t);
  const { survey, statements } = found;
  return data({
    view: "form" as const,
    closesOn: formatDay(survey.closesAt, language),
    survey: { code: survey.code, officeName: survey.officeName, roundName: survey.roundName },
    statements: statements.map((s) => ({ key: s.key, title: s.title })),
    pageTitle: t("title"),
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

// After an answer the action's page is final; re-reading the (now used) code would only confuse.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult ? false : defaultShouldRevalidate;

export async function action({ request, params }: ActionFunctionArgs) {
  const code = params.code ?? "";
  // Unknown, used or finished before anything in the form is looked at.
  const { t, language, found } = await resolve(request, code);
  if (found.status !== "open") return statusView(found.status, "survey" in found ? found.survey : null, language, t);
  const parsed = parseSurveyAnswers(
    await readForm(request),
    found.statements.map((s) => s.key),
  );
  if (!parsed.ok)
    return data(
      { view: "invalid" as const, errors: parsed.errors, values: parsed.values, pageTitle: t("title") },
      { status: 400 },
    );
  const signedIn = await getOptionalUser(request);
  const fromHead = await isHeadOfSurvey(signedIn?.id ?? null, found.survey.id);
  const outcome = await submitSurveyAnswers(code, parsed.answers, { fromHead });
  if (outcome !== "ok") return statusView(outcome, found.survey, language, t);
  return data({ view: "thanks" as const, pageTitle: t("answer.thanksTitle") }, { status: 200 });
}

export default function AnswerSurvey() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("survey");
  const { t: ta } = useTranslation("auth");

  const shown = result && result.view !== "invalid" ? result : page;
  if (shown.view === "thanks") {
    return (
      <>
        <h1>{t("answer.thanksTitle")}</h1>
        <p role="status" className="form-success">
          {t("answer.thanks")}
        </p>
      </>
    );
  }
  if (shown.view !== "form") {
    return (
      <>
        <h1>{t(`answer.${shown.view}Title`)}</h1>
        <p role="alert">{t(`answer.${shown.view}`, { date: shown.closesOn })}</p>
        <p>
          <Link to="/umfrage">{t("answer.again")}</Link>
        </p>
      </>
    );
  }

  const survey = page.view === "form" ? page.survey : null;
  if (!survey) return null;
  const invalid = result?.view === "invalid" ? result : null;
  const values = invalid?.values ?? {};
  const errors = invalid?.errors ?? {};
  return (
    <>
      <p className="eyebrow">{t("answer.eyebrow", { office: survey.officeName, round: survey.roundName })}</p>
      <h1>{t("title")}</h1>
      <p>{t("answer.intro")}</p>
      <p className="note">{t("answer.anonymous")}</p>
      <p>
        {t("answer.until", { date: page.closesOn })} {t("answer.skipNote")}
      </p>
      <p className="note">{t("answer.headDevice")}</p>
      <FormAlert message={invalid ? (errors._form ? t(errors._form) : ta("validation.formErrors")) : null} />
      <Form method="post" className="form" noValidate>
        {page.statements.map((s) => {
          const name = answerField(s.key);
          const error = errors[s.key];
          return (
            <fieldset
              key={s.key}
              className={error ? "field field-invalid" : "field"}
              aria-describedby={error ? `${name}-error` : undefined}
            >
              <legend>
                {s.key}.{" "}
                <Trans t={t} i18nKey="statement" values={{ title: s.title }} components={{ field: <span lang="de" /> }} />
              </legend>
              {error ? (
                <p id={`${name}-error`} className="field-error">
                  {t(error)}
                </p>
              ) : null}
              {SURVEY_CHOICES.map((choice) => (
                <label key={choice}>
                  <input type="radio" name={name} value={choice} defaultChecked={values[s.key] === choice} />{" "}
                  {t(`choices.${choice}`)}
                </label>
              ))}
            </fieldset>
          );
        })}
        <SubmitButton>{t("answer.submit")}</SubmitButton>
      </Form>
    </>
  );
}
