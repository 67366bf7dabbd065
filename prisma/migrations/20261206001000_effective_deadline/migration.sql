-- One definition of an office's effective deadline in a round (issue 20, item 4): the
-- deadline the network admin extended for that office, else the round's deadline. Until now
-- COALESCE(p.deadline_override, r.deadline) was written out in every query that needed it;
-- SQL calls this function, TypeScript calls effectiveDeadline() in
-- app/domains/assessment/deadline.ts, and tests/integration/assessment/effective-deadline.test.ts holds
-- both to the same answers.
--
-- A plain SQL function of the two rows: IMMUTABLE, without SECURITY DEFINER or SET, so the
-- planner inlines it and row-level security applies to the rows the caller passes in, as
-- before. Works on a LEFT JOIN's missing participant too (then the round's deadline).
CREATE FUNCTION app_effective_deadline(p round_participant, r assessment_round) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(p.deadline_override, r.deadline)
$$;

REVOKE ALL ON FUNCTION app_effective_deadline(round_participant, assessment_round) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_effective_deadline(round_participant, assessment_round) TO abh_app;

-- The reminders' list (migration 20261124000200) asks the function instead of repeating the
-- rule; otherwise unchanged.
CREATE OR REPLACE FUNCTION app_due_reminders(p_now timestamptz, p_assessment uuid DEFAULT NULL)
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
    CROSS JOIN LATERAL (SELECT app_effective_deadline(p, r) AS deadline) e
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
