/**
 * Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238: 6 digits, 30 s,
 * SHA-1 — what every authenticator app understands) via @oslojs/otp, plus single-use
 * recovery codes.
 *
 * - The secret (20 random bytes) is stored, encrypted (secret-box.server.ts), in
 *   user_account.totp_secret as soon as the setup starts, but two-factor counts as on only once a code confirmed it
 *   (totp_enabled_at set).
 * - A code works once: the accepted time step is stored in totp_last_step and a code of
 *   that step or an earlier one is refused (acceptTotpStep). The update is conditional,
 *   so two requests racing with the same code cannot both win.
 * - Recovery codes carry 80 random bits; only their SHA-256 is stored (a slow hash adds
 *   nothing at that entropy, and a look-up by hash stays one query).
 * - Every code counts against the "twoFactor" limit per account before it is checked
 *   (rate-limit.server.ts); a right one clears the count.
 */
import { randomBytes } from "node:crypto";
import { encodeBase32LowerCaseNoPadding, encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";
import { createTOTPKeyURI, verifyHOTP } from "@oslojs/otp";
import QRCode from "qrcode";
import { getPrisma } from "~/platform/db.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { resetAttempts, takeAttempt } from "./rate-limit.server";
import { openSecret, sealSecret } from "./secret-box.server";
import { hashToken } from "./tokens.server";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Time steps accepted either side of now: a phone clock a little off still works. */
export const TOTP_WINDOW_STEPS = 1;
export const TOTP_SECRET_BYTES = 20;
export const RECOVERY_CODE_COUNT = 10;

/** The plain secret of a stored (encrypted) one, or null when it cannot be read. */
const storedSecret = (stored: Uint8Array) => openSecret(stored, TOTP_SECRET_BYTES);
const ISSUER = "ABH-Netz";

/** The TOTP time step (counter) at a moment. */
export function totpStep(nowMs: number) {
  return BigInt(Math.floor(nowMs / (TOTP_PERIOD_SECONDS * 1000)));
}

/**
 * The replay rule, pure: the time step `code` belongs to if it is valid around `now`
 * and later than `lastStep` (the step of the last accepted code), else null. Store the
 * returned step as the new last step; the same code — or any code of that step or an
 * earlier one — is then refused.
 */
export function acceptTotpStep(
  key: Uint8Array,
  code: string,
  { now = Date.now(), lastStep = null }: { now?: number; lastStep?: bigint | null } = {},
) {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStep(now);
  const window = BigInt(TOTP_WINDOW_STEPS);
  for (let step = current - window; step <= current + window; step++) {
    if (lastStep !== null && step <= lastStep) continue;
    if (verifyHOTP(key, step, TOTP_DIGITS, code)) return step;
  }
  return null;
}

/** "123 456" → "123456"; a recovery code is compared without case, spaces or dashes. */
const compact = (input: string) => input.replace(/[\s-]/g, "");
const isTotpCode = (input: string) => /^\d{6}$/.test(compact(input));
const normalizeRecoveryCode = (input: string) => compact(input).toLowerCase();

function newRecoveryCode() {
  const raw = encodeBase32LowerCaseNoPadding(randomBytes(10)); // 16 characters, 80 bits
  return raw.match(/.{4}/g)!.join("-");
}

// ─── Setup ──────────────────────────────────────────────────────────────────────────

export type TwoFactorState = {
  enabled: boolean;
  enabledAt: Date | null;
  recoveryCodesLeft: number;
  /** A started, not yet confirmed setup: what the person scans or types into the app. */
  pending: { secret: string; keyUri: string; qrDataUrl: string } | null;
};

export async function getTwoFactorState(userId: string): Promise<TwoFactorState> {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: userId },
    select: {
      email: true,
      totpSecret: true,
      totpEnabledAt: true,
      _count: { select: { recoveryCodes: { where: { usedAt: null } } } },
    },
  });
  let pending: TwoFactorState["pending"] = null;
  const secret = user.totpSecret && !user.totpEnabledAt ? storedSecret(user.totpSecret) : null;
  if (secret) {
    const keyUri = createTOTPKeyURI(ISSUER, user.email, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
    pending = {
      secret: encodeBase32UpperCaseNoPadding(secret)
        .match(/.{1,4}/g)!
        .join(" "),
      keyUri,
      qrDataUrl: await QRCode.toDataURL(keyUri, { errorCorrectionLevel: "M", margin: 2, width: 240 }),
    };
  }
  return {
    enabled: user.totpEnabledAt !== null,
    enabledAt: user.totpEnabledAt,
    recoveryCodesLeft: user._count.recoveryCodes,
    pending,
  };
}

/** Starts (or restarts) the setup with a new secret. False when two-factor is already on. */
export async function startTotpSetup(userId: string) {
  const { count } = await getPrisma().user.updateMany({
    where: { id: userId, totpEnabledAt: null },
    data: { totpSecret: sealSecret(randomBytes(TOTP_SECRET_BYTES)), totpLastStep: null },
  });
  return count === 1;
}

