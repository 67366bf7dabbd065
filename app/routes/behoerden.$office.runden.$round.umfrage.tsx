import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import QRCode from "qrcode";
import { useTranslation } from "react-i18next";
import { roundScope } from "./behoerden.$office.runden.$round";
import { CANNOT_JUDGE, MAX_CODES_PER_BATCH, type SurveyChoice } from "~/domains/assessment/survey-statements";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { publicUrl } from "~/platform/email/public-url.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import {
  addCodesSchema,
  addSurveyCodes,
  canStartSurvey,
  closeSurvey,
  getSurveyOverview,
  inviteSurveyStaff,
  parseStaff,
  startSurvey,
  startSurveySchema,
  type SurveyStaff,
} from "~/domains/assessment/survey.server";
import { formatDay } from "~/utils/calendar-day";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { Section } from "~/ui/layout";

/** Shown from "sehr wichtig" down, then "kann ich nicht beurteilen". */
const COLUMNS: SurveyChoice[] = ["4", "3", "2", "1", CANNOT_JUDGE];
/** A refused state change (not a typing mistake) answers 409. */
const CONFLICTS = new Set([
  "survey:errors.exists",
  "survey:errors.noSurvey",
  "survey:errors.surveyClosed",
  "survey:errors.roundClosed",
  "survey:errors.roundNotOpen",
]);

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.manageSurvey");
  const t = await i18next.getFixedT(request, "survey");
  const language = (await i18next.getLocale(request)) as Language;
  const overview = await getSurveyOverview(ctx);
  const surveyUrl = publicUrl("/umfrage");
  const qrSvg = overview.survey
    ? await QRCode.toString(surveyUrl, { type: "svg", margin: 1, width: 180, errorCorrectionLevel: "M" })
    : null;
  const percent = new Intl.NumberFormat(language === "de" ? "de-DE" : "en-GB", { style: "percent", maximumFractionDigits: 0 });
  return {
    office: { id: ctx.office.id, name: ctx.office.name },
    round: { id: ctx.assessment.round.id, name: ctx.assessment.round.name },
    state: ctx.state,
    canStart: canStartSurvey(ctx.state),
    threshold: overview.threshold,
    survey: overview.survey
      ? {
          open: overview.survey.open,
          closesOn: formatDay(overview.survey.closesAt, language),
          canAddCodes: overview.survey.open && ctx.state !== "closed",
        }
      : null,
    staff: overview.staff,
    invited: overview.staff.filter((s) => s.invited).length,
    codes: overview.codes,
    answers: overview.answers,
    counted: overview.counted,
    results: overview.results?.map((r) => ({
      ...r,
      cells: COLUMNS.map((choice) => ({
        choice,
        count: r.counts[choice],
        share: percent.format(overview.answers ? r.counts[choice] / overview.answers : 0),
      })),
    })),
    surveyUrl,
    qrSvg,
    pageTitle: `${t("title")} – ${ctx.office.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type ActionResult = {
  intent: string;
  errors: FieldErrors;
  values: Record<string, string> | null;
  codes: string[] | null;
  done: string | null;
  count?: number;
  /** The staff ids ticked in a refused form, to tick them again. */
  staff?: string[];
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.manageSurvey");
  const formData = await readForm(request);
  const intent = String(formData.get("intent") ?? "");
  const ticked = formData.getAll("staff").filter((v): v is string => typeof v === "string");
  const refused = (errors: FieldErrors, values: Record<string, string> | null = null) =>
    data<ActionResult>(
      { intent, errors, values, codes: null, done: null, staff: ticked },
      { status: Object.values(errors).some((e) => CONFLICTS.has(e)) ? 409 : 400 },
    );

  if (intent === "start") {
    const form = parseForm(startSurveySchema, formData, { keep: ["closesOn", "codes"] });
    const staff = parseStaff(formData);
    // Both parts are checked before answering, so every wrong field is named at once.
    if (!form.ok) return refused({ ...form.errors, ...(staff.ok ? {} : staff.errors) }, form.values);
    const values = { closesOn: form.data.closesOn, codes: form.data.codes ? String(form.data.codes) : "" };
    if (!staff.ok) return refused(staff.errors, values);
    const result = await startSurvey(ctx, { ...form.data, staff: staff.value });
    if (!result.ok) return refused(result.errors, values);
    return data<ActionResult>({
      intent,
      errors: {},
      values: null,
      codes: result.value.codes.length ? result.value.codes : null,
      done: "head.started",
      count: result.value.invited,
    });
  }
  if (intent === "invite") {
    const staff = parseStaff(formData);
    if (!staff.ok) return refused(staff.errors);
    const result = await inviteSurveyStaff(ctx, staff.value);
    if (!result.ok) return refused(result.errors);
    return data<ActionResult>({
      intent,
      errors: {},
      values: null,
      codes: null,
      done: "head.invited",
      count: result.value.invited,
    });
  }
  if (intent === "addCodes") {
    const form = parseForm(addCodesSchema, formData, { keep: ["codes"] });
    if (!form.ok) return refused(form.errors, form.values);
    const result = await addSurveyCodes(ctx, form.data.codes);
    if (!result.ok) return refused(result.errors, { codes: String(form.data.codes) });
    return data<ActionResult>({
      intent,
      errors: {},
      values: null,
      codes: result.value.codes,
      done: "head.codesAdded",
      count: result.value.codes.length,
    });
  }
  if (intent === "close") {
    const result = await closeSurvey(ctx);
    if (!result.ok) return refused(result.errors);
    return data<ActionResult>({ intent, errors: {}, values: null, codes: null, done: "head.closed" });
  }
  return refused({ _form: "survey:errors.choiceInvalid" });
}

export default function SurveyHeadPage() {
  const {
    office,
    round,
    state,
    canStart,
    threshold,
    survey,
    staff,
    invited,
    codes,
    answers,
    counted,
    results,
    surveyUrl,
    qrSvg,
  } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("survey");
  const { t: ta } = useTranslation("auth");
  const errorsOf = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesOf = (intent: string) => (result?.intent === intent ? result.values : null);
  const tickedOf = (intent: string) => (result?.intent === intent ? new Set(result.staff ?? []) : null);
  const formProblem = (intent: string) => {
    const errors = errorsOf(intent);
    if (errors._form) return t(errors._form);
    return Object.keys(errors).length ? ta("validation.formErrors") : null;
  };

  return (
    <>
      <p className="eyebrow">{t("head.eyebrow", { office: office.name, round: round.name })}</p>
      <h1>{t("title")}</h1>
      <p>
        <Link to={`/behoerden/${office.id}/runden/${round.id}`}>{t("head.back")}</Link>
      </p>
      <p>{t("head.intro")}</p>
      <p className="note">{t("head.thresholdNote", { threshold })}</p>

      {result?.done ? (
        <p role="status" className="form-success">
          {t(result.done, { count: result.count })}
        </p>
      ) : null}
      {result?.codes ? (
        <section aria-labelledby="new-codes-heading" className="card">
          <h2 id="new-codes-heading">{t("head.newCodesTitle")}</h2>
          <p role="alert">{t("head.newCodesOnce")}</p>
          <p>
            {t("head.linkLabel")}: <strong>{surveyUrl}</strong>
          </p>
          <ol aria-label={t("head.newCodesCaption")} className="survey-codes">
            {result.codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {!survey ? (
        <Section id="start-heading" title={t("head.startTitle")}>
          {canStart ? (
            <>
              <p>{t("head.startIntro")}</p>
              <FormAlert message={formProblem("start")} />
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="start" />
                <Field
                  name="closesOn"
                  type="date"
                  label={t("head.closesOn")}
                  hint={t("head.closesOnHint")}
                  defaultValue={valuesOf("start")?.closesOn}
                  error={errorsOf("start").closesOn}
                  required
                />
                <StaffChoice
                  staff={staff}
                  legend={t("head.staff")}
                  hint={t("head.staffHint")}
                  error={errorsOf("start").staff}
                  ticked={tickedOf("start")}
                />
                <h3>{t("head.printedTitle")}</h3>
                <p>{t("head.printedIntro", { threshold })}</p>
                <Field
                  name="codes"
                  type="number"
                  inputMode="numeric"
                  label={t("head.printed")}
                  hint={t("head.printedHint", { max: MAX_CODES_PER_BATCH })}
                  defaultValue={valuesOf("start")?.codes}
                  error={errorsOf("start").codes}
                />
                <SubmitButton intent="start">{t("head.startSubmit")}</SubmitButton>
              </Form>
            </>
          ) : (
            <p role="status">{state === "closed" ? t("head.cannotStartClosed") : t("head.cannotStartUpcoming")}</p>
          )}
        </Section>
      ) : (
        <>
          <p role="status">
            {survey.open ? t("head.runningUntil", { date: survey.closesOn }) : t("head.endedOn", { date: survey.closesOn })}
          </p>
          {survey.open ? (
            <Section id="link-heading" title={t("head.linkTitle")}>
              <p>{t("head.linkIntro")}</p>
              <p>
                {t("head.linkLabel")}: <a href={surveyUrl}>{surveyUrl}</a>
              </p>
              {qrSvg ? (
                <div role="img" aria-label={t("head.qrLabel", { url: surveyUrl })} dangerouslySetInnerHTML={{ __html: qrSvg }} />
              ) : null}
            </Section>
          ) : null}

          <Section id="progress-heading" title={t("head.progressTitle")}>
            <p>
              {t("head.progress", { count: answers, codes })} {t("head.counted", { count: counted })}
            </p>
            <p>{t("head.invitedCount", { count: invited, threshold })}</p>
            {survey.open && invited < threshold ? <p role="alert">{t("head.invitedTooFew", { threshold })}</p> : null}
            {results ? null : survey.open && counted >= threshold ? (
              <p role="status">{t("head.afterEnd", { date: survey.closesOn })}</p>
            ) : survey.open ? (
              <p role="status">{t("head.needed", { count: Math.max(threshold - counted, 1), threshold })}</p>
            ) : (
              <p role="status">{t("head.tooFew", { threshold })}</p>
            )}
          </Section>

          {results ? (
            <Section id="results-heading" title={t("head.resultsTitle")}>
              <p>{t("head.resultsIntro")}</p>
              <table className="data survey-results">
                <caption>{t("head.resultsCaption", { count: answers })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("head.workField")}</th>
                    {COLUMNS.map((choice) => (
                      <th scope="col" key={choice}>
                        {t(`choices.${choice}`)}
                      </th>
                    ))}
                    <th scope="col">{t("head.consensus")}</th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((r) => (
                    <tr key={r.key}>
                      <th scope="row">
                        {`${r.key} `}
                        <span lang="de">{r.title}</span>
                      </th>
                      {r.cells.map((c) => (
                        <td key={c.choice}>
                          {t("head.cell", { count: c.count, share: c.share })}
                          <br />
                          <meter min={0} max={answers} value={c.count} aria-hidden="true" />
                        </td>
                      ))}
                      <td>
                        <span lang="de">{t("head.goal", { number: r.goal.number, title: r.goal.shortTitle })}</span>
                        <br />
                        {r.consensus === null
                          ? t("head.consensusOpen")
                          : r.consensus === "na"
                            ? t("head.consensusNotAssessed")
                            : t("head.level", { rating: r.consensus.rating, label: r.consensus.label })}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Section>
          ) : null}

          {survey.canAddCodes ? (
            <Section id="invite-heading" title={t("head.inviteTitle")}>
              {staff.some((s) => !s.invited) ? (
                <>
                  <p>{t("head.inviteIntro")}</p>
                  <FormAlert message={formProblem("invite")} />
                  <Form method="post" className="form" noValidate>
                    <input type="hidden" name="intent" value="invite" />
                    <StaffChoice
                      staff={staff}
                      legend={t("head.staff")}
                      error={errorsOf("invite").staff}
                      ticked={tickedOf("invite")}
                    />
                    <SubmitButton intent="invite">{t("head.inviteSubmit")}</SubmitButton>
                  </Form>
                </>
              ) : (
                <p>{staff.length ? t("head.allInvited") : t("head.staffNone")}</p>
              )}
            </Section>
          ) : null}

          {survey.canAddCodes ? (
            <Section id="add-heading" title={t("head.addTitle")}>
              <p>{t("head.addIntro")}</p>
              <FormAlert message={formProblem("addCodes")} />
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="addCodes" />
                <Field
                  name="codes"
                  type="number"
                  inputMode="numeric"
                  label={t("head.codes")}
                  hint={t("head.codesHint", { max: MAX_CODES_PER_BATCH })}
                  defaultValue={valuesOf("addCodes")?.codes}
                  error={errorsOf("addCodes").codes}
                  required
                />
                <SubmitButton intent="addCodes">{t("head.addSubmit")}</SubmitButton>
              </Form>
            </Section>
          ) : null}

          {survey.open ? (
            <Section id="close-heading" title={t("head.closeTitle")}>
              <p>{t("head.closeIntro")}</p>
              <FormAlert message={formProblem("close")} />
              <Form method="post">
                <input type="hidden" name="intent" value="close" />
                <SubmitButton intent="close" className="button-secondary">
                  {t("head.closeSubmit")}
                </SubmitButton>
              </Form>
            </Section>
          ) : null}
        </>
      )}
    </>
  );
}

/**
 * The office's staff as checkboxes: those without a personal code yet are ticked by
 * default (or as in the refused form); those who have one are shown, not offered again.
 */
function StaffChoice({
  staff,
  legend,
  hint,
  error,
  ticked,
}: {
  staff: SurveyStaff[];
  legend: string;
  hint?: string;
  error?: string;
  ticked: Set<string> | null;
}) {
  const { t } = useTranslation("survey");
  const errorId = "field-staff-error";
  return (
    <fieldset className={error ? "field field-invalid" : "field"} aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {hint ? <p className="field-hint">{hint}</p> : null}
      {error ? (
        <p id={errorId} className="field-error">
          {t(error)}
        </p>
      ) : null}
      {staff.length === 0 ? (
        <p>{t("head.staffNone")}</p>
      ) : (
        <ul className="checkbox-list">
          {staff.map((s) => (
            <li key={s.id}>
              {s.invited ? (
                <span>{`${s.name} (${s.email}) – ${t("head.staffInvited")}`}</span>
              ) : (
                <label>
                  <input type="checkbox" name="staff" value={s.id} defaultChecked={ticked ? ticked.has(s.id) : true} />{" "}
                  {`${s.name} (${s.email})`}
                </label>
              )}
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
