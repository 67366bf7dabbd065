/**
 * One activity (Arbeitsschritt): edit it (the head, the person responsible, whoever added it
 * – "activity.update"), set its status with one button, and the dated state entries
 * (Aktueller Sachstand, append-only) with a form to add one (the team).
 *
 * A save names the version it was loaded with; if someone saved in between, nothing is
 * overwritten: 409 with the conflict view (their input and the saved state side by side)
 * and the form still holding what they typed, on the current version, to save again.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import { activityValues, addActivityUpdate, saveActivity, setActivityStatus } from "~/domains/plan/activities.server";
import { loadActivity, loadActivityUpdates, officeTeam } from "~/domains/plan/load.server";
import { ACTIVITY_FIELDS, activityEditSchema, activityUpdateSchema, statusSchema } from "~/domains/plan/schemas";
import { ACTIVITY_STATUSES, STATUS_SYMBOL } from "~/domains/plan/status";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize, can } from "~/platform/auth/can";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { InvalidInputError, NotFoundError } from "~/platform/errors";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { Field, FormAlert, SubmitButton, TextArea } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { ActivityFields, ConflictView, StatusText } from "~/ui/plan";
import { formatDay, toCalendarDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { DataTable } from "~/ui/layout";

const DONE_KEYS = ["saved", "statusSaved", "sachstandAdded"] as const;

async function activityScope(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const scope = await planScope(args);
  const { activity: activityId } = requireRouteIds(args.params, "activity");
  if (!scope.plan || !can(scope.actor, "plan.read", scope.subject)) throw new NotFoundError();
  const { measure, activity } = await loadActivity(scope.actor, scope.plan.id, activityId);
  const updateSubject = { ...scope.subject, ownerId: activity.responsibleUserId, createdById: activity.createdById };
  return { ...scope, plan: scope.plan, measure, activity, updateSubject };
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, subject, measure, activity, updateSubject } = await activityScope(args);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "plan");
  const mayUpdate = can(actor, "activity.update", updateSubject);
  const contribute = can(actor, "plan.contribute", subject);
  const doneParam = new URL(args.request.url).searchParams.get("erledigt");
  const updates = await loadActivityUpdates(actor, activity.id);
  const day = (d: string | null) => (d ? formatDay(new Date(`${d}T12:00:00Z`), language) : null);
  return {
    office: { id: office.id, name: office.name },
    pageTitle: `${activity.title} – ${t("title")} – ${office.name}`,
    done: DONE_KEYS.find((k) => k === doneParam) ?? null,
    mayUpdate,
    contribute,
    team: mayUpdate ? await officeTeam(actor, office.id) : [],
    today: toCalendarDay(new Date()),
    measure: { id: measure.id, code: measure.code, title: measure.title },
    activity: {
      id: activity.id,
      version: activity.version,
      status: activity.status,
      values: formValues(activityValues({ ...activity, startsOn: dbDay(activity.startsOn), endsOn: dbDay(activity.endsOn) })),
      shown: {
        startsOn: day(activity.startsOn),
        endsOn: day(activity.endsOn),
        responsible: activity.responsible,
      },
    },
    updates: updates.map((u) => ({
      id: u.id,
      date: day(u.notedOn),
      body: u.body,
      author: u.author ?? t("activity.formerAccount"),
    })),
  };
}

const dbDay = (d: string | null) => (d ? new Date(`${d}T00:00:00.000Z`) : null);
const formValues = (v: Record<string, string | null>) => Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x ?? ""]));

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = {
  intent: string;
  errors: FieldErrors;
  values: Record<string, string>;
  conflict?: { version: number; savedAt: string; mine: Record<string, string>; current: Record<string, string> };
};

const intentSchema = z.object({
  intent: z.enum(["save", "status", "sachstand"], { message: "plan:errors.unknownIntent" }),
});

export async function action(args: ActionFunctionArgs) {
  const { actor, office, subject, activity, updateSubject } = await activityScope(args);
  const form = await readForm(args.request);
  const which = parseForm(intentSchema, form);
  if (!which.ok) return data<Result>({ intent: "", errors: which.errors, values: {} }, { status: 400 });
  const { intent } = which.data;
  const here = `/behoerden/${office.id}/plan/aktivitaeten/${activity.id}`;
  const fail = (errors: FieldErrors, values: Record<string, string> = {}) =>
    data<Result>({ intent, errors, values }, { status: 400 });
  const typed = (keys: readonly string[]) =>
    Object.fromEntries(keys.map((k) => [k, typeof form.get(k) === "string" ? String(form.get(k)) : ""]));
  try {
    if (intent === "sachstand") {
      authorize(actor, "plan.contribute", subject);
      const parsed = parseForm(activityUpdateSchema, form, { keep: ["notedOn", "body"] });
      if (!parsed.ok) return fail(parsed.errors, parsed.values);
      await addActivityUpdate(actor, office.id, activity.id, parsed.data);
      return redirect(`${here}?erledigt=sachstandAdded#sachstand-heading`);
    }
    authorize(actor, "activity.update", updateSubject);
    if (intent === "status") {
      const parsed = parseForm(statusSchema, form);
      if (!parsed.ok) return fail(parsed.errors);
      await setActivityStatus(actor, office.id, activity.id, parsed.data.status);
      return redirect(`${here}?erledigt=statusSaved`);
    }
    const parsed = parseForm(activityEditSchema, form, { keep: [...ACTIVITY_FIELDS] });
    if (!parsed.ok) return fail(parsed.errors, parsed.values);
    const outcome = await saveActivity(actor, office.id, activity.id, parsed.data);
    if (outcome.kind === "conflict") {
      const language = (await i18next.getLocale(args.request)) as Language;
      return data<Result>(
        {
          intent,
          errors: {},
          // The form keeps what they typed (not the normalised values).
          values: typed(ACTIVITY_FIELDS),
          conflict: {
            version: outcome.version,
            savedAt: formatDateTime(outcome.at, language),
            mine: formValues(outcome.mine),
            current: formValues(outcome.current),
          },
        },
        { status: 409 },
      );
    }
    return redirect(`${here}?erledigt=saved`);
  } catch (error) {
    if (error instanceof InvalidInputError) return fail(error.fieldErrors, typed([...ACTIVITY_FIELDS, "notedOn", "body"]));
    throw error;
  }
}

export default function ActivityPage() {
  const page = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("plan");
  const { activity } = page;
  const errorsOf = (intent: string) => (result?.intent === intent ? result.errors : {});
  const valuesOf = (intent: string) => (result?.intent === intent ? result.values : null);
  const base = `/behoerden/${page.office.id}/plan`;
  const conflict = result?.conflict;
  const team = new Map(page.team.map((p) => [p.id, p.name]));
  const shownValue = (field: string, v: string) => {
    if (field === "status" && v)
      return `${STATUS_SYMBOL[v as keyof typeof STATUS_SYMBOL] ?? ""} ${t(`status.${v}`, { defaultValue: v })}`;
    if (field === "responsibleUserId") return v ? (team.get(v) ?? v) : t("activity.nobody");
    return v;
  };
  return (
    <>
      <p className="eyebrow">{t("activity.eyebrow")}</p>
      <h1>{activity.values.title}</h1>
      <p>
        <Link to={`${base}/massnahmen/${page.measure.id}`}>
          {t("activity.back")}: {page.measure.code ? `${page.measure.code} ` : ""}
          {page.measure.title}
        </Link>
      </p>
      {page.done && !result ? (
        <p role="status" className="form-success">
          {t(`activity.${page.done}`)}
        </p>
      ) : null}
      <p>
        <StatusText status={activity.status} />
      </p>
      <FormAlert message={result && Object.keys(result.errors).length ? t("errors.form") : null} />
      {result?.errors.intent ? <p className="field-error">{t(result.errors.intent)}</p> : null}

      {page.mayUpdate ? (
        <>
          <section aria-labelledby="status-heading" className="card">
            <h2 id="status-heading">{t("activity.statusHeading")}</h2>
            {errorsOf("status").status ? <p className="field-error">{t(errorsOf("status").status)}</p> : null}
            <div className="button-row">
              {ACTIVITY_STATUSES.filter((s) => s !== activity.status).map((s) => (
                <Form method="post" key={s} style={{ display: "inline-block", marginRight: "0.5rem" }}>
                  <input type="hidden" name="intent" value="status" />
                  <input type="hidden" name="status" value={s} />
                  <SubmitButton intent="status" className="button-secondary">
                    <span aria-hidden="true">{STATUS_SYMBOL[s]} </span>
                    {t("activity.setStatus", { status: t(`status.${s}`) })}
                  </SubmitButton>
                </Form>
              ))}
            </div>
          </section>
          <section aria-labelledby="edit-heading" className="card">
            <h2 id="edit-heading">{t("activity.save")}</h2>
            {conflict ? (
              <ConflictView
                savedAt={conflict.savedAt}
                rows={ACTIVITY_FIELDS.map((f) => ({
                  label: t(`activity.${f}`),
                  mine: shownValue(f, conflict.mine[f] ?? ""),
                  current: shownValue(f, conflict.current[f] ?? ""),
                }))}
              />
            ) : null}
            <Form method="post" key={`edit-${conflict?.version ?? activity.version}`}>
              <input type="hidden" name="intent" value="save" />
              <input type="hidden" name="version" value={conflict?.version ?? activity.version} />
              <ActivityFields values={valuesOf("save") ?? activity.values} errors={errorsOf("save")} team={page.team} />
              <SubmitButton intent="save">{t("activity.save")}</SubmitButton>
            </Form>
          </section>
        </>
      ) : (
        <>
          <p>{t("activity.readOnly")}</p>
          <dl>
            <dt>{t("activity.timeFrame")}</dt>
            <dd>
              {activity.shown.startsOn ?? "…"} – {activity.shown.endsOn ?? "…"}
            </dd>
            <dt>{t("activity.responsible")}</dt>
            <dd>{activity.shown.responsible ?? t("activity.nobody")}</dd>
            <dt>{t("activity.participants")}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{activity.values.participants || t("activity.nobody")}</dd>
            <dt>{t("activity.resources")}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{activity.values.resources || t("activity.nobody")}</dd>
            <dt>{t("activity.remarks")}</dt>
            <dd style={{ whiteSpace: "pre-wrap" }}>{activity.values.remarks || t("activity.nobody")}</dd>
          </dl>
        </>
      )}

      <h2 id="sachstand-heading">{t("activity.sachstandHeading")}</h2>
      {page.updates.length === 0 ? (
        <p>{t("activity.noSachstand")}</p>
      ) : (
        <DataTable
          caption={t("activity.sachstandCaption")}
          columns={[t("activity.notedOn"), t("activity.body"), t("activity.author")]}
        >
          {page.updates.map((u) => (
            <tr key={u.id}>
              <th scope="row">{u.date}</th>
              <td style={{ whiteSpace: "pre-wrap" }}>{u.body}</td>
              <td>{u.author}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {page.contribute ? (
        <section aria-labelledby="add-sachstand-heading" className="card">
          <h3 id="add-sachstand-heading">{t("activity.addSachstand")}</h3>
          <Form method="post">
            <input type="hidden" name="intent" value="sachstand" />
            <Field
              name="notedOn"
              type="date"
              label={t("activity.notedOn")}
              hint={t("activity.dateHint")}
              error={errorsOf("sachstand").notedOn}
              defaultValue={valuesOf("sachstand")?.notedOn ?? page.today}
            />
            <TextArea
              name="body"
              label={t("activity.body")}
              error={errorsOf("sachstand").body}
              defaultValue={valuesOf("sachstand")?.body}
            />
            <SubmitButton intent="sachstand">{t("activity.addSachstand")}</SubmitButton>
          </Form>
        </section>
      ) : null}
    </>
  );
}
