-- What a measure achieved, and the ministry's view of the plans (issue 21, items 8 and 9).
--
-- Like the round figures (migration 20261206000100, decision 0005): the plans and ratings of
-- other offices are read only by abh_stats, through the stats_* functions below (which only
-- abh_stats may execute), in app/domains/plan/achievement.server.ts; the rule is
-- app/domains/plan/achievement.ts (on app/domains/comparison/anonymity.ts). What is stored
-- are aggregates per network and audience, which the portal (abh_app) reads under
-- row-level security:
--   "office"   – per office of the network, over the OTHER offices (it knows its own plan);
--                readable by the office's members;
--   "ministry" – per network, over the offices whose plan and results the network's admins
--                cannot see (never released; known offices only grow between computations);
--                readable by the network's admins.
-- A suppressed figure is stored as NULL (no n, no reason). The figures are computed by a
-- job (nightly, at start-up and on demand), so pages say when they were computed.

CREATE TABLE "achievement_figure_set" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "network_id" UUID NOT NULL,
    "audience" TEXT NOT NULL,
    -- The office whose members read this set ("office"); NULL for the ministry. No foreign
    -- key (like round_figure_set): a set is only ever read by this office's members.
    "office_id" UUID,
    -- Offices the audience sees individually, left out of every figure: the office itself,
    -- or (ministry) every office that ever released a plan or its results.
    "known_office_ids" UUID[] DEFAULT '{}',
    -- Ministry only: offices with an open plan; the median share of activities done over
    -- the offices with at least one activity (NULL: suppressed).
    "plans_n" INTEGER,
    "done_share_n" INTEGER,
    "done_share_median" DOUBLE PRECISION,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "achievement_figure_set_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "achievement_figure_set_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "achievement_figure_set_audience_check" CHECK ("audience" IN ('office', 'ministry')),
    CONSTRAINT "achievement_figure_set_office_check" CHECK (("audience" = 'office') = ("office_id" IS NOT NULL)),
    CONSTRAINT "achievement_figure_set_share_check" CHECK (("done_share_n" IS NULL) = ("done_share_median" IS NULL))
);
CREATE UNIQUE INDEX "achievement_figure_set_network_id_audience_office_id_key"
    ON "achievement_figure_set"("network_id", "audience", "office_id") NULLS NOT DISTINCT;

-- One row per catalogue measure that is in at least one plan of the network; a measure
-- without a row has every figure suppressed.
CREATE TABLE "achievement_figure" (
    "set_id" UUID NOT NULL,
    "measure_id" UUID NOT NULL,
    -- Offices with the measure in a plan / that completed it (NULL: fewer than k).
    "planned_n" INTEGER,
    "completed_n" INTEGER,
    -- Median change of the related goal's joint rating, round before → round after completion.
    "change_n" INTEGER,
    "change_median" DOUBLE PRECISION,
    CONSTRAINT "achievement_figure_pkey" PRIMARY KEY ("set_id", "measure_id"),
    CONSTRAINT "achievement_figure_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "achievement_figure_set"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "achievement_figure_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "achievement_figure_change_check" CHECK (("change_n" IS NULL) = ("change_median" IS NULL))
);
CREATE INDEX "achievement_figure_measure_id_idx" ON "achievement_figure"("measure_id");

-- ─── What abh_stats reads (and nobody else) ─────────────────────────────────

CREATE FUNCTION stats_achievement_network_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT id FROM network ORDER BY id
$$;

