/**
 * One measure of the plan: its intended result (the head edits it, with a version check),
 * its activities (status as symbol and text), the add-activity form (the team), milestones
 * (the team adds them and marks them reached) and the link to its attachments.
 *
 * Thin: parse → can() → one domain call → redirect, field errors (400, typed input kept) or
 * the conflict view (409: their input and the saved state side by side).
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import { addActivity, addMilestone, markMilestoneReached } from "~/domains/plan/activities.server";
import { loadPlan, officeTeam } from "~/domains/plan/load.server";
import { editIntendedResult } from "~/domains/plan/plan.server";
import { planMeasureAchievement } from "~/domains/plan/achievement.server";
import {
  activitySchema,
  intendedResultSchema,
  milestoneReachedSchema,
  milestoneSchema,
  ACTIVITY_FIELDS,
} from "~/domains/plan/schemas";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize, can } from "~/platform/auth/can";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { InvalidInputError, NotFoundError } from "~/platform/errors";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { Field, FormAlert, SubmitButton, TextArea } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { ActivityFields, ConflictView, StatusText } from "~/ui/plan";
import { MeasureAchievement } from "~/ui/achievement";
import { formatDay, toCalendarDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { DataTable } from "~/ui/layout";

const DONE_KEYS = ["activityAdded", "milestoneAdded", "milestoneReached", "resultSaved"] as const;
/** What the activity form keeps when it is refused: every field a person edits. */
const ACTIVITY_KEEP: string[] = [...ACTIVITY_FIELDS];

async function measureScope(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const scope = await planScope(args);
  const { planMeasure } = requireRouteIds(args.params, "planMeasure");
  if (!scope.plan || !can(scope.actor, "plan.read", scope.subject)) throw new NotFoundError();
  return { ...scope, plan: scope.plan, planMeasureId: planMeasure };
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject, planMeasureId } = await measureScope(args);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "plan");
  const loaded = await loadPlan(actor, plan.id);
  const measure = loaded.measures.find((m) => m.id === planMeasureId);
  if (!measure) throw new NotFoundError();
  const contribute = can(actor, "plan.contribute", subject);
  const doneParam = new URL(args.request.url).searchParams.get("erledigt");
  const day = (d: string | null) => (d ? formatDay(new Date(`${d}T12:00:00Z`), language) : null);
  return {
    office: { id: office.id, name: office.name },
    pageTitle: `${measure.code ? `${measure.code} ` : ""}${measure.title} – ${t("title")} – ${office.name}`,
    done: DONE_KEYS.find((k) => k === doneParam) ?? null,
    manage: can(actor, "plan.manage", subject),
    contribute,
    team: contribute ? await officeTeam(actor, office.id) : [],
    // What this catalogue measure achieved across the network (anonymity rule; item 8).
    achievement: await planMeasureAchievement(actor, office.networkId, measure.measureId),
    today: toCalendarDay(new Date()),
    measure: {
      id: measure.id,
      code: measure.code,
      title: measure.title,
      origin: measure.origin,
      intendedResult: measure.intendedResult,
      version: measure.version,
      completed: measure.completedAt ? formatDay(measure.completedAt, language) : null,
      activities: measure.activities.map((a) => ({
        id: a.id,
        title: a.title,
        status: a.status,
        startsOn: day(a.startsOn),
        endsOn: day(a.endsOn),
        responsible: a.responsible,
        latest: a.latestUpdate ? { date: day(a.latestUpdate.notedOn), body: a.latestUpdate.body } : null,
      })),
      milestones: measure.milestones.map((m) => ({ id: m.id, title: m.title, dueOn: day(m.dueOn), reachedOn: day(m.reachedOn) })),
    },
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = {
  intent: string;
  errors: FieldErrors;
  values: Record<string, string>;
  conflict?: { mine: string; current: string; savedAt: string; version: number };
};

const intentSchema = z.object({
  intent: z.enum(["result", "activity", "milestone", "reached"], { message: "plan:errors.unknownIntent" }),
});

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject, planMeasureId } = await measureScope(args);
  const form = await readForm(args.request);
  const which = parseForm(intentSchema, form);
  if (!which.ok) return data<Result>({ intent: "", errors: which.errors, values: {} }, { status: 400 });
  const { intent } = which.data;
  const here = `/behoerden/${office.id}/plan/massnahmen/${planMeasureId}`;
  const fail = (errors: FieldErrors, values: Record<string, string> = {}) =>
    data<Result>({ intent, errors, values }, { status: 400 });
  const typed = (keys: string[]) =>
    Object.fromEntries(keys.map((k) => [k, typeof form.get(k) === "string" ? String(form.get(k)) : ""]));
  try {
    if (intent === "result") {
      authorize(actor, "plan.manage", subject);
      const parsed = parseForm(intendedResultSchema, form, { keep: ["intendedResult"] });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      const outcome = await editIntendedResult(actor, office.id, plan.id, planMeasureId, parsed.data);
      if (outcome.kind === "conflict") {
        const language = (await i18next.getLocale(args.request)) as Language;
        return data<Result>(
          {
            intent,
            errors: {},
            values: { intendedResult: outcome.mine },
            conflict: {
              mine: outcome.mine,
              current: outcome.current,
              savedAt: formatDateTime(outcome.at, language),
              version: outcome.version,
            },
          },
          { status: 409 },
        );
      }
      return redirect(`${here}?erledigt=resultSaved`);
    }
    authorize(actor, "plan.contribute", subject);
    if (intent === "activity") {
      const parsed = parseForm(activitySchema, form, { keep: ACTIVITY_KEEP });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      await addActivity(actor, office.id, plan.id, planMeasureId, parsed.data);
      return redirect(`${here}?erledigt=activityAdded#activities-heading`);
    }
    if (intent === "milestone") {
      const parsed = parseForm(milestoneSchema, form, { keep: ["milestoneTitle", "dueOn"] });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      await addMilestone(actor, office.id, plan.id, planMeasureId, {
        title: parsed.data.milestoneTitle,
        dueOn: parsed.data.dueOn,
      });
      return redirect(`${here}?erledigt=milestoneAdded#milestones-heading`);
    }
    const parsed = parseForm(milestoneReachedSchema, form, { keep: ["milestoneId", "reachedOn"] });
    if (!parsed.ok) return fail(parsed.errors, parsed.values);
    await markMilestoneReached(actor, office.id, plan.id, planMeasureId, parsed.data);
    return redirect(`${here}?erledigt=milestoneReached#milestones-heading`);
  } catch (error) {
    if (error instanceof InvalidInputError)
      return fail(
        error.fieldErrors,
        typed([...ACTIVITY_KEEP, "milestoneTitle", "dueOn", "milestoneId", "reachedOn", "intendedResult"]),
      );
    throw error;
  }
}

