import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor } from "~/platform/auth/auth.server";
import { requiresTwoFactor } from "~/platform/auth/permissions";
import { confirmTotpSetup, getTwoFactorState, startTotpSetup } from "~/platform/auth/two-factor.server";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { disableTwoFactor, endOtherSessionsAfterTwoFactor } from "~/domains/people/account.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { Section } from "~/ui/layout";

/*
 * Two-factor setup and switch-off (file name with "_": /konto/zwei-faktor is its own
 * page, not nested in /konto). Network admins land here until they have set it up
 * (requireActor) and cannot switch it off.
 */

const sixDigits = z
  .string({ message: "account:twoFactor.codeRequired" })
  .transform((v) => v.replace(/\s/g, ""))
  .pipe(
    z
      .string()
      .min(1, "account:twoFactor.codeRequired")
      .regex(/^\d{6}$/, "account:twoFactor.codeFormat"),
  );

const confirmSchema = z.object({ code: sixDigits });
const disableSchema = z.object({
  password: fields.password,
  code: z
    .string({ message: "account:twoFactor.codeRequired" })
    .trim()
    .min(1, "account:twoFactor.codeRequired")
    .max(40, "account:twoFactor.codeWrong"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const state = await getTwoFactorState(actor.id);
  const t = await i18next.getFixedT(request, "account");
  return { state, mandatory: requiresTwoFactor(actor.memberships), pageTitle: t("twoFactor.pageTitle") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Intent = "start" | "confirm" | "disable";
type Result = { intent: Intent; errors: FieldErrors; alert: string | null; recoveryCodes: string[] | null; disabled: boolean };
const result = (intent: Intent, fields: Partial<Omit<Result, "intent">> = {}): Result => ({
  intent,
  errors: {},
  alert: null,
  recoveryCodes: null,
  disabled: false,
  ...fields,
});

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");
  const t = await i18next.getFixedT(request, "account");

  if (intent === "start") {
    if (!(await startTotpSetup(actor.id))) return data(result("start", { alert: t("twoFactor.alreadyOn") }), { status: 409 });
    return data(result("start"));
  }

  if (intent === "confirm") {
    const form = parseForm(confirmSchema, formData);
    if (!form.ok) return data(result("confirm", { errors: form.errors }), { status: 400 });
    const confirmed = await confirmTotpSetup(actor.id, form.data.code);
    if (!confirmed.ok) {
      if (confirmed.reason === "notStarted")
        return data(result("confirm", { alert: t("twoFactor.notStarted") }), { status: 409 });
      return data(result("confirm", { errors: { code: "account:twoFactor.codeWrong" } }), { status: 400 });
    }
    // Sessions on other devices began without the second factor: they end.
    await endOtherSessionsAfterTwoFactor(actor);
    return data(result("confirm", { recoveryCodes: confirmed.recoveryCodes }));
  }

  if (intent === "disable") {
    if (requiresTwoFactor(actor.memberships))
      return data(result("disable", { alert: t("twoFactor.mandatory") }), { status: 403 });
    const form = parseForm(disableSchema, formData);
    if (!form.ok) return data(result("disable", { errors: form.errors }), { status: 400 });
    const disabled = await disableTwoFactor(actor, form.data);
    switch (disabled.status) {
      case "disabled":
        return data(result("disable", { disabled: true }));
      case "mandatory":
        return data(result("disable", { alert: t("twoFactor.mandatory") }), { status: 403 });
      case "notEnabled":
        return data(result("disable", { alert: t("twoFactor.notOn") }), { status: 409 });
      case "wrongPassword":
        return data(result("disable", { errors: { password: "account:password.wrongCurrent" } }), { status: 400 });
      case "wrongCode":
        return data(result("disable", { errors: { code: "account:twoFactor.codeWrong" } }), { status: 400 });
      case "blocked":
        return data(result("disable", { alert: t("twoFactor.locked", { minutes: Math.ceil(disabled.seconds / 60) }) }), {
          status: 429,
        });
    }
  }

  throw new Response("Unbekannte Aktion", { status: 400 });
}

export default function TwoFactorSettings() {
  const { state, mandatory } = useLoaderData<typeof loader>();
  const actionResult = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const navigation = useNavigation();
  const busy = (intent: Intent) => navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  const own = (intent: Intent) => (actionResult?.intent === intent ? actionResult : null);
  const formAlert = (r: Result | null) =>
    r?.alert ?? (r && Object.keys(r.errors).length ? t("auth:validation.formErrors") : null);

  const codes = own("confirm")?.recoveryCodes;
  if (codes) {
    return (
      <>
        <h1>{t("twoFactor.pageTitle")}</h1>
        <div role="status" className="form-success">
          {t("twoFactor.enabledNow")}
        </div>
        <h2>{t("twoFactor.recoveryTitle")}</h2>
        <p>{t("twoFactor.recoveryIntro")}</p>
        <ul className="recovery-codes">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <p className="note">{t("twoFactor.recoveryOnce")}</p>
        <p>
          <Link to="/konto">{t("twoFactor.backToAccount")}</Link>
        </p>
      </>
    );
  }

  return (
    <>
      <h1>{t("twoFactor.pageTitle")}</h1>
      <p>{t("twoFactor.explanation")}</p>
      {mandatory && !state.enabled ? <p className="note">{t("twoFactor.mandatoryFirst")}</p> : null}
      {own("disable")?.disabled ? (
        <div role="status" className="form-success">
          {t("twoFactor.disabledNow")}
        </div>
      ) : null}

      {state.enabled ? (
        <>
          <p>{t("twoFactor.statusOn")}</p>
          <p>{t("twoFactor.recoveryLeft", { count: state.recoveryCodesLeft })}</p>
          {mandatory ? (
            <p className="note">{t("twoFactor.mandatory")}</p>
          ) : (
            <Section id="disable-title" title={t("twoFactor.disableTitle")}>
              <p>{t("twoFactor.disableIntro")}</p>
              <FormAlert message={formAlert(own("disable"))} />
              <Form method="post" className="form" noValidate>
                <input type="hidden" name="intent" value="disable" />
                <Field
                  name="password"
                  type="password"
                  label={t("password.current")}
                  autoComplete="current-password"
                  error={own("disable")?.errors.password}
                  required
                />
                <Field
                  name="code"
                  label={t("twoFactor.codeOrRecovery")}
                  autoComplete="one-time-code"
                  error={own("disable")?.errors.code}
                  required
                />
                <SubmitButton className="button-secondary" intent="disable">
                  {t("twoFactor.disableSubmit")}
                </SubmitButton>
              </Form>
            </Section>
          )}
        </>
      ) : state.pending ? (
        <Section id="setup-title" title={t("twoFactor.setupTitle")}>
          <ol>
            <li>{t("twoFactor.stepApp")}</li>
            <li>{t("twoFactor.stepScan")}</li>
          </ol>
          <img src={state.pending.qrDataUrl} alt={t("twoFactor.qrAlt")} width={240} height={240} />
          <p>{t("twoFactor.manualEntry")}</p>
          <p>
            <code className="totp-secret">{state.pending.secret}</code>
          </p>
          <FormAlert message={formAlert(own("confirm"))} />
          <Form method="post" className="form" noValidate>
            <input type="hidden" name="intent" value="confirm" />
            <Field
              name="code"
              label={t("twoFactor.codeLabel")}
              hint={t("twoFactor.codeHint")}
              inputMode="numeric"
              autoComplete="one-time-code"
              error={own("confirm")?.errors.code}
              required
            />
            <SubmitButton className="button-primary" intent="confirm">
              {t("twoFactor.confirmSubmit")}
            </SubmitButton>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <button type="submit" className="button-secondary" disabled={busy("start")}>
              {t("twoFactor.restart")}
            </button>
          </Form>
        </Section>
      ) : (
        <>
          <p>{t("twoFactor.statusOff")}</p>
          <FormAlert message={formAlert(own("start"))} />
          <Form method="post">
            <input type="hidden" name="intent" value="start" />
            <SubmitButton className="button-primary" intent="start">
              {t("twoFactor.start")}
            </SubmitButton>
          </Form>
        </>
      )}
      {mandatory && !state.enabled ? null : (
        <p>
          <Link to="/konto">{t("twoFactor.backToAccount")}</Link>
        </p>
      )}
    </>
  );
}
