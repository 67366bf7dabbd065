/**
 * The five phases of the change for the office's open plan (Teil B): the current phase with
 * a stepper over all five, the checklist per phase, review meetings of the Umsetzungsphase,
 * the consolidation check of finished measures, the follow-up cycle and the earlier cycles.
 *
 * Thin: planScope (the plan layout) resolves office and plan and checks "plan.read"; each
 * form's action is authorised with can() – "plan.manage" (the head: phase, check, follow-up)
 * or "plan.contribute" (the team: checklist, review meetings) – then one call into
 * app/domains/plan/phases.server.ts. Forms work without JavaScript; a refused form keeps
 * what was typed and says why next to the field.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import {
  answerField,
  consolidateSchema,
  followUpSchema,
  type Intent,
  INTENTS,
  phaseSchema,
  reviewSchema,
  tickSchema,
  untickSchema,
} from "~/domains/plan/phase-schemas";
import {
  CONSOLIDATION_DECISIONS,
  checklistProgress,
  PHASE_TASKS,
  PHASES,
  type PhaseTask,
  REVIEW_QUESTIONS,
} from "~/domains/plan/phases";
import {
  consolidateMeasure,
  phasesView,
  recordReview,
  setPhase,
  startFollowUpCycle,
  tickTask,
  untickTask,
} from "~/domains/plan/phases.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize, can } from "~/platform/auth/can";
import { ConflictError, NotFoundError } from "~/platform/errors";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { FormAlert, SubmitButton } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { formatDay, toCalendarDay } from "~/utils/calendar-day";
import { Section } from "~/ui/layout";

const SAVED = ["phase", "tick", "untick", "review", "consolidate", "unchanged"] as const;

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  authorize(actor, "plan.read", subject);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "planPhases");
  const day = (d: Date) => formatDay(d, language);
  const query = new URL(args.request.url).searchParams;
  const saved = (SAVED as readonly string[]).includes(query.get("gespeichert") ?? "") ? query.get("gespeichert") : null;
  const startedCycle = /^\d{1,4}$/.test(query.get("zyklus") ?? "") ? Number(query.get("zyklus")) : null;
  const base = { office: { id: office.id, name: office.name }, pageTitle: `${t("title")} – ${office.name}` };
  if (!plan) return { ...base, view: null, saved: null, startedCycle: null, may: { manage: false, contribute: false } };
  const view = await phasesView(actor, office.id, plan.id);
  return {
    ...base,
    saved,
    startedCycle,
    may: { manage: can(actor, "plan.manage", subject), contribute: can(actor, "plan.contribute", subject) },
    today: toCalendarDay(new Date()),
    view: {
      cycle: view.plan.cycle,
      phase: view.plan.phase,
      progress: checklistProgress(view.tasks.map((t) => t.task)),
      tasks: Object.fromEntries(view.tasks.map((t) => [t.task, { doneAt: day(t.doneAt), by: t.by, note: t.note }])) as Partial<
        Record<PhaseTask, { doneAt: string; by: string | null; note: string }>
      >,
      reviews: view.reviews.map((r) => ({ ...r, heldOn: day(r.heldOn) })),
      finished: view.finished.map((m) => ({
        ...m,
        completedAt: day(m.completedAt),
        check: m.check ? { ...m.check, at: day(m.check.at) } : null,
      })),
      verdict: view.verdict,
      followUpRounds: view.followUpRounds,
      earlierCycles: view.earlierCycles.map((c) => ({ cycle: c.cycle, from: day(c.startedAt), to: day(c.closedAt) })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type ActionResult = { intent: Intent | null; target: string | null; errors: FieldErrors; values: Record<string, string> };

/** Which right each form needs. */
const RIGHT: Record<Intent, "plan.manage" | "plan.contribute"> = {
  phase: "plan.manage",
  tick: "plan.contribute",
  untick: "plan.contribute",
  review: "plan.contribute",
  consolidate: "plan.manage",
  followUp: "plan.manage",
};

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  const formData = await readForm(args.request);
  const raw = formData.get("intent");
  const intent = (INTENTS as readonly string[]).includes(String(raw)) ? (String(raw) as Intent) : null;
  // Consultants and admins read only: refused before anything else is looked at.
  authorize(actor, intent ? RIGHT[intent] : "plan.contribute", subject);
  if (!plan) throw new NotFoundError();
  const here = `/behoerden/${office.id}/plan/phasen`;
  const refuse = (errors: FieldErrors, values: Record<string, string> = {}, target: string | null = null, status = 400) =>
    data<ActionResult>({ intent, target, errors, values }, { status });
  if (!intent) return refuse({ _form: "planPhases:errors.unknownIntent" });
  const ctx = { actor, office, plan };
  const keep = <S extends z.ZodType>(schema: S, keys: string[]) => parseForm(schema, formData, { keep: keys });
  const target = typeof formData.get("task") === "string" ? String(formData.get("task")) : null;
  const saved = (key: (typeof SAVED)[number], changed: boolean, anchor: string) =>
    redirect(`${here}?gespeichert=${changed ? key : "unchanged"}#${anchor}`);

  try {
    switch (intent) {
      case "phase": {
        const form = keep(phaseSchema, ["phase"]);
        if (!form.ok) return refuse(form.errors, form.values);
        return saved("phase", (await setPhase(ctx, form.data.phase)).changed, "aktuelle-phase");
      }
      case "tick": {
        const form = keep(tickSchema, ["note"]);
        if (!form.ok) return refuse(form.errors, form.values, target);
        const task = form.data.task as PhaseTask;
        return saved("tick", (await tickTask(ctx, task, form.data.note as string)).changed, `aufgabe-${task}`);
      }
      case "untick": {
        const form = keep(untickSchema, []);
        if (!form.ok) return refuse(form.errors, form.values, target);
        const task = form.data.task as PhaseTask;
        return saved("untick", (await untickTask(ctx, task)).changed, `aufgabe-${task}`);
      }
      case "review": {
        const form = keep(reviewSchema, ["heldOn", "notes", ...REVIEW_QUESTIONS.map(answerField)]);
        if (!form.ok) return refuse(form.errors, form.values);
        await recordReview(ctx, form.data);
        return saved("review", true, "besprechungen");
      }
      case "consolidate": {
        const measure = typeof formData.get("planMeasureId") === "string" ? String(formData.get("planMeasureId")) : null;
        const form = keep(consolidateSchema, ["successful", "results", "decision", "notes"]);
        if (!form.ok) return refuse(form.errors, form.values, measure);
        const changed = (await consolidateMeasure(ctx, form.data)).changed;
        return saved("consolidate", changed, `massnahme-${form.data.planMeasureId}`);
      }
      case "followUp": {
        const form = keep(followUpSchema, ["roundId"]);
        if (!form.ok) return refuse(form.errors, form.values);
        const next = await startFollowUpCycle(ctx, form.data.roundId);
        return redirect(`${here}?zyklus=${next.cycle}`);
      }
    }
  } catch (error) {
    // A choice that is gone (a measure, a round) or a state that no longer allows it: said at the form, input kept.
    const field = intent === "followUp" ? "roundId" : intent === "consolidate" ? "planMeasureId" : "_form";
    const values = Object.fromEntries([...formData.entries()].filter(([, v]) => typeof v === "string")) as Record<string, string>;
    const measure = intent === "consolidate" ? (values.planMeasureId ?? null) : target;
    if (error instanceof ConflictError) {
      // Also at the top: the form it belongs to may no longer be on the page (an unfinished measure, no follow-up yet).
      const key = error.messageKey ?? "planPhases:errors.unknown";
      return refuse({ _form: key, [field]: key }, values, measure, 409);
    }
    if (error instanceof NotFoundError && (intent === "followUp" || intent === "consolidate"))
      return refuse({ [field]: "planPhases:errors.unknown" }, values, measure);
    throw error;
  }
}

