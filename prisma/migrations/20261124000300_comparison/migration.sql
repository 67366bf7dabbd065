-- Cross-office comparison (issue #5, decision 0005): the aggregates-only path to the
-- ratings of other offices, and the cohort of a round frozen when it closes.
--
-- * abh_app still reads no other office's goal_assessment. The only way to other offices'
--   ratings is comparison_cohort(): per submitted assessment a random key (new on every
--   call), the office kind, the size class and the ratings – no office id, name or
--   assessment id – and only for a round of a network the acting user belongs to. The
--   application computes figures from it solely in app/comparison/anonymity.ts.
-- * When a round closes (assessment_round.closed_at set), a trigger copies its submitted
--   assessments – office kind and clients served as they were then, the ratings and the
--   network's anonymity threshold – into round_cohort*. A closed round's figures come only
--   from that copy: a later reopening, resubmission, profile change or removed
--   participation cannot change them and so cannot open a difference.
-- * Nobody in the portal writes the copy; an office's members read their own rows of it
--   (their position in a closed round).

CREATE TABLE "round_cohort" (
    "round_id" UUID NOT NULL,
    -- The network's anonymity threshold at closing; the round's figures keep it.
    "anonymity_threshold" INTEGER NOT NULL,
    "frozen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "round_cohort_pkey" PRIMARY KEY ("round_id"),
    CONSTRAINT "round_cohort_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "assessment_round"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "round_cohort_anonymity_threshold_check" CHECK ("anonymity_threshold" >= 3)
);

-- No foreign key to assessment on purpose: the copy outlives a participation removed
-- after closing (that would otherwise change the published figures).
CREATE TABLE "round_cohort_member" (
    "round_id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "office_kind" "office_kind" NOT NULL,
    "clients_served" INTEGER,
    CONSTRAINT "round_cohort_member_pkey" PRIMARY KEY ("round_id", "assessment_id"),
    CONSTRAINT "round_cohort_member_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "round_cohort"("round_id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "round_cohort_member_assessment_id_idx" ON "round_cohort_member"("assessment_id");

-- Only actual ratings; a goal without a row was not assessed or left empty.
CREATE TABLE "round_cohort_rating" (
    "round_id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "goal_number" INTEGER NOT NULL,
    "rating" INTEGER NOT NULL,
    CONSTRAINT "round_cohort_rating_pkey" PRIMARY KEY ("round_id", "assessment_id", "goal_number"),
    CONSTRAINT "round_cohort_rating_round_id_assessment_id_fkey" FOREIGN KEY ("round_id", "assessment_id") REFERENCES "round_cohort_member"("round_id", "assessment_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "round_cohort_rating_rating_check" CHECK ("rating" BETWEEN 1 AND 5)
);
CREATE INDEX "round_cohort_rating_assessment_id_idx" ON "round_cohort_rating"("assessment_id");

-- ─── Freezing ───────────────────────────────────────────────────────────────
-- Copies a round's submitted assessments once (a second call changes nothing). Waits for
-- submissions in flight (they update the assessment row), so a submission that commits
-- before the round closes is in the copy and one that comes later is not.
CREATE FUNCTION freeze_round_cohort(p_round uuid) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO round_cohort (round_id, anonymity_threshold)
        SELECT r.id, n.anonymity_threshold FROM assessment_round r JOIN network n ON n.id = r.network_id WHERE r.id = p_round
        ON CONFLICT (round_id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM 1 FROM assessment WHERE round_id = p_round FOR SHARE;
    INSERT INTO round_cohort_member (round_id, assessment_id, office_kind, clients_served)
        SELECT a.round_id, a.id, o.kind, o.clients_served
        FROM assessment a JOIN office o ON o.id = a.office_id
        WHERE a.round_id = p_round AND a.submitted_at IS NOT NULL;
    INSERT INTO round_cohort_rating (round_id, assessment_id, goal_number, rating)
        SELECT m.round_id, m.assessment_id, g.number, ga.rating
        FROM round_cohort_member m
        JOIN assessment_round r ON r.id = m.round_id
        JOIN goal_assessment ga ON ga.assessment_id = m.assessment_id
        JOIN goal g ON g.id = ga.goal_id AND g.framework_version_id = r.framework_version_id
        WHERE m.round_id = p_round AND ga.rating IS NOT NULL;
END
$$;

CREATE FUNCTION round_cohort_freeze_on_close() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    PERFORM freeze_round_cohort(NEW.id);
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION freeze_round_cohort(uuid), round_cohort_freeze_on_close() FROM PUBLIC;

-- When the admin closes the round (closeRound sets closed_at), and for a round created closed.
CREATE TRIGGER "round_cohort_freeze_on_close" AFTER UPDATE OF "closed_at" ON "assessment_round"
    FOR EACH ROW WHEN (OLD."closed_at" IS NULL AND NEW."closed_at" IS NOT NULL)
    EXECUTE FUNCTION round_cohort_freeze_on_close();
CREATE TRIGGER "round_cohort_freeze_on_insert" AFTER INSERT ON "assessment_round"
    FOR EACH ROW WHEN (NEW."closed_at" IS NOT NULL)
    EXECUTE FUNCTION round_cohort_freeze_on_close();

-- Rounds closed before this migration.
SELECT freeze_round_cohort(id) FROM assessment_round WHERE closed_at IS NOT NULL;

-- ─── The aggregates-only path ───────────────────────────────────────────────
-- The cohort of a round for the comparison: one row per submitted assessment and rated
-- goal (goal_number and rating NULL for an assessment without any rating), for a round of
-- a network the acting user belongs to (else no rows). Closed rounds: the frozen copy;
-- open rounds: the assessments submitted now. office_key is random per call, so rows of
-- two calls cannot be joined; rows come in key order, which says nothing about the office.
-- size_class is width_bucket(clients_served, p_size_bounds) (NULL: size unknown), with the
-- bounds passed in from app/comparison/anonymity.ts, so no exact size leaves the database.
CREATE FUNCTION comparison_cohort(p_round uuid, p_size_bounds integer[])
RETURNS TABLE (office_key uuid, office_kind "office_kind", size_class integer, goal_number integer, rating integer)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public AS $$
    WITH rnd AS (
        SELECT r.id, r.framework_version_id, r.closed_at IS NOT NULL AS closed
        FROM assessment_round r
        WHERE r.id = p_round AND r.network_id IN (SELECT app_network_ids())
    ),
    members AS (
        SELECT m.assessment_id, m.office_kind, m.clients_served
        FROM round_cohort_member m JOIN rnd ON rnd.id = m.round_id AND rnd.closed
        UNION ALL
        SELECT a.id, o.kind, o.clients_served
        FROM assessment a JOIN rnd ON rnd.id = a.round_id AND NOT rnd.closed JOIN office o ON o.id = a.office_id
        WHERE a.submitted_at IS NOT NULL
    ),
    keyed AS MATERIALIZED (
        SELECT gen_random_uuid() AS office_key, assessment_id, office_kind,
               CASE WHEN clients_served IS NULL THEN NULL ELSE width_bucket(clients_served, p_size_bounds) END AS size_class
        FROM members
    ),
    ratings AS (
        SELECT c.assessment_id, c.goal_number, c.rating
        FROM round_cohort_rating c JOIN rnd ON rnd.id = c.round_id AND rnd.closed
        UNION ALL
        SELECT ga.assessment_id, g.number, ga.rating
        FROM goal_assessment ga
        JOIN keyed k ON k.assessment_id = ga.assessment_id
        JOIN rnd ON NOT rnd.closed
        JOIN goal g ON g.id = ga.goal_id AND g.framework_version_id = rnd.framework_version_id
        WHERE ga.rating IS NOT NULL
    )
    SELECT k.office_key, k.office_kind, k.size_class, r.goal_number, r.rating
    FROM keyed k LEFT JOIN ratings r ON r.assessment_id = k.assessment_id
    ORDER BY k.office_key, r.goal_number
$$;
REVOKE ALL ON FUNCTION comparison_cohort(uuid, integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION comparison_cohort(uuid, integer[]) TO abh_app;

-- ─── Access to the copy ─────────────────────────────────────────────────────
-- Read only: whether and with which k a round is frozen (its admins and participating
-- offices), and an office's own rows. Written only by freeze_round_cohort().
GRANT SELECT ON "round_cohort", "round_cohort_member", "round_cohort_rating" TO abh_app;

ALTER TABLE "round_cohort" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_cohort" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_cohort_read" ON "round_cohort" FOR SELECT
    USING ("round_id" IN (SELECT app_admin_round_ids()) OR "round_id" IN (SELECT app_participating_round_ids()));

ALTER TABLE "round_cohort_member" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_cohort_member" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_cohort_member_own" ON "round_cohort_member" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()));

ALTER TABLE "round_cohort_rating" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_cohort_rating" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_cohort_rating_own" ON "round_cohort_rating" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()));
