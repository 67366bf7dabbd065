import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { assignConsultant, consultantFormSchema, officeConsultants, unassignConsultant } from "~/domains/plan/consultants.server";
import { formatDay } from "~/utils/calendar-day";
import type { Language } from "~/i18n/config";
import { useTranslation } from "react-i18next";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { NotFoundError } from "~/platform/errors";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert } from "~/ui/form";
import { getOfficeProfile, officeProfileSchema, updateOfficeProfile } from "~/domains/network/offices.server";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { i18next } from "~/i18n/i18next.server";
import { DataTable, Section } from "~/ui/layout";

const FIELDS = ["name", "kind", "region", "clientsServed", "staffCount", "email", "phone", "address", "updatedAt"];

async function load(args: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const { params } = args;
  const { actor, network } = await networkScope(args, "network.manageOffices");
  const office = await getOfficeProfile(actor, requireRouteIds(params, "office").office);
  if (!office || office.networkId !== network.id) throw new NotFoundError();
  return { actor, network, office };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network, office } = await load({ request, params, context });
  const language = (await i18next.getLocale(request)) as Language;
  const consultants = await officeConsultants(actor, { networkId: network.id, officeId: office.id });
  return {
    network,
    office,
    consultants: {
      ...consultants,
      assigned: consultants.assigned.map((c) => ({ ...c, assignedAt: formatDay(c.assignedAt, language) })),
    },
    pageTitle: office.name,
  };
}

const CONSULTANT_INTENTS = new Set(["assignConsultant", "unassignConsultant"]);

/** Assigning and unassigning consultants (issue 21): one thin step each, audited in the domain. */
async function consultantAction(
  actor: Awaited<ReturnType<typeof load>>["actor"],
  scope: { networkId: string; officeId: string },
  formData: FormData,
) {
  const form = parseForm(consultantFormSchema, formData, { keep: ["consultantId"] });
  if (!form.ok)
    return data(
      { status: "consultantInvalid" as const, errors: form.errors, values: form.values, current: null, name: null },
      { status: 400 },
    );
  if (form.data.intent === "unassignConsultant") {
    const consultant = await unassignConsultant(actor, scope, form.data.consultantId);
    return {
      status: "unassigned" as const,
      errors: {} as Record<string, string>,
      values: null,
      current: null,
      name: consultant.name,
    };
  }
  const result = await assignConsultant(actor, scope, form.data.consultantId);
  if (!result.ok)
    return data(
      {
        status: "consultantInvalid" as const,
        errors: { consultantId: result.error } as Record<string, string>,
        values: { consultantId: form.data.consultantId } as Record<string, string>,
        current: null,
        name: null,
      },
      { status: result.error === "achievement:consultants.already" ? 409 : 400 },
    );
  return {
    status: "assigned" as const,
    errors: {} as Record<string, string>,
    values: null,
    current: null,
    name: result.consultant.name,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network, office } = await load({ request, params, context });
  const formData = await readForm(request);
  if (CONSULTANT_INTENTS.has(String(formData.get("intent"))))
    return consultantAction(actor, { networkId: network.id, officeId: office.id }, formData);
  const form = parseForm(officeProfileSchema, formData, { keep: FIELDS });
  if (!form.ok)
    return data({ status: "invalid" as const, errors: form.errors, values: form.values, current: null }, { status: 400 });
  const result = await updateOfficeProfile(actor, office.id, form.data);
  if (result.status === "missing") throw new NotFoundError();
  const values = Object.fromEntries(FIELDS.map((f) => [f, String((form.data as Record<string, unknown>)[f] ?? "")]));
  if (result.status === "conflict") {
    return data(
      { status: "conflict" as const, errors: {} as Record<string, string>, values, current: result.current },
      { status: 409 },
    );
  }
  return { status: "saved" as const, errors: {} as Record<string, string>, values: null, current: null };
}

