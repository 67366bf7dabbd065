import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { autosaveResponse, invalidForm } from "~/domains/assessment/autosave.server";
import { derivedPriority, GRADES, type Grade, PRIORITIES, type PriorityRule } from "~/domains/assessment/priority";
import { roundScope } from "./behoerden.$office.runden.$round";
import { AssessmentHeader, ConflictPanel } from "~/ui/assessment";
import { type AutosaveResult, AutosaveForm } from "~/ui/autosave";
import { FormAlert } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { loadAssessment, type MeasureValues, measureFormSchema, saveMeasure } from "~/domains/assessment/assessments.server";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const measureCode = z
  .string()
  .trim()
  .regex(/^\d{1,2}\.\d{1,2}$/);
const encodeMeasure = (v: MeasureValues) => ({ need: v.need, effort: v.effort, override: v.override, reason: v.reason });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const content = await loadAssessment(ctx);
  const byGoal = content.goals.map((g) => ({ ...g, workFields: content.workFields.filter((w) => w.goal === g.number) }));
  return {
    office: ctx.office,
    round: { id: ctx.assessment.round.id, name: ctx.assessment.round.name },
    state: ctx.state,
    rule: content.rule,
    goals: byGoal,
    pageTitle: (await i18next.getFixedT(request, "assessment"))("pageTitle.measures", { office: ctx.office.name }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const formData = await readForm(request);
  const code = measureCode.safeParse(formData.get("code"));
  if (formData.get("intent") !== "measure") return invalidForm("", { _form: "assessment:errors.unknownIntent" });
  if (!code.success) return invalidForm("", { _form: "assessment:errors.unknownMeasure" });
  const target = `measure:${code.data}`;
  const form = parseForm(measureFormSchema, formData, { keep: ["need", "effort", "override", "reason"] });
  if (!form.ok) return invalidForm(target, form.errors, form.values);
  const outcome = await saveMeasure(ctx, code.data, form.data);
  if (outcome.kind === "notFound") return invalidForm("", { _form: "assessment:errors.unknownMeasure" });
  return autosaveResponse(request, target, outcome, encodeMeasure);
}

type Measure = Awaited<ReturnType<typeof loader>>["goals"][number]["workFields"][number]["measures"][number];

export default function MeasuresPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<AutosaveResult>();
  const { t } = useTranslation("assessment");
  const base = `/behoerden/${page.office.id}/runden/${page.round.id}`;
  return (
    <>
      <AssessmentHeader office={page.office} round={page.round} />
      <h1>{t("measures.title")}</h1>
      <p className="lead">{t("measures.intro")}</p>
      {actionData && actionData.target === "" && actionData.kind === "invalid" ? (
        <FormAlert message={t(actionData.errors._form ?? "")} />
      ) : null}
      {page.state !== "draft" ? (
        <p className="note">{t(page.state === "submitted" ? "errors.locked.submitted" : `errors.locked.${page.state}`)}</p>
      ) : null}
      <RuleTable rule={page.rule} />
      {page.goals.map((goal) => (
        <section key={goal.number} aria-labelledby={`ziel-${goal.number}`}>
          <h2 id={`ziel-${goal.number}`}>
            <span lang="de">{t("measures.goalGroup", { number: goal.number, title: goal.shortTitle })}</span>
          </h2>
          <p>
            <Link to={`${base}/ziele/${goal.number}`}>{t("measures.goalLink", { number: goal.number })}</Link>
          </p>
          {goal.workFields.map((w) => (
            <div key={w.code}>
              <h3 lang="de">{w.title}</h3>
              {w.measures.map((m) => (
                <MeasureCard
                  key={m.code}
                  measure={m}
                  rule={page.rule}
                  editable={page.state === "draft"}
                  pageResult={actionData?.target === `measure:${m.code}` ? actionData : null}
                />
              ))}
            </div>
          ))}
        </section>
      ))}
    </>
  );
}

