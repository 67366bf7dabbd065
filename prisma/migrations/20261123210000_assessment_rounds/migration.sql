-- Self-assessment rounds (issue #4, first slice): a network admin opens a round for all
-- or selected offices, extends the deadline for one office, and closes it.

CREATE TABLE "assessment_round" (
    "id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "deadline" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assessment_round_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_round_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "assessment_round_framework_version_id_fkey" FOREIGN KEY ("framework_version_id") REFERENCES "framework_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "assessment_round_name_not_blank" CHECK (btrim("name") <> ''),
    CONSTRAINT "assessment_round_deadline_after_opening" CHECK ("deadline" > "opens_at")
);
-- Unique within the network only (decision 0004: tenant-composite keys).
CREATE UNIQUE INDEX "assessment_round_network_id_name_key" ON "assessment_round"("network_id", "name");
CREATE INDEX "assessment_round_framework_version_id_idx" ON "assessment_round"("framework_version_id");

CREATE TABLE "round_participant" (
    "round_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "deadline_override" TIMESTAMPTZ(3),
    CONSTRAINT "round_participant_pkey" PRIMARY KEY ("round_id", "office_id"),
    CONSTRAINT "round_participant_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "assessment_round"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "round_participant_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "round_participant_office_id_idx" ON "round_participant"("office_id");

-- A participant must be an office of the round's own network. A constraint trigger, since
-- a CHECK cannot look at other tables; SECURITY DEFINER so RLS does not hide the rows.
CREATE FUNCTION round_participant_same_network() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM assessment_round r JOIN office o ON o.network_id = r.network_id
        WHERE r.id = NEW.round_id AND o.id = NEW.office_id
    ) THEN
        RAISE EXCEPTION 'office % is not in the network of round %', NEW.office_id, NEW.round_id USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
REVOKE ALL ON FUNCTION round_participant_same_network() FROM PUBLIC;
CREATE TRIGGER "round_participant_same_network" BEFORE INSERT OR UPDATE OF "round_id", "office_id" ON "round_participant"
    FOR EACH ROW EXECUTE FUNCTION round_participant_same_network();

GRANT SELECT, INSERT, UPDATE ON "assessment_round", "round_participant" TO abh_app;

-- ─── Row-level security ─────────────────────────────────────────────────────
-- The rounds the acting user's offices take part in. SECURITY DEFINER (like the helpers
-- of 20261123200000) so assessment_round's policy does not recurse into
-- round_participant's, which in turn looks at assessment_round.
CREATE FUNCTION app_participating_round_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT p.round_id FROM round_participant p
    WHERE p.office_id IN (SELECT office_id FROM membership WHERE user_id = app_user_id() AND office_id IS NOT NULL)
$$;
-- The rounds of the networks the acting user administers.
CREATE FUNCTION app_admin_round_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT r.id FROM assessment_round r
    WHERE r.network_id IN (SELECT network_id FROM membership WHERE user_id = app_user_id() AND role = 'NETWORK_ADMIN')
$$;
REVOKE ALL ON FUNCTION app_participating_round_ids(), app_admin_round_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_participating_round_ids(), app_admin_round_ids() TO abh_app;

-- Rounds: the network's admins read and write them; members of a participating office
-- read the round (not the other participants).
ALTER TABLE "assessment_round" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment_round" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_round_read" ON "assessment_round" FOR SELECT
    USING ("network_id" IN (SELECT app_admin_network_ids()) OR "id" IN (SELECT app_participating_round_ids()));
CREATE POLICY "assessment_round_insert" ON "assessment_round" FOR INSERT
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()));
CREATE POLICY "assessment_round_update" ON "assessment_round" FOR UPDATE
    USING ("network_id" IN (SELECT app_admin_network_ids()))
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()));

-- Participations: the round's admins read and write them; an office's members read only
-- their own office's participation.
ALTER TABLE "round_participant" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_participant" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_participant_read" ON "round_participant" FOR SELECT
    USING ("round_id" IN (SELECT app_admin_round_ids()) OR "office_id" IN (SELECT app_office_ids()));
CREATE POLICY "round_participant_insert" ON "round_participant" FOR INSERT
    WITH CHECK ("round_id" IN (SELECT app_admin_round_ids()));
CREATE POLICY "round_participant_update" ON "round_participant" FOR UPDATE
    USING ("round_id" IN (SELECT app_admin_round_ids()))
    WITH CHECK ("round_id" IN (SELECT app_admin_round_ids()));
