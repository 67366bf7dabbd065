import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { createPrismaClient } from "~/platform/db.server";
import { withDatabase } from "./global-postgres";

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject("adminUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh database cloned from the migrated, catalogue-seeded template. */
export async function createTestDatabase() {
  const name = `abh_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${inject("templateDatabase")}"`);
  const url = withDatabase(inject("adminUrl"), name);
  const app = new URL(url);
  app.username = "abh_app";
  app.password = inject("appRolePassword");
  const stats = new URL(url);
  stats.username = "abh_stats";
  stats.password = inject("statsRolePassword");
  return {
    name,
    /** As the owner (superuser): for arranging data and inspecting results. */
    url,
    /** As the portal's own role abh_app, to which row-level security applies. */
    appUrl: app.toString(),
    /** As abh_stats, which alone computes closed rounds' figures. */
    statsUrl: stats.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

/**
 * For a test file: its own database for all its tests, also used by the portal's code
 * under test (DATABASE_URL + a fresh singleton), and dropped afterwards.
 */
export function useTestDatabase() {
  const state = {} as { url: string; appUrl: string; statsUrl: string; prisma: ReturnType<typeof createPrismaClient> };
  let drop = async () => {};
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    state.url = db.url;
    state.appUrl = db.appUrl;
    state.statsUrl = db.statsUrl;
    state.prisma = createPrismaClient(db.url, { max: 3 });
    // The portal's code under test connects as abh_app, exactly as in production.
    process.env.APP_DATABASE_URL = db.appUrl;
    process.env.STATS_DATABASE_URL = db.statsUrl;
    (globalThis as { __prisma?: unknown }).__prisma = undefined;
  });
  afterAll(async () => {
    const appClient = (globalThis as { __prisma?: { $disconnect(): Promise<void>; pool: pg.Pool } }).__prisma;
    if (appClient) {
      await appClient.$disconnect();
      await appClient.pool.end();
    }
    (globalThis as { __prisma?: unknown }).__prisma = undefined;
    const statsPool = (globalThis as { __statsPool?: pg.Pool }).__statsPool;
    (globalThis as { __statsPool?: unknown }).__statsPool = undefined;
    await statsPool?.end();
    await state.prisma.$disconnect();
    await state.prisma.pool.end();
    await drop();
  });
  return state;
}