-- A network's k, its offices, and the offices its admins see individually: a plan released
-- now or a release of results at any time (grants are never deleted), plus whatever the
-- last ministry set already counted as known (a plan release can be withdrawn; what was
-- seen may have been kept).
CREATE FUNCTION stats_achievement_info(p_network uuid)
RETURNS TABLE (anonymity_threshold integer, office_ids uuid[], ministry_known uuid[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT n.anonymity_threshold,
        ARRAY(SELECT o.id FROM office o WHERE o.network_id = n.id ORDER BY o.id),
        ARRAY(
            SELECT p.office_id FROM plan p WHERE p.network_id = n.id AND p.released_at IS NOT NULL
            UNION
            SELECT a.office_id FROM assessment_share s JOIN assessment a ON a.id = s.assessment_id
                JOIN assessment_round r ON r.id = a.round_id WHERE r.network_id = n.id
            UNION
            SELECT unnest(f.known_office_ids) FROM achievement_figure_set f WHERE f.network_id = n.id AND f.audience = 'ministry')
    FROM network n WHERE n.id = p_network
$$;

-- Per office and catalogue measure in any of its plans: when it was first completed (NULL:
-- not yet), and the office's joint rating of the measure's goal (measure → work field →
-- goal) in the last submitted assessment of a closed round before completion and the first
-- one after it (frozen cohort ratings; NULL where there is none).
CREATE FUNCTION stats_achievement_measures(p_network uuid)
RETURNS TABLE (office_id uuid, measure_id uuid, completed_at timestamptz, rating_before integer, rating_after integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    WITH planned AS (
        SELECT p.office_id, pm.measure_id, min(pm.completed_at) AS completed_at
        FROM plan p JOIN plan_measure pm ON pm.plan_id = p.id AND pm.office_id = p.office_id
        WHERE p.network_id = p_network AND pm.measure_id IS NOT NULL
        GROUP BY p.office_id, pm.measure_id
    ), rated AS (
        SELECT a.office_id, a.submitted_at, c.goal_number, c.rating
        FROM round_cohort_rating c
        JOIN assessment a ON a.id = c.assessment_id AND a.round_id = c.round_id
        JOIN assessment_round r ON r.id = c.round_id
        WHERE r.network_id = p_network AND a.submitted_at IS NOT NULL
    )
    SELECT pl.office_id, pl.measure_id, pl.completed_at,
        (SELECT rt.rating FROM rated rt WHERE rt.office_id = pl.office_id AND rt.goal_number = g.number
            AND rt.submitted_at <= pl.completed_at ORDER BY rt.submitted_at DESC LIMIT 1),
        (SELECT rt.rating FROM rated rt WHERE rt.office_id = pl.office_id AND rt.goal_number = g.number
            AND rt.submitted_at > pl.completed_at ORDER BY rt.submitted_at ASC LIMIT 1)
    FROM planned pl
    JOIN measure m ON m.id = pl.measure_id
    JOIN work_field w ON w.id = m.work_field_id
    JOIN goal g ON g.id = w.goal_id
    ORDER BY pl.office_id, pl.measure_id
$$;

-- Per office with an open plan: its activities and how many are done.
CREATE FUNCTION stats_plan_progress(p_network uuid)
RETURNS TABLE (office_id uuid, activities integer, done integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT p.office_id, count(a.id)::int, (count(a.id) FILTER (WHERE a.status = 'DONE'))::int
    FROM plan p LEFT JOIN plan_activity a ON a.plan_id = p.id AND a.office_id = p.office_id
    WHERE p.network_id = p_network AND p.closed_at IS NULL
    GROUP BY p.office_id
    ORDER BY p.office_id
$$;

REVOKE ALL ON FUNCTION stats_achievement_network_ids(), stats_achievement_info(uuid), stats_achievement_measures(uuid),
    stats_plan_progress(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION stats_achievement_network_ids(), stats_achievement_info(uuid), stats_achievement_measures(uuid),
    stats_plan_progress(uuid) TO abh_stats;

-- ─── Access to the figures ──────────────────────────────────────────────────

GRANT SELECT, INSERT, DELETE ON "achievement_figure_set", "achievement_figure" TO abh_stats;
GRANT SELECT ON "achievement_figure_set", "achievement_figure" TO abh_app;

ALTER TABLE "achievement_figure_set" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "achievement_figure_set" FORCE ROW LEVEL SECURITY;
CREATE POLICY "achievement_figure_set_stats" ON "achievement_figure_set" TO abh_stats USING (true) WITH CHECK (true);
CREATE POLICY "achievement_figure_set_audience" ON "achievement_figure_set" FOR SELECT TO abh_app USING (
    ("audience" = 'office' AND "office_id" IN (SELECT app_office_ids()))
    OR ("audience" = 'ministry' AND "network_id" IN (SELECT app_admin_network_ids())));

ALTER TABLE "achievement_figure" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "achievement_figure" FORCE ROW LEVEL SECURITY;
CREATE POLICY "achievement_figure_stats" ON "achievement_figure" TO abh_stats USING (true) WITH CHECK (true);
CREATE POLICY "achievement_figure_audience" ON "achievement_figure" FOR SELECT TO abh_app
    USING ("set_id" IN (SELECT "id" FROM "achievement_figure_set"));
