-- Opt-in sharing (issue #5): an office head may let the network's admins (the ministry)
-- see the office's own results of a round. By default they see aggregates only.
--
-- * assessment_share: one row per grant. Withdrawing stamps that row (once, the time set
--   by the database); granting again adds a new row. The table is therefore its own
--   history, and nothing in it is ever rewritten or deleted by the portal.
-- * At most one active grant per assessment (partial unique index), so a double click or
--   two heads at once cannot open two.
-- * assessment_share_access: a row every time an admin opens the shared results, written
--   in the same transaction as the read. Append-only; the office reads it.
-- * Network admins still have no policy of their own on goal_assessment/measure_assessment.
--   The only additional one is a SELECT policy limited to app_shared_assessment_ids():
--   submitted assessments of their network with an active grant. Withdrawing (or a
--   reopening for rework) ends that access in the database at once.
-- * Team members' own ratings (individual_rating) are never shared: who said what stays
--   in the office.

CREATE TABLE "assessment_share" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "assessment_id" UUID NOT NULL,
    "granted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "granted_by_id" UUID NOT NULL,
    "withdrawn_at" TIMESTAMPTZ(3),
    "withdrawn_by_id" UUID,
    CONSTRAINT "assessment_share_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_share_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "assessment_share_withdrawn_consistent" CHECK (("withdrawn_at" IS NULL) = ("withdrawn_by_id" IS NULL))
);
CREATE INDEX "assessment_share_assessment_id_idx" ON "assessment_share"("assessment_id");
CREATE UNIQUE INDEX "assessment_share_active_key" ON "assessment_share"("assessment_id") WHERE "withdrawn_at" IS NULL;

-- The withdrawal time is the database's, not the caller's: the history cannot be backdated.
CREATE FUNCTION assessment_share_stamp_withdrawal() RETURNS trigger LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
    NEW.withdrawn_at := CASE WHEN NEW.withdrawn_by_id IS NULL THEN NULL ELSE CURRENT_TIMESTAMP END;
    RETURN NEW;
END
$$;
CREATE TRIGGER "assessment_share_stamp_withdrawal" BEFORE UPDATE OF "withdrawn_by_id" ON "assessment_share"
    FOR EACH ROW EXECUTE FUNCTION assessment_share_stamp_withdrawal();

-- No foreign key to user_account on the people (like assessment_round.created_by_id):
-- the history and the log outlive an account.
CREATE TABLE "assessment_share_access" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "assessment_id" UUID NOT NULL,
    "viewer_id" UUID NOT NULL,
    "viewed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assessment_share_access_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_share_access_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "assessment_share_access_assessment_id_viewed_at_idx" ON "assessment_share_access"("assessment_id", "viewed_at");

-- ─── Helpers ────────────────────────────────────────────────────────────────
-- (app_head_assessment_ids(), the assessments of the offices the acting user heads, comes
-- from the survey migration.)
-- The assessments whose results the acting user may see as a network admin: in a network
-- they administer, submitted, with a grant that has not been withdrawn.
CREATE FUNCTION app_shared_assessment_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.assessment_id
    FROM assessment_share s
    JOIN assessment a ON a.id = s.assessment_id
    JOIN assessment_round r ON r.id = a.round_id
    WHERE s.withdrawn_at IS NULL AND a.submitted_at IS NOT NULL
      AND r.network_id IN (SELECT network_id FROM membership WHERE user_id = app_user_id() AND role = 'NETWORK_ADMIN')
$$;
REVOKE ALL ON FUNCTION app_shared_assessment_ids(), assessment_share_stamp_withdrawal() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_shared_assessment_ids() TO abh_app;

-- ─── Access ─────────────────────────────────────────────────────────────────
-- Column grants: a grant names only its assessment and its head, a withdrawal only its
-- head; ids and times come from the database.
GRANT SELECT ON "assessment_share", "assessment_share_access" TO abh_app;
GRANT INSERT ("assessment_id", "granted_by_id") ON "assessment_share" TO abh_app;
GRANT UPDATE ("withdrawn_by_id") ON "assessment_share" TO abh_app;
GRANT INSERT ("assessment_id", "viewer_id") ON "assessment_share_access" TO abh_app;

-- The office's members and the network's admins read the choices; the office's heads
-- grant (as themselves) and withdraw an active grant (as themselves).
ALTER TABLE "assessment_share" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment_share" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_share_read" ON "assessment_share" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()) OR "assessment_id" IN (SELECT app_admin_assessment_ids()));
CREATE POLICY "assessment_share_grant" ON "assessment_share" FOR INSERT
    WITH CHECK ("granted_by_id" = app_user_id() AND "assessment_id" IN (SELECT app_head_assessment_ids()));
CREATE POLICY "assessment_share_withdraw" ON "assessment_share" FOR UPDATE
    USING ("withdrawn_at" IS NULL AND "assessment_id" IN (SELECT app_head_assessment_ids()))
    WITH CHECK ("withdrawn_by_id" = app_user_id() AND "assessment_id" IN (SELECT app_head_assessment_ids()));

-- The log: written only by an admin who may see the results at that moment, as
-- themselves; read by the office's members and the network's admins; never changed.
ALTER TABLE "assessment_share_access" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment_share_access" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_share_access_read" ON "assessment_share_access" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()) OR "assessment_id" IN (SELECT app_admin_assessment_ids()));
CREATE POLICY "assessment_share_access_append" ON "assessment_share_access" FOR INSERT
    WITH CHECK ("viewer_id" = app_user_id() AND "assessment_id" IN (SELECT app_shared_assessment_ids()));

-- The shared content: read-only, for as long as the grant stands.
CREATE POLICY "goal_assessment_shared_read" ON "goal_assessment" FOR SELECT
    USING ("assessment_id" IN (SELECT app_shared_assessment_ids()));
CREATE POLICY "measure_assessment_shared_read" ON "measure_assessment" FOR SELECT
    USING ("assessment_id" IN (SELECT app_shared_assessment_ids()));
