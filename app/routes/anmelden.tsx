import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { createSession, getOptionalUser } from "~/platform/auth/auth.server";
import { DEMO_PASSWORD, isDemoEmail } from "~/platform/auth/demo-people";
import { demoPeopleForSignIn, isDemoAccount } from "~/platform/auth/demo.server";
import { landingPath } from "~/platform/auth/landing.server";
import { verifyAgainstDummy, verifyPassword } from "~/platform/auth/password.server";
import { clientAddress, giveBackAttempt, resetAttempts, takeAttempt } from "~/platform/auth/rate-limit.server";
import { verifySecondFactor } from "~/platform/auth/two-factor.server";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { getPrisma } from "~/platform/db.server";
import type { User } from "~/generated/prisma/client";
import { i18next } from "~/i18n/i18next.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { type FieldErrors, fields, parseForm, readForm } from "~/platform/http/forms";
import { safeRedirectPath } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";

const schema = z.object({
  email: fields.email,
  password: fields.password,
  redirectTo: z.string().optional(),
  /** Only while the account is locked: a second factor given together with the password. */
  code: z.string().trim().max(40, "auth:twoFactor.invalid").optional(),
  /** Set by the demo box's one-click forms (demo.server.ts): refused wherever there is no demo. */
  demo: z
    .string()
    .optional()
    .transform((value) => value !== undefined),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  if (await getOptionalUser(request)) throw redirect(safeRedirectPath(url.searchParams.get("redirectTo")));
  const t = await i18next.getFixedT(request, "auth");
  // Empty in production and without demo data (demo.server.ts).
  const demoPeople = await demoPeopleForSignIn();
  return { pageTitle: t("signIn.title"), demoPeople, demoPassword: demoPeople.length ? DEMO_PASSWORD : null };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Person = Pick<User, "id" | "email" | "passwordHash" | "totpEnabledAt">;

/*
 * Limits (rate-limit.server.ts): every attempt is counted BEFORE its password is checked,
 * per address and per account, so requests sent at once cannot outrun the limit.
 *
 * A locked account (too many wrong passwords) refuses the password alone, whoever sends it.
 * Its owner still gets in, without waiting, by
 *  - the password TOGETHER WITH a valid second factor in the same request (the locked page
 *    offers a code field to everyone, so it does not tell who has two-factor), or
 *  - a password reset (password-reset.server.ts clears the account's counter).
 * The lock keeps protecting accounts without two-factor: for them nothing but waiting or a
 * reset opens it. For accounts with two-factor, guessing through the code field gains a
 * stranger nothing: the answer is the same 429 whether the password was right or not, and
 * a code is checked only after the right password, under the two-factor limit (5 per 15 min).
 * The per-address limit applies to every request, unchanged.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(schema, await readForm(request), { keep: ["email"] });
  if (!form.ok) return data({ errors: form.errors, values: form.values, alert: null, minutes: 0 }, { status: 400 });
  const { email, password, code, demo } = form.data;
  const address = clientAddress(context);
  const values = { email };
  const locked = (seconds: number) =>
    data({ errors: {} as FieldErrors, values, alert: "locked" as const, minutes: Math.ceil(seconds / 60) }, { status: 429 });

  const byAddress = await takeAttempt("signInAddress", address);
  if (!byAddress.ok) {
    if (byAddress.lockedNow)
      await recordAudit({ action: "auth.locked_out", actorId: null, details: { address, seconds: byAddress.seconds } });
    return locked(byAddress.seconds);
  }
  const byAccount = await takeAttempt("signInAccount", email);
  const user = await getPrisma().user.findUnique({ where: { email } });

  // The demo's shortcut and the demo's accounts, after the same limits as everyone: only
  // outside production, with demo data, for an account whose roles all lie in a demo
  // network (demo.server.ts). Anywhere else they are refused, whatever the password.
  if ((demo || isDemoEmail(email)) && !(user && (await isDemoAccount(user)))) {
    await recordAudit({ action: "auth.sign_in_failed", actorId: user?.id ?? null, details: { address } });
    return data({ errors: {} as FieldErrors, values, alert: "demoUnavailable" as const, minutes: 0 }, { status: 403 });
  }

  if (!byAccount.ok) {
    if (byAccount.lockedNow)
      await recordAudit({
        action: "auth.locked_out",
        actorId: user?.id ?? null,
        details: { address, seconds: byAccount.seconds },
      });
    const method = code ? await passLockWithSecondFactor(user, password, code, address) : null;
    if (!user || !method) return locked(byAccount.seconds);
    return signedIn(user, { address, redirectTo: form.data.redirectTo, secondFactor: method });
  }

  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    await recordAudit({ action: "auth.sign_in_failed", actorId: user?.id ?? null, details: { address } });
    return data({ errors: {} as FieldErrors, values, alert: "failed" as const, minutes: 0 }, { status: 400 });
  }
  return signedIn(user, { address, redirectTo: form.data.redirectTo, secondFactor: null });
}

/**
 * The way past a lock: the right password and then a valid second factor. Null for
 * everything else — no account, no two-factor, a wrong password, a wrong code — which the
 * caller answers alike, so the answer never tells that the password was right.
 */
async function passLockWithSecondFactor(user: Person | null, password: string, code: string, address: string) {
  // The password is compared in every case: the time taken does not tell who has two-factor.
  const valid = user ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    if (user) await recordAudit({ action: "auth.sign_in_failed", actorId: user.id, details: { address } });
    return null;
  }
  if (user.totpEnabledAt === null) return null;
  const second = await verifySecondFactor(user.id, code);
  return second.status === "ok" ? second.method : null;
}

/** The password was right: counters back, a session, and on to the page asked for (or the second factor). */
async function signedIn(
  user: Person,
  { address, redirectTo, secondFactor }: { address: string; redirectTo?: string; secondFactor: "totp" | "recovery" | null },
) {
  await resetAttempts("signInAccount", user.email);
  await giveBackAttempt("signInAddress", address);
  const needsSecondFactor = user.totpEnabledAt !== null && secondFactor === null;
  const cookie = await createSession(user.id, { twoFactorVerified: !needsSecondFactor });
  await recordAudit({ action: "auth.sign_in", actorId: user.id, details: { address } });
  if (secondFactor)
    await recordAudit({ action: "auth.sign_in_second_factor", actorId: user.id, details: { method: secondFactor, address } });
  // "/" is the form's default: no page asked, so the person goes straight to their work.
  const asked = safeRedirectPath(redirectTo);
  const target = asked === "/" ? await landingPath(user.id) : asked;
  return redirect(needsSecondFactor ? `/anmelden/zwei-faktor?redirectTo=${encodeURIComponent(target)}` : target, {
    headers: { "Set-Cookie": cookie },
  });
}

export default function SignIn() {
  const { t } = useTranslation("auth");
  const { demoPeople, demoPassword } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const redirectTo = params.get("redirectTo") ?? "/";
  const alert =
    result?.alert === "locked"
      ? t("signIn.locked", { minutes: result.minutes })
      : result?.alert === "failed"
        ? t("signIn.failed")
        : result?.alert === "demoUnavailable"
          ? t("demo.unavailable")
          : result?.errors && Object.keys(result.errors).length
            ? t("validation.formErrors")
            : null;
  return (
    <>
      <h1>{t("signIn.title")}</h1>
      <p>{t("signIn.intro")}</p>
      <FormAlert message={alert} />
      <Form method="post" className="form" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
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
        {result?.alert === "locked" || result?.errors.code ? (
          <>
            <p>{t("signIn.lockedWithSecondFactor")}</p>
            <Field
              name="code"
              label={t("signIn.lockedCode")}
              hint={t("twoFactor.codeHint")}
              autoComplete="one-time-code"
              error={result?.errors.code}
            />
          </>
        ) : null}
        <SubmitButton className="button-primary">{t("signIn.submit")}</SubmitButton>
      </Form>
      <p>
        <Link to="/passwort-vergessen">{t("signIn.forgot")}</Link>
        {result?.alert === "locked" ? ` ${t("signIn.lockedReset")}` : null}
      </p>
      {demoPassword ? <DemoPeople people={demoPeople} password={demoPassword} redirectTo={redirectTo} /> : null}
    </>
  );
}

/** The demo box: each of the demo's people with a one-click sign-in (a plain form: works without JavaScript). */
function DemoPeople({
  people,
  password,
  redirectTo,
}: {
  people: Awaited<ReturnType<typeof demoPeopleForSignIn>>;
  password: string;
  redirectTo: string;
}) {
  const { t } = useTranslation("auth");
  return (
    <section className="card demo-box" aria-labelledby="demo-heading">
      <h2 id="demo-heading">{t("demo.title")}</h2>
      <p>{t("demo.intro")}</p>
      <p>
        {t("demo.password")} <code className="code">{password}</code>
      </p>
      <ul className="demo-people">
        {people.map((person) => (
          <li key={person.email}>
            <Form method="post">
              <input type="hidden" name="email" value={person.email} />
              <input type="hidden" name="password" value={password} />
              <input type="hidden" name="redirectTo" value={redirectTo} />
              <input type="hidden" name="demo" value="1" />
              <p>
                <strong>{person.name}</strong> – {t(`roles.${person.role}`)}
                {person.officeName ? `, ${person.officeName}` : null}
                <br />
                <span className="muted">{person.email}</span>
              </p>
              <SubmitButton className="button-secondary">{t("demo.signInAs", { name: person.name })}</SubmitButton>
            </Form>
          </li>
        ))}
      </ul>
    </section>
  );
}
