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

-- ─── An office belongs to one network, everywhere ──────────────────────────
-- Found by the sweep's probes: membership and invitation rows carry network_id and office_id,
-- and the policies check only the network. An admin of network N2 could insert a membership
-- (network N2, office of network N1, OFFICE_HEAD) – or an invitation that creates one – and so
-- become a member of another network's office: app_office_ids() then lists it and its
-- assessments open up. A trigger (like round_participant_same_network; SECURITY DEFINER so
-- that row-level security does not hide the office) refuses an office of another network.
CREATE FUNCTION office_in_own_network() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NEW.office_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM office o WHERE o.id = NEW.office_id AND o.network_id = NEW.network_id
    ) THEN
        RAISE EXCEPTION 'office % is not in network %', NEW.office_id, NEW.network_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION office_in_own_network() FROM PUBLIC;
CREATE TRIGGER "membership_office_in_own_network" BEFORE INSERT OR UPDATE OF "network_id", "office_id" ON "membership"
    FOR EACH ROW EXECUTE FUNCTION office_in_own_network();
CREATE TRIGGER "invitation_office_in_own_network" BEFORE INSERT OR UPDATE OF "network_id", "office_id" ON "invitation"
    FOR EACH ROW EXECUTE FUNCTION office_in_own_network();

-- Also found: office_update let an office's head write any network_id into their own office
-- (WITH CHECK accepted "id IN app_head_office_ids()" whatever the network), i.e. move the
-- office into another network. A head may now only keep it in the network of their headship.
CREATE FUNCTION app_heads_office_in(p_office uuid, p_network uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1 FROM membership
        WHERE user_id = app_user_id() AND role = 'OFFICE_HEAD' AND office_id = p_office AND network_id = p_network
    )
$$;
REVOKE ALL ON FUNCTION app_heads_office_in(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_heads_office_in(uuid, uuid) TO abh_app;

DROP POLICY "office_update" ON "office";
CREATE POLICY "office_update" ON "office" FOR UPDATE
    USING ("network_id" IN (SELECT app_admin_network_ids()) OR "id" IN (SELECT app_head_office_ids()))
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()) OR app_heads_office_in("id", "network_id"));
