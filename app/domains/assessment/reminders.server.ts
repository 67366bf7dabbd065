import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { getPrisma, inOrder, type TenantTx, withUser } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";
import { effectiveDeadline } from "~/domains/assessment/deadline";

/**
 * Deadline reminders (issue #4): automatic ones a job sends some days before an office's
 * deadline (the round's reminder_days), and ones a network admin sends by hand.
 */

// ─── The "open a round" field ───────────────────────────────────────────────

export const MAX_REMINDERS = 5;
export const DEFAULT_REMINDER_DAYS = [14, 3];

/**
 * "14, 3" → [14, 3]: whole numbers 1–90, at most 5, largest first, no repeats. Empty means
 * no reminders; a form without the field at all gets the default.
 */
export const reminderDaysField = z
  .string({ message: "settings:reminders.errors.daysInvalid" })
  .optional()
  .transform((value, ctx) => {
    if (value === undefined) return DEFAULT_REMINDER_DAYS;
    const parts = value
      .split(/[,;]/)
      .map((p) => p.trim())
      .filter(Boolean);
    if (parts.some((p) => !/^\d{1,2}$/.test(p) || Number(p) < 1 || Number(p) > 90)) {
      ctx.addIssue({ code: "custom", message: "settings:reminders.errors.daysInvalid" });
      return z.NEVER;
    }
    const days = [...new Set(parts.map(Number))].sort((a, b) => b - a);
    if (days.length > MAX_REMINDERS) {
      ctx.addIssue({ code: "custom", message: "settings:reminders.errors.daysTooMany" });
      return z.NEVER;
    }
    return days;
  });

// ─── The job ────────────────────────────────────────────────────────────────

type DueReminder = {
  assessment_id: string;
  days_before: number;
  round_id: string;
  round_name: string;
  network_id: string;
  network_name: string;
  office_id: string;
  office_name: string;
  deadline: Date;
  goals_done: number;
  measures_done: number;
  goals: number;
  measures: number;
};
type Head = { email: string; name: string; language: string };

export type ReminderLogger = { info(details: object, message: string): void; error(details: object, message: string): void };
export type ReminderRun = { due: number; sent: number; emails: number; failed: number };

function assessmentUrl(officeId: string, roundId: string) {
  return publicUrl(`/behoerden/${officeId}/runden/${roundId}`);
}

/**
 * Sends the automatic reminders due at `now`. It runs without a signed-in user, so it reads
 * and records only through the two SECURITY DEFINER functions of migration
 * 20261124000200_reminders. Each reminder is claimed, e-mailed and audited in one
 * transaction; the unique (assessment, days_before) record makes a second run, or a second
 * process at the same time, send nothing again.
 */
export async function sendDueReminders(
  now: Date = new Date(),
  { logger }: { logger?: ReminderLogger } = {},
): Promise<ReminderRun> {
  const prisma = getPrisma();
  const at = now.toISOString();
  const due = await prisma.$queryRaw<DueReminder[]>`SELECT * FROM app_due_reminders(${at}::timestamptz)`;
  const run: ReminderRun = { due: due.length, sent: 0, emails: 0, failed: 0 };
  for (const reminder of due) {
    try {
      const emails = await prisma.$transaction((tx) => claimAndSend(tx, reminder, at));
      if (emails > 0) {
        run.sent++;
        run.emails += emails;
      }
    } catch (error) {
      // One bad row must not hold up the other offices' reminders; it is tried again next run.
      run.failed++;
      logger?.error(
        { err: error, assessmentId: reminder.assessment_id, daysBefore: reminder.days_before },
        "deadline reminder failed",
      );
    }
  }
  return run;
}

async function claimAndSend(tx: TenantTx, r: DueReminder, at: string) {
  const heads = await tx.$queryRaw<
    Head[]
  >`SELECT * FROM app_record_reminder(${r.assessment_id}::uuid, ${r.days_before}::integer, ${at}::timestamptz)`;
  if (heads.length === 0) return 0; // not due any more, claimed elsewhere, or nobody to tell
  for (const head of heads) {
    await enqueueEmail(tx, {
      to: head.email,
      template: "round-reminder",
      language: isLanguage(head.language) ? head.language : "de",
      props: {
        headName: head.name,
        networkName: r.network_name,
        officeName: r.office_name,
        roundName: r.round_name,
        deadline: r.deadline,
        goalsDone: r.goals_done,
        goals: r.goals,
        measuresDone: r.measures_done,
        measures: r.measures,
        assessmentUrl: assessmentUrl(r.office_id, r.round_id),
      },
    });
  }
  await recordAudit(
    {
      action: "round.reminder_sent",
      actorId: null,
      networkId: r.network_id,
      officeId: r.office_id,
      targetType: "assessment",
      targetId: r.assessment_id,
      details: { round: r.round_name, daysBefore: r.days_before, deadline: r.deadline.toISOString(), emails: heads.length },
    },
    tx,
  );
  return heads.length;
}

// ─── By hand ────────────────────────────────────────────────────────────────

/** A second manual reminder within this time is refused (a reloaded form would re-send it). */
export const MANUAL_REMINDER_PAUSE_MS = 10 * 60_000;

export type ManualReminderOutcome =
  { ok: true; value: { office: string; emails: number } } | { ok: false; status: 400 | 409; error: string };

/**
 * The network admin reminds one participating office now: e-mails its heads, records the
 * reminder (days_before NULL) and audits it. Null when the round is not the admin's to see.
 */
