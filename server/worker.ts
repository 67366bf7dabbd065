/**
 * `npm run worker`: a job worker on its own, for scale-out — as many as you like, next to
 * portals started with WORKER=off (or inline), all on one PostgreSQL. It needs DATABASE_URL:
 * the embedded database belongs to the one `npm start` that runs it. It migrates (as the
 * owner, like `npm start`; harmless when already done), then runs jobs as abh_app.
 * SIGTERM or Ctrl-C lets running jobs finish and exits.
 */
import { pino } from "pino";
import { ConfigError, parseConfig } from "~/platform/config.server";
import { disconnectPrisma } from "~/platform/db.server";
import { createEmailTransport } from "~/platform/email/outbox.server";
import { startJobWorker } from "~/platform/jobs/worker.server";
import { appRolePassword, provisionAppRole, provisionStatsRole, statsRolePassword } from "./database/app-role";
import { migrate } from "./database/migrate";

let config;
try {
  config = parseConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(
      `\nDer ABH-Netz-Auftragsdienst startet nicht.\n${error.message}\n\nSiehe README.md, Abschnitt „Konfiguration“.\n`,
    );
    process.exit(1);
  }
  throw error;
}
if (!config.DATABASE_URL) {
  console.error(
    "\nDer ABH-Netz-Auftragsdienst startet nicht: DATABASE_URL ist nicht gesetzt.\n" +
      "`npm run worker` arbeitet mit der Datenbank, die auch die Portale nutzen; ohne DATABASE_URL\n" +
      "führt `npm start` die Aufträge selbst aus (WORKER=inline). Siehe README.md, Abschnitt „Konfiguration“.\n",
  );
  process.exit(1);
}

const logger = pino({ level: config.LOG_LEVEL, base: { service: "abh-netz-worker" } });
const ownerUrl = config.DATABASE_URL;

let worker: Awaited<ReturnType<typeof startJobWorker>>;
try {
  await migrate(ownerUrl, { log: (message) => logger.info(message) });
  const appDatabaseUrl = config.APP_DATABASE_URL ?? (await provisionAppRole(ownerUrl, appRolePassword(config.SESSION_SECRET)));
  // The tasks' own queries (getPrisma) run as abh_app too.
  process.env.APP_DATABASE_URL = appDatabaseUrl;
  // The measure-achievement job computes as abh_stats (app/domains/plan/achievement.server.ts).
  process.env.STATS_DATABASE_URL =
    config.STATS_DATABASE_URL ?? (await provisionStatsRole(ownerUrl, statsRolePassword(config.SESSION_SECRET)));
  worker = await startJobWorker({
    connectionString: appDatabaseUrl,
    logger,
    transport: createEmailTransport({ logger }),
    concurrency: config.WORKER_CONCURRENCY,
  });
} catch (error) {
  logger.fatal({ err: error }, `Der Auftragsdienst startet nicht: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
logger.info({ concurrency: config.WORKER_CONCURRENCY }, "ABH-Netz job worker running");

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "shutting down");
  await worker.stop();
  await disconnectPrisma().catch(() => {});
  logger.info("stopped");
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
