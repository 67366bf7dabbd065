/**
 * The overall strategy of the office's open plan (Gesamtkonzept, Arbeitshilfe 4.1): guiding
 * idea, the 12 model goals adopted as they are, reworded or not, the need for change (with a
 * suggestion from the assessment and the survey), the plan's measures (read-only) and the
 * successes to build on. The head edits ("plan.manage"); the team and assigned consultants
 * read. The network's admins never see it – not even for a released plan: releasing shares
 * the plan's measures and progress, not the office's own strategy text (decision in the
 * report of issue 21, item 6). A save based on an older version answers 409 and keeps what
 * was typed beside what is saved now.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { planScope, type PlanScope } from "./behoerden.$office.plan";
import { type GoalMode, GOAL_MODES, goalField, strategyFields, strategySchema, suggestionText } from "~/domains/plan/strategy";
import { loadStrategy, saveStrategy, strategyGoalNumbers, type StrategyValues } from "~/domains/plan/strategy.server";
import { authorize, can } from "~/platform/auth/can";
import { parseForm, readForm } from "~/platform/http/forms";
import { NotFoundError } from "~/platform/errors";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { FormAlert, SubmitButton, TextArea } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { formatDateTime } from "~/utils/datetime";
import { DataTable, Section } from "~/ui/layout";

type Args = Pick<LoaderFunctionArgs, "request" | "params" | "context">;

/**
 * The plan with "read the strategy" checked: "plan.read" as if the plan were not released –
 * the office's team and assigned consultants; admins get 403, outsiders 404.
 */
export async function strategyScope(args: Args): Promise<PlanScope> {
  const scope = await planScope(args);
  authorize(scope.actor, "plan.read", { ...scope.subject, released: false });
  return scope;
}

export async function loader(args: LoaderFunctionArgs) {
  const scope = await strategyScope(args);
  const { actor, office, plan, subject } = scope;
  const t = await i18next.getFixedT(args.request, "planStrategy");
  const language = (await i18next.getLocale(args.request)) as Language;
  const base = { office: { id: office.id, name: office.name }, pageTitle: `${t("title")} – ${office.name}`, language };
  if (!plan) return { ...base, doc: null, mayEdit: false, savedAt: null };
  const doc = await loadStrategy({ actor, office, plan });
  return {
    ...base,
    doc,
    mayEdit: can(actor, "plan.manage", subject),
    savedAt: doc.updatedAt ? formatDateTime(doc.updatedAt, language) : null,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Values = Record<string, string>;
type ActionResult =
  | { status: "saved"; errors: Record<string, string>; values: null; current: null }
  | { status: "invalid"; errors: Record<string, string>; values: Values; current: null }
  | {
      status: "conflict";
      errors: Record<string, string>;
      values: Values;
      current: StrategyValues & { version: number; updatedBy: string | null };
    };

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject } = await strategyScope(args);
  if (!plan) throw new NotFoundError();
  authorize(actor, "plan.manage", subject);
  const numbers = await strategyGoalNumbers(actor, office.networkId);
  const form = parseForm(strategySchema(numbers), await readForm(args.request), { keep: strategyFields(numbers) });
  if (!form.ok)
    return data<ActionResult>({ status: "invalid", errors: form.errors, values: form.values, current: null }, { status: 400 });
  const result = await saveStrategy({ actor, office, plan }, form.data);
  if (result.status === "conflict") {
    const values: Values = {
      guidingIdea: form.data.guidingIdea,
      needForChange: form.data.needForChange,
      successes: form.data.successes,
    };
    for (const n of numbers) {
      const f = goalField(n);
      values[f.mode] = form.data.goals[n].mode;
      values[f.wording] = form.data.goals[n].wording;
    }
    return data<ActionResult>({ status: "conflict", errors: {}, values, current: result.current }, { status: 409 });
  }
  return data<ActionResult>({ status: "saved", errors: {}, values: null, current: null });
}