export default function EditOffice() {
  const { network, office, consultants } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const { t: to } = useTranslation("office");
  const { t: ta } = useTranslation("auth");
  // After a conflict the form shows what the user typed, but is based on the current version.
  const base = result?.status === "conflict" && result.current ? result.current : office;
  const value = (field: keyof typeof office) => result?.values?.[field] ?? (office[field] === null ? "" : String(office[field]));
  const current = (field: keyof typeof office) =>
    result?.status === "conflict" && result.current
      ? t("offices.currentValue", { value: String(result.current[field] ?? "—") })
      : undefined;
  const err = (f: string) => result?.errors?.[f];
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>
        {t("offices.editTitle")}: {office.name}
      </h1>
      {result?.status === "saved" ? (
        <p role="status" className="form-success">
          {t("offices.saved")}
        </p>
      ) : null}
      <FormAlert
        message={
          result?.status === "conflict"
            ? t("offices.conflict")
            : result?.status === "invalid"
              ? ta("validation.formErrors")
              : null
        }
      />
      <Form method="post" className="form" noValidate key={String(base.updatedAt)}>
        <input type="hidden" name="updatedAt" value={new Date(base.updatedAt).toISOString()} />
        <Field
          name="name"
          label={t("offices.name")}
          defaultValue={value("name")}
          error={err("name")}
          hint={current("name")}
          required
        />
        <div className={err("kind") ? "field field-invalid" : "field"}>
          <label htmlFor="field-kind">{t("offices.kind")}</label>
          {err("kind") ? (
            <p id="field-kind-error" className="field-error">
              {ta(err("kind")!)}
            </p>
          ) : null}
          <select
            id="field-kind"
            name="kind"
            defaultValue={value("kind")}
            aria-invalid={err("kind") ? true : undefined}
            aria-describedby={err("kind") ? "field-kind-error" : undefined}
          >
            {(["KREISFREIE_STADT", "LANDKREIS", "OTHER"] as const).map((k) => (
              <option key={k} value={k}>
                {to(`kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          name="region"
          label={t("offices.region")}
          defaultValue={value("region")}
          error={err("region")}
          hint={current("region")}
        />
        <Field
          name="clientsServed"
          label={t("offices.clientsServed")}
          inputMode="numeric"
          defaultValue={value("clientsServed")}
          error={err("clientsServed")}
          hint={current("clientsServed")}
        />
        <Field
          name="staffCount"
          label={t("offices.staffCount")}
          inputMode="numeric"
          defaultValue={value("staffCount")}
          error={err("staffCount")}
          hint={current("staffCount")}
        />
        <Field
          name="email"
          type="email"
          label={t("offices.email")}
          defaultValue={value("email")}
          error={err("email")}
          hint={current("email")}
        />
        <Field
          name="phone"
          type="tel"
          label={t("offices.phone")}
          defaultValue={value("phone")}
          error={err("phone")}
          hint={current("phone")}
        />
        <Field
          name="address"
          label={t("offices.address")}
          defaultValue={value("address")}
          error={err("address")}
          hint={current("address")}
        />
        <button type="submit" className="button-primary">
          {t("offices.save")}
        </button>
      </Form>
      <Consultants consultants={consultants} result={result} />
    </>
  );
}

/** The office's consultants (issue 21): who is assigned, assign another, remove an assignment. */
function Consultants({
  consultants,
  result,
}: {
  consultants: ReturnType<typeof useLoaderData<typeof loader>>["consultants"];
  result: ReturnType<typeof useActionData<typeof action>>;
}) {
  const { t } = useTranslation("achievement");
  const error = result?.status === "consultantInvalid" ? result.errors.consultantId : undefined;
  return (
    <Section id="consultants-heading" title={t("consultants.title")}>
      <p>{t("consultants.intro")}</p>
      {result?.status === "assigned" || result?.status === "unassigned" ? (
        <p role="status" className="form-success">
          {t(`consultants.${result.status}`, { name: result.name })}
        </p>
      ) : null}
      {consultants.assigned.length ? (
        <DataTable
          caption={t("consultants.caption")}
          columns={[t("consultants.name"), t("consultants.email"), t("consultants.since"), t("consultants.actions")]}
        >
          {consultants.assigned.map((c) => (
            <tr key={c.id}>
              <th scope="row">{c.name}</th>
              <td>{c.email}</td>
              <td>{c.assignedAt}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="unassignConsultant" />
                  <input type="hidden" name="consultantId" value={c.id} />
                  <button type="submit" className="button-secondary">
                    {t("consultants.unassign")}
                    <span className="visually-hidden"> {t("consultants.unassignContext", { name: c.name })}</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      ) : (
        <p>{t("consultants.none")}</p>
      )}
      {consultants.consultantsInNetwork === 0 ? (
        <p className="muted">{t("consultants.noConsultants")}</p>
      ) : consultants.available.length ? (
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="assignConsultant" />
          <div className={error ? "field field-invalid" : "field"}>
            <label htmlFor="field-consultantId">{t("consultants.consultant")}</label>
            {error ? (
              <p id="field-consultantId-error" className="field-error">
                {t(error)}
              </p>
            ) : null}
            <select
              id="field-consultantId"
              name="consultantId"
              defaultValue={result?.status === "consultantInvalid" ? (result.values?.consultantId ?? "") : ""}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? "field-consultantId-error" : undefined}
            >
              <option value="">{t("consultants.choose")}</option>
              {consultants.available.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.email})
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button-primary">
            {t("consultants.assign")}
          </button>
        </Form>
      ) : null}
    </Section>
  );
}
