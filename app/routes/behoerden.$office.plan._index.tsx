/**
 * The plan's overview (issue 21): without a plan, what it is and – for the head – the start
 * form (round picker, the round's "hoch" measures proposed with checkboxes); with a plan,
 * its measures with status counts, and for the head: add a catalogue or own measure,
 * remove one, release the plan to the ministry. Staff, assigned consultants and the
 * ministry (released plans only) see no head controls.
 *
 * Thin: parse → can() → one domain call → redirect or field errors (400, typed input kept).
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import { PlanFileLinks } from "~/domains/plan/plan-file-links";
import { loadPlan } from "~/domains/plan/load.server";
import {
  addCatalogueMeasure,
  addOwnMeasure,
  catalogueChoices,
  defaultRound,
  proposedMeasures,
  removeMeasure,
  roundsForPlan,
  setPlanRelease,
  startPlan,
} from "~/domains/plan/plan.server";
import {
  addCatalogueMeasureSchema,
  addOwnMeasureSchema,
  measureIdsSchema,
  planMeasureIdSchema,
  releaseSchema,
  startPlanSchema,
} from "~/domains/plan/schemas";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize, can } from "~/platform/auth/can";
import { InvalidInputError } from "~/platform/errors";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { Field, FormAlert, SubmitButton, TextArea } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { StatusCounts } from "~/ui/plan";
import { formatDay } from "~/utils/calendar-day";

const DONE_KEYS = ["started", "added", "removed", "granted", "withdrawn"] as const;
const uuid = z.uuid();

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "plan");
  const url = new URL(args.request.url);
  const doneParam = url.searchParams.get("erledigt");
  const done = DONE_KEYS.find((k) => k === doneParam) ?? null;
  // A title proposed from the team workshop's notes ("In den Plan übernehmen"), for the own-measure form.
  const proposedTitle = (url.searchParams.get("eigeneMassnahme") ?? "").slice(0, 200);
  const base = { office: { id: office.id, name: office.name }, pageTitle: `${t("title")} – ${office.name}`, done, proposedTitle };
  // The ministry without a released plan: only that released plans are shown (not whether one exists).
  if (!can(actor, "plan.read", subject)) return { ...base, view: "hidden" as const };
  const manage = can(actor, "plan.manage", subject);
  if (!plan) {
    if (!manage) return { ...base, view: "none" as const, team: can(actor, "office.workOnPlan", subject) };
    const rounds = await roundsForPlan(actor, office.id);
    const asked = uuid.safeParse(url.searchParams.get("runde"));
    const round = (asked.success ? rounds.find((r) => r.id === asked.data) : undefined) ?? defaultRound(rounds);
    const proposal = round ? await proposedMeasures(actor, office.id, round.id) : null;
    return {
      ...base,
      view: "start" as const,
      rounds: rounds.map((r) => ({ id: r.id, name: r.name, submitted: r.submittedAt !== null })),
      selectedRound: round?.id ?? null,
      proposal,
    };
  }
  const loaded = await loadPlan(actor, plan.id);
  return {
    ...base,
    view: "plan" as const,
    manage,
    readOnly: !can(actor, "plan.contribute", subject),
    plan: {
      cycle: loaded.cycle,
      startedOn: formatDay(loaded.startedAt, language),
      sourceRound: loaded.sourceRound?.name ?? null,
      released: loaded.releasedAt ? formatDay(loaded.releasedAt, language) : null,
      counts: loaded.counts,
      measures: loaded.measures.map((m) => ({
        id: m.id,
        code: m.code,
        title: m.title,
        origin: m.origin,
        activities: m.activities.length,
        counts: m.counts,
        completed: m.completedAt ? formatDay(m.completedAt, language) : null,
      })),
    },
    catalogue: manage ? await catalogueChoices(actor, plan.id) : [],
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = { intent: string; errors: FieldErrors; values: Record<string, string> };

const intentSchema = z.object({
  intent: z.enum(["start", "addCatalogue", "addOwn", "remove", "release"], { message: "plan:errors.unknownIntent" }),
});

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  // Every intent here is the head's: decide which measures are in the plan, release it.
  authorize(actor, "plan.manage", subject);
  const form = await readForm(args.request);
  const base = `/behoerden/${office.id}/plan`;
  const which = parseForm(intentSchema, form);
  if (!which.ok) return data<Result>({ intent: "", errors: which.errors, values: {} }, { status: 400 });
  const { intent } = which.data;
  const fail = (errors: FieldErrors, values: Record<string, string> = {}) =>
    data<Result>({ intent, errors, values }, { status: 400 });
  try {
    if (intent === "start") {
      const parsed = parseForm(startPlanSchema, form, { keep: ["roundId"] });
      const ids = measureIdsSchema.safeParse(form.getAll("measure"));
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      if (!ids.success) return fail({ measure: "plan:errors.measureUnknown" });
      await startPlan(
        actor,
        { id: office.id, networkId: office.networkId },
        { roundId: parsed.data.roundId, measureIds: ids.data },
      );
      return redirect(`${base}?erledigt=started`);
    }
    if (!plan) return fail({ _form: "plan:errors.noPlan" });
    if (intent === "addCatalogue") {
      const parsed = parseForm(addCatalogueMeasureSchema, form, { keep: ["measureId"] });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      await addCatalogueMeasure(actor, office.id, plan.id, parsed.data.measureId);
      return redirect(`${base}?erledigt=added`);
    }
    if (intent === "addOwn") {
      const parsed = parseForm(addOwnMeasureSchema, form, { keep: ["title", "intendedResult"] });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      await addOwnMeasure(actor, office.id, plan.id, parsed.data);
      return redirect(`${base}?erledigt=added`);
    }
    if (intent === "remove") {
      const parsed = parseForm(planMeasureIdSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      await removeMeasure(actor, office.id, plan.id, parsed.data.planMeasureId);
      return redirect(`${base}?erledigt=removed`);
    }
    const parsed = parseForm(releaseSchema, form);
    if (!parsed.ok) return fail(parsed.errors);
    await setPlanRelease(actor, office.id, plan.id, parsed.data.release === "on");
    return redirect(`${base}?erledigt=${parsed.data.release === "on" ? "granted" : "withdrawn"}`);
  } catch (error) {
    // The domain's field errors (an unknown measure, one already in the plan) go next to the field.
    if (error instanceof InvalidInputError)
      return fail(
        error.fieldErrors,
        Object.fromEntries(
          ["roundId", "measureId", "title", "intendedResult"].map((k) => [
            k,
            typeof form.get(k) === "string" ? String(form.get(k)) : "",
          ]),
        ),
      );
    throw error;
  }
}

export default function PlanPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("plan");
  const errorsOf = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesOf = (intent: string) => (result?.intent === intent ? result.values : {});
  const doneMessage =
    page.done === "granted" || page.done === "withdrawn"
      ? t(`release.${page.done}`)
      : page.done
        ? t(`overview.${page.done}`)
        : null;
  return (
    <>
      <p className="eyebrow">{page.office.name}</p>
      <h1>{t("title")}</h1>
      {doneMessage && !result ? (
        <p role="status" className="form-success">
          {doneMessage}
        </p>
      ) : null}
      <FormAlert message={result && Object.keys(result.errors).length ? t("errors.form") : null} />
      {result?.errors._form ? <p className="field-error">{t(result.errors._form)}</p> : null}
      {result?.errors.intent ? <p className="field-error">{t(result.errors.intent)}</p> : null}
      {page.view === "hidden" ? <p>{t("overview.adminOnlyReleased")}</p> : null}
      {page.view === "none" ? (
        <>
          <p>{t("overview.intro")}</p>
          <p>{t("overview.noPlan")}</p>
          {page.team ? <p>{t("overview.noPlanStaff")}</p> : null}
        </>
      ) : null}
      {page.view === "start" ? (
        <>
          <p>{t("overview.intro")}</p>
          <p>{t("overview.noPlan")}</p>
          <section aria-labelledby="start-heading" className="card">
            <h2 id="start-heading">{t("start.heading")}</h2>
            <p>{t("start.intro")}</p>
            {page.rounds.length === 0 ? (
              <p>{t("start.noRounds")}</p>
            ) : (
              <>
                <Form method="get">
                  <div className="field">
                    <label htmlFor="field-runde">{t("start.round")}</label>
                    <select id="field-runde" name="runde" defaultValue={page.selectedRound ?? undefined}>
                      {page.rounds.map((r) => (
                        <option key={r.id} value={r.id}>
                          {t(r.submitted ? "start.roundSubmitted" : "start.roundDraft", { round: r.name })}
                        </option>
                      ))}
                    </select>
                  </div>
                  <button type="submit" className="button-secondary">
                    {t("start.show")}
                  </button>
                </Form>
                {page.proposal ? (
                  <Form method="post" key={page.proposal.round.id}>
                    <input type="hidden" name="intent" value="start" />
                    <input type="hidden" name="roundId" value={page.proposal.round.id} />
                    <fieldset aria-describedby={errorsOf("start").measure ? "field-measure-error" : undefined}>
                      <legend>{t("start.proposed", { round: page.proposal.round.name })}</legend>
                      {errorsOf("start").measure || errorsOf("start").roundId ? (
                        <p id="field-measure-error" className="field-error">
                          {t(errorsOf("start").measure ?? errorsOf("start").roundId!)}
                        </p>
                      ) : null}
                      {page.proposal.measures.length === 0 ? <p>{t("start.noneProposed")}</p> : null}
                      {page.proposal.measures.map((m) => (
                        <div key={m.id} className="checkbox">
                          <input type="checkbox" id={`measure-${m.id}`} name="measure" value={m.id} defaultChecked />
                          <label htmlFor={`measure-${m.id}`}>
                            {m.code} {m.title}
                          </label>
                        </div>
                      ))}
                    </fieldset>
                    <SubmitButton intent="start">{t("start.submit")}</SubmitButton>
                  </Form>
                ) : null}
              </>
            )}
          </section>
        </>
      ) : null}
      {page.view === "plan" ? <PlanView page={page} errorsOf={errorsOf} valuesOf={valuesOf} /> : null}
      {page.view === "plan" ? <PlanFileLinks officeId={page.office.id} showImport={!page.readOnly} /> : null}
    </>
  );
}

type PlanPage = Extract<ReturnType<typeof useLoaderData<typeof loader>>, { view: "plan" }>;

function PlanView({
  page,
  errorsOf,
  valuesOf,
}: {
  page: PlanPage;
  errorsOf: (intent: string) => FieldErrors;
  valuesOf: (intent: string) => Record<string, string>;
}) {
  const { t } = useTranslation("plan");
  const base = `/behoerden/${page.office.id}/plan`;
  const { plan } = page;
  return (
    <>
      <p>{t("overview.cycle", { cycle: plan.cycle, date: plan.startedOn })}</p>
      {plan.sourceRound ? <p>{t("overview.fromRound", { round: plan.sourceRound })}</p> : null}
      {page.readOnly ? <p>{t("overview.readOnly")}</p> : null}
      <p>
        {t("overview.total")} <StatusCounts counts={plan.counts} />
      </p>
      <h2 id="measures-heading">{t("overview.measuresHeading")}</h2>
      {plan.measures.length === 0 ? (
        <p>{t("overview.noMeasures")}</p>
      ) : (
        <table className="data">
          <caption>{t("overview.measuresCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("overview.measure")}</th>
              <th scope="col">{t("overview.origin")}</th>
              <th scope="col">{t("overview.activities")}</th>
              <th scope="col">{t("status.legend")}</th>
              <th scope="col">{t("overview.done")}</th>
              {page.manage ? <th scope="col">{t("overview.remove")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {plan.measures.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <Link to={`${base}/massnahmen/${m.id}`}>
                    {m.code ? `${m.code} ` : ""}
                    {m.title}
                  </Link>
                </th>
                <td>{t(`origin.${m.origin}`)}</td>
                <td>{m.activities}</td>
                <td>
                  <StatusCounts counts={m.counts} />
                </td>
                <td>{m.completed ? t("overview.completed", { date: m.completed }) : t("overview.open")}</td>
                {page.manage ? (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="remove" />
                      <input type="hidden" name="planMeasureId" value={m.id} />
                      <SubmitButton intent="remove" className="button-secondary">
                        {t("overview.remove")}
                        <span className="visually-hidden"> – {t("overview.removeContext", { title: m.title })}</span>
                      </SubmitButton>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.manage ? (
        <>
          <p className="field-hint">{t("overview.removeHint")}</p>
          <section aria-labelledby="add-catalogue-heading" className="card">
            <h2 id="add-catalogue-heading">{t("add.catalogueHeading")}</h2>
            <Form method="post">
              <input type="hidden" name="intent" value="addCatalogue" />
              <div className={errorsOf("addCatalogue").measureId ? "field field-invalid" : "field"}>
                <label htmlFor="field-measureId">{t("add.catalogueLabel")}</label>
                {errorsOf("addCatalogue").measureId ? (
                  <p id="field-measureId-error" className="field-error">
                    {t(errorsOf("addCatalogue").measureId)}
                  </p>
                ) : null}
                <select
                  id="field-measureId"
                  name="measureId"
                  defaultValue={valuesOf("addCatalogue").measureId ?? ""}
                  aria-invalid={errorsOf("addCatalogue").measureId ? true : undefined}
                  aria-describedby={errorsOf("addCatalogue").measureId ? "field-measureId-error" : undefined}
                >
                  <option value="">{t("add.choose")}</option>
                  {page.catalogue.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.code} {m.title}
                    </option>
                  ))}
                </select>
              </div>
              <SubmitButton intent="addCatalogue">{t("add.catalogueSubmit")}</SubmitButton>
            </Form>
          </section>
          <section aria-labelledby="add-own-heading" className="card">
            <h2 id="add-own-heading">{t("add.ownHeading")}</h2>
            <p>{t("add.ownHint")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="addOwn" />
              <Field
                name="title"
                label={t("add.title")}
                error={errorsOf("addOwn").title}
                defaultValue={valuesOf("addOwn").title ?? page.proposedTitle}
              />
              <TextArea
                name="intendedResult"
                label={t("add.intendedResult")}
                error={errorsOf("addOwn").intendedResult}
                defaultValue={valuesOf("addOwn").intendedResult}
              />
              <SubmitButton intent="addOwn">{t("add.ownSubmit")}</SubmitButton>
            </Form>
          </section>
          <section aria-labelledby="release-heading" className="card">
            <h2 id="release-heading">{t("release.heading")}</h2>
            <p>{plan.released ? t("release.released", { date: plan.released }) : t("release.notReleased")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="release" />
              <input type="hidden" name="release" value={plan.released ? "off" : "on"} />
              <SubmitButton intent="release" className={plan.released ? "button-secondary" : "button-primary"}>
                {t(plan.released ? "release.withdraw" : "release.grant")}
              </SubmitButton>
            </Form>
          </section>
        </>
      ) : null}
    </>
  );
}