export default function StrategyPage() {
  const { office, doc, mayEdit, savedAt, language } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("planStrategy");
  const planUrl = `/behoerden/${office.id}/plan`;
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {!doc ? (
        <p>
          {t("noPlan")} <Link to={planUrl}>{t("toPlan")}</Link>
        </p>
      ) : (
        <>
          <p>
            {t("cycle", { cycle: doc.cycle })} ·{" "}
            {savedAt
              ? doc.updatedBy
                ? t("lastSaved", { date: savedAt, person: doc.updatedBy })
                : t("lastSavedNobody", { date: savedAt })
              : t("notSaved")}
          </p>
          <Section id="export-heading" title={t("export.heading")}>
            <ul>
              <li>
                <a href={`${planUrl}/gesamtkonzept/docx`} download>
                  {t("export.docx")}
                </a>
              </li>
              <li>
                <a href={`${planUrl}/gesamtkonzept/pdf`} download>
                  {t("export.pdf")}
                </a>
              </li>
            </ul>
          </Section>
          {mayEdit ? (
            <StrategyForm doc={doc} result={result} planUrl={planUrl} language={language} />
          ) : (
            <StrategyView doc={doc} planUrl={planUrl} />
          )}
        </>
      )}
    </>
  );
}

type Doc = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["doc"]>;

