/**
 * Reminders about plan activities (issue 21, item 4): the person responsible for an activity –
 * a member of the office with an account who has not turned them off on /konto – gets an
 * e-mail REMINDER_DAYS_BEFORE days before the activity's end date and once when it is overdue.
 *
 * A daily job (tasks.server.ts, "plan.reminders") calls sendDueActivityReminders. It runs
 * without a signed-in user, so it reads and records only through the two SECURITY DEFINER
 * functions of migration 20261206130000_plan_activity_reminders. Per person and office, one
 * transaction claims the due reminders (a row per activity, kind and end date: exactly once
 * each, also with two workers or a second run) and writes the audit entry – both in the SQL
 * function, as the job has no user the audit log's policy could check – and enqueues one e-mail
 * with the counts and a link: a crash before the commit leaves them due for the next run.
 *
 * The e-mail carries counts and links only – no activity title, no office content – because the
 * outbox is installation-wide; the person reads the details in the portal.
 */
import { isLanguage } from "~/i18n/config";
import { getPrisma, type TenantTx } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { toCalendarDay } from "~/utils/calendar-day";
import { REMINDER_DAYS_BEFORE } from "./progress";

export { REMINDER_DAYS_BEFORE };

type DueRow = {
  activity_id: string;
  kind: "before_end" | "overdue";
  due_on: Date;
  plan_id: string;
  office_id: string;
  network_id: string;
  user_id: string;
};
type ClaimedRow = {
  activity_id: string;
  kind: "before_end" | "overdue";
  due_on: Date;
  email: string;
  name: string;
  language: string;
};

export type ActivityReminderLogger = { error(details: object, message: string): void };
/** `people`: reminder e-mails (one per person and office); `activities`: activities reminded of. */
export type ActivityReminderRun = { due: number; people: number; activities: number; failed: number };

/** The plan's timeline, where the person sees which activities are meant. */
export function timelineUrl(officeId: string) {
  return publicUrl(`/behoerden/${officeId}/plan/zeitplan`);
}

/**
 * Sends the activity reminders due at `now` (its German calendar day). One failing person
 * does not hold up the others; their reminders stay due and are tried at the next run.
 */
export async function sendDueActivityReminders(
  now: Date = new Date(),
  { logger, daysBefore = REMINDER_DAYS_BEFORE }: { logger?: ActivityReminderLogger; daysBefore?: number } = {},
): Promise<ActivityReminderRun> {
  const prisma = getPrisma();
  const today = toCalendarDay(now);
  const due = await prisma.$queryRaw<DueRow[]>`SELECT * FROM app_due_plan_reminders(${today}::date, ${daysBefore}::integer)`;
  const groups = new Map<string, DueRow>();
  for (const row of due) groups.set(`${row.user_id}:${row.office_id}`, groups.get(`${row.user_id}:${row.office_id}`) ?? row);
  const run: ActivityReminderRun = { due: due.length, people: 0, activities: 0, failed: 0 };
  for (const group of groups.values()) {
    try {
      const sent = await prisma.$transaction((tx) => claimAndSend(tx, group, today, daysBefore, now));
      if (sent > 0) {
        run.people++;
        run.activities += sent;
      }
    } catch (error) {
      run.failed++;
      logger?.error({ err: error, officeId: group.office_id, userId: group.user_id }, "activity reminder failed");
    }
  }
  return run;
}

async function claimAndSend(tx: TenantTx, group: DueRow, today: string, daysBefore: number, now: Date) {
  const claimed = await tx.$queryRaw<ClaimedRow[]>`
    SELECT * FROM app_claim_plan_reminders(${group.user_id}::uuid, ${group.office_id}::uuid, ${today}::date,
      ${daysBefore}::integer, ${now.toISOString()}::timestamptz)`;
  if (claimed.length === 0) return 0; // claimed by another run, or not due any more
  const beforeEnd = claimed.filter((c) => c.kind === "before_end").length;
  const overdue = claimed.length - beforeEnd;
  const person = claimed[0];
  await enqueueEmail(tx, {
    to: person.email,
    template: "plan-reminder",
    language: isLanguage(person.language) ? person.language : "de",
    props: {
      name: person.name,
      beforeEnd,
      overdue,
      daysBefore,
      timelineUrl: timelineUrl(group.office_id),
      accountUrl: publicUrl("/konto"),
    },
  });
  // The audit entry (who was reminded of how many, never which activity) is written by the claim itself.
  return claimed.length;
}
