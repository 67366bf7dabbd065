import type { EmailTransport } from "~/platform/email/outbox.server";
import { startJobWorker } from "~/platform/jobs/worker.server";

/** A logger that keeps what the job worker says, for assertions and failure messages. */
export function jobLogs() {
  const lines: string[] = [];
  const push = (level: string) => (details: object, message: string) => {
    const err = (details as { err?: unknown }).err;
    lines.push(`${level} ${message}${err ? `: ${err instanceof Error ? err.message : String(err)}` : ""}`);
  };
  return { lines, logger: { info: push("info"), warn: push("warn"), error: push("error"), debug: () => {} } };
}

/**
 * A job worker as `npm start` and `npm run worker` run it — as abh_app, on the test's
 * database — polling fast so tests need not wait; no crontab unless asked for.
 */
export function startTestWorker(
  appUrl: string,
  {
    transport,
    cron = false,
    pollInterval = 100,
    concurrency = 1,
  }: { transport: EmailTransport; cron?: boolean; pollInterval?: number; concurrency?: number },
) {
  const logs = jobLogs();
  return startJobWorker({ connectionString: appUrl, transport, cron, pollInterval, concurrency, logger: logs.logger }).then(
    (worker) => Object.assign(worker, { logs }),
  );
}
