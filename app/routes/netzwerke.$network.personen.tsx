import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { INVITATION_DAYS } from "~/platform/auth/permissions";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { invitableRoles } from "~/platform/auth/can";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert } from "~/ui/form";
import { MembersTable, PendingInvitations } from "~/ui/people";
import { i18next } from "~/i18n/i18next.server";
import { handlePeopleAction } from "~/domains/people/invitations.server";
import { listNetworkPeople } from "~/domains/people/people.server";
import { documentTitle } from "~/ui/meta";
import { readForm } from "~/platform/http/forms";
import { Section } from "~/ui/layout";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageRoles");
  const people = await listNetworkPeople(actor, network.id);
  const t = await i18next.getFixedT(request, "admin");
  return {
    network,
    ...people,
    roles: invitableRoles(actor, { networkId: network.id }).concat(
      invitableRoles(actor, { networkId: network.id, officeId: "any" }),
    ),
    pageTitle: `${t("people.title")} – ${network.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageRoles");
  const result = await handlePeopleAction(actor, await readForm(request), { networkId: network.id, officeId: null });
  if ((result.status === 403 && !result.errors) || result.status === 404) throw new Response(null, { status: result.status });
  return data(result, { status: result.status });
}

export default function NetworkPeople() {
  const { network, memberships, invitations, offices, roles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const { t: ta } = useTranslation("auth");
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("people.title")}</h1>
      <p>{t("people.intro", { network: network.name, days: INVITATION_DAYS })}</p>
      {result?.message ? (
        <p role="status" className="form-success">
          {t(result.message, { email: result.email })}
        </p>
      ) : null}
      <MembersTable caption={t("people.tableCaption")} memberships={memberships} showOffice />
      <PendingInvitations caption={t("people.pendingCaption")} invitations={invitations} />

      <Section id="invite-heading" title={t("invite.title")}>
        <FormAlert message={result?.errors && Object.keys(result.errors).length ? ta("validation.formErrors") : null} />
        <Form method="post" className="form" noValidate>
          <input type="hidden" name="intent" value="invite" />
          <Field
            name="email"
            type="email"
            label={t("invite.email")}
            autoComplete="off"
            defaultValue={result?.values?.email}
            error={result?.errors?.email}
            required
          />
          <Field
            name="name"
            label={t("invite.name")}
            autoComplete="off"
            defaultValue={result?.values?.name}
            error={result?.errors?.name}
          />
          <div className={result?.errors?.role ? "field field-invalid" : "field"}>
            <label htmlFor="field-role">{t("invite.role")}</label>
            {result?.errors?.role ? (
              <p id="field-role-error" className="field-error">
                {ta(result.errors.role)}
              </p>
            ) : null}
            <select
              id="field-role"
              name="role"
              defaultValue={result?.values?.role ?? "OFFICE_HEAD"}
              aria-invalid={result?.errors?.role ? true : undefined}
              aria-describedby={result?.errors?.role ? "field-role-error" : undefined}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {ta(`roles.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <div className={result?.errors?.officeId ? "field field-invalid" : "field"}>
            <label htmlFor="field-officeId">{t("invite.office")}</label>
            {result?.errors?.officeId ? (
              <p id="field-officeId-error" className="field-error">
                {ta(result.errors.officeId)}
              </p>
            ) : null}
            <select
              id="field-officeId"
              name="officeId"
              defaultValue={result?.values?.officeId ?? ""}
              aria-invalid={result?.errors?.officeId ? true : undefined}
              aria-describedby={result?.errors?.officeId ? "field-officeId-error" : undefined}
            >
              <option value="">{t("invite.officeNone")}</option>
              {offices.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button-primary">
            {t("invite.submit")}
          </button>
        </Form>
      </Section>
    </>
  );
}