export async function sendManualReminder(actor: Actor, roundId: string, officeId: string): Promise<ManualReminderOutcome | null> {
  if (!z.uuid().safeParse(roundId).success) return null;
  if (!z.uuid().safeParse(officeId).success) return { ok: false, status: 400, error: "settings:reminders.errors.officeInvalid" };
  const result = await withUser(actor.id, async (tx): Promise<ManualReminderOutcome | null> => {
    const round = await tx.assessmentRound.findUnique({
      where: { id: roundId },
      select: {
        id: true,
        name: true,
        networkId: true,
        opensAt: true,
        closedAt: true,
        frameworkVersionId: true,
        deadline: true,
        network: { select: { name: true } },
      },
    });
    if (!round) return null;
    if (!can(actor, "network.manageRounds", { networkId: round.networkId })) throw new ForbiddenError();
    const refuse = (status: 400 | 409, error: string) => ({
      ok: false as const,
      status,
      error: `settings:reminders.errors.${error}`,
    });
    if (round.closedAt) return refuse(409, "roundClosed");
    const now = new Date();
    if (round.opensAt > now) return refuse(409, "notOpen");
    const assessment = await tx.assessment.findUnique({
      where: { roundId_officeId: { roundId, officeId } },
      select: { id: true, participant: { select: { deadlineOverride: true, office: { select: { name: true } } } } },
    });
    if (!assessment) return refuse(400, "notParticipant");
    // Serialises with a submission and with another admin's click on the same office.
    const [locked] = await tx.$queryRaw<Array<{ submitted_at: Date | null; goals_done: number; measures_done: number }>>`
      SELECT submitted_at, goals_done, measures_done FROM assessment WHERE id = ${assessment.id}::uuid FOR UPDATE`;
    if (locked.submitted_at) return refuse(409, "submitted");
    const recent = await tx.assessmentReminder.count({
      where: {
        assessmentId: assessment.id,
        daysBefore: null,
        sentAt: { gt: new Date(now.getTime() - MANUAL_REMINDER_PAUSE_MS) },
      },
    });
    if (recent > 0) return refuse(409, "tooSoon");
    const heads = await tx.membership.findMany({
      where: { officeId, networkId: round.networkId, role: "OFFICE_HEAD" },
      select: { user: { select: { email: true, name: true, language: true } } },
      orderBy: { user: { email: "asc" } },
    });
    if (heads.length === 0) return refuse(409, "noHeads");
    const [goals, measures] = await inOrder(
      tx.goal.count({ where: { frameworkVersionId: round.frameworkVersionId } }),
      tx.measure.count({ where: { frameworkVersionId: round.frameworkVersionId } }),
    );
    const deadline = effectiveDeadline(assessment.participant, round);
    const officeName = assessment.participant.office.name;
    await tx.assessmentReminder.createMany({
      data: [{ assessmentId: assessment.id, daysBefore: null, sentById: actor.id, sentAt: now }],
    });
    for (const { user } of heads) {
      await enqueueEmail(tx, {
        to: user.email,
        template: "round-reminder",
        language: isLanguage(user.language) ? user.language : "de",
        props: {
          headName: user.name,
          networkName: round.network.name,
          officeName,
          roundName: round.name,
          deadline,
          goalsDone: locked.goals_done,
          goals,
          measuresDone: locked.measures_done,
          measures,
          assessmentUrl: assessmentUrl(officeId, roundId),
        },
      });
    }
    await recordAudit(
      {
        action: "round.reminder_sent",
        actorId: actor.id,
        networkId: round.networkId,
        officeId,
        targetType: "assessment",
        targetId: assessment.id,
        details: { round: round.name, manual: true, deadline: deadline.toISOString(), emails: heads.length },
      },
      tx,
    );
    return { ok: true, value: { office: officeName, emails: heads.length } };
  });
  return result;
}

// ─── The admin's round page ─────────────────────────────────────────────────

export type ParticipantProgress = {
  hasAssessment: boolean;
  submittedAt: Date | null;
  lastEditedAt: Date | null;
  goalsDone: number;
  measuresDone: number;
  reminders: number;
};

/**
 * Per participating office: where its assessment stands (from the assessment row only, not
 * its content) and how many reminders went out; plus the round's reminder days and the
 * framework's numbers of goals and measures. Null when the round is not visible.
 */
export async function roundProgress(actor: Actor, roundId: string) {
  if (!z.uuid().safeParse(roundId).success) return null;
  return withUser(actor.id, async (tx) => {
    const round = await tx.assessmentRound.findUnique({
      where: { id: roundId },
      select: {
        reminderDays: true,
        frameworkVersionId: true,
        participants: {
          select: {
            officeId: true,
            assessment: {
              select: {
                submittedAt: true,
                lastEditedAt: true,
                goalsDone: true,
                measuresDone: true,
                _count: { select: { reminders: true } },
              },
            },
          },
        },
      },
    });
    if (!round) return null;
    const [goals, measures] = await inOrder(
      tx.goal.count({ where: { frameworkVersionId: round.frameworkVersionId } }),
      tx.measure.count({ where: { frameworkVersionId: round.frameworkVersionId } }),
    );
    const offices: Record<string, ParticipantProgress> = {};
    for (const p of round.participants) {
      const a = p.assessment;
      offices[p.officeId] = {
        hasAssessment: a !== null,
        submittedAt: a?.submittedAt ?? null,
        lastEditedAt: a?.lastEditedAt ?? null,
        goalsDone: a?.goalsDone ?? 0,
        measuresDone: a?.measuresDone ?? 0,
        reminders: a?._count.reminders ?? 0,
      };
    }
    return { reminderDays: round.reminderDays, goals, measures, offices };
  });
}