export default function PlanMeasurePage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("plan");
  const { measure } = page;
  const errorsOf = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesOf = (intent: string) => (result?.intent === intent ? result.values : {});
  const base = `/behoerden/${page.office.id}/plan`;
  const conflict = result?.conflict;
  return (
    <>
      <p className="eyebrow">{t("measure.eyebrow")}</p>
      <h1>
        {measure.code ? `${measure.code} ` : ""}
        {measure.title}
      </h1>
      <p>
        <Link to={base}>{t("measure.back")}</Link>
        {" · "}
        <Link to={`${base}/anlagen#${measure.id}`}>{t("measure.attachments")}</Link>
      </p>
      <p>{t(`origin.${measure.origin}`)}</p>
      {page.done && !result ? (
        <p role="status" className="form-success">
          {t(`measure.${page.done}`)}
        </p>
      ) : null}
      {measure.completed ? <p>{t("measure.completed", { date: measure.completed })}</p> : null}
      <FormAlert message={result && Object.keys(result.errors).length ? t("errors.form") : null} />
      {result?.errors.intent ? <p className="field-error">{t(result.errors.intent)}</p> : null}

      <h2 id="result-heading">{t("measure.intendedResult")}</h2>
      {conflict ? (
        <ConflictView
          savedAt={conflict.savedAt}
          rows={[{ label: t("measure.intendedResult"), mine: conflict.mine, current: conflict.current }]}
        />
      ) : null}
      {page.manage ? (
        <Form method="post" key={`result-${conflict?.version ?? measure.version}`}>
          <input type="hidden" name="intent" value="result" />
          <input type="hidden" name="version" value={conflict?.version ?? measure.version} />
          <TextArea
            name="intendedResult"
            label={t("measure.intendedResult")}
            error={errorsOf("result").intendedResult}
            defaultValue={valuesOf("result").intendedResult ?? measure.intendedResult}
            rows={4}
          />
          <SubmitButton intent="result">{t("measure.editResult")}</SubmitButton>
        </Form>
      ) : (
        <p style={{ whiteSpace: "pre-wrap" }}>{measure.intendedResult || t("measure.noResult")}</p>
      )}

      <h2 id="activities-heading">{t("measure.activitiesHeading")}</h2>
      <p>{t("status.legend")}</p>
      {measure.activities.length === 0 ? (
        <p>{t("measure.noActivities")}</p>
      ) : (
        <DataTable
          caption={t("measure.activitiesCaption")}
          columns={[
            t("activity.title"),
            t("activity.status"),
            t("activity.timeFrame"),
            t("activity.responsible"),
            t("activity.latest"),
          ]}
        >
          {measure.activities.map((a) => (
            <tr key={a.id}>
              <th scope="row">
                <Link to={`${base}/aktivitaeten/${a.id}`}>{a.title}</Link>
              </th>
              <td>
                <StatusText status={a.status} />
              </td>
              <td>{a.startsOn || a.endsOn ? `${a.startsOn ?? "…"} – ${a.endsOn ?? "…"}` : t("activity.nobody")}</td>
              <td>{a.responsible ?? t("activity.nobody")}</td>
              <td style={{ whiteSpace: "pre-wrap" }}>{a.latest ? `${a.latest.date}: ${a.latest.body}` : t("activity.nobody")}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.contribute ? (
        <section aria-labelledby="add-activity-heading" className="card">
          <h3 id="add-activity-heading">{t("measure.addActivity")}</h3>
          <Form method="post">
            <input type="hidden" name="intent" value="activity" />
            <ActivityFields values={valuesOf("activity")} errors={errorsOf("activity")} team={page.team} />
            <SubmitButton intent="activity">{t("measure.addActivity")}</SubmitButton>
          </Form>
        </section>
      ) : null}

      <h2 id="milestones-heading">{t("measure.milestonesHeading")}</h2>
      {errorsOf("reached").milestoneId || errorsOf("reached").reachedOn ? (
        <p className="field-error">{t(errorsOf("reached").milestoneId ?? errorsOf("reached").reachedOn!)}</p>
      ) : null}
      {measure.milestones.length === 0 ? (
        <p>{t("measure.noMilestones")}</p>
      ) : (
        <DataTable
          caption={t("measure.milestonesCaption")}
          columns={[t("measure.milestoneTitle"), t("measure.due"), t("measure.state")]}
        >
          {measure.milestones.map((m) => (
            <tr key={m.id}>
              <th scope="row">{m.title}</th>
              <td>{m.dueOn ?? t("activity.nobody")}</td>
              <td>
                {m.reachedOn ? t("measure.reached", { date: m.reachedOn }) : t("measure.notReached")}
                {page.contribute && !m.reachedOn ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="reached" />
                    <input type="hidden" name="milestoneId" value={m.id} />
                    <label htmlFor={`reached-${m.id}`}>{t("measure.reachedOn")}</label>{" "}
                    <input id={`reached-${m.id}`} name="reachedOn" type="date" defaultValue={page.today} />{" "}
                    <SubmitButton intent="reached" className="button-secondary">
                      {t("measure.markReached")}
                      <span className="visually-hidden"> – {m.title}</span>
                    </SubmitButton>
                  </Form>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.contribute ? (
        <section aria-labelledby="add-milestone-heading" className="card">
          <h3 id="add-milestone-heading">{t("measure.addMilestone")}</h3>
          <Form method="post">
            <input type="hidden" name="intent" value="milestone" />
            <Field
              name="milestoneTitle"
              label={t("measure.milestoneTitle")}
              error={errorsOf("milestone").milestoneTitle}
              defaultValue={valuesOf("milestone").milestoneTitle}
            />
            <Field
              name="dueOn"
              type="date"
              label={t("measure.dueOn")}
              hint={t("activity.dateHint")}
              error={errorsOf("milestone").dueOn}
              defaultValue={valuesOf("milestone").dueOn}
            />
            <SubmitButton intent="milestone">{t("measure.addMilestone")}</SubmitButton>
          </Form>
        </section>
      ) : null}
      {page.achievement && measure.code ? (
        <MeasureAchievement items={page.achievement.items} code={measure.code} goal={page.achievement.goal} />
      ) : null}
    </>
  );
}
