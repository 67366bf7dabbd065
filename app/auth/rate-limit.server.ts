import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { getPrisma } from "~/db.server";

/**
 * Limits on guessing (rate-limiter-flexible, counters in the rate_limit table so they
 * hold across app servers). After too many failures the account is locked for a while;
 * the lock ends by itself when its time is up.
 */
const LIMITS = {
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
