/**
 * Starts one PostgreSQL for the test run (embedded, or the server in TEST_DATABASE_URL),
 * migrates and seeds a template database once, and hands its name to the test files.
 * Each file then clones the template (tests/support/database.ts): a fresh, fully
 * migrated database in a few milliseconds instead of a migration run per test.
 */
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import fs from "node:fs/promises";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { createPrismaClient } from "~/platform/db.server";
import { readFramework, seedFramework } from "../../prisma/seed/framework";
import { DEV_SESSION_SECRET } from "~/platform/config.server";
import { appRolePassword, provisionAppRole, provisionStatsRole, statsRolePassword } from "../../server/database/app-role";
import { EmbeddedDatabaseError, startEmbeddedPostgres } from "../../server/database/embedded";
import { migrate } from "../../server/database/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    adminUrl: string;
    templateDatabase: string;
    appRolePassword: string;
    statsRolePassword: string;
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  let dataDir: string | undefined;
  if (!adminUrl) {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "abh-netz-test-pg-"));
    const embedded = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "data"), persistent: false }).catch((error) => {
      // Says what to do (e.g. as root with the clone below /root); a stack trace would not.
      if (error instanceof EmbeddedDatabaseError) console.error(`\nDie Tests starten nicht.\n${error.message}\n`);
      throw error;
    });
    adminUrl = embedded.adminUrl;
    stop = embedded.stop;
  }
  const templateDatabase = `abh_template_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${templateDatabase}"`);
  const templateUrl = withDatabase(adminUrl, templateDatabase);
  await migrate(templateUrl);
  const prisma = createPrismaClient(templateUrl, { max: 1 });
  await seedFramework(prisma, await readFramework());
  await prisma.$disconnect();
  await prisma.pool.end();

  // The portal's role (created by the migrations) may log in; tests connect as it too.
  const password = appRolePassword(DEV_SESSION_SECRET);
  await provisionAppRole(adminUrl, password);
  project.provide("appRolePassword", password);
  // The role that computes closed rounds' figures (app/domains/comparison/round-figures.server.ts).
  const statsPassword = statsRolePassword(DEV_SESSION_SECRET);
  await provisionStatsRole(adminUrl, statsPassword);
  project.provide("statsRolePassword", statsPassword);
  project.provide("adminUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${templateDatabase}" WITH (FORCE)`).catch(() => {});
    await admin.end();
    await stop();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  };
}

export function withDatabase(url: string, database: string) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
