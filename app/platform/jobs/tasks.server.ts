import type { CronItem, Task, TaskList } from "graphile-worker";
import { z } from "zod";
import { getPrisma } from "~/platform/db.server";
import { deliverEmail, type EmailTransport, purgeDeliveredBodies } from "~/platform/email/outbox.server";
import { sendDueReminders } from "~/domains/assessment/reminders.server";
import { sendDueActivityReminders } from "~/domains/plan/reminders.server";
import { computeAchievementFigures, computeAllAchievementFigures } from "~/domains/plan/achievement.server";
import type { TaskName } from "./enqueue.server";

/** The part of a pino logger the tasks use. */
export interface JobsLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export type TaskContext = { transport: EmailTransport; logger: JobsLogger };

/**
 * A failure whose message is fit for the failed-jobs list as it is: it names the task's
 * problem, never a person (no addresses, names or content).
 */
export class JobFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JobFailed";
  }
}

/** An error's message as stored in the queue: no addresses, no URLs (tokens), at most 300 characters. */
export function publicJobError(error: unknown) {
  if (error instanceof Error && (error.name === "JobFailed" || error.name === "EmailNotDelivered")) {
    return error.message.slice(0, 300);
  }
  return redactJobText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}

/** A job error's text without addresses or URLs (which may carry tokens): first line, at most 300 characters. */
export function redactJobText(text: string) {
  return text
    .replace(/\S+@\S+/g, "[address]")
    .replace(/\bhttps?:\/\/\S+/g, "[url]")
    .split("\n")[0]
    .slice(0, 300);
}

/**
 * Every task runs with the portal's own role (abh_app, through getPrisma()), exactly as
 * before the queue: row-level security and the SECURITY DEFINER functions decide what it
 * may read and write. What a task throws is logged in full here and stored in the queue
 * only as publicJobError: graphile-worker then retries with exponential back-off
 * (e^attempts seconds, at most e^10 ≈ 6 h) until the job's max_attempts.
 */
function task(name: TaskName, logger: JobsLogger, run: Task): Task {
  return async (payload, helpers) => {
    try {
      return await run(payload, helpers);
    } catch (error) {
      logger.warn(
        { err: error, task: name, jobId: helpers.job.id, attempt: helpers.job.attempts, maxAttempts: helpers.job.max_attempts },
        "job failed",
      );
      const stored = new Error(publicJobError(error));
      stored.stack = undefined;
      throw stored;
    }
  };
}

const emailPayload = z.object({ messageId: z.uuid() });
const achievementPayload = z.object({ networkId: z.uuid().optional() });

export function createTaskList({ transport, logger }: TaskContext): TaskList {
  const tasks: Record<TaskName, Task> = {
    "email.deliver": task("email.deliver", logger, async (payload, helpers) => {
      const parsed = emailPayload.safeParse(payload);
      if (!parsed.success) throw new JobFailed("payload without a valid messageId");
      await deliverEmail({
        prisma: getPrisma(),
        transport,
        messageId: parsed.data.messageId,
        logger: { info: (message) => logger.info({}, message), warn: logger.warn, error: logger.error },
        signal: helpers.abortSignal,
      });
    }),
    "reminders.send-due": task("reminders.send-due", logger, async () => {
      const run = await sendDueReminders(new Date(), { logger });
      if (run.sent || run.failed) logger.info({ ...run }, "deadline reminders sent");
      // Each reminder is claimed once (unique per office and day), so a retry sends only the rest.
      if (run.failed) throw new JobFailed(`${run.failed} of ${run.due} due reminders could not be sent`);
    }),
    "email.purge-bodies": task("email.purge-bodies", logger, async () => {
      const emptied = await purgeDeliveredBodies({ prisma: getPrisma() });
      if (emptied) logger.info({ emptied }, "e-mail bodies deleted after retention");
    }),
    "plan.reminders": task("plan.reminders", logger, async () => {
      const run = await sendDueActivityReminders(new Date(), { logger });
      if (run.people || run.failed) logger.info({ ...run }, "activity reminders sent");
      // Each reminder is claimed once (per activity, kind and end date), so a retry sends only the rest.
      if (run.failed) throw new JobFailed(`${run.failed} people's activity reminders could not be sent`);
    }),
    "achievement.compute": task("achievement.compute", logger, async (payload) => {
      const parsed = achievementPayload.safeParse(payload ?? {});
      if (!parsed.success) throw new JobFailed("payload with an invalid networkId");
      // As abh_stats (STATS_DATABASE_URL), the only role that reads other offices' plans.
      const computed = parsed.data.networkId
        ? Number(await computeAchievementFigures(parsed.data.networkId))
        : await computeAllAchievementFigures();
      logger.info({ computed }, "measure-achievement figures computed");
    }),
  };
  return tasks;
}

/**
 * Scheduled tasks. graphile-worker makes each tick one job across all worker processes
 * (its known_crontabs row is claimed in the database); `backfillPeriod` runs a tick missed
 * while no worker was running, so a restart does not skip the reminders. No job key: a tick
 * that keeps failing stays in the failed list instead of being replaced by the next one.
 */
export const CRON_ITEMS: CronItem[] = [
  {
    task: "reminders.send-due",
    identifier: "reminders.send-due",
    match: "*/15 * * * *",
    options: { backfillPeriod: 15 * 60_000, maxAttempts: 5 },
  },
  {
    // Delivered e-mails lose their bodies after EMAIL_KEEP_DAYS (decision 0012); hourly, so a
    // body is gone at most an hour after its time is up.
    task: "email.purge-bodies",
    identifier: "email.purge-bodies",
    match: "7 * * * *",
    options: { backfillPeriod: 60 * 60_000, maxAttempts: 5 },
  },
  {
    // Reminders about plan activities (issue 21): once a day at 05:30 UTC (06:30 / 07:30 in
    // Germany), before the working day. The last tick missed while no worker ran is caught up
    // (a day's backfill); the reminders' own records keep a second run from sending again.
    task: "plan.reminders",
    identifier: "plan.reminders",
    match: "30 5 * * *",
    options: { backfillPeriod: 24 * 60 * 60_000, maxAttempts: 5 },
  },
  {
    // What measures achieved and the ministry's plan figures (issue 21): nightly, besides
    // start-up; pages show when they were computed.
    task: "achievement.compute",
    identifier: "achievement.compute",
    match: "40 2 * * *",
    options: { backfillPeriod: 24 * 60 * 60_000, maxAttempts: 3 },
  },
];
