import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireRouteIds } from "~/platform/auth/scope.server";
import { NotFoundError } from "~/platform/errors";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert } from "~/ui/form";
import { getOfficeProfile, officeProfileSchema, updateOfficeProfile } from "~/domains/network/offices.server";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const FIELDS = ["name", "kind", "region", "clientsServed", "staffCount", "email", "phone", "address", "updatedAt"];

async function load(args: Pick<LoaderFunctionArgs, "request" | "params" | "context">) {
  const { params } = args;
  const { actor, network } = await networkScope(args, "network.manageOffices");
  const office = await getOfficeProfile(actor, requireRouteIds(params, "office").office);
  if (!office || office.networkId !== network.id) throw new NotFoundError();
  return { actor, network, office };
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { network, office } = await load({ request, params, context });
  return { network, office, pageTitle: office.name };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, office } = await load({ request, params, context });
  const form = parseForm(officeProfileSchema, await readForm(request), { keep: FIELDS });
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
  const { network, office } = useLoaderData<typeof loader>();
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
    </>
  );
}
