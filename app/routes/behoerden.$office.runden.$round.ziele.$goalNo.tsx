import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { autosaveResponse, invalidForm } from "~/domains/assessment/autosave.server";
import { roundScope } from "./behoerden.$office.runden.$round";
import { can } from "~/platform/auth/can";
import { AnswerText, AssessmentHeader, ConflictPanel } from "~/ui/assessment";
import { type AutosaveResult, AutosaveForm } from "~/ui/autosave";
import { FormAlert, TextArea } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import {
  type GoalValues,
  goalFormSchema,
  individualFormSchema,
  loadGoal,
  saveGoal,
  saveIndividualRating,
} from "~/domains/assessment/assessments.server";
import { formatDateTime } from "~/utils/datetime";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

const goalNumber = z.coerce.number().int().min(1).max(99);

const encodeGoal = (v: GoalValues) => ({ answer: v.answer, comment: v.comment, evidence: v.evidence, links: v.links.join("\n") });

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const number = goalNumber.safeParse(params.goalNo);
  const page = number.success ? await loadGoal(ctx, number.data) : null;
  if (!page) throw new Response("Not Found", { status: 404 });
  const language = (await i18next.getLocale(request)) as Language;
  const target = { networkId: ctx.office.networkId, officeId: ctx.office.id };
  return {
    ...page,
    consensus: {
      ...page.consensus,
      updatedAt: page.consensus.updatedAt ? formatDateTime(page.consensus.updatedAt, language) : null,
    },
    office: ctx.office,
    round: { id: ctx.assessment.round.id, name: ctx.assessment.round.name },
    state: ctx.state,
    mayRate: can(ctx.actor, "office.recordConsensus", target),
    pageTitle: (await i18next.getFixedT(request, "assessment"))("pageTitle.goal", {
      number: page.goal.number,
      title: page.goal.shortTitle,
      office: ctx.office.name,
    }),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const ctx = await roundScope({ request, params, context }, "office.assess");
  const number = goalNumber.safeParse(params.goalNo);
  if (!number.success) throw new Response("Not Found", { status: 404 });
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "goal") {
    const form = parseForm(goalFormSchema, formData, { keep: ["answer", "comment", "evidence", "links"] });
    if (!form.ok) return invalidForm("goal", form.errors, form.values);
    return autosaveResponse(request, "goal", await saveGoal(ctx, number.data, form.data), encodeGoal);
  }
  if (intent === "individual") {
    const form = parseForm(individualFormSchema, formData, { keep: ["answer", "reasons"] });
    if (!form.ok) return invalidForm("individual", form.errors, form.values);
    return autosaveResponse(request, "individual", await saveIndividualRating(ctx, number.data, form.data), (v) => v);
  }
  return invalidForm("", { _form: "assessment:errors.unknownIntent" });
}

