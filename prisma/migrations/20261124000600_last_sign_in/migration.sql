-- Uptake monitoring (issue #5): whether anyone of an office has signed in lately.
--
-- The audit log already records every sign-in (auth.sign_in; a first sign-in by accepting
-- an invitation, invitation.accepted; a sign-in by resetting the password,
-- auth.password_reset), so no new column is needed. But sign-ins belong to no network
-- (network_id NULL) and so are readable only by the person themself. abh_app gets one
-- SECURITY DEFINER function instead: for a network the acting user administers, per office
-- the time of its members' latest sign-in since they joined the office – no person, no
-- address, nothing else from the log.

-- One index probe per member instead of scanning each person's whole audit history.
CREATE INDEX "audit_event_sign_in_idx" ON "audit_event" ("actor_id", "created_at")
    WHERE "action" IN ('auth.sign_in', 'invitation.accepted', 'auth.password_reset');

CREATE FUNCTION app_office_last_sign_in(p_network uuid)
RETURNS TABLE (office_id uuid, last_sign_in_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.office_id, max(s.created_at)
    FROM membership m
    CROSS JOIN LATERAL (
        SELECT e.created_at FROM audit_event e
        WHERE e.actor_id = m.user_id
          AND e.action IN ('auth.sign_in', 'invitation.accepted', 'auth.password_reset')
          AND e.created_at >= m.created_at
        ORDER BY e.created_at DESC
        LIMIT 1
    ) s
    WHERE m.network_id = p_network AND m.office_id IS NOT NULL
      AND p_network IN (SELECT app_admin_network_ids())
    GROUP BY m.office_id
$$;
REVOKE ALL ON FUNCTION app_office_last_sign_in(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_office_last_sign_in(uuid) TO abh_app;
