import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { getSession, rotateAfterSecondFactor } from "~/platform/auth/auth.server";
import { clientAddress } from "~/platform/auth/rate-limit.server";
import { verifySecondFactor } from "~/platform/auth/two-factor.server";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { type FieldErrors, parseForm, readForm } from "~/platform/http/forms";
import { safeRedirectPath } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";

/*
 * Step two of signing in (file name with "_": /anmelden/zwei-faktor is not nested in
 * the sign-in page). Reached with a session whose password was right but whose second
 * factor is still open (anmelden.tsx, requireActor). The right code replaces that session
 * by a new one (new id, new cookie).
 */

const schema = z.object({
  code: z
    .string({ message: "auth:twoFactor.required" })
    .trim()
    .min(1, "auth:twoFactor.required")
    .max(40, "auth:twoFactor.invalid"),
  redirectTo: z.string().optional(),
});

/** The half-signed-in session, or a redirect: to sign-in without one, onwards when nothing is open. */
async function pendingSession(request: Request) {
  const { user, session } = await getSession(request);
  const target = safeRedirectPath(new URL(request.url).searchParams.get("redirectTo"));
  if (!user || !session) throw redirect("/anmelden");
  if (!user.totpEnabled || session.twoFactorVerified) throw redirect(target);
  return { user, session };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await pendingSession(request);
  const t = await i18next.getFixedT(request, "auth");
  return { pageTitle: t("twoFactor.title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, session } = await pendingSession(request);
  const form = parseForm(schema, await readForm(request));
  if (!form.ok) return data({ errors: form.errors, alert: null, minutes: 0 }, { status: 400 });
  const result = await verifySecondFactor(user.id, form.data.code);
  if (result.status === "blocked") {
    return data(
      { errors: {} as FieldErrors, alert: "locked" as const, minutes: Math.ceil(result.seconds / 60) },
      { status: 429 },
    );
  }
  if (result.status === "invalid")
    return data({ errors: { code: "auth:twoFactor.invalid" } as FieldErrors, alert: null, minutes: 0 }, { status: 400 });
  // A new session id from here on: the one issued after the password alone stops working.
  const cookie = await rotateAfterSecondFactor(session.id, user.id);
  if (!cookie) throw redirect("/anmelden");
  await recordAudit({
    action: "auth.sign_in_second_factor",
    actorId: user.id,
    details: { method: result.method, address: clientAddress(context) },
  });
  return redirect(safeRedirectPath(form.data.redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function SecondFactor() {
  const { t } = useTranslation("auth");
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const alert =
    result?.alert === "locked"
      ? t("twoFactor.locked", { minutes: result.minutes })
      : result?.errors.code
        ? t("validation.formErrors")
        : null;
  return (
    <>
      <h1>{t("twoFactor.title")}</h1>
      <p>{t("twoFactor.intro")}</p>
      <FormAlert message={alert} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          name="code"
          label={t("twoFactor.code")}
          hint={t("twoFactor.codeHint")}
          autoComplete="one-time-code"
          error={result?.errors.code}
          required
        />
        <SubmitButton className="button-primary">{t("twoFactor.submit")}</SubmitButton>
      </Form>
      <Form method="post" action="/abmelden">
        <button type="submit" className="button-secondary">
          {t("twoFactor.cancel")}
        </button>
      </Form>
    </>
  );
}