export default function GoalAssessmentPage() {
  const page = useLoaderData<typeof loader>();
  const actionData = useActionData<AutosaveResult>();
  const { t } = useTranslation("assessment");
  const { goal, levels, consensus, mine, team, state, mayRate, office, round } = page;
  const base = `/behoerden/${office.id}/runden/${round.id}`;
  const editable = state === "draft";
  // A full-page post (no JavaScript) answers here; which form it belongs to tells the intent.
  const goalResult = actionData?.target === "goal" ? actionData : null;
  const values = goalResult?.kind === "conflict" ? goalResult.mine : goalResult?.kind === "invalid" ? goalResult.fields : null;
  const consensusValues = values ?? encodeGoalClient(consensus.values);
  const levelLabel = (answer: string) => <AnswerText answer={answer} levels={levels} />;

  return (
    <>
      <AssessmentHeader office={office} round={round} />
      {actionData?.kind === "locked" ? <FormAlert message={actionData.message} /> : null}
      <p className="eyebrow">{t("goal.eyebrow", { number: goal.number, total: page.goalCount })}</p>
      <h1>
        <span lang="de">{goal.shortTitle}</span>
      </h1>
      <p className="lead" lang="de">
        {goal.title}
      </p>
      <details className="note">
        <summary>{t("goal.explanation")}</summary>
        <p lang="de">{goal.explanation}</p>
      </details>

      <section className="card" aria-labelledby="consensus-heading">
        <h2 id="consensus-heading">{t("goal.consensusTitle")}</h2>
        <p>{mayRate ? t("goal.consensusIntro") : t("goal.consensusReadOnly")}</p>
        {consensus.updatedBy && consensus.updatedAt ? (
          <p className="muted">{t("goal.lastSaved", { name: consensus.updatedBy, date: consensus.updatedAt })}</p>
        ) : null}
        <AutosaveForm
          intent="goal"
          version={consensus.version}
          base={encodeGoalClient(consensus.values)}
          pageResult={goalResult}
          disabled={!editable}
          label={t("goal.consensusTitle")}
          renderConflict={(conflict, takeTheirs) => (
            <ConflictPanel
              conflict={conflict}
              takeTheirs={takeTheirs}
              render={(field, value) => (field === "answer" ? levelLabel(value) : value)}
            />
          )}
        >
          {({ errors }) => (
            <fieldset disabled={!editable} className="plain">
              {mayRate ? (
                <fieldset className="rating" aria-describedby={errors.answer ? "answer-error" : undefined}>
                  <legend>{t("goal.ratingLegend")}</legend>
                  {errors.answer ? (
                    <p id="answer-error" className="field-error">
                      {t(errors.answer)}
                    </p>
                  ) : null}
                  {levels.map((l) => (
                    <label key={l.level} className="rating-option">
                      <input
                        type="radio"
                        name="answer"
                        value={String(l.level)}
                        defaultChecked={consensusValues.answer === String(l.level)}
                      />
                      <span>
                        <strong>
                          {l.level} – {l.label}
                        </strong>
                        <span className="rating-description">{l.description}</span>
                        {l.example ? (
                          <span className="rating-example" lang="de">
                            {t("goal.exampleLabel")} {l.example}
                          </span>
                        ) : null}
                      </span>
                    </label>
                  ))}
                  <label className="rating-option rating-na">
                    <input type="radio" name="answer" value="na" defaultChecked={consensusValues.answer === "na"} />
                    <span>
                      <strong>{t("goal.notAssessed")}</strong>
                      <span className="rating-description">{t("goal.notAssessedHint")}</span>
                    </span>
                  </label>
                  <label className="rating-option">
                    <input type="radio" name="answer" value="" defaultChecked={consensusValues.answer === ""} />
                    <span>{t("goal.clear")}</span>
                  </label>
                </fieldset>
              ) : (
                <p>
                  <strong>{t("goals.consensus")}:</strong> {levelLabel(consensus.values.answer)}
                </p>
              )}
              <TextArea
                name="comment"
                id="goal-comment"
                label={t("goal.comment")}
                hint={t("goal.commentHint")}
                defaultValue={consensusValues.comment}
                error={errors.comment}
              />
              <TextArea
                name="evidence"
                id="goal-evidence"
                label={t("goal.evidence")}
                hint={t("goal.evidenceHint")}
                defaultValue={consensusValues.evidence}
                error={errors.evidence}
              />
              <TextArea
                name="links"
                id="goal-links"
                label={t("goal.links")}
                hint={t("goal.linksHint")}
                defaultValue={consensusValues.links}
                error={errors.links}
                rows={3}
              />
              {consensus.values.links.length ? (
                <ul className="evidence-links">
                  {consensus.values.links.map((href) => (
                    <li key={href}>
                      <a href={href} rel="noreferrer noopener" target="_blank">
                        {href}
                      </a>
                    </li>
                  ))}
                </ul>
              ) : null}
              {editable ? (
                <button type="submit" className="button-primary">
                  {t("goal.save")}
                </button>
              ) : null}
            </fieldset>
          )}
        </AutosaveForm>
      </section>

      <section className="card" aria-labelledby="mine-heading">
        <h2 id="mine-heading">{t("goal.mineTitle")}</h2>
        <p>{t("goal.mineIntro")}</p>
        <AutosaveForm
          intent="individual"
          version={0}
          base={{}}
          pageResult={actionData?.target === "individual" ? actionData : null}
          disabled={!editable}
          label={t("goal.mineTitle")}
          renderConflict={() => null}
        >
          {({ errors }) => (
            <fieldset disabled={!editable} className="plain">
              <fieldset className="rating rating-compact">
                <legend>{t("goal.mineLegend")}</legend>
                {errors.answer ? <p className="field-error">{t(errors.answer)}</p> : null}
                {levels.map((l) => (
                  <label key={l.level} className="rating-option">
                    <input type="radio" name="answer" value={String(l.level)} defaultChecked={mine.answer === String(l.level)} />
                    <span>
                      {l.level} – {l.label}
                    </span>
                  </label>
                ))}
                <label className="rating-option">
                  <input type="radio" name="answer" value="na" defaultChecked={mine.answer === "na"} />
                  <span>{t("goal.notAssessed")}</span>
                </label>
                <label className="rating-option">
                  <input type="radio" name="answer" value="" defaultChecked={mine.answer === ""} />
                  <span>{t("goal.clear")}</span>
                </label>
              </fieldset>
              <TextArea
                name="reasons"
                id="mine-reasons"
                label={t("goal.reasons")}
                defaultValue={mine.reasons}
                error={errors.reasons}
                rows={3}
              />
              {editable ? (
                <button type="submit" className="button-secondary">
                  {t("goal.saveMine")}
                </button>
              ) : null}
            </fieldset>
          )}
        </AutosaveForm>
      </section>

      <Section id="spread-heading" title={t("goal.spreadTitle")}>
        {team.length === 0 ? (
          <p>{t("goal.spreadNone")}</p>
        ) : (
          <>
            <p>{t("goal.spreadSummary", { count: team.filter((m) => m.answer).length, team: page.teamSize })}</p>
            <DataTable
              className="data spread"
              caption={t("goal.spreadCaption")}
              columns={[t("goal.spreadLevel"), t("goal.spreadCount")]}
            >
              {[...levels.map((l) => String(l.level)), "na"].map((answer) => {
                const count = team.filter((m) => m.answer === answer).length;
                return (
                  <tr key={answer}>
                    <th scope="row">{levelLabel(answer)}</th>
                    <td>
                      <span className="bar" style={{ inlineSize: `${count * 1.5}rem` }} aria-hidden="true" /> {count}
                    </td>
                  </tr>
                );
              })}
            </DataTable>
            <DataTable caption={t("goal.whoCaption")} columns={[t("goal.who"), t("goal.spreadLevel"), t("goal.whyColumn")]}>
              {team.map((m) => (
                <tr key={m.name}>
                  <th scope="row">{m.isMe ? t("goal.you", { name: m.name }) : m.name}</th>
                  <td>{levelLabel(m.answer)}</td>
                  <td className="pre-line">{m.reasons}</td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </Section>

      <Section id="measures-heading" title={t("goal.measuresTitle")}>
        <p>{t("goal.measuresIntro")}</p>
        {page.workFields.map((w) => (
          <div key={w.code}>
            <h3 lang="de">{w.title}</h3>
            <ul className="measure-list">
              {w.measures.map((m) => (
                <li key={m.code}>
                  <span className="code">{m.code}</span> <span lang="de">{m.title}</span>
                  <p className="muted">
                    {`${t("measures.need")}: ${m.need ? t(`grade.${m.need}`) : t("answer.empty")} · ${t("measures.effort")}: ${m.effort ? t(`grade.${m.effort}`) : t("answer.empty")} · ${t("measures.effective", { priority: m.priority ? t(`priority.${m.priority}`) : t("answer.empty") })}`}
                  </p>
                  <p>
                    <Link to={`${base}/massnahmen#massnahme-${m.code}`} aria-label={t("goal.measureRateLabel", { code: m.code })}>
                      {t("goal.measureRate")}
                    </Link>
                    {" · "}
                    <Link
                      to={`/katalog/${page.versionSlug}/massnahmen/${m.code}`}
                      aria-label={t("goal.measureCatalogueLabel", { code: m.code })}
                    >
                      {t("goal.measureCatalogue")}
                    </Link>
                  </p>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </Section>

      <nav className="pager" aria-label={t("goals.caption")}>
        {goal.number > 1 ? <Link to={`${base}/ziele/${goal.number - 1}`}>← {t("goal.previous")}</Link> : <span />}
        <Link to={base}>{t("nav.overview")}</Link>
        {goal.number < page.goalCount ? <Link to={`${base}/ziele/${goal.number + 1}`}>{t("goal.next")} →</Link> : <span />}
      </nav>
    </>
  );
}

function encodeGoalClient(v: { answer: string; comment: string; evidence: string; links: string[] }) {
  return { answer: v.answer, comment: v.comment, evidence: v.evidence, links: v.links.join("\n") };
}
