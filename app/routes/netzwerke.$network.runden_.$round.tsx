import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireNetwork } from "~/auth/scope.server";
import { AdminNav } from "~/components/admin-nav";
import { Field, FormAlert, SubmitButton } from "~/components/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { closeRound, extendDeadline, extendDeadlineSchema, getRound } from "~/models/rounds.server";
import { endOfDay, formatDay } from "~/utils/calendar-day";
import { parseForm } from "~/utils/forms";
import { documentTitle } from "~/utils/meta";

async function load(request: Request, params: { network?: string; round?: string }) {
  const { actor, network } = await requireNetwork(request, params.network, "network.manageRounds");
  const round = params.round ? await getRound(actor, network.id, params.round) : null;
  if (!round) throw new Response("Not Found", { status: 404 });
  return { actor, network, round };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { network, round } = await load(request, params);
  const language = (await i18next.getLocale(request)) as Language;
  const day = (d: Date) => formatDay(d, language);
  return {
    network,
    round: {
      id: round.id,
      name: round.name,
      framework: round.frameworkVersion.title,
      opensAt: day(round.opensAt),
      deadline: day(round.deadline),
      closedAt: round.closedAt ? day(round.closedAt) : null,
      participants: round.participants.map((p) => ({ ...p, deadline: day(p.deadline) })),
    },
    pageTitle: `${round.name} – ${network.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = { intent: string; errors: Record<string, string>; values: Record<string, string> | null; done: { office?: string; date?: string } | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, round } = await load(request, params);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const fail = (r: Omit<Result, "done">) => data<Result>({ ...r, done: null }, { status: 400 });
  if (intent === "extend") {
    const form = parseForm(extendDeadlineSchema, formData, { keep: ["officeId", "deadlineOn"] });
    if (!form.ok) return fail({ intent, errors: form.errors, values: form.values });
    const values = { officeId: form.data.officeId, deadlineOn: form.data.deadlineOn };
    const deadline = endOfDay(form.data.deadlineOn);
    const result = await extendDeadline(actor, round.id, form.data.officeId, deadline);
    if (!result) throw new Response("Not Found", { status: 404 });
    if (!result.ok) return fail({ intent, errors: result.errors, values });
    const language = (await i18next.getLocale(request)) as Language;
    return data<Result>({ intent, errors: {}, values: null, done: { office: result.value.office, date: formatDay(deadline, language) } });
  }
  if (intent === "close") {
    const result = await closeRound(actor, round.id);
    if (!result) throw new Response("Not Found", { status: 404 });
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
  const extendErr = (f: string) => (result?.intent === "extend" ? result.errors[f] : undefined);
  const values = result?.intent === "extend" ? result.values : null;
  return (
    <>
      <p className="eyebrow">
        {t("round.eyebrow")} · {network.name}
      </p>
      <h1>{round.name}</h1>
      <AdminNav networkSlug={network.slug} />
      <p>
        <Link to={`/netzwerke/${network.slug}/runden`}>{t("round.back")}</Link>
      </p>
      <p>{t("round.summary", { opensAt: round.opensAt, deadline: round.deadline, framework: round.framework })}</p>
      {round.closedAt ? <p>{t("round.closedNote", { date: round.closedAt })}</p> : null}
      {result?.done && result.intent === "extend" ? (
        <p role="status" className="form-success">
          {t("round.extendedDone", { office: result.done.office, date: result.done.date })}
        </p>
      ) : null}
      {result?.done && result.intent === "close" ? (
        <p role="status" className="form-success">
          {t("round.closedDone")}
        </p>
      ) : null}
      {result?.errors?._form ? <FormAlert message={t(result.errors._form)} /> : null}
      {/* A closed round shows no forms, so a refused change is said here. */}
      {round.closedAt && result?.intent === "extend" && Object.keys(result.errors).length ? <FormAlert message={t(Object.values(result.errors)[0])} /> : null}
      <table className="data">
        <caption>{t("round.participantsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("round.office")}</th>
            <th scope="col">{t("round.effectiveDeadline")}</th>
          </tr>
        </thead>
        <tbody>
          {round.participants.map((p) => (
            <tr key={p.officeId}>
              <th scope="row">{p.name}</th>
              <td>
                {p.deadline}
                {p.extended ? ` (${t("round.extended")})` : ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {round.closedAt ? null : (
        <>
          <section aria-labelledby="extend-heading">
            <h2 id="extend-heading">{t("round.extendTitle")}</h2>
            <p>{t("round.extendIntro", { deadline: round.deadline })}</p>
            <FormAlert message={result?.intent === "extend" && Object.keys(result.errors).length ? ta("validation.formErrors") : null} />
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
              <Field name="deadlineOn" type="date" label={t("round.extendDeadline")} defaultValue={values?.deadlineOn} error={extendErr("deadlineOn")} required />
              <SubmitButton intent="extend">{t("round.extendSubmit")}</SubmitButton>
            </Form>
          </section>
          <section aria-labelledby="close-heading">
            <h2 id="close-heading">{t("round.closeTitle")}</h2>
            <p>{t("round.closeIntro")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="close" />
              <SubmitButton intent="close" className="button-secondary">
                {t("round.closeSubmit")}
              </SubmitButton>
            </Form>
          </section>
        </>
      )}
    </>
  );
}
