-- Figures instead of rows (issue 19, items 1 and 2; decision 0005).
--
-- * abh_app, the portal's role, can no longer read another office's individual ratings,
--   not even through a function: comparison_cohort() (one row per office with kind, size
--   class and ratings, SECURITY DEFINER) is dropped.
-- * A closed round's figures are computed once per audience by a separate role, abh_stats,
--   which alone may read the frozen cohort (through the stats_* functions below, which
--   only abh_stats may execute), and stored as aggregates in round_figure_set /
--   round_figure. The computation runs the one implementation of the rule
--   (app/comparison/anonymity.ts) in app/models/round-figures.server.ts.
-- * Audiences (rule 11 of the anonymity rule: what the viewer knows does not count):
--   "office" – one per office of the network, the figures over the *other* offices,
--   readable by that office's members only; "ministry" – the figures over the offices
--   that never released their results of the round (released at any time, withdrawn
--   releases included), readable by the network's admins only.
-- * The portal reads round_figure under row-level security; nothing in it names an office
--   of the cohort or holds a single rating.

DROP FUNCTION "comparison_cohort"(uuid, integer[]);

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'abh_stats') THEN
        CREATE ROLE abh_stats NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO abh_stats;

-- ─── The stored figures ─────────────────────────────────────────────────────

CREATE TABLE "round_figure_set" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "round_id" UUID NOT NULL,
    "audience" TEXT NOT NULL,
    -- The office whose members see this set ("office" audience); NULL for the ministry.
    -- No foreign key: a set is only ever read by members of this office.
    "office_id" UUID,
    -- Cohort offices the audience knows individually, left out of every figure.
    "known_offices" INTEGER NOT NULL,
    -- Ministry: release grants of the round's assessments when computed (grants are never
    -- deleted, so another number means the known set may have grown: compute again).
    "shares_seen" INTEGER NOT NULL DEFAULT 0,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "round_figure_set_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "round_figure_set_round_id_fkey" FOREIGN KEY ("round_id") REFERENCES "round_cohort"("round_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "round_figure_set_audience_check" CHECK ("audience" IN ('office', 'ministry')),
    CONSTRAINT "round_figure_set_office_check" CHECK (("audience" = 'office') = ("office_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "round_figure_set_round_id_audience_office_id_key"
    ON "round_figure_set"("round_id", "audience", "office_id") NULLS NOT DISTINCT;

-- One figure per goal and lattice group (app/comparison/anonymity.ts, rule 3). A hidden
-- figure keeps no n and no reason (rule 10).
CREATE TABLE "round_figure" (
    "set_id" UUID NOT NULL,
    "goal_number" INTEGER NOT NULL,
    "group_id" TEXT NOT NULL,
    "shown" BOOLEAN NOT NULL,
    "n" INTEGER,
    "median" DOUBLE PRECISION,
    "q1" DOUBLE PRECISION,
    "q3" DOUBLE PRECISION,
    CONSTRAINT "round_figure_pkey" PRIMARY KEY ("set_id", "goal_number", "group_id"),
    CONSTRAINT "round_figure_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "round_figure_set"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "round_figure_shown_check" CHECK (
        ("shown" AND "n" IS NOT NULL AND "median" IS NOT NULL)
        OR (NOT "shown" AND "n" IS NULL AND "median" IS NULL AND "q1" IS NULL AND "q3" IS NULL))
);

-- ─── What abh_stats reads (and nobody else) ─────────────────────────────────

-- The closed rounds (frozen cohorts).
CREATE FUNCTION stats_closed_round_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT round_id FROM round_cohort
$$;

-- A closed round's frozen k, the offices of its network (each gets an "office" set) and
-- the number of release grants of its assessments.
CREATE FUNCTION stats_round_info(p_round uuid)
RETURNS TABLE (anonymity_threshold integer, office_ids uuid[], shares_seen integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT c.anonymity_threshold,
        ARRAY(SELECT o.id FROM office o WHERE o.network_id = r.network_id ORDER BY o.id),
        (SELECT count(*) FROM assessment_share s JOIN assessment a ON a.id = s.assessment_id WHERE a.round_id = r.id)::int
    FROM round_cohort c JOIN assessment_round r ON r.id = c.round_id
    WHERE c.round_id = p_round
$$;

-- The frozen cohort of a closed round: one row per office and rated goal (goal_number and
-- rating NULL for an office without any rating), with the office (NULL if its assessment
-- was removed after closing: then nobody knows it) and whether it ever released its
-- results of the round.
CREATE FUNCTION stats_round_cohort(p_round uuid)
RETURNS TABLE (member_id uuid, office_id uuid, office_kind text, clients_served integer, released boolean,
               goal_number integer, rating integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT m.assessment_id, a.office_id, m.office_kind::text, m.clients_served,
        EXISTS (SELECT 1 FROM assessment_share s WHERE s.assessment_id = m.assessment_id),
        c.goal_number, c.rating
    FROM round_cohort_member m
    LEFT JOIN assessment a ON a.id = m.assessment_id
    LEFT JOIN round_cohort_rating c ON c.round_id = m.round_id AND c.assessment_id = m.assessment_id
    WHERE m.round_id = p_round
    ORDER BY m.assessment_id, c.goal_number
$$;

REVOKE ALL ON FUNCTION stats_closed_round_ids(), stats_round_info(uuid), stats_round_cohort(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stats_closed_round_ids(), stats_round_info(uuid), stats_round_cohort(uuid) TO abh_stats;

-- ─── Access to the figures ──────────────────────────────────────────────────

GRANT SELECT, INSERT, DELETE ON "round_figure_set", "round_figure" TO abh_stats;
GRANT SELECT ON "round_figure_set", "round_figure" TO abh_app;

ALTER TABLE "round_figure_set" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_figure_set" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_figure_set_stats" ON "round_figure_set" TO abh_stats USING (true) WITH CHECK (true);
CREATE POLICY "round_figure_set_audience" ON "round_figure_set" FOR SELECT TO abh_app USING (
    ("audience" = 'office' AND "office_id" IN (SELECT app_office_ids()))
    OR ("audience" = 'ministry' AND "round_id" IN (SELECT app_admin_round_ids())));

ALTER TABLE "round_figure" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "round_figure" FORCE ROW LEVEL SECURITY;
CREATE POLICY "round_figure_stats" ON "round_figure" TO abh_stats USING (true) WITH CHECK (true);
CREATE POLICY "round_figure_audience" ON "round_figure" FOR SELECT TO abh_app
    USING ("set_id" IN (SELECT "id" FROM "round_figure_set"));
