import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { completePasswordReset, findOpenPasswordReset } from "~/domains/people/password-reset.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const schema = z
  .object({ password: fields.newPassword, passwordRepeat: z.string({ message: "auth:validation.required" }) })
  .refine((v) => v.password === v.passwordRepeat, { path: ["passwordRepeat"], message: "auth:validation.passwordMismatch" });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reset = await findOpenPasswordReset(params.token ?? "");
  const t = await i18next.getFixedT(request, "auth");
  // An unknown, used or expired link is a 404 with an explanation, not an error page.
  if (!reset) return data({ email: null, pageTitle: t("reset.newTitle") }, { status: 404 });
  return { email: reset.email, pageTitle: t("reset.newTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, params }: ActionFunctionArgs) {
  // A dead link says so first, whatever was typed.
  if (!(await findOpenPasswordReset(params.token ?? "")))
    return data({ errors: {} as FieldErrors, invalid: true }, { status: 404 });
  const form = parseForm(schema, await readForm(request));
  if (!form.ok) return data({ errors: form.errors, invalid: false }, { status: 400 });
  const done = await completePasswordReset(params.token ?? "", form.data.password);
  if (!done) return data({ errors: {} as FieldErrors, invalid: true }, { status: 404 });
  const target = done.needsSecondFactor
    ? `/anmelden/zwei-faktor?redirectTo=${encodeURIComponent("/konto?hinweis=passwort-neu")}`
    : "/konto?hinweis=passwort-neu";
  return redirect(target, { headers: { "Set-Cookie": done.cookie } });
}

export default function NewPassword() {
  const { email } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("auth");
  if (!email || result?.invalid) {
    return (
      <>
        <h1>{t("reset.newTitle")}</h1>
        <p role="alert">{t("reset.invalid")}</p>
        <p>
          <Link to="/passwort-vergessen">{t("reset.requestAgain")}</Link>
        </p>
      </>
    );
  }
  const hasErrors = result?.errors && Object.keys(result.errors).length > 0;
  return (
    <>
      <h1>{t("reset.newTitle")}</h1>
      <p>{t("reset.newIntro", { email })}</p>
      <FormAlert message={hasErrors ? t("validation.formErrors") : null} />
      <Form method="post" className="form" noValidate>
        {/* Lets password managers store the new password for the right account. */}
        <input type="hidden" name="username" value={email} autoComplete="username" />
        <Field
          name="password"
          type="password"
          label={t("reset.newPassword")}
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
        <SubmitButton className="button-primary">{t("reset.newSubmit")}</SubmitButton>
      </Form>
    </>
  );
}
