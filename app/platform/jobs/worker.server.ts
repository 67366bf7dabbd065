import { parseCronItems, run, type Runner } from "graphile-worker";
import pg from "pg";
import { JOB_SCHEMA, jobLogger } from "./schema.server";
import { CRON_ITEMS, createTaskList, type JobsLogger, type TaskContext } from "./tasks.server";

export type JobWorker = { runner: Runner; stop(): Promise<void> };

/**
 * Starts a graphile-worker pool on `connectionString` — the portal's role abh_app, never the
 * owner (docs/decisions/0010-jobs.md). It listens for new jobs (LISTEN/NOTIFY), polls for
 * retries and scheduled runs every `pollInterval`, and schedules the cron entries unless
 * `cron` is false. Signals are the caller's: `stop()` lets running jobs finish (aborting
 * them after 5 s) and closes the pool.
 */
export async function startJobWorker({
  connectionString,
  logger,
  transport,
  concurrency = 2,
  pollInterval = 2000,
  cron = true,
}: TaskContext & {
  connectionString: string;
  logger: JobsLogger & { debug?(details: object, message: string): void };
  concurrency?: number;
  pollInterval?: number;
  cron?: boolean;
}): Promise<JobWorker> {
  // Our own pool, with an error listener: node-postgres would otherwise crash the process when
  // the database goes away under an idle connection (a restart, or the embedded PostgreSQL
  // stopping on Ctrl-C before the worker has let go).
  const pool = Object.assign(new pg.Pool({ connectionString, max: concurrency + 2 }), { closing: false });
  const onError = (error: Error) => {
    if (!pool.closing) logger.error({ err: error }, "job-queue connection failed");
  };
  pool.on("error", onError);
  // A checked-out client's error (graphile-worker holds one for LISTEN) must not crash either.
  pool.on("connect", (client) => client.on("error", onError));
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      schema: JOB_SCHEMA,
      concurrency,
      pollInterval,
      noHandleSignals: true,
      // Completions and failures go through graphile-worker's batcher, which stop() flushes;
      // unbatched, a job finishing just before stop() could stay locked (and run again hours later).
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      taskList: createTaskList({ transport, logger }),
      parsedCronItems: cron ? parseCronItems(CRON_ITEMS) : [],
      logger: jobLogger((level, message) => {
        if (level === "error") logger.error({}, message);
        else if (level === "warn") logger.warn({}, message);
        else logger.debug?.({}, message);
      }),
    });
  } catch (error) {
    pool.closing = true;
    await pool.end();
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    runner,
    stop: () =>
      (stopping ??= runner
        .stop()
        .catch((error) => logger.error({ err: error }, "job worker stop failed"))
        .finally(() => {
          pool.closing = true;
          return pool.end();
        })),
  };
}
