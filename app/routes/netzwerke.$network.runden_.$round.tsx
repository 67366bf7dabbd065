import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { NotFoundError } from "~/platform/errors";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert, SubmitButton, TextArea } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { type ParticipantProgress, roundProgress, sendManualReminder } from "~/domains/assessment/reminders.server";
import { reopenAssessment, reopenSchema } from "~/domains/assessment/assessments.server";
import { sharedOfficeIds } from "~/domains/comparison/sharing.server";
import { closeRound, extendDeadline, extendDeadlineSchema, getRound } from "~/domains/assessment/rounds.server";
import { endOfDay, formatDay } from "~/utils/calendar-day";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

async function load(args: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const { params } = args;
  const { actor, network } = await networkScope(args, "network.manageRounds");
  const round = await getRound(actor, network.id, requireRouteIds(params, "round").round);
  if (!round) throw new NotFoundError();
  return { actor, network, round };
}

/** Where one office stands (from the assessment row only, never its content) and whether it can be reminded now. */
function participantProgress(
  p: ParticipantProgress | undefined,
  deadline: Date,
  totals: { goals: number; measures: number },
  remindable: boolean,
  t: TFunction,
  day: (d: Date) => string,
) {
  if (!p) return { status: t("reminders.notStarted"), late: false, reminders: 0, canRemind: false, submitted: false };
  const status = p.submittedAt
    ? t("reminders.submitted", { date: day(p.submittedAt) })
    : p.lastEditedAt
      ? t("reminders.inProgress", {
          goalsDone: p.goalsDone,
          goals: totals.goals,
          measuresDone: p.measuresDone,
          measures: totals.measures,
        })
      : t("reminders.notStarted");
  return {
    status,
    late: p.submittedAt !== null && p.submittedAt > deadline,
    reminders: p.reminders,
    canRemind: remindable && p.hasAssessment && !p.submittedAt,
    submitted: p.submittedAt !== null,
  };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network, round } = await load({ request, params, context });
  const language = (await i18next.getLocale(request)) as Language;
  const day = (d: Date) => formatDay(d, language);
  const ts = await i18next.getFixedT(request, "settings");
  const [progress, shared] = await Promise.all([roundProgress(actor, round.id), sharedOfficeIds(actor, round.id)]);
  const remindable = !round.closedAt && round.opensAt <= new Date();
  const totals = { goals: progress?.goals ?? 0, measures: progress?.measures ?? 0 };
  const reminderDays = progress?.reminderDays ?? [];
  return {
    network,
    round: {
      id: round.id,
      name: round.name,
      framework: round.frameworkVersion.title,
      opensAt: day(round.opensAt),
      deadline: day(round.deadline),
      closedAt: round.closedAt ? day(round.closedAt) : null,
      participants: round.participants.map((p) => ({
        ...p,
        deadline: day(p.deadline),
        ...participantProgress(progress?.offices[p.officeId], p.deadline, totals, remindable, ts, day),
        shared: shared.includes(p.officeId),
      })),
      reminderSummary: reminderDays.length
        ? ts("reminders.summary", {
            count: reminderDays.length,
            days: new Intl.ListFormat(language, { type: "conjunction" }).format(reminderDays.map(String)),
          })
        : ts("reminders.summaryNone"),
    },
    pageTitle: `${round.name} – ${network.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = {
  intent: string;
  errors: Record<string, string>;
  values: Record<string, string> | null;
  done: { office?: string; date?: string; count?: number } | null;
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, round } = await load({ request, params, context });
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const fail = (r: Omit<Result, "done">) => data<Result>({ ...r, done: null }, { status: 400 });
  if (intent === "extend") {
    const form = parseForm(extendDeadlineSchema, formData, { keep: ["officeId", "deadlineOn"] });
    if (!form.ok) return fail({ intent, errors: form.errors, values: form.values });
    const values = { officeId: form.data.officeId, deadlineOn: form.data.deadlineOn };
    const deadline = endOfDay(form.data.deadlineOn);
    const result = await extendDeadline(actor, round.id, form.data.officeId, deadline);
    if (!result) throw new NotFoundError();
    if (!result.ok) return fail({ intent, errors: result.errors, values });
    const language = (await i18next.getLocale(request)) as Language;
    return data<Result>({
      intent,
      errors: {},
      values: null,
      done: { office: result.value.office, date: formatDay(deadline, language) },
    });
  }
  if (intent === "remind") {
    const result = await sendManualReminder(actor, round.id, String(formData.get("officeId") ?? ""));
    if (!result) throw new NotFoundError();
    if (!result.ok)
      return data<Result>({ intent, errors: { _form: result.error }, values: null, done: null }, { status: result.status });
    return data<Result>({ intent, errors: {}, values: null, done: { office: result.value.office, count: result.value.emails } });
  }
  if (intent === "reopen") {
    const form = parseForm(reopenSchema, formData, { keep: ["officeId", "reason"] });
    if (!form.ok) return fail({ intent, errors: form.errors, values: form.values });
    const result = await reopenAssessment(actor, round.id, form.data.officeId, form.data.reason);
    const values = { officeId: form.data.officeId, reason: form.data.reason };
    if (!result) return fail({ intent, errors: { officeId: "assessment:errors.officeInvalid" }, values });
    if (!result.ok) return data<Result>({ intent, errors: result.errors, values, done: null }, { status: 409 });
    return data<Result>({ intent, errors: {}, values: null, done: { office: result.office } });
  }
  if (intent === "close") {
    const result = await closeRound(actor, round.id);
    if (!result) throw new NotFoundError();
    if (!result.ok) return fail({ intent, errors: result.errors, values: null });
    return data<Result>({ intent, errors: {}, values: null, done: {} });
  }
  return fail({ intent: "", errors: { _form: "rounds:errors.unknownIntent" }, values: null });
}

export default function RoundPage() {
  const { network, round } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("rounds");
  const { t: ta } = useTranslation("auth");
  const { t: ts } = useTranslation("settings");
  const { t: tas } = useTranslation("assessment");
  const submitted = round.participants.filter((p) => p.submitted);
  const extendErr = (f: string) => (result?.intent === "extend" ? result.errors[f] : undefined);
  const values = result?.intent === "extend" ? result.values : null;
  return (
    <>
      <p className="eyebrow">
        {t("round.eyebrow")} · {network.name}
      </p>
      <h1>{round.name}</h1>
      <p>
        <Link to={`/netzwerke/${network.slug}/runden`}>{t("round.back")}</Link>
      </p>
      <p>{t("round.summary", { opensAt: round.opensAt, deadline: round.deadline, framework: round.framework })}</p>
      <p>{round.reminderSummary}</p>
      <p>
        <Link to={`/netzwerke/${network.slug}/runden/${round.id}/zusammenfassung`}>{tas("summaryLink")}</Link>
      </p>
      {round.closedAt ? <p>{t("round.closedNote", { date: round.closedAt })}</p> : null}
      {result?.done && result.intent === "extend" ? (
        <p role="status" className="form-success">
          {t("round.extendedDone", { office: result.done.office, date: result.done.date })}
        </p>
      ) : null}
      {result?.done && result.intent === "remind" ? (
        <p role="status" className="form-success">
          {ts("reminders.sent", { office: result.done.office, count: result.done.count })}
        </p>
      ) : null}
      {result?.done && result.intent === "reopen" ? (
        <p role="status" className="form-success">
          {tas("reopen.done", { office: result.done.office })}
        </p>
      ) : null}
      {result?.done && result.intent === "close" ? (
        <p role="status" className="form-success">
          {t("round.closedDone")}
        </p>
      ) : null}
      {result?.errors?._form ? <FormAlert message={t(result.errors._form)} /> : null}
      {/* A refused reopening of an office that has no reopen form (not submitted) is said here. */}
      {result?.intent === "reopen" &&
      Object.keys(result.errors).length &&
      !submitted.some((p) => p.officeId === result.values?.officeId) ? (
        <FormAlert message={t(Object.values(result.errors)[0])} />
      ) : null}
      {/* A closed round shows no forms, so a refused change is said here. */}
      {round.closedAt && result?.intent === "extend" && Object.keys(result.errors).length ? (
        <FormAlert message={t(Object.values(result.errors)[0])} />
      ) : null}
      <DataTable
        caption={t("round.participantsCaption")}
        columns={[
          t("round.office"),
          t("round.effectiveDeadline"),
          ts("reminders.status"),
          ts("reminders.column"),
          tas("shared.column"),
        ]}
      >
        {round.participants.map((p) => (
          <tr key={p.officeId}>
            <th scope="row">{p.name}</th>
            <td>
              {p.deadline}
              {p.extended ? ` (${t("round.extended")})` : ""}
            </td>
            <td>
              {p.status}
              {p.late ? ` – ${ts("reminders.late")}` : ""}
            </td>
            <td>
              {ts("reminders.count", { count: p.reminders })}
              {p.canRemind ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remind" />
                  <input type="hidden" name="officeId" value={p.officeId} />
                  <SubmitButton intent="remind" className="button-secondary">
                    {ts("reminders.send")}
                    <span className="visually-hidden"> – {p.name}</span>
                  </SubmitButton>
                </Form>
              ) : null}
            </td>
            <td>
              {/* No prefetch: opening the page is a logged view of the office's results. */}
              {p.shared ? (
                <Link
                  to={`/netzwerke/${network.slug}/runden/${round.id}/behoerden/${p.officeId}`}
                  aria-label={tas("shared.openLabel", { office: p.name })}
                >
                  {tas("shared.open")}
                </Link>
              ) : (
                <span className="muted">{tas("shared.none")}</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
      {round.closedAt ? null : (
        <>
          <Section id="extend-heading" title={t("round.extendTitle")}>
            <p>{t("round.extendIntro", { deadline: round.deadline })}</p>
            <FormAlert
              message={result?.intent === "extend" && Object.keys(result.errors).length ? ta("validation.formErrors") : null}
            />
            <Form method="post" className="form" noValidate>
              <input type="hidden" name="intent" value="extend" />
              <div className={extendErr("officeId") ? "field field-invalid" : "field"}>
                <label htmlFor="field-officeId">{t("round.extendOffice")}</label>
                {extendErr("officeId") ? (
                  <p id="field-officeId-error" className="field-error">
                    {t(extendErr("officeId")!)}
                  </p>
                ) : null}
                <select
                  id="field-officeId"
                  name="officeId"
                  defaultValue={values?.officeId}
                  aria-invalid={extendErr("officeId") ? true : undefined}
                  aria-describedby={extendErr("officeId") ? "field-officeId-error" : undefined}
                >
                  {round.participants.map((p) => (
                    <option key={p.officeId} value={p.officeId}>
                      {p.name}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                name="deadlineOn"
                type="date"
                label={t("round.extendDeadline")}
                defaultValue={values?.deadlineOn}
                error={extendErr("deadlineOn")}
                required
              />
              <SubmitButton intent="extend">{t("round.extendSubmit")}</SubmitButton>
            </Form>
          </Section>
          {submitted.length ? (
            <Section id="reopen-heading" title={tas("reopen.title")}>
              {submitted.map((p) => {
                const mine = result?.intent === "reopen" && result.values?.officeId === p.officeId;
                return (
                  <Form
                    key={p.officeId}
                    method="post"
                    className="form card"
                    aria-label={tas("reopen.buttonLabel", { office: p.name })}
                  >
                    <h3 className="h4">{p.name}</h3>
                    <input type="hidden" name="intent" value="reopen" />
                    <input type="hidden" name="officeId" value={p.officeId} />
                    <TextArea
                      name="reason"
                      id={`reopen-${p.officeId}`}
                      label={tas("reopen.reason")}
                      hint={tas("reopen.reasonHint")}
                      rows={2}
                      defaultValue={mine ? result.values?.reason : undefined}
                      error={mine ? (result.errors.reason ?? result.errors.officeId) : undefined}
                    />
                    <SubmitButton intent="reopen" className="button-secondary">
                      {tas("reopen.button")}
                    </SubmitButton>
                  </Form>
                );
              })}
            </Section>
          ) : null}
          <Section id="close-heading" title={t("round.closeTitle")}>
            <p>{t("round.closeIntro")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <SubmitButton intent="close" className="button-secondary">
                {t("round.closeSubmit")}
              </SubmitButton>
            </Form>
          </Section>
        </>
      )}
    </>
  );
}