export type ConfirmResult = { ok: true; recoveryCodes: string[] } | { ok: false; reason: "invalid" | "notStarted" };

/**
 * Confirms the setup with a code from the app: two-factor is on from now, and the
 * recovery codes are returned — the only time they exist in plain text.
 */
export async function confirmTotpSetup(userId: string, code: string): Promise<ConfirmResult> {
  const user = await getPrisma().user.findUniqueOrThrow({
    where: { id: userId },
    select: { totpSecret: true, totpEnabledAt: true, totpLastStep: true },
  });
  const secret = user.totpSecret && !user.totpEnabledAt ? storedSecret(user.totpSecret) : null;
  if (!user.totpSecret || user.totpEnabledAt) return { ok: false, reason: "notStarted" };
  // An unreadable secret (SESSION_SECRET changed): setting up again starts a new one.
  if (!secret) return { ok: false, reason: "notStarted" };
  const step = acceptTotpStep(secret, compact(code), { lastStep: user.totpLastStep });
  if (step === null) return { ok: false, reason: "invalid" };
  const recoveryCodes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  const enabled = await getPrisma().$transaction(async (tx) => {
    // Only the secret the code was checked against (a setup restarted in another tab wins).
    const { count } = await tx.user.updateMany({
      where: { id: userId, totpEnabledAt: null, totpSecret: { equals: user.totpSecret } },
      data: { totpEnabledAt: new Date(), totpLastStep: step },
    });
    if (count !== 1) return false;
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({
      data: recoveryCodes.map((c) => ({ userId, codeHash: hashToken(normalizeRecoveryCode(c)) })),
    });
    await recordAudit({ action: "auth.two_factor_enabled", actorId: userId, targetType: "user", targetId: userId }, tx);
    return true;
  });
  return enabled ? { ok: true, recoveryCodes } : { ok: false, reason: "notStarted" };
}

/** Switches two-factor off and forgets secret and recovery codes. Callers check password, code and role first. */
export async function turnOffTwoFactor(userId: string) {
  await getPrisma().$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await recordAudit({ action: "auth.two_factor_disabled", actorId: userId, targetType: "user", targetId: userId }, tx);
  });
}

// ─── Checking a code ────────────────────────────────────────────────────────────────

/** Checks a TOTP code or a recovery code and uses it up. Which one it was, or null. */
async function consumeSecondFactor(userId: string, input: string): Promise<"totp" | "recovery" | null> {
  if (isTotpCode(input)) {
    const user = await getPrisma().user.findUnique({
      where: { id: userId },
      select: { totpSecret: true, totpEnabledAt: true, totpLastStep: true },
    });
    const secret = user?.totpSecret && user.totpEnabledAt ? storedSecret(user.totpSecret) : null;
    if (!user || !secret) return null;
    const step = acceptTotpStep(secret, compact(input), { lastStep: user.totpLastStep });
    if (step === null) return null;
    // Conditional on the last step, so the same code submitted twice at once wins once.
    const { count } = await getPrisma().user.updateMany({
      where: { id: userId, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] },
      // A secret stored before encryption is sealed the first time it is used.
      data: { totpLastStep: step, ...(user.totpSecret!.length === TOTP_SECRET_BYTES ? { totpSecret: sealSecret(secret) } : {}) },
    });
    return count === 1 ? "totp" : null;
  }
  const code = normalizeRecoveryCode(input);
  if (!/^[a-z2-7]{16}$/.test(code)) return null;
  const { count } = await getPrisma().recoveryCode.updateMany({
    where: { userId, codeHash: hashToken(code), usedAt: null },
    data: { usedAt: new Date() },
  });
  return count === 1 ? "recovery" : null;
}

export type SecondFactorResult =
  { status: "ok"; method: "totp" | "recovery" } | { status: "invalid" } | { status: "blocked"; seconds: number };

/**
 * Checks a second factor under the per-account limit on wrong codes. The attempt is
 * counted before the code is checked (rate-limit.server.ts), so codes sent at once are
 * checked at most `points` times; a right code clears the count. Every failure and every
 * recovery code used is audited; the lock once, by the request that caused it.
 */
export async function verifySecondFactor(userId: string, input: string): Promise<SecondFactorResult> {
  const attempt = await takeAttempt("twoFactor", userId);
  if (!attempt.ok) {
    if (attempt.lockedNow)
      await recordAudit({
        action: "auth.locked_out",
        actorId: userId,
        details: { factor: "two_factor", seconds: attempt.seconds },
      });
    return { status: "blocked", seconds: attempt.seconds };
  }
  const method = await consumeSecondFactor(userId, input);
  if (!method) {
    await recordAudit({ action: "auth.two_factor_failed", actorId: userId });
    return { status: "invalid" };
  }
  await resetAttempts("twoFactor", userId);
  if (method === "recovery") {
    const left = await getPrisma().recoveryCode.count({ where: { userId, usedAt: null } });
    await recordAudit({ action: "auth.recovery_code_used", actorId: userId, details: { left } });
  }
  return { status: "ok", method };
}
