import { setTimeout as sleep } from "node:timers/promises";
import { createSession, endAllSessions } from "~/platform/auth/auth.server";
import { hashPassword } from "~/platform/auth/password.server";
import { blockedFor, countAttempt, resetAttempts } from "~/platform/auth/rate-limit.server";
import { createToken, hashToken } from "~/platform/auth/tokens.server";
import { getPrisma } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { renderEmail } from "~/platform/email/templates.server";
import { isLanguage } from "~/i18n/config";
import { recordAudit } from "~/platform/audit/audit.server";

/** How long a reset link works. */
export const RESET_VALID_MINUTES = 30;

/**
 * A request is answered no sooner than this after it arrived, whether or not the address
 * has an account: creating the token and rendering the e-mail (tens of milliseconds when
 * warm) then hides inside the same answer time, and nobody learns from the timing which
 * addresses are registered.
 */
export const RESET_ANSWER_MS = 600;

export type ResetRequestResult = { status: "answered" } | { status: "blocked"; seconds: number };

/**
 * "Forgot password": when the address has an account, a single-use link (valid
 * RESET_VALID_MINUTES) goes out by e-mail; only the token's SHA-256 is stored. The
 * caller answers the same in both cases. Limited per typed address and per client
 * address (which says nothing about whether the account exists).
 */
export async function requestPasswordReset(
  email: string,
  { address, answerMs = RESET_ANSWER_MS }: { address: string; answerMs?: number },
): Promise<ResetRequestResult> {
  const started = performance.now();
  const wait = Math.max(await blockedFor("resetAccount", email), await blockedFor("resetAddress", address));
  if (wait) return { status: "blocked", seconds: wait };
  const blocked = Math.max(await countAttempt("resetAccount", email), await countAttempt("resetAddress", address));
  if (blocked) {
    await recordAudit({ action: "auth.password_reset_blocked", details: { address, seconds: blocked } });
    return { status: "blocked", seconds: blocked };
  }

  const user = await getPrisma().user.findUnique({ where: { email }, select: { id: true, name: true, language: true } });
  if (user) {
    const { token, tokenHash } = createToken();
    const expiresAt = new Date(Date.now() + RESET_VALID_MINUTES * 60_000);
    await getPrisma().$transaction(async (tx) => {
      await tx.passwordReset.create({ data: { tokenHash, userId: user.id, expiresAt } });
      await enqueueEmail(tx, {
        to: email,
        template: "password-reset",
        language: isLanguage(user.language) ? user.language : "de",
        props: { name: user.name, resetUrl: publicUrl(`/passwort-neu/${token}`), validMinutes: RESET_VALID_MINUTES },
        token,
      });
      await recordAudit(
        {
          action: "auth.password_reset_requested",
          actorId: user.id,
          targetType: "user",
          targetId: user.id,
          details: { address },
        },
        tx,
      );
    });
  } else {
    // The same rendering work as for a real account (the first render after a start is
    // slow), then thrown away; recorded too, for spotting someone probing addresses.
    await renderEmail("password-reset", "de", {
      name: "",
      resetUrl: publicUrl("/passwort-neu/x"),
      validMinutes: RESET_VALID_MINUTES,
    });
    await recordAudit({ action: "auth.password_reset_requested", details: { address, account: false } });
  }

  const rest = answerMs - (performance.now() - started);
  if (rest > 0) await sleep(rest);
  return { status: "answered" };
}

/** The open reset behind a token (unknown, used and expired ones are null). */
export async function findOpenPasswordReset(token: string) {
  if (!token) return null;
  const reset = await getPrisma().passwordReset.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { usedAt: true, expiresAt: true, user: { select: { email: true } } },
  });
  if (!reset || reset.usedAt || reset.expiresAt <= new Date()) return null;
  return { email: reset.user.email };
}

/**
 * Sets the new password with a reset token: the token is used up (also under a double
 * submit: its row is locked), every other open reset link of the person stops working,
 * every session ends, and a fresh one starts on this device. With two-factor on, that
 * session still waits for the second factor: a mailbox alone does not open the account.
 * Null when the token is unknown, used or expired.
 */
export async function completePasswordReset(token: string, password: string) {
  const tokenHash = hashToken(token);
  const passwordHash = await hashPassword(password);
  const user = await getPrisma().$transaction(async (tx) => {
    const [reset] = await tx.$queryRaw<Array<{ id: string; user_id: string }>>`
      SELECT id::text AS id, user_id::text AS user_id FROM password_reset
      WHERE token_hash = ${tokenHash} AND used_at IS NULL AND expires_at > now()
      FOR UPDATE`;
    if (!reset) return null;
    const now = new Date();
    const user = await tx.user.update({
      where: { id: reset.user_id },
      data: { passwordHash, passwordChangedAt: now },
      select: { id: true, email: true, totpEnabledAt: true },
    });
    await tx.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: now } });
    await recordAudit({ action: "auth.password_reset", actorId: user.id, targetType: "user", targetId: user.id }, tx);
    return user;
  });
  if (!user) return null;
  await endAllSessions(user.id);
  // Whoever controls the mailbox proved it; the sign-in lock of the account ends.
  await resetAttempts("signInAccount", user.email);
  const needsSecondFactor = user.totpEnabledAt !== null;
  const cookie = await createSession(user.id, { twoFactorVerified: !needsSecondFactor });
  return { cookie, needsSecondFactor };
}
