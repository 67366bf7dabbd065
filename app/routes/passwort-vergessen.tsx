import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { clientAddress } from "~/platform/auth/rate-limit.server";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { RESET_VALID_MINUTES, requestPasswordReset } from "~/domains/people/password-reset.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const schema = z.object({ email: fields.email });

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18next.getFixedT(request, "auth");
  return { pageTitle: t("reset.requestTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(schema, await readForm(request), { keep: ["email"] });
  if (!form.ok)
    return data({ errors: form.errors, values: form.values, sent: false, minutes: 0, validMinutes: 0 }, { status: 400 });
  const result = await requestPasswordReset(form.data.email, { address: clientAddress(context) });
  if (result.status === "blocked") {
    return data(
      {
        errors: {} as FieldErrors,
        values: { email: form.data.email },
        sent: false,
        minutes: Math.ceil(result.seconds / 60),
        validMinutes: 0,
      },
      { status: 429 },
    );
  }
  // The same answer whether or not the address has an account (and nothing typed is echoed).
  return data({ errors: {} as FieldErrors, values: { email: "" }, sent: true, minutes: 0, validMinutes: RESET_VALID_MINUTES });
}

export default function ForgotPassword() {
  const { t } = useTranslation("auth");
  const result = useActionData<typeof action>();
  if (result?.sent) {
    return (
      <>
        <h1>{t("reset.requestTitle")}</h1>
        <div role="status" className="form-success">
          <p>{t("reset.sent", { minutes: result.validMinutes })}</p>
        </div>
        <p>{t("reset.sentHint")}</p>
        <p>
          <Link to="/anmelden">{t("reset.backToSignIn")}</Link>
        </p>
      </>
    );
  }
  const alert = result?.minutes
    ? t("reset.blocked", { minutes: result.minutes })
    : result?.errors && Object.keys(result.errors).length
      ? t("validation.formErrors")
      : null;
  return (
    <>
      <h1>{t("reset.requestTitle")}</h1>
      <p>{t("reset.requestIntro")}</p>
      <FormAlert message={alert} />
      <Form method="post" className="form" noValidate>
        <Field
          name="email"
          type="email"
          label={t("signIn.email")}
          autoComplete="username"
          defaultValue={result?.values.email}
          error={result?.errors.email}
          required
        />
        <SubmitButton className="button-primary">{t("reset.requestSubmit")}</SubmitButton>
      </Form>
      <p>
        <Link to="/anmelden">{t("reset.backToSignIn")}</Link>
      </p>
    </>
  );
}
