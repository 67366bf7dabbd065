import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";

export type { PrismaClient };

/**
 * One pool per process. node-postgres crashes the process on an idle-client error
 * unless the pool has an error listener, so a database restart would take the portal
 * down; with the listener the broken client is discarded and the next query reconnects.
 */
export function createPrismaClient(connectionString: string, { max = 10 } = {}) {
  const pool = Object.assign(new pg.Pool({ connectionString, max }), { closing: false });
  pool.on("error", (error) => {
    // On shutdown the database may close connections before we do; that is expected.
    if (pool.closing) return;
    console.error(JSON.stringify({ level: "error", msg: "idle database client failed", err: error.message }));
  });
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return Object.assign(prisma, { pool });
}

const globalForPrisma = globalThis as unknown as { __prisma?: ReturnType<typeof createPrismaClient> };

/**
 * The portal's client, created on first use. It connects as the role abh_app
 * (APP_DATABASE_URL, set by server/start.ts), to which row-level security applies.
 */
export function getPrisma() {
  if (!globalForPrisma.__prisma) {
    const url = process.env.APP_DATABASE_URL ?? process.env.DATABASE_URL;
    if (!url) throw new Error("APP_DATABASE_URL is not set");
    globalForPrisma.__prisma = createPrismaClient(url);
  }
  return globalForPrisma.__prisma;
}

/** Closes the portal's pool, e.g. before the embedded database is stopped on shutdown. */
export async function disconnectPrisma() {
  const prisma = globalForPrisma.__prisma;
  globalForPrisma.__prisma = undefined;
  if (!prisma) return;
  prisma.pool.closing = true;
  await prisma.$disconnect();
  await prisma.pool.end();
}

type Tx = Parameters<Parameters<ReturnType<typeof getPrisma>["$transaction"]>[0]>[0];
export type TenantTx = Tx;

/**
 * Awaits a transaction's queries one after another. A transaction holds one connection, so
 * Promise.all gains nothing there, and node-postgres deprecates overlapping queries on one
 * client (pg 9 refuses them). Prisma's queries start only when awaited, so the order holds.
 * The one overlap left is inside @prisma/adapter-pg: a read with nested `include`s in an
 * interactive transaction sends its relation queries at once (prisma/orm PR #29979, open).
 */
export async function inOrder<T extends unknown[]>(...queries: { [K in keyof T]: PromiseLike<T[K]> }): Promise<T> {
  const results: unknown[] = [];
  for (const query of queries) results.push(await query);
  return results as T;
}

/**
 * Under load, requests queue for one of the pool's connections. Prisma's defaults (2 s to
 * get one, 5 s to finish) turned a busy minute into 500 errors in the benchmark; waiting
 * longer makes overload slow instead of broken.
 */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 30_000 };

/**
 * Runs `work` in one transaction as the acting user: row-level security in PostgreSQL
 * then shows and changes only what this user may see. The setting is transaction-local
 * (set_config(…, true)), so it cannot leak to the next request on a pooled connection.
 */
export async function withUser<T>(userId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
    return work(tx);
  }, TRANSACTION_OPTIONS);
}

/** Like withUser, for the one thing a token holder may do without an account: accept an invitation. */
export async function withInvitationToken<T>(tokenHash: string, userId: string | null, work: (tx: Tx) => Promise<T>) {
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.invitation_token_hash', ${tokenHash}, true)`;
    if (userId) await tx.$executeRaw`SELECT set_config('app.user_id', ${userId}, true)`;
    return work(tx);
  }, TRANSACTION_OPTIONS);
}

/**
 * For an anonymous survey answerer: only the code's hash is set, never a user id (even if
 * the person is signed in), so nothing done here can be tied to an account.
 */
export async function withSurveyCode<T>(codeHash: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return getPrisma().$transaction(async (tx) => {
    await tx.$executeRaw`SELECT set_config('app.survey_code_hash', ${codeHash}, true)`;
    return work(tx);
  }, TRANSACTION_OPTIONS);
}
