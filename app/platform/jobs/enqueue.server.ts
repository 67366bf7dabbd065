import type { Prisma } from "~/generated/prisma/client";

/**
 * Every task the worker knows, with its payload. Payloads carry ids only (never names,
 * addresses or content): the queue is installation-wide and shown to network admins when
 * a job fails. A job that concerns one network says so in `networkId`.
 */
export type JobPayloads = {
  /** Deliver one stored e-mail (the email_message row). */
  "email.deliver": { messageId: string };
  /** Send the deadline reminders that are due (a cron entry; see tasks.server.ts). */
  "reminders.send-due": Record<string, unknown>;
  "email.purge-bodies": Record<string, unknown>;
  /** Send the reminders about plan activities that are due (a daily cron entry). */
  "plan.reminders": Record<string, unknown>;
  /** Compute the measure-achievement and plan figures (one network, or every network without one). */
  "achievement.compute": { networkId?: string };
};
export type TaskName = keyof JobPayloads;
export const TASK_NAMES = [
  "email.deliver",
  "reminders.send-due",
  "email.purge-bodies",
  "plan.reminders",
  "achievement.compute",
] as const satisfies readonly TaskName[];

/** Anything that can run SQL: the Prisma client or an interactive transaction's client. */
export type JobDb = Pick<Prisma.TransactionClient, "$executeRaw">;

export type JobOptions = {
  /** One job per key: adding a job with a key that is waiting replaces it (no duplicates). */
  jobKey?: string;
  runAt?: Date;
  maxAttempts?: number;
};

/**
 * Adds a job through `db`. Pass the transaction client (`tx`) of the change that causes the
 * job: graphile-worker's add_job is plain SQL, so the job commits or rolls back with the
 * change — a rolled-back change enqueues nothing — and the workers are woken by
 * LISTEN/NOTIFY the moment it commits.
 */
export async function enqueueJob<N extends TaskName>(db: JobDb, task: N, payload: JobPayloads[N], options: JobOptions = {}) {
  const { jobKey = null, runAt = null, maxAttempts = null } = options;
  // graphile_worker is JOB_SCHEMA (schema.server.ts); a schema name cannot be a query parameter.
  await db.$executeRaw`SELECT graphile_worker.add_job(
    ${task}::text,
    ${JSON.stringify(payload)}::json,
    run_at := ${runAt}::timestamptz,
    max_attempts := ${maxAttempts}::integer,
    job_key := ${jobKey}::text)`;
}
