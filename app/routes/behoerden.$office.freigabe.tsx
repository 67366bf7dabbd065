import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { officeScope } from "./behoerden.$office";
import { FormAlert, SubmitButton } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { statusText } from "~/domains/assessment/history.server";
import { grantSharing, officeSharing, withdrawSharing } from "~/domains/comparison/sharing.server";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { DataTable } from "~/ui/layout";

/**
 * The head decides per round whether the ministry may see the office's individual results,
 * and sees every decision and every look the ministry took. Heads only ("office.manageSharing").
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.manageSharing");
  const language = (await i18next.getLocale(request)) as Language;
  const th = await i18next.getFixedT(request, "history");
  const ts = await i18next.getFixedT(request, "sharing");
  const day = (d: Date) => formatDay(d, language);
  const at = (d: Date) => formatDateTime(d, language);
  const rounds = await officeSharing(actor, office.id);
  return {
    office: { id: office.id, name: office.name },
    rounds: rounds.map((r) => ({
      id: r.roundId,
      name: r.roundName,
      status: statusText(th, day, r),
      submitted: r.submittedAt !== null,
      active: r.active ? { since: at(r.active.since), by: r.active.by ?? ts("history.formerAccount") } : null,
      history: r.history.map((e) => ({ at: at(e.at), kind: e.kind, by: e.by ?? ts("history.formerAccount") })),
      views: r.views.map(at),
    })),
    pageTitle: `${ts("title")} – ${office.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

const changeSchema = z.object({
  intent: z.enum(["grant", "withdraw"], { message: "sharing:errors.unknownIntent" }),
  roundId: z.uuid({ message: "sharing:errors.roundUnknown" }),
});

type Result = { error: string | null; done: { key: string; round: string } | null };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.manageSharing");
  const form = parseForm(changeSchema, await readForm(request));
  if (!form.ok)
    return data<Result>(
      { error: form.errors.intent ?? form.errors.roundId ?? "sharing:errors.unknownIntent", done: null },
      { status: 400 },
    );
  const { intent, roundId } = form.data;
  // A ForbiddenError of the model becomes a 403 on the one error path (app/platform/errors.ts).
  const result =
    intent === "grant" ? await grantSharing(actor, office.id, roundId) : await withdrawSharing(actor, office.id, roundId);
  if (!result) return data<Result>({ error: "sharing:errors.roundUnknown", done: null }, { status: 400 });
  const key =
    intent === "grant" ? (result.changed ? "granted" : "alreadyGranted") : result.changed ? "withdrawn" : "alreadyWithdrawn";
  return data<Result>({ error: null, done: { key, round: result.roundName } });
}

export default function SharingPage() {
  const { office, rounds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("sharing");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      <p>
        <Link to={`/behoerden/${office.id}`}>{office.name}</Link>
      </p>
      <p>
        <strong>{t("intro.default")}</strong>
      </p>
      <p>{t("intro.what")}</p>
      <p>{t("intro.when")}</p>
      <p>{t("intro.withdraw")}</p>
      {result?.done ? (
        <p role="status" className="form-success">
          {t(`done.${result.done.key}`, { round: result.done.round })}
        </p>
      ) : null}
      <FormAlert message={result?.error ? t(result.error) : null} />
      {rounds.length === 0 ? <p>{t("none")}</p> : null}
      {rounds.map((r) => (
        <section key={r.id} aria-labelledby={`round-${r.id}`} className="card">
          <h2 id={`round-${r.id}`}>{t("round.heading", { round: r.name })}</h2>
          <p>{t("round.status", { status: r.status })}</p>
          <p>
            <strong>
              {r.active
                ? t(r.submitted ? "round.shared" : "round.sharedPending", { date: r.active.since, person: r.active.by })
                : t("round.notShared")}
            </strong>
          </p>
          <Form method="post">
            <input type="hidden" name="intent" value={r.active ? "withdraw" : "grant"} />
            <input type="hidden" name="roundId" value={r.id} />
            <SubmitButton intent={r.active ? "withdraw" : "grant"} className={r.active ? "button-secondary" : "button-primary"}>
              {t(r.active ? "round.withdraw" : "round.grant")}
              <span className="visually-hidden"> – {t("round.buttonContext", { round: r.name })}</span>
            </SubmitButton>
          </Form>
          <h3>{t("history.title")}</h3>
          {r.history.length === 0 ? (
            <p>{t("history.none")}</p>
          ) : (
            <DataTable
              caption={t("history.caption", { round: r.name })}
              columns={[t("history.when"), t("history.what"), t("history.who")]}
            >
              {r.history.map((e, i) => (
                <tr key={i}>
                  <th scope="row">{e.at}</th>
                  <td>{t(`history.${e.kind}`)}</td>
                  <td>{e.by}</td>
                </tr>
              ))}
            </DataTable>
          )}
          <h3>{t("views.title")}</h3>
          {r.views.length === 0 ? (
            <p>{t("views.none")}</p>
          ) : (
            <>
              <p>{t("views.count", { count: r.views.length })}</p>
              <ul>
                {r.views.map((date, i) => (
                  <li key={i}>{t("views.item", { date })}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      ))}
    </>
  );
}
