import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { listOffices } from "~/domains/network/offices.server";
import {
  listFrameworkVersions,
  listRounds,
  networkFrameworkVersionId,
  openRound,
  openRoundSchema,
  roundDates,
} from "~/domains/assessment/rounds.server";
import { formatDay } from "~/utils/calendar-day";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

const FIELDS = ["name", "frameworkVersionId", "opensOn", "deadlineOn", "scope", "reminderDays"];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageRounds");
  const t = await i18next.getFixedT(request, "rounds");
  const language = (await i18next.getLocale(request)) as Language;
  const [rounds, offices, versions, defaultVersion] = await Promise.all([
    listRounds(actor, network.id),
    listOffices(actor, network.id),
    listFrameworkVersions(actor),
    networkFrameworkVersionId(actor, network.id),
  ]);
  const now = new Date();
  return {
    network,
    rounds: rounds.map((r) => ({
      id: r.id,
      name: r.name,
      framework: r.frameworkVersion.title,
      opensAt: formatDay(r.opensAt, language),
      deadline: formatDay(r.deadline, language),
      participants: r._count.participants,
      status: r.closedAt
        ? t("statusClosed", { date: formatDay(r.closedAt, language) })
        : r.opensAt > now
          ? t("statusUpcoming", { date: formatDay(r.opensAt, language) })
          : t("statusOpen"),
    })),
    offices: offices.map((o) => ({ id: o.id, name: o.name })),
    versions,
    defaultVersion,
    pageTitle: `${t("title")} – ${network.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageRounds");
  const formData = await readForm(request);
  const officeIds = formData.getAll("officeIds").filter((v): v is string => typeof v === "string");
  const form = parseForm(openRoundSchema, formData, { keep: FIELDS });
  const invalid = (errors: Record<string, string>, values: Record<string, string>) =>
    data({ status: "invalid" as const, errors, values, officeIds, opened: null }, { status: 400 });
  if (!form.ok) {
    // Also say at once that no office was chosen, not only after the other fields are fixed.
    const errors = { ...form.errors };
    if (form.values.scope === "selected" && officeIds.length === 0) errors.officeIds ??= "rounds:errors.noOffices";
    return invalid(errors, form.values);
  }
  const values = Object.fromEntries(FIELDS.map((f) => [f, String(form.data[f as keyof typeof form.data])]));
  values.reminderDays = form.data.reminderDays.join(", ");
  if (form.data.scope === "selected" && officeIds.length === 0) return invalid({ officeIds: "rounds:errors.noOffices" }, values);
  const result = await openRound(actor, network.id, {
    name: form.data.name,
    frameworkVersionId: form.data.frameworkVersionId,
    ...roundDates(form.data.opensOn, form.data.deadlineOn),
    officeIds: form.data.scope === "all" ? "all" : officeIds,
    reminderDays: form.data.reminderDays,
  });
  if (!result.ok) return invalid(result.errors, values);
  return {
    status: "opened" as const,
    errors: {} as Record<string, string>,
    values: null,
    officeIds: [] as string[],
    opened: { name: form.data.name, count: result.value.offices },
  };
}

export default function NetworkRounds() {
  const { network, rounds, offices, versions, defaultVersion } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("rounds");
  const { t: ta } = useTranslation("auth");
  const { t: ts } = useTranslation("settings");
  const err = (f: string) => result?.errors?.[f];
  const values = result?.values;
  const chosen = new Set(result?.officeIds ?? []);
  const scope = values?.scope ?? "all";
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {result?.opened ? (
        <p role="status" className="form-success">
          {t("open.opened", { name: result.opened.name, count: result.opened.count })}
        </p>
      ) : null}
      {rounds.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <DataTable
          caption={t("caption", { network: network.name })}
          columns={[t("name"), t("opensAt"), t("deadline"), t("participants"), t("status"), t("framework")]}
        >
          {rounds.map((r) => (
            <tr key={r.id}>
              <th scope="row">
                <Link to={r.id} aria-label={t("detailsLabel", { name: r.name })}>
                  {r.name}
                </Link>
              </th>
              <td>{r.opensAt}</td>
              <td>{r.deadline}</td>
              <td>{r.participants}</td>
              <td>{r.status}</td>
              <td>{r.framework}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <Section id="open-heading" title={t("open.title")}>
        <FormAlert message={result?.status === "invalid" ? ta("validation.formErrors") : null} />
        <Form method="post" className="form" noValidate key={result?.opened ? result.opened.name : "form"}>
          <Field
            name="name"
            label={t("open.name")}
            hint={t("open.nameHint")}
            defaultValue={values?.name}
            error={err("name")}
            required
          />
          <div className={err("frameworkVersionId") ? "field field-invalid" : "field"}>
            <label htmlFor="field-frameworkVersionId">{t("open.framework")}</label>
            {err("frameworkVersionId") ? (
              <p id="field-frameworkVersionId-error" className="field-error">
                {t(err("frameworkVersionId")!)}
              </p>
            ) : null}
            <select
              id="field-frameworkVersionId"
              name="frameworkVersionId"
              defaultValue={values?.frameworkVersionId ?? defaultVersion}
              aria-invalid={err("frameworkVersionId") ? true : undefined}
              aria-describedby={err("frameworkVersionId") ? "field-frameworkVersionId-error" : undefined}
            >
              {versions.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.title}
                </option>
              ))}
            </select>
          </div>
          <Field
            name="opensOn"
            type="date"
            label={t("open.opensOn")}
            defaultValue={values?.opensOn}
            error={err("opensOn")}
            required
          />
          <Field
            name="deadlineOn"
            type="date"
            label={t("open.deadlineOn")}
            hint={t("open.deadlineHint")}
            defaultValue={values?.deadlineOn}
            error={err("deadlineOn")}
            required
          />
          <Field
            name="reminderDays"
            label={ts("reminders.field")}
            hint={ts("reminders.fieldHint")}
            defaultValue={values?.reminderDays ?? "14, 3"}
            error={err("reminderDays")}
          />
          <fieldset
            className={err("officeIds") || err("scope") ? "field field-invalid" : "field"}
            aria-describedby={err("officeIds") || err("scope") ? "field-officeIds-error" : undefined}
          >
            <legend>{t("open.offices")}</legend>
            {err("officeIds") || err("scope") ? (
              <p id="field-officeIds-error" className="field-error">
                {t((err("officeIds") ?? err("scope"))!)}
              </p>
            ) : null}
            <label>
              <input type="radio" name="scope" value="all" defaultChecked={scope === "all"} /> {t("open.allOffices")}
            </label>
            <label>
              <input type="radio" name="scope" value="selected" defaultChecked={scope === "selected"} />{" "}
              {t("open.selectedOffices")}
            </label>
            <ul className="checkbox-list">
              {offices.map((o) => (
                <li key={o.id}>
                  <label>
                    <input type="checkbox" name="officeIds" value={o.id} defaultChecked={chosen.has(o.id)} /> {o.name}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <SubmitButton>{t("open.submit")}</SubmitButton>
        </Form>
      </Section>
    </>
  );
}