function Measures({ doc, planUrl }: { doc: Doc; planUrl: string }) {
  const { t } = useTranslation("planStrategy");
  return (
    <Section id="measures-heading" title={t("measures.heading")}>
      <p>
        {t("measures.intro")} <Link to={planUrl}>{t("toPlan")}</Link>
      </p>
      {doc.measures.length === 0 ? (
        <p>{t("measures.none")}</p>
      ) : (
        <ul>
          {doc.measures.map((m) => (
            <li key={m.id}>
              {m.code ? `${m.code} ` : `(${t("measures.own")}) `}
              {m.title}
              {m.done ? ` – ${t("measures.done")}` : ""}
              {m.intendedResult ? (
                <>
                  <br />
                  {t("measures.result", { result: m.intendedResult })}
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

/** What the team sees: the saved document, read-only. */
function StrategyView({ doc, planUrl }: { doc: Doc; planUrl: string }) {
  const { t } = useTranslation("planStrategy");
  const paragraphs = (text: string, empty: string) =>
    text.trim() ? (
      text.split(/\n{2,}/).map((p, i) => (
        <p key={i} className="pre-line">
          {p}
        </p>
      ))
    ) : (
      <p>{empty}</p>
    );
  return (
    <>
      <p role="note">{t("readOnly")}</p>
      <Section id="guiding-heading" title={t("guidingIdea.heading")}>
        {paragraphs(doc.guidingIdea, t("guidingIdea.empty"))}
      </Section>
      <Section id="goals-heading" title={t("goals.heading")}>
        <DataTable caption={t("goals.caption")} columns={[t("goals.goal"), t("goals.decision"), t("goals.wordingColumn")]}>
          {doc.goals.map((g) => (
            <tr key={g.id}>
              <th scope="row">{t("goals.legend", { number: g.number, title: g.shortTitle })}</th>
              <td>{t(decisionKey(g.choice.mode))}</td>
              <td>{g.choice.mode === "reworded" ? g.choice.wording : g.choice.mode === "asIs" ? g.title : "–"}</td>
            </tr>
          ))}
        </DataTable>
      </Section>
      <Section id="need-heading" title={t("need.heading")}>
        {paragraphs(doc.needForChange, t("need.empty"))}
      </Section>
      <Measures doc={doc} planUrl={planUrl} />
      <Section id="successes-heading" title={t("successes.heading")}>
        {paragraphs(doc.successes, t("successes.empty"))}
      </Section>
    </>
  );
}

function decisionKey(mode: GoalMode) {
  return mode === "asIs" ? "goals.adoptedAsIs" : mode === "reworded" ? "goals.adoptedReworded" : "goals.notAdopted";
}

/** The head's form. After a conflict it keeps what was typed and shows what is saved now above each field. */
function StrategyForm({
  doc,
  result,
  planUrl,
  language,
}: {
  doc: Doc;
  result: ReturnType<typeof useActionData<typeof action>>;
  planUrl: string;
  language: Language;
}) {
  const { t } = useTranslation("planStrategy");
  const conflict = result?.status === "conflict" ? result.current : null;
  const typed = result && result.status !== "saved" ? result.values : null;
  const suggested = suggestionText(t as never, doc.suggestion, language);
  const value = (field: string, saved: string) => typed?.[field] ?? saved;
  const now = (field: "guidingIdea" | "needForChange" | "successes") =>
    conflict && conflict[field] !== typed?.[field]
      ? conflict[field]
        ? t("currentValue", { value: conflict[field] })
        : t("currentEmpty")
      : undefined;
  const errors = result?.errors ?? {};
  return (
    <>
      {result?.status === "saved" ? (
        <p role="status" className="form-success">
          {t("saved")}
        </p>
      ) : null}
      <FormAlert message={result?.status === "conflict" ? t("conflict") : result?.status === "invalid" ? t("invalid") : null} />
      <Form method="post" className="form" noValidate key={`${doc.version}-${conflict?.version ?? ""}`}>
        <input type="hidden" name="version" value={conflict ? conflict.version : doc.version} />
        <Section id="guiding-heading" title={t("guidingIdea.heading")}>
          <TextArea
            name="guidingIdea"
            label={t("guidingIdea.label")}
            hint={now("guidingIdea") ?? t("guidingIdea.hint")}
            defaultValue={value("guidingIdea", doc.guidingIdea)}
            error={errors.guidingIdea}
            rows={3}
          />
        </Section>
        <Section id="goals-heading" title={t("goals.heading")}>
          <p>{t("goals.intro")}</p>
          {doc.goals.map((g) => {
            const f = goalField(g.number);
            const mode = value(f.mode, g.choice.mode);
            const current = conflict?.goals.find((c) => c.number === g.number)?.choice;
            const changed = current && (current.mode !== mode || current.wording !== value(f.wording, g.choice.wording));
            return (
              <fieldset key={g.id} className={errors[f.mode] || errors[f.wording] ? "field field-invalid" : "field"}>
                <legend>{t("goals.legend", { number: g.number, title: g.shortTitle })}</legend>
                <p lang="de">{g.title}</p>
                {changed ? (
                  <p className="field-hint">
                    {t("currentValue", {
                      value: `${t(decisionKey(current.mode))}${current.mode === "reworded" ? ` – ${current.wording}` : ""}`,
                    })}
                  </p>
                ) : null}
                {errors[f.mode] ? (
                  <p id={`${f.mode}-error`} className="field-error">
                    {t(errors[f.mode])}
                  </p>
                ) : null}
                {GOAL_MODES.map((m) => (
                  <label key={m}>
                    <input
                      type="radio"
                      name={f.mode}
                      value={m}
                      defaultChecked={mode === m}
                      aria-describedby={errors[f.mode] ? `${f.mode}-error` : undefined}
                    />
                    {t(`goals.${m}`)}
                  </label>
                ))}
                <TextArea
                  name={f.wording}
                  label={t("goals.wording", { number: g.number })}
                  hint={t("goals.wordingHint")}
                  defaultValue={value(f.wording, g.choice.wording)}
                  error={errors[f.wording]}
                  rows={2}
                />
              </fieldset>
            );
          })}
        </Section>
        <Section id="need-heading" title={t("need.heading")}>
          <div className="note">
            <h3>{t("need.suggestionTitle")}</h3>
            {suggested ? (
              <>
                <p className="pre-line">{suggested}</p>
                {!doc.needForChange ? <p>{t("need.suggestionPrefilled")}</p> : null}
              </>
            ) : (
              <p>{t("need.suggestionNone")}</p>
            )}
            {doc.suggestion.survey ? null : <p>{t("need.surveyHidden")}</p>}
          </div>
          <TextArea
            name="needForChange"
            label={t("need.label")}
            hint={now("needForChange") ?? t("need.hint")}
            defaultValue={value("needForChange", doc.needForChange || (doc.version === 0 ? suggested : ""))}
            error={errors.needForChange}
            rows={8}
          />
        </Section>
        <Measures doc={doc} planUrl={planUrl} />
        <Section id="successes-heading" title={t("successes.heading")}>
          <TextArea
            name="successes"
            label={t("successes.label")}
            hint={now("successes") ?? t("successes.hint")}
            defaultValue={value("successes", doc.successes)}
            error={errors.successes}
            rows={5}
          />
        </Section>
        {errors.version ? <p className="field-error">{t(errors.version)}</p> : null}
        <SubmitButton>{t("save")}</SubmitButton>
      </Form>
    </>
  );
}
