import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireActor } from "~/platform/auth/auth.server";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { SUPPORTED_LANGUAGES } from "~/i18n/config";
import { i18next, languageCookie } from "~/i18n/i18next.server";
import { changePassword, getAccount, setActivityReminders, updateProfile } from "~/domains/people/account.server";
import { REMINDER_DAYS_BEFORE } from "~/domains/plan/progress";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";

const profileSchema = z.object({
  name: fields.name,
  language: z.enum(SUPPORTED_LANGUAGES, { message: "account:validation.language" }),
});

// A checkbox: "on" when ticked, absent when not; anything else is not from this form.
const remindersSchema = z.object({
  activityReminders: z
    .literal("on", { message: "planProgress:account.invalid" })
    .optional()
    .transform((v) => v === "on"),
});

const passwordSchema = z
  .object({
    currentPassword: fields.password,
    newPassword: fields.newPassword,
    newPasswordRepeat: z.string({ message: "auth:validation.required" }),
  })
  .refine((v) => v.newPassword === v.newPasswordRepeat, {
    path: ["newPasswordRepeat"],
    message: "auth:validation.passwordMismatch",
  });

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const account = await getAccount(actor);
  const t = await i18next.getFixedT(request, "account");
  return { account, pageTitle: t("title") };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Intent = "profile" | "password" | "reminders";
type Result = { intent: Intent; errors: FieldErrors; values: Record<string, string>; alert: string | null };
const result = (intent: Intent, fields: Partial<Omit<Result, "intent">> = {}): Result => ({
  intent,
  errors: {},
  values: {},
  alert: null,
  ...fields,
});

/**
 * After a change the page is loaded anew (post/redirect/get) with a notice: the new
 * session cookie and the language cookie then already apply to it, also without
 * JavaScript. Also used by passwort-neu.$token.tsx ("passwort-neu").
 */
type Notice = "gespeichert" | "passwort-geaendert" | "passwort-neu" | "erinnerungen";
const withNotice = (notice: Notice, headers: HeadersInit) => redirect(`/konto?hinweis=${notice}`, { headers });

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const formData = await readForm(request);
  const intent = formData.get("intent");

  if (intent === "profile") {
    const form = parseForm(profileSchema, formData, { keep: ["name", "language"] });
    if (!form.ok) return data(result("profile", { errors: form.errors, values: form.values }), { status: 400 });
    await updateProfile(actor, form.data);
    // The chosen language is also the one the portal shows on this device.
    return withNotice("gespeichert", { "Set-Cookie": await languageCookie.serialize(form.data.language) });
  }

  if (intent === "reminders") {
    const form = parseForm(remindersSchema, formData);
    if (!form.ok) return data(result("reminders", { errors: form.errors }), { status: 400 });
    await setActivityReminders(actor, form.data.activityReminders);
    return withNotice("erinnerungen", {});
  }

  if (intent === "password") {
    const form = parseForm(passwordSchema, formData);
    if (!form.ok) return data(result("password", { errors: form.errors }), { status: 400 });
    const changed = await changePassword(actor, form.data);
    if (changed.status === "wrong")
      return data(result("password", { errors: { currentPassword: "account:password.wrongCurrent" } }), { status: 400 });
    if (changed.status === "blocked") {
      const t = await i18next.getFixedT(request, "account");
      return data(result("password", { alert: t("password.locked", { minutes: Math.ceil(changed.seconds / 60) }) }), {
        status: 429,
      });
    }
    // All sessions ended, this one included: the page reloads with the fresh session.
    return withNotice("passwort-geaendert", { "Set-Cookie": changed.cookie });
  }

  throw new Response("Unbekannte Aktion", { status: 400 });
}

