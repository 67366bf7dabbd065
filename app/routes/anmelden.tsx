import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { createSession, getOptionalUser } from "~/auth/auth.server";
import { landingPath } from "~/auth/landing.server";
import { verifyAgainstDummy, verifyPassword } from "~/auth/password.server";
import { blockedFor, clientAddress, countAttempt, resetAttempts } from "~/auth/rate-limit.server";
import { Field, FormAlert, SubmitButton } from "~/components/form";
import { getPrisma } from "~/db.server";
import { i18next } from "~/i18n/i18next.server";
import { recordAudit } from "~/models/audit.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/utils/forms";
import { safeRedirectPath } from "~/utils/http";
import { documentTitle } from "~/utils/meta";

const schema = z.object({ email: fields.email, password: fields.password, redirectTo: z.string().optional() });

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (await getOptionalUser(request)) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo")));
  const t = await i18next.getFixedT(request, "auth");
  return { pageTitle: t("signIn.title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(schema, await readForm(request), { keep: ["email"] });
  if (!form.ok) return data({ errors: form.errors, values: form.values, alert: null, minutes: 0 }, { status: 400 });
  const { email, password } = form.data;
  const address = clientAddress(context);
  const values = { email };

  const wait = Math.max(await blockedFor("signInAccount", email), await blockedFor("signInAddress", address));
  if (wait) {
    return data({ errors: {} as FieldErrors, values, alert: "locked" as const, minutes: Math.ceil(wait / 60) }, { status: 429 });
  }

  const user = await getPrisma().user.findUnique({ where: { email } });
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    const blocked = Math.max(await countAttempt("signInAccount", email), await countAttempt("signInAddress", address));
    await recordAudit({ action: "auth.sign_in_failed", actorId: user?.id ?? null, details: { address } });
    if (blocked) {
      await recordAudit({ action: "auth.locked_out", actorId: user?.id ?? null, details: { address, seconds: blocked } });
      return data(
        { errors: {} as FieldErrors, values, alert: "locked" as const, minutes: Math.ceil(blocked / 60) },
        { status: 429 },
      );
    }
    return data({ errors: {} as FieldErrors, values, alert: "failed" as const, minutes: 0 }, { status: 400 });
  }

  await resetAttempts("signInAccount", email);
  const needsSecondFactor = user.totpEnabledAt !== null;
  const cookie = await createSession(user.id, { twoFactorVerified: !needsSecondFactor });
  await recordAudit({ action: "auth.sign_in", actorId: user.id, details: { address } });
  // "/" is the form's default: no page asked, so the person goes straight to their work.
  const asked = safeRedirectPath(form.data.redirectTo);
  const target = asked === "/" ? await landingPath(user.id) : asked;
  return redirect(needsSecondFactor ? `/anmelden/zwei-faktor?redirectTo=${encodeURIComponent(target)}` : target, {
    headers: { "Set-Cookie": cookie },
  });
}

export default function SignIn() {
  const { t } = useTranslation("auth");
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const alert =
    result?.alert === "locked"
      ? t("signIn.locked", { minutes: result.minutes })
      : result?.alert === "failed"
        ? t("signIn.failed")
        : result?.errors && Object.keys(result.errors).length
          ? t("validation.formErrors")
          : null;
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <FormAlert message={alert} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <Field
          name="email"
          type="email"
          label={t("signIn.email")}
          autoComplete="username"
          defaultValue={result?.values.email}
          error={result?.errors.email}
          required
        />
        <Field
          name="password"
          type="password"
          label={t("signIn.password")}
          autoComplete="current-password"
          error={result?.errors.password}
          required
        />
        <SubmitButton className="button-primary">{t("signIn.submit")}</SubmitButton>
      </Form>
      <p>
        <Link to="/passwort-vergessen">{t("signIn.forgot")}</Link>
      </p>
    </>
  );
}
