-- Deadline reminders (issue #4). The reminder job runs without a signed-in user, so row-level
-- security would hide every round from it. Instead of a second, privileged database login,
-- abh_app gets exactly two SECURITY DEFINER functions: list the reminders due at a time, and
-- claim one of them (record it, learn whom to e-mail). Nothing else is readable that way.

-- The instant d German calendar days before a deadline (a deadline is 24:00 German time, so
-- "14 days before 31 March" is 24:00 on 17 March, whatever the daylight-saving switch).
CREATE FUNCTION app_reminder_due_at(p_deadline timestamptz, p_days integer) RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = public AS $$
    SELECT ((p_deadline AT TIME ZONE 'Europe/Berlin') - make_interval(days => p_days)) AT TIME ZONE 'Europe/Berlin'
$$;

-- The automatic reminders due at p_now (all, or for one assessment): rounds that have opened
-- and are not closed, assessments not submitted, before the office's effective deadline. Of
-- the round's reminder days whose time has come only the smallest counts (a round opened two
-- days before its deadline sends the 3-day reminder, never a stale 14-day one later); it is
-- due while no reminder for that day has been recorded.
CREATE FUNCTION app_due_reminders(p_now timestamptz, p_assessment uuid DEFAULT NULL)
RETURNS TABLE (
    assessment_id uuid, days_before integer, round_id uuid, round_name text, network_id uuid, network_name text,
    office_id uuid, office_name text, deadline timestamptz, goals_done integer, measures_done integer,
    goals integer, measures integer
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.id, d.days, r.id, r.name, n.id, n.name, o.id, o.name, e.deadline, a.goals_done, a.measures_done,
        (SELECT count(*)::integer FROM goal g WHERE g.framework_version_id = r.framework_version_id),
        (SELECT count(*)::integer FROM measure m WHERE m.framework_version_id = r.framework_version_id)
    FROM assessment_round r
    JOIN network n ON n.id = r.network_id
    JOIN round_participant p ON p.round_id = r.id
    JOIN assessment a ON a.round_id = p.round_id AND a.office_id = p.office_id
    JOIN office o ON o.id = p.office_id
    CROSS JOIN LATERAL (SELECT COALESCE(p.deadline_override, r.deadline) AS deadline) e
    CROSS JOIN LATERAL (
        SELECT min(x) AS days FROM unnest(r.reminder_days) AS x
        WHERE x > 0 AND p_now >= app_reminder_due_at(e.deadline, x)
    ) d
    WHERE r.opens_at <= p_now AND r.closed_at IS NULL AND a.submitted_at IS NULL AND p_now < e.deadline
      AND (p_assessment IS NULL OR a.id = p_assessment)
      AND d.days IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM assessment_reminder x WHERE x.assessment_id = a.id AND x.days_before = d.days)
    ORDER BY r.id, o.name
$$;

-- Claims one due reminder: records it and returns the office's heads to e-mail, in the
-- caller's transaction. Returns no rows (and records nothing) when it is not or no longer
-- due, another process recorded it first, or the office has no head yet (a head who joins
-- before the deadline still gets it). The row lock waits for a concurrent submission or
-- claim of the same assessment, so the checks after it see their outcome.
CREATE FUNCTION app_record_reminder(p_assessment uuid, p_days integer, p_now timestamptz)
RETURNS TABLE (email text, name text, language text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM 1 FROM assessment WHERE id = p_assessment FOR UPDATE;
    IF NOT EXISTS (SELECT 1 FROM app_due_reminders(p_now, p_assessment) d WHERE d.days_before = p_days)
       OR NOT EXISTS (SELECT 1 FROM assessment a JOIN membership m ON m.office_id = a.office_id AND m.role = 'OFFICE_HEAD' WHERE a.id = p_assessment) THEN
        RETURN;
    END IF;
    INSERT INTO assessment_reminder (id, assessment_id, days_before, sent_at)
    VALUES (gen_random_uuid(), p_assessment, p_days, p_now)
    ON CONFLICT (assessment_id, days_before) DO NOTHING;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT u.email, u.name, u.language
        FROM assessment a
        JOIN membership m ON m.office_id = a.office_id AND m.role = 'OFFICE_HEAD'
        JOIN user_account u ON u.id = m.user_id
        WHERE a.id = p_assessment
        ORDER BY u.email;
END
$$;

REVOKE ALL ON FUNCTION app_reminder_due_at(timestamptz, integer), app_due_reminders(timestamptz, uuid),
    app_record_reminder(uuid, integer, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_due_reminders(timestamptz, uuid), app_record_reminder(uuid, integer, timestamptz) TO abh_app;
