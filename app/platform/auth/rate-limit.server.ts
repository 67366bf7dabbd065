import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPrisma } from "~/platform/db.server";

/**
 * Limits on guessing (rate-limiter-flexible, counters in the rate_limit table so they
 * hold across app servers). After too many failures the account is locked for a while;
 * the lock ends by itself when its time is up.
 *
 * An attempt is counted BEFORE its password or code is checked (takeAttempt): the count
 * is one INSERT … ON CONFLICT DO UPDATE … RETURNING in PostgreSQL, so requests sent at
 * once, to one portal process or several, each get their own number, and only the first
 * `points` of them are checked at all. A right answer then gives its point back
 * (giveBackAttempt) or clears the counter (resetAttempts).
 */
export const LIMITS = {
  signInAccount: { points: 10, duration: 15 * 60, blockDuration: 15 * 60 },
  signInAddress: { points: 50, duration: 15 * 60, blockDuration: 15 * 60 },
  resetAccount: { points: 3, duration: 60 * 60, blockDuration: 60 * 60 },
  resetAddress: { points: 20, duration: 60 * 60, blockDuration: 60 * 60 },
  /** Wrong second-factor codes (TOTP or recovery code), per account. */
  twoFactor: { points: 5, duration: 15 * 60, blockDuration: 15 * 60 },
} as const;
export type LimitName = keyof typeof LIMITS;

const limiters = new Map<LimitName, RateLimiterPostgres>();
function limiter(name: LimitName) {
  let l = limiters.get(name);
  if (!l) {
    l = new RateLimiterPostgres({
      storeClient: getPrisma().pool,
      storeType: "pool",
      tableName: "rate_limit",
      tableCreated: true,
      keyPrefix: name,
      ...LIMITS[name],
    });
    limiters.set(name, l);
  }
  return l;
}

export type Attempt = { ok: true } | { ok: false; seconds: number; lockedNow: boolean };

/**
 * Counts one attempt before it is checked. `ok: false` means: over the limit, do not check
 * it; `lockedNow` is true for exactly one request, the one that crossed the limit (the
 * count is atomic), so the lock is logged once however many requests raced.
 */
export async function takeAttempt(name: LimitName, key: string): Promise<Attempt> {
  try {
    await limiter(name).consume(key);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    return {
      ok: false,
      seconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
      lockedNow: error.consumedPoints === LIMITS[name].points + 1,
    };
  }
}

/** Gives back the point of an attempt that turned out right (e.g. a correct password from a shared address). */
export async function giveBackAttempt(name: LimitName, key: string) {
  // Not the library's reward(): on a counter that ran out meanwhile it would start at -1.
  await getPrisma().$executeRaw`
    UPDATE rate_limit SET points = points - 1
    WHERE key = ${limiter(name).getKey(key)} AND points > 0 AND (expire IS NULL OR expire > ${Date.now()})`;
}

/** Seconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(name: LimitName, key: string) {
  const res = await limiter(name).get(key);
  if (!res || res.consumedPoints <= LIMITS[name].points) return 0;
  return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
}

/** Counts one attempt; returns the seconds of the block it caused, or 0. */
export async function countAttempt(name: LimitName, key: string) {
  try {
    await limiter(name).consume(key);
    return 0;
  } catch (error) {
    if (error instanceof RateLimiterRes) return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    throw error;
  }
}

export async function resetAttempts(name: LimitName, key: string) {
  await limiter(name).delete(key);
}

/** The client's address as express determined it (server/app.ts), never a spoofable header. */
export function clientAddress(context: { clientAddress?: unknown }) {
  return typeof context.clientAddress === "string" ? context.clientAddress : "unknown";
}
