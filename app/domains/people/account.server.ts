import { type Actor, createSession, endAllSessions, endOtherSessions } from "~/platform/auth/auth.server";
import { hashPassword, verifyPassword } from "~/platform/auth/password.server";
import { requiresTwoFactor } from "~/platform/auth/permissions";
import { giveBackAttempt, takeAttempt } from "~/platform/auth/rate-limit.server";
import { turnOffTwoFactor, verifySecondFactor } from "~/platform/auth/two-factor.server";
import { getPrisma } from "~/platform/db.server";
import type { Language } from "~/i18n/config";
import { recordAudit } from "~/platform/audit/audit.server";

/**
 * The signed-in person's own account: profile, password, two-factor status. Identity
 * tables have no row-level security; every query here is bound to the actor's own id.
 */

export async function getAccount(actor: Actor) {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: actor.id },
    select: {
      name: true,
      email: true,
      language: true,
      totpEnabledAt: true,
      activityReminders: true,
      _count: { select: { recoveryCodes: { where: { usedAt: null } } } },
    },
  });
  return {
    name: user.name,
    email: user.email,
    language: user.language,
    activityReminders: user.activityReminders,
    twoFactor: {
      enabled: user.totpEnabledAt !== null,
      recoveryCodesLeft: user._count.recoveryCodes,
      mandatory: requiresTwoFactor(actor.memberships),
    },
  };
}

export async function updateProfile(actor: Actor, input: { name: string; language: Language }) {
  const before = await getPrisma().user.findUniqueOrThrow({ where: { id: actor.id }, select: { name: true, language: true } });
  await getPrisma().user.update({ where: { id: actor.id }, data: input });
  const changed = (Object.keys(input) as Array<keyof typeof input>).filter((key) => before[key] !== input[key]);
  if (changed.length)
    await recordAudit({
      action: "account.profile_updated",
      actorId: actor.id,
      targetType: "user",
      targetId: actor.id,
      details: { changed },
    });
}

/**
 * Turns the reminders about the person's plan activities on or off (issue 21; the job reads
 * user_account.activity_reminders). Audited only when it changes, with the new setting.
 */
export async function setActivityReminders(actor: Pick<Actor, "id">, on: boolean) {
  const changed = await getPrisma().user.updateMany({
    where: { id: actor.id, activityReminders: !on },
    data: { activityReminders: on },
  });
  if (changed.count)
    await recordAudit({
      action: "account.reminders_changed",
      actorId: actor.id,
      targetType: "user",
      targetId: actor.id,
      details: { activityReminders: on },
    });
}

export type PasswordCheck = { status: "ok" } | { status: "wrong" } | { status: "blocked"; seconds: number };

/**
 * Checks the current password of a signed-in person (before a change that needs it).
 * Every check counts against the same per-account limit as sign-in, before the password
 * is compared (so checks sent at once cannot outrun the limit); a right password gives
 * its point back. A session left open does not allow unlimited guessing.
 */
export async function checkCurrentPassword(actor: Pick<Actor, "id" | "email">, password: string): Promise<PasswordCheck> {
  const attempt = await takeAttempt("signInAccount", actor.email);
  if (!attempt.ok) {
    if (attempt.lockedNow)
      await recordAudit({ action: "auth.locked_out", actorId: actor.id, details: { seconds: attempt.seconds } });
    return { status: "blocked", seconds: attempt.seconds };
  }
  const { passwordHash } = await getPrisma().user.findUniqueOrThrow({ where: { id: actor.id }, select: { passwordHash: true } });
  if (await verifyPassword(passwordHash, password)) {
    await giveBackAttempt("signInAccount", actor.email);
    return { status: "ok" };
  }
  await recordAudit({ action: "auth.password_check_failed", actorId: actor.id });
  return { status: "wrong" };
}

/**
 * Changes the password after checking the current one; then every session of the person
 * ends (a thief's too) and this device gets a fresh one: the returned Set-Cookie value.
 */
export async function changePassword(actor: Actor, input: { currentPassword: string; newPassword: string }) {
  const check = await checkCurrentPassword(actor, input.currentPassword);
  if (check.status !== "ok") return check;
  const passwordHash = await hashPassword(input.newPassword);
  await getPrisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: actor.id }, data: { passwordHash, passwordChangedAt: new Date() } });
    await recordAudit({ action: "auth.password_changed", actorId: actor.id, targetType: "user", targetId: actor.id }, tx);
  });
  await endAllSessions(actor.id);
  // This session had passed requireActor, so its second factor (if any) was confirmed.
  const cookie = await createSession(actor.id, { twoFactorVerified: true });
  return { status: "changed" as const, cookie };
}

export type DisableResult =
  | { status: "disabled" }
  | { status: "mandatory" }
  | { status: "notEnabled" }
  | { status: "wrongPassword" }
  | { status: "wrongCode" }
  | { status: "blocked"; seconds: number };

/** Switches two-factor off: needs the password and a code, and is refused for network admins. */
export async function disableTwoFactor(actor: Actor, input: { password: string; code: string }): Promise<DisableResult> {
  if (requiresTwoFactor(actor.memberships)) return { status: "mandatory" };
  if (!actor.totpEnabled) return { status: "notEnabled" };
  const password = await checkCurrentPassword(actor, input.password);
  if (password.status === "blocked") return password;
  if (password.status === "wrong") return { status: "wrongPassword" };
  const code = await verifySecondFactor(actor.id, input.code);
  if (code.status === "blocked") return code;
  if (code.status === "invalid") return { status: "wrongCode" };
  await turnOffTwoFactor(actor.id);
  return { status: "disabled" };
}

/**
 * After two-factor was switched on, sessions that began without it (other devices) end.
 * This device keeps its session: it just proved the second factor.
 */
export async function endOtherSessionsAfterTwoFactor(actor: Actor) {
  await endOtherSessions(actor.id, actor.sessionId);
}
