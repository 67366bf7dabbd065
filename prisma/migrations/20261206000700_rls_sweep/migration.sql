-- Found by the row-level-security sweep (tests/integration/rls-sweep.test.ts, issue 20 item 7):
-- abh_app was granted DELETE on invitation, but no policy allows a delete, so the grant could
-- only ever delete nothing. Nothing in the portal deletes invitations (they are revoked), so the
-- privilege goes: a policy added later for it would otherwise be the only guard. Kept if a
-- delete policy already exists by the time this runs.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_policy WHERE polrelid = 'invitation'::regclass AND polcmd IN ('d', '*')) THEN
        REVOKE DELETE ON "invitation" FROM abh_app;
    END IF;
END
$$;
