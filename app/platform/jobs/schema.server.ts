import { Logger, runMigrations } from "graphile-worker";

/** The PostgreSQL schema graphile-worker keeps its queue in (see docs/decisions/0010-jobs.md). */
export const JOB_SCHEMA = "graphile_worker";

/** graphile-worker's log lines through a plain function: errors and warnings only, never job payloads. */
export function jobLogger(log: (level: "error" | "warn" | "info" | "debug", message: string) => void) {
  return new Logger(() => (level, message) => {
    log(level === "warning" ? "warn" : level, message);
  });
}

/**
 * Creates or upgrades graphile-worker's schema. Needs a connection that may create a schema
 * (the owner of DATABASE_URL, like the project's migrator); the portal's role abh_app may
 * not. The project's migrator calls this before its own SQL files, so that a migration can
 * grant rights on the queue's tables (20261206000800_job_queue).
 */
export async function migrateJobQueue(ownerUrl: string, log: (message: string) => void = () => {}) {
  await runMigrations({
    connectionString: ownerUrl,
    schema: JOB_SCHEMA,
    maxPoolSize: 2,
    logger: jobLogger((level, message) => {
      if (level === "error" || level === "warn") log(message);
    }),
  });
}