export default function Account() {
  const { account } = useLoaderData<typeof loader>();
  const actionResult = useActionData<typeof action>();
  const { t } = useTranslation("account");
  const [params] = useSearchParams();
  const profile = actionResult?.intent === "profile" ? actionResult : null;
  const password = actionResult?.intent === "password" ? actionResult : null;
  const reminders = actionResult?.intent === "reminders" ? actionResult : null;
  const formAlert = (r: Result | null) =>
    r?.alert ?? (r && Object.keys(r.errors).length ? t("auth:validation.formErrors") : null);

  const notice = params.get("hinweis");
  // Forms start afresh after each navigation (a changed password is not left in the fields).
  const { key } = useLocation();

  return (
    <>
      <h1>{t("title")}</h1>
      {notice === "passwort-neu" ? (
        <div role="status" className="form-success">
          {t("password.resetDone")}
        </div>
      ) : null}

      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t("profile.title")}</h2>
        <p>
          {t("profile.email")}: <strong>{account.email}</strong>
        </p>
        {notice === "gespeichert" && !profile ? (
          <div role="status" className="form-success">
            {t("profile.saved")}
          </div>
        ) : null}
        <FormAlert message={formAlert(profile)} />
        <Form method="post" className="form" noValidate key={`profile-${key}`}>
          <input type="hidden" name="intent" value="profile" />
          <Field
            name="name"
            label={t("profile.name")}
            autoComplete="name"
            defaultValue={profile?.values.name ?? account.name}
            error={profile?.errors.name}
            required
          />
          <div className={profile?.errors.language ? "field field-invalid" : "field"}>
            <label htmlFor="field-language">{t("profile.language")}</label>
            {profile?.errors.language ? (
              <p id="field-language-error" className="field-error">
                {t(profile.errors.language)}
              </p>
            ) : null}
            <select
              id="field-language"
              name="language"
              defaultValue={profile?.values.language ?? account.language}
              aria-invalid={profile?.errors.language ? true : undefined}
              aria-describedby={profile?.errors.language ? "field-language-error" : undefined}
            >
              {SUPPORTED_LANGUAGES.map((language) => (
                <option key={language} value={language} lang={language}>
                  {t(`profile.languageNames.${language}`)}
                </option>
              ))}
            </select>
          </div>
          <SubmitButton className="button-primary" intent="profile">
            {t("profile.submit")}
          </SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="password-title">
        <h2 id="password-title">{t("password.title")}</h2>
        <p>{t("password.intro")}</p>
        {notice === "passwort-geaendert" && !password ? (
          <div role="status" className="form-success">
            {t("password.changed")}
          </div>
        ) : null}
        <FormAlert message={formAlert(password)} />
        <Form method="post" className="form" noValidate key={`password-${key}`}>
          <input type="hidden" name="intent" value="password" />
          <input type="hidden" name="username" value={account.email} autoComplete="username" />
          <Field
            name="currentPassword"
            type="password"
            label={t("password.current")}
            autoComplete="current-password"
            error={password?.errors.currentPassword}
            required
          />
          <Field
            name="newPassword"
            type="password"
            label={t("password.new")}
            hint={t("auth:invitation.passwordHint")}
            autoComplete="new-password"
            error={password?.errors.newPassword}
            required
          />
          <Field
            name="newPasswordRepeat"
            type="password"
            label={t("password.repeat")}
            autoComplete="new-password"
            error={password?.errors.newPasswordRepeat}
            required
          />
          <SubmitButton className="button-primary" intent="password">
            {t("password.submit")}
          </SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="reminders-title">
        <h2 id="reminders-title">{t("planProgress:account.title")}</h2>
        {notice === "erinnerungen" && !reminders ? (
          <div role="status" className="form-success">
            {t("planProgress:account.saved")}
          </div>
        ) : null}
        <FormAlert message={formAlert(reminders)} />
        <Form method="post" className="form" noValidate key={`reminders-${key}`}>
          <input type="hidden" name="intent" value="reminders" />
          <div className={reminders?.errors.activityReminders ? "field field-checkbox field-invalid" : "field field-checkbox"}>
            {reminders?.errors.activityReminders ? (
              <p id="field-activityReminders-error" className="field-error">
                {t(reminders.errors.activityReminders)}
              </p>
            ) : null}
            <input
              type="checkbox"
              id="field-activityReminders"
              name="activityReminders"
              value="on"
              defaultChecked={account.activityReminders}
              aria-describedby={
                reminders?.errors.activityReminders
                  ? "field-activityReminders-hint field-activityReminders-error"
                  : "field-activityReminders-hint"
              }
            />{" "}
            <label htmlFor="field-activityReminders">{t("planProgress:account.label")}</label>
            <p id="field-activityReminders-hint" className="field-hint">
              {t("planProgress:account.hint", { days: REMINDER_DAYS_BEFORE })}
            </p>
          </div>
          <SubmitButton className="button-secondary" intent="reminders">
            {t("planProgress:account.submit")}
          </SubmitButton>
        </Form>
      </section>

      <section className="card" aria-labelledby="two-factor-title">
        <h2 id="two-factor-title">{t("twoFactor.title")}</h2>
        <p>{account.twoFactor.enabled ? t("twoFactor.statusOn") : t("twoFactor.statusOff")}</p>
        {account.twoFactor.enabled ? <p>{t("twoFactor.recoveryLeft", { count: account.twoFactor.recoveryCodesLeft })}</p> : null}
        {account.twoFactor.mandatory ? <p className="note">{t("twoFactor.mandatory")}</p> : null}
        <p>
          <Link to="/konto/zwei-faktor">
            {account.twoFactor.enabled
              ? account.twoFactor.mandatory
                ? t("twoFactor.manage")
                : t("twoFactor.manageOrDisable")
              : t("twoFactor.setUp")}
          </Link>
        </p>
      </section>

      <section className="card" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t("sessions.title")}</h2>
        <p>{t("sessions.intro")}</p>
        <Form method="post" action="/abmelden">
          <input type="hidden" name="everywhere" value="1" />
          <button type="submit" className="button-secondary">
            {t("auth:signOut.everywhere")}
          </button>
        </Form>
      </section>
    </>
  );
}
