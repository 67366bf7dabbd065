import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { getPrisma } from "~/platform/db.server";
import { ForbiddenError } from "~/platform/errors";
import { redactJobText } from "./tasks.server";

/**
 * The failed-jobs list of a network's administration: jobs that used up their attempts
 * (graphile-worker keeps them, attempts = max_attempts, until retried or removed).
 *
 * Jobs are installation-wide. An admin of a network sees the jobs whose payload names
 * their network (`networkId`) and the installation-wide ones that name none (e-mail
 * delivery, the reminder run): those carry ids only, and their errors are stored without
 * personal content (tasks.server.ts), so they tell an admin that something is stuck,
 * not to whom. A job naming another network is neither listed nor retried (404).
 */
export type FailedJob = {
  id: string;
  task: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  failedAt: Date;
};

/** Who may see and retry a network's failed jobs: its admins (they run its settings). */
const ACTION = "network.manageSettings" as const;

function assertAdmin(actor: Actor, networkId: string) {
  if (!can(actor, ACTION, { networkId })) throw new ForbiddenError();
}

type Row = { id: string; task: string; attempts: number; max_attempts: number; last_error: string | null; updated_at: Date };

export async function listFailedJobs(actor: Actor, networkId: string, { limit = 100 } = {}): Promise<FailedJob[]> {
  assertAdmin(actor, networkId);
  const rows = await getPrisma().$queryRaw<Row[]>`
    SELECT j.id::text AS id, t.identifier AS task, j.attempts::int AS attempts, j.max_attempts::int AS max_attempts,
           j.last_error, j.updated_at
    FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE j.attempts >= j.max_attempts AND j.locked_at IS NULL
      AND (j.payload->>'networkId' IS NULL OR j.payload->>'networkId' = ${networkId})
    ORDER BY j.updated_at DESC, j.id DESC
    LIMIT ${limit}`;
  return rows.map((r) => ({
    id: r.id,
    task: r.task,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    // Stored without personal content already; errors graphile-worker writes itself pass the same filter.
    lastError: r.last_error === null ? null : redactJobText(r.last_error),
    failedAt: r.updated_at,
  }));
}

export const jobIdField = z.string().regex(/^\d{1,18}$/, { message: "jobs:errors.jobInvalid" });

/**
 * Gives a failed job of this network (or an installation-wide one) a fresh set of attempts,
 * due now. False when there is no such failed job (another admin retried it, or it is not
 * this network's to retry).
 */
export async function retryFailedJob(actor: Actor, networkId: string, jobId: string): Promise<boolean> {
  assertAdmin(actor, networkId);
  return getPrisma().$transaction(async (tx) => {
    const [job] = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT id::text AS id FROM graphile_worker._private_jobs
      WHERE id = ${jobId}::bigint AND attempts >= max_attempts AND locked_at IS NULL
        AND (payload->>'networkId' IS NULL OR payload->>'networkId' = ${networkId})
      FOR UPDATE`;
    if (!job) return false;
    await tx.$queryRaw`SELECT id FROM graphile_worker.reschedule_jobs(ARRAY[${jobId}::bigint], run_at := now(), attempts := 0)`;
    return true;
  });
}