/** A labelled text area whose id is unique on the page (several forms share field names). */
function Area({
  id,
  name,
  label,
  error,
  defaultValue,
  rows = 3,
}: {
  id: string;
  name: string;
  label: string;
  error?: string;
  defaultValue?: string;
  rows?: number;
}) {
  const { t } = useTranslation();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {t(error)}
        </p>
      ) : null}
      <textarea
        id={id}
        name={name}
        rows={rows}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
    </div>
  );
}

export default function PlanPhasesPage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("planPhases");
  const { office, view, may } = loaded;
  if (!view)
    return (
      <>
        <p className="eyebrow">{office.name}</p>
        <h1>{t("title")}</h1>
        <p>{t("noPlan")}</p>
        <p>
          <Link to={`/behoerden/${office.id}/plan`}>{t("toPlan")}</Link>
        </p>
      </>
    );
  const errorsFor = (intent: Intent, target: string | null = null) =>
    result && result.intent === intent && (target === null || result.target === target) ? result : null;
  const phaseForm = errorsFor("phase");
  const reviewForm = errorsFor("review");
  const followForm = errorsFor("followUp");
  const general = result?.errors._form ?? (result && Object.keys(result.errors).length ? "planPhases:errors.form" : null);
  return (
    <>
      <p className="eyebrow">
        {office.name} · {t("cycle", { cycle: view.cycle })}
      </p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {loaded.saved ? (
        <p role="status" className="form-success">
          {t(`saved.${loaded.saved}`)}
        </p>
      ) : null}
      {loaded.startedCycle ? (
        <p role="status" className="form-success">
          {t("followUp.started", { cycle: loaded.startedCycle })}
        </p>
      ) : null}
      <FormAlert message={general ? t(general) : null} />

      <nav aria-label={t("stepper.label")}>
        <ol className="phase-stepper">
          {PHASES.map((p, i) => (
            <li key={p} aria-current={p === view.phase ? "step" : undefined} className={p === view.phase ? "current" : undefined}>
              <strong>
                {i + 1}. {t(`phase.${p}`)}
              </strong>
              {p === view.phase ? <span> ({t("stepper.current")})</span> : null}
              <br />
              <a href={`#phase-${p}`}>{t("stepper.progress", view.progress[p])}</a>
            </li>
          ))}
        </ol>
      </nav>

      <section aria-labelledby="aktuelle-phase" className="card">
        <h2 id="aktuelle-phase">{t("current.heading")}</h2>
        <p>{t("current.text", { phase: t(`phase.${view.phase}`) })}</p>
        <p>{t(`phaseAbout.${view.phase}`)}</p>
        {may.manage ? (
          <Form method="post">
            <input type="hidden" name="intent" value="phase" />
            <div className={phaseForm?.errors.phase ? "field field-invalid" : "field"}>
              <label htmlFor="phase-select">{t("current.label")}</label>
              {phaseForm?.errors.phase ? (
                <p id="phase-select-error" className="field-error">
                  {t(phaseForm.errors.phase)}
                </p>
              ) : null}
              <select
                id="phase-select"
                name="phase"
                defaultValue={phaseForm?.values.phase || view.phase}
                aria-invalid={phaseForm?.errors.phase ? true : undefined}
                aria-describedby={phaseForm?.errors.phase ? "phase-select-error" : undefined}
              >
                {PHASES.map((p) => (
                  <option key={p} value={p}>
                    {t(`phase.${p}`)}
                  </option>
                ))}
              </select>
            </div>
            <SubmitButton intent="phase">{t("current.save")}</SubmitButton>
          </Form>
        ) : (
          <p>{t("current.onlyHead")}</p>
        )}
      </section>

      <Section id="aufgaben" title={t("checklist.heading")}>
        {PHASES.map((p) => (
          <section key={p} aria-labelledby={`phase-${p}`} className="card">
            <h3 id={`phase-${p}`}>
              {t(`phase.${p}`)} – {t("stepper.progress", view.progress[p])}
            </h3>
            <p>{t(`phaseAbout.${p}`)}</p>
            <ul className="plain-list">
              {PHASE_TASKS[p].map((task) => {
                const done = view.tasks[task];
                const form = errorsFor("tick", task) ?? errorsFor("untick", task);
                const label = t(`task.${task}`);
                return (
                  <li key={task} id={`aufgabe-${task}`}>
                    <p>
                      <strong>{done ? t("checklist.done") : t("checklist.open")}</strong> – {label}
                    </p>
                    <p className="field-hint">{t(`taskHint.${task}`)}</p>
                    {done ? (
                      <p>
                        {done.by
                          ? t("checklist.doneBy", { date: done.doneAt, person: done.by })
                          : t("checklist.doneAt", { date: done.doneAt })}
                      </p>
                    ) : null}
                    {done?.note && !may.contribute ? <p className="prewrap">{done.note}</p> : null}
                    {may.contribute ? (
                      <>
                        <Form method="post">
                          <input type="hidden" name="intent" value="tick" />
                          <input type="hidden" name="task" value={task} />
                          <Area
                            id={`note-${task}`}
                            name="note"
                            label={`${t("checklist.note")} – ${label}`}
                            rows={2}
                            error={form?.errors.note}
                            defaultValue={form ? form.values.note : (done?.note ?? "")}
                          />
                          {form?.errors.task ? <p className="field-error">{t(form.errors.task)}</p> : null}
                          <SubmitButton intent="tick" className={done ? "button-secondary" : "button-primary"}>
                            {t(done ? "checklist.saveNote" : "checklist.tick")}
                            <span className="visually-hidden"> – {t("checklist.forTask", { task: label })}</span>
                          </SubmitButton>
                        </Form>
                        {done ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="untick" />
                            <input type="hidden" name="task" value={task} />
                            <SubmitButton intent="untick" className="button-secondary">
                              {t("checklist.untick")}
                              <span className="visually-hidden"> – {t("checklist.forTask", { task: label })}</span>
                            </SubmitButton>
                          </Form>
                        ) : null}
                      </>
                    ) : null}
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </Section>

      <section aria-labelledby="besprechungen" className="card">
        <h2 id="besprechungen">{t("review.heading")}</h2>
        <p>{t("review.intro")}</p>
        <ul>
          {REVIEW_QUESTIONS.map((q) => (
            <li key={q}>{t(`review.question.${q}`)}</li>
          ))}
        </ul>
        <h3>{t("review.listHeading")}</h3>
        {view.reviews.length === 0 ? <p>{t("review.none")}</p> : null}
        {view.reviews.map((r) => (
          <article key={r.id} aria-labelledby={`review-${r.id}`}>
            <h4 id={`review-${r.id}`}>{t("review.itemHeading", { date: r.heldOn })}</h4>
            {r.by ? <p>{t("review.recordedBy", { person: r.by })}</p> : null}
            <dl>
              {REVIEW_QUESTIONS.map((q) => (
                <div key={q}>
                  <dt>{t(`review.question.${q}`)}</dt>
                  <dd className="prewrap">{r.answers[q] || t("review.notAnswered")}</dd>
                </div>
              ))}
              <div>
                <dt>{t("review.notes")}</dt>
                <dd className="prewrap">{r.notes || t("review.notAnswered")}</dd>
              </div>
            </dl>
          </article>
        ))}
        {may.contribute ? (
          <Form method="post">
            <h3>{t("review.formHeading")}</h3>
            <input type="hidden" name="intent" value="review" />
            <div className={reviewForm?.errors.heldOn ? "field field-invalid" : "field"}>
              <label htmlFor="review-heldOn">{t("review.heldOn")}</label>
              <p id="review-heldOn-hint" className="field-hint">
                {t("review.heldOnHint")}
              </p>
              {reviewForm?.errors.heldOn ? (
                <p id="review-heldOn-error" className="field-error">
                  {t(reviewForm.errors.heldOn)}
                </p>
              ) : null}
              <input
                id="review-heldOn"
                name="heldOn"
                type="date"
                max={loaded.today}
                defaultValue={reviewForm ? reviewForm.values.heldOn : loaded.today}
                aria-invalid={reviewForm?.errors.heldOn ? true : undefined}
                aria-describedby={reviewForm?.errors.heldOn ? "review-heldOn-hint review-heldOn-error" : "review-heldOn-hint"}
              />
            </div>
            {REVIEW_QUESTIONS.map((q) => (
              <Area
                key={q}
                id={`review-${q}`}
                name={answerField(q)}
                label={t(`review.question.${q}`)}
                error={reviewForm?.errors[answerField(q)]}
                defaultValue={reviewForm?.values[answerField(q)] ?? ""}
              />
            ))}
            <Area
              id="review-notes"
              name="notes"
              label={t("review.notes")}
              error={reviewForm?.errors.notes}
              defaultValue={reviewForm?.values.notes ?? ""}
            />
            <SubmitButton intent="review">{t("review.save")}</SubmitButton>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="konsolidierung" className="card">
        <h2 id="konsolidierung">{t("consolidation.heading")}</h2>
        <p>{t("consolidation.intro")}</p>
        {view.finished.length === 0 ? <p>{t("consolidation.none")}</p> : null}
        {view.finished.map((m) => {
          const name = m.code ? `${m.code} ${m.title}` : `${m.title} (${t("consolidation.ownMeasure")})`;
          const form = errorsFor("consolidate", m.id);
          const v = form
            ? form.values
            : {
                successful: m.check ? (m.check.successful ? "yes" : "no") : "",
                results: m.check?.results ?? "",
                decision: m.check?.decision ?? "",
                notes: m.check?.notes ?? "",
              };
          return (
            <article key={m.id} id={`massnahme-${m.id}`} aria-labelledby={`massnahme-${m.id}-titel`}>
              <h3 id={`massnahme-${m.id}-titel`}>{name}</h3>
              <p>{t("consolidation.completedAt", { date: m.completedAt })}</p>
              <p>{m.check ? t("consolidation.checkedAt", { date: m.check.at }) : t("consolidation.notChecked")}</p>
              {m.check && !may.manage ? (
                <dl>
                  <dt>{t("consolidation.successful")}</dt>
                  <dd>{t(m.check.successful ? "consolidation.yes" : "consolidation.no")}</dd>
                  <dt>{t("consolidation.results")}</dt>
                  <dd className="prewrap">{m.check.results || t("cycleView.none")}</dd>
                  <dt>{t("consolidation.decision")}</dt>
                  <dd>{m.check.decision ? t(`consolidation.decisionValue.${m.check.decision}`) : t("cycleView.none")}</dd>
                  <dt>{t("consolidation.notes")}</dt>
                  <dd className="prewrap">{m.check.notes || t("cycleView.none")}</dd>
                </dl>
              ) : null}
              {may.manage ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="consolidate" />
                  <input type="hidden" name="planMeasureId" value={m.id} />
                  {form?.errors.planMeasureId ? <p className="field-error">{t(form.errors.planMeasureId)}</p> : null}
                  <fieldset className={form?.errors.successful ? "field field-invalid" : "field"}>
                    <legend>{t("consolidation.successful")}</legend>
                    {form?.errors.successful ? <p className="field-error">{t(form.errors.successful)}</p> : null}
                    {(["yes", "no"] as const).map((value) => (
                      <label key={value}>
                        <input type="radio" name="successful" value={value} defaultChecked={v.successful === value} />{" "}
                        {t(`consolidation.${value}`)}
                      </label>
                    ))}
                  </fieldset>
                  <Area
                    id={`results-${m.id}`}
                    name="results"
                    label={t("consolidation.results")}
                    error={form?.errors.results}
                    defaultValue={v.results}
                  />
                  <fieldset className={form?.errors.decision ? "field field-invalid" : "field"}>
                    <legend>{t("consolidation.decision")}</legend>
                    {form?.errors.decision ? <p className="field-error">{t(form.errors.decision)}</p> : null}
                    {CONSOLIDATION_DECISIONS.map((d) => (
                      <label key={d}>
                        <input type="radio" name="decision" value={d} defaultChecked={v.decision === d} />{" "}
                        {t(`consolidation.decisionValue.${d}`)}
                      </label>
                    ))}
                  </fieldset>
                  <Area
                    id={`notes-${m.id}`}
                    name="notes"
                    label={t("consolidation.notes")}
                    error={form?.errors.notes}
                    defaultValue={v.notes}
                  />
                  <SubmitButton intent="consolidate">
                    {t("consolidation.save")}
                    <span className="visually-hidden"> – {t("consolidation.forMeasure", { measure: name })}</span>
                  </SubmitButton>
                </Form>
              ) : null}
            </article>
          );
        })}
      </section>

      <section aria-labelledby="folgezyklus" className="card">
        <h2 id="folgezyklus">{t("followUp.heading")}</h2>
        <p>{t("followUp.intro")}</p>
        <p>{t("followUp.rule")}</p>
        <p>{t("followUp.share", { share: Math.round(view.verdict.share * 100) })}</p>
        <p>
          <strong>
            {view.verdict.done
              ? t("followUp.ready")
              : view.verdict.reason === "noMeasures"
                ? t("followUp.noMeasures")
                : t("followUp.notReady")}
          </strong>
        </p>
        {!may.manage ? (
          <p>{t("followUp.onlyHead")}</p>
        ) : view.followUpRounds.length === 0 ? (
          <p>{t("followUp.noRounds")}</p>
        ) : view.verdict.done || followForm ? (
          <Form method="post">
            <input type="hidden" name="intent" value="followUp" />
            <div className={followForm?.errors.roundId ? "field field-invalid" : "field"}>
              <label htmlFor="followup-round">{t("followUp.round")}</label>
              <p id="followup-round-hint" className="field-hint">
                {t("followUp.roundHint")}
              </p>
              {followForm?.errors.roundId ? (
                <p id="followup-round-error" className="field-error">
                  {t(followForm.errors.roundId)}
                </p>
              ) : null}
              <select
                id="followup-round"
                name="roundId"
                defaultValue={followForm?.values.roundId}
                aria-invalid={followForm?.errors.roundId ? true : undefined}
                aria-describedby={followForm?.errors.roundId ? "followup-round-hint followup-round-error" : "followup-round-hint"}
              >
                {view.followUpRounds.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            </div>
            <SubmitButton intent="followUp">{t("followUp.start")}</SubmitButton>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="fruehere-zyklen" className="card">
        <h2 id="fruehere-zyklen">{t("cycles.heading")}</h2>
        {view.earlierCycles.length === 0 ? (
          <p>{t("cycles.none")}</p>
        ) : (
          <ul>
            {view.earlierCycles.map((c) => (
              <li key={c.cycle}>
                {t("cycles.item", { cycle: c.cycle, from: c.from, to: c.to })} –{" "}
                <Link to={`/behoerden/${office.id}/plan/zyklen/${c.cycle}`}>{t("cycles.open", { cycle: c.cycle })}</Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
