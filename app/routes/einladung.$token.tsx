import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getOptionalUser } from "~/platform/auth/auth.server";
import { Field, FormAlert } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { acceptInvitation, findOpenInvitation } from "~/domains/people/invitations.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const newAccount = z
  .object({ name: fields.name, password: fields.newPassword, passwordRepeat: z.string() })
  .refine((v) => v.password === v.passwordRepeat, { path: ["passwordRepeat"], message: "auth:validation.passwordMismatch" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const invitation = await findOpenInvitation(params.token ?? "");
  const user = await getOptionalUser(request);
  const t = await i18next.getFixedT(request, "auth");
  // An unknown or used token is a 404 with an explanation, not an error.
  if (!invitation) return data({ invitation: null, signedInAs: null, pageTitle: t("invitation.title") }, { status: 404 });
  return { invitation, signedInAs: user?.email ?? null, pageTitle: t("invitation.title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  // An unknown, used or expired token is a 404 before anything in the form is looked at.
  if (!(await findOpenInvitation(token))) throw new Response("Not Found", { status: 404 });
  const formData = await readForm(request);
  const user = await getOptionalUser(request);
  if (formData.get("intent") === "existing") {
    if (!user) throw redirect(`/anmelden?redirectTo=${encodeURIComponent(`/einladung/${token}`)}`);
    const cookie = await acceptInvitation(token, { userId: user.id });
    if (!cookie) return data({ errors: {} as FieldErrors, values: {} as Record<string, string>, invalid: true }, { status: 409 });
    return redirect("/", { headers: { "Set-Cookie": cookie } });
  }
  const form = parseForm(newAccount, formData, { keep: ["name"] });
  if (!form.ok)
    return data({ errors: form.errors, values: form.values as Record<string, string>, invalid: false }, { status: 400 });
  const cookie = await acceptInvitation(token, { name: form.data.name, password: form.data.password });
  if (!cookie)
    return data(
      { errors: {} as FieldErrors, values: { name: form.data.name } as Record<string, string>, invalid: true },
      { status: 409 },
    );
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

export default function AcceptInvitation() {
  const { invitation, signedInAs } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  const { token } = useParams();
  if (!invitation || result?.invalid) {
    return (
      <>
        <h1>{t("invitation.title")}</h1>
        <p role="alert">{t("invitation.invalid")}</p>
      </>
    );
  }
  const place = invitation.office ? `${invitation.office.name} (${invitation.network.name})` : invitation.network.name;
  const intro = t("invitation.intro", { role: t(`roles.${invitation.role}`), place });
  if (invitation.hasAccount) {
    return (
      <>
        <h1>{t("invitation.title")}</h1>
        <p>{intro}</p>
        {signedInAs && signedInAs !== invitation.email ? (
          <p role="alert">{t("invitation.wrongAccount", { email: invitation.email })}</p>
        ) : signedInAs ? (
          <Form method="post">
            <input type="hidden" name="intent" value="existing" />
            <button type="submit" className="button-primary">
              {t("invitation.acceptExisting")}
            </button>
          </Form>
        ) : (
          <p>
            {t("invitation.existingAccount", { email: invitation.email })}{" "}
            <Link to={`/anmelden?redirectTo=${encodeURIComponent(`/einladung/${token}`)}`}>{t("signIn.submit")}</Link>
          </p>
        )}
      </>
    );
  }
  const hasErrors = result?.errors && Object.keys(result.errors).length > 0;
  return (
    <>
      <h1>{t("invitation.title")}</h1>
      <p>{intro}</p>
      <p>
        {t("signIn.email")}: <strong>{invitation.email}</strong>
      </p>
      <FormAlert message={hasErrors ? t("validation.formErrors") : null} />
      <Form method="post" className="form" noValidate>
        <Field
          name="name"
          label={t("invitation.name")}
          autoComplete="name"
          defaultValue={result?.values.name ?? invitation.name ?? ""}
          error={result?.errors.name}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("invitation.password")}
          hint={t("invitation.passwordHint")}
          autoComplete="new-password"
          error={result?.errors.password}
          required
        />
        <Field
          name="passwordRepeat"
          type="password"
          label={t("invitation.passwordRepeat")}
          autoComplete="new-password"
          error={result?.errors.passwordRepeat}
          required
        />
        <button type="submit" className="button-primary">
          {t("invitation.submit")}
        </button>
      </Form>
    </>
  );
}
