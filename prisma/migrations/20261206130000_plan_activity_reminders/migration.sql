-- Reminders about plan activities (issue 21, item 4): the person responsible for an activity
-- gets an e-mail some days before its end date and once when it is overdue – exactly once
-- each. The job runs without a signed-in user, so, as with the deadline reminders (migration
-- 20261124000200), it reads and records only through two SECURITY DEFINER functions; both
-- refuse to run inside a signed-in person's transaction (app.user_id set), so no page can use
-- them to look into another office's plan.

-- One row per reminder sent: the activity, which kind, and the end date it was about (a moved
-- end date is a new date to be reminded of). Only the functions below write it.
CREATE TABLE "plan_activity_reminder" (
    "activity_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    -- 'before_end': the end date is near; 'overdue': the end date has passed, not done.
    "kind" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_activity_reminder_pkey" PRIMARY KEY ("activity_id", "kind", "due_on"),
    CONSTRAINT "plan_activity_reminder_activity_fkey" FOREIGN KEY ("activity_id", "plan_id", "office_id")
        REFERENCES "plan_activity"("id", "plan_id", "office_id") ON DELETE CASCADE,
    CONSTRAINT "plan_activity_reminder_kind" CHECK ("kind" IN ('before_end', 'overdue'))
);
CREATE INDEX "plan_activity_reminder_office_idx" ON "plan_activity_reminder"("office_id");

ALTER TABLE "plan_activity_reminder" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "plan_activity_reminder" FORCE ROW LEVEL SECURITY;
CREATE POLICY "plan_activity_reminder_read" ON "plan_activity_reminder" FOR SELECT
    USING ("office_id" IN (SELECT app_plan_office_ids()));
GRANT SELECT ON "plan_activity_reminder" TO abh_app;

-- The reminders due on p_today (a German calendar day), p_days before the end date: activities
-- of open plans, not done, with an end date and a responsible person who is a member of the
-- office and has not turned reminders off; 'before_end' from p_days before the end date to the
-- end date itself, 'overdue' from the day after. Not listed once recorded for that end date.
-- Ids and dates only.
CREATE FUNCTION app_due_plan_reminders(p_today date, p_days integer)
RETURNS TABLE (activity_id uuid, kind text, due_on date, plan_id uuid, office_id uuid, network_id uuid, user_id uuid)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
BEGIN
    IF app_user_id() IS NOT NULL THEN
        RAISE EXCEPTION 'plan reminders are listed by the reminder job only';
    END IF;
    RETURN QUERY
        SELECT a.id, k.kind, a.ends_on, a.plan_id, a.office_id, p.network_id, a.responsible_user_id
        FROM plan_activity a
        JOIN plan p ON p.id = a.plan_id AND p.office_id = a.office_id
        JOIN user_account u ON u.id = a.responsible_user_id
        CROSS JOIN LATERAL (
            SELECT CASE WHEN a.ends_on < p_today THEN 'overdue'
                        WHEN a.ends_on <= p_today + p_days THEN 'before_end' END AS kind
        ) k
        WHERE p.closed_at IS NULL AND a.status <> 'DONE' AND a.ends_on IS NOT NULL AND k.kind IS NOT NULL
          AND u.activity_reminders
          AND EXISTS (SELECT 1 FROM membership m WHERE m.user_id = u.id AND m.office_id = a.office_id)
          AND NOT EXISTS (
              SELECT 1 FROM plan_activity_reminder r WHERE r.activity_id = a.id AND r.kind = k.kind AND r.due_on = a.ends_on)
        ORDER BY a.office_id, a.responsible_user_id, a.ends_on, a.id;
END
$$;

-- Claims the reminders due for one person in one office: records them, writes the audit entry
-- (who was reminded of how many – no activity, no content; actor none: the system) and returns
-- them with the address to write to, all in the caller's transaction (the e-mail is enqueued
-- in it, so everything commits or nothing). A reminder another process recorded first is not
-- returned; nothing due returns no rows and writes nothing.
CREATE FUNCTION app_claim_plan_reminders(p_user uuid, p_office uuid, p_today date, p_days integer, p_now timestamptz)
RETURNS TABLE (activity_id uuid, kind text, due_on date, email text, name text, language text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
#variable_conflict use_column
BEGIN
    IF app_user_id() IS NOT NULL THEN
        RAISE EXCEPTION 'plan reminders are claimed by the reminder job only';
    END IF;
    RETURN QUERY
        WITH claimed AS (
            INSERT INTO plan_activity_reminder (activity_id, plan_id, office_id, kind, due_on, sent_at)
            SELECT d.activity_id, d.plan_id, d.office_id, d.kind, d.due_on, p_now
            FROM app_due_plan_reminders(p_today, p_days) d
            WHERE d.user_id = p_user AND d.office_id = p_office
            ON CONFLICT DO NOTHING
            RETURNING plan_activity_reminder.activity_id, plan_activity_reminder.kind, plan_activity_reminder.due_on
        ), audited AS (
            INSERT INTO audit_event (network_id, office_id, actor_id, action, target_type, target_id, details)
            SELECT o.network_id, o.id, NULL, 'plan.reminder_sent', 'user', p_user::text,
                   jsonb_build_object('beforeEnd', count(*) FILTER (WHERE c.kind = 'before_end'),
                                      'overdue', count(*) FILTER (WHERE c.kind = 'overdue'))
            FROM claimed c JOIN office o ON o.id = p_office
            GROUP BY o.network_id, o.id
        )
        SELECT c.activity_id, c.kind, c.due_on, u.email, u.name, u.language
        FROM claimed c JOIN user_account u ON u.id = p_user
        ORDER BY c.due_on, c.activity_id;
END
$$;

REVOKE ALL ON FUNCTION app_due_plan_reminders(date, integer), app_claim_plan_reminders(uuid, uuid, date, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_due_plan_reminders(date, integer), app_claim_plan_reminders(uuid, uuid, date, integer, timestamptz) TO abh_app;