function MeasureCard({
  measure,
  rule,
  editable,
  pageResult,
}: {
  measure: Measure;
  rule: PriorityRule;
  editable: boolean;
  pageResult: AutosaveResult | null;
}) {
  const { t } = useTranslation("assessment");
  const stored = {
    need: measure.need ?? "",
    effort: measure.effort ?? "",
    override: measure.override ?? "",
    reason: measure.reason,
  };
  const shown =
    pageResult?.kind === "conflict"
      ? pageResult.mine
      : pageResult?.kind === "invalid" && pageResult.fields
        ? pageResult.fields
        : stored;
  const [need, setNeed] = useState(shown.need);
  const [effort, setEffort] = useState(shown.effort);
  const derived = derivedPriority(rule, (need || null) as Grade | null, (effort || null) as Grade | null);
  const id = `massnahme-${measure.code}`;
  return (
    <article id={id} className="card measure-card" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>
        <span className="code">{measure.code}</span> <span lang="de">{measure.title}</span>
      </h4>
      <AutosaveForm
        intent="measure"
        hidden={{ code: measure.code }}
        version={measure.version}
        base={stored}
        pageResult={pageResult}
        disabled={!editable}
        label={t("measures.saveLabel", { code: measure.code })}
        renderConflict={(conflict, takeTheirs) => (
          <ConflictPanel
            conflict={conflict}
            takeTheirs={takeTheirs}
            heading="h5"
            render={(field, value) =>
              field === "reason" ? value : value ? t(field === "override" ? `priority.${value}` : `grade.${value}`) : "–"
            }
          />
        )}
      >
        {({ errors }) => (
          <fieldset disabled={!editable} className="plain measure-fields">
            <GradeSelect
              name="need"
              id={`${id}-need`}
              label={t("measures.need")}
              value={shown.need}
              onChange={setNeed}
              error={errors.need}
            />
            <GradeSelect
              name="effort"
              id={`${id}-effort`}
              label={t("measures.effort")}
              value={shown.effort}
              onChange={setEffort}
              error={errors.effort}
            />
            <p className="measure-priority">
              <strong>{`${t("measures.priority")}:`}</strong>{" "}
              {derived ? t(`priority.${derived}`) : <span className="muted">{t("measures.priorityNone")}</span>}
            </p>
            <div className={errors.override ? "field field-invalid" : "field"}>
              <label htmlFor={`${id}-override`}>{t("measures.override")}</label>
              <select id={`${id}-override`} name="override" defaultValue={shown.override}>
                <option value="">{t("measures.overrideNone")}</option>
                {PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className={errors.reason ? "field field-invalid" : "field"}>
              <label htmlFor={`${id}-reason`}>{t("measures.reason")}</label>
              <p id={`${id}-reason-hint`} className="field-hint">
                {t("measures.reasonHint")}
              </p>
              {errors.reason ? (
                <p id={`${id}-reason-error`} className="field-error">
                  {t(errors.reason)}
                </p>
              ) : null}
              <input
                id={`${id}-reason`}
                name="reason"
                defaultValue={shown.reason}
                aria-invalid={errors.reason ? true : undefined}
                aria-describedby={[`${id}-reason-hint`, errors.reason ? `${id}-reason-error` : ""].filter(Boolean).join(" ")}
              />
            </div>
            {editable ? (
              <button type="submit" className="button-secondary" aria-label={t("measures.saveLabel", { code: measure.code })}>
                {t("measures.save")}
              </button>
            ) : null}
          </fieldset>
        )}
      </AutosaveForm>
    </article>
  );
}

function GradeSelect({
  name,
  id,
  label,
  value,
  onChange,
  error,
}: {
  name: string;
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  const { t } = useTranslation("assessment");
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {t(error)}
        </p>
      ) : null}
      <select
        id={id}
        name={name}
        defaultValue={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{t("grade.unset")}</option>
        {GRADES.map((g) => (
          <option key={g} value={g}>
            {t(`grade.${g}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

function RuleTable({ rule }: { rule: PriorityRule }) {
  const { t } = useTranslation("assessment");
  return (
    <details className="note">
      <summary>{t("measures.ruleTitle")}</summary>
      <table className="data">
        <caption>{t("measures.ruleCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("measures.ruleNeed")}</th>
            {GRADES.map((e) => (
              <th key={e} scope="col">
                {t(`grade.${e}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {GRADES.map((n) => (
            <tr key={n}>
              <th scope="row">{t(`grade.${n}`)}</th>
              {GRADES.map((e) => (
                <td key={e}>{t(`priority.${rule[n][e]}`)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
