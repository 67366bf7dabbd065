-- The self-assessment itself (issue #4): per office and round the consensus ratings of the
-- 12 goals, each team member's own ratings, the need/effort of the 56 measures with the
-- priority that follows, submission, reopening, reminders and the anonymous staff survey.

-- ─── Catalogue addition: what each level of a goal looks like in practice ───
CREATE TABLE "goal_level_example" (
    "goal_id" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "example" TEXT NOT NULL,
    CONSTRAINT "goal_level_example_pkey" PRIMARY KEY ("goal_id", "level"),
    CONSTRAINT "goal_level_example_goal_id_fkey" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "goal_level_example_level_check" CHECK ("level" BETWEEN 1 AND 5)
);
GRANT SELECT ON "goal_level_example" TO abh_app;

-- ─── Network settings ───────────────────────────────────────────────────────
-- priority_rule: need × effort → priority, NULL = the default rule (app/assessment/priority.ts).
ALTER TABLE "network" ADD COLUMN "priority_rule" JSONB;
-- Smallest number of survey answers before an office sees its survey results.
ALTER TABLE "network" ADD COLUMN "survey_threshold" INTEGER NOT NULL DEFAULT 5;
ALTER TABLE "network" ADD CONSTRAINT "network_survey_threshold_check" CHECK ("survey_threshold" >= 5);
GRANT UPDATE ("priority_rule", "survey_threshold", "anonymity_threshold") ON "network" TO abh_app;
CREATE POLICY "network_admin_update" ON "network" FOR UPDATE
    USING ("id" IN (SELECT app_admin_network_ids())) WITH CHECK ("id" IN (SELECT app_admin_network_ids()));

-- Days before the deadline on which offices that have not submitted are reminded.
ALTER TABLE "assessment_round" ADD COLUMN "reminder_days" INTEGER[] DEFAULT '{14,3}';

-- ─── The assessment ─────────────────────────────────────────────────────────
CREATE TYPE "grade" AS ENUM ('HIGH', 'MEDIUM', 'LOW', 'NONE');
CREATE TYPE "priority" AS ENUM ('HIGH', 'MEDIUM', 'LOW', 'NONE');

-- One per participating office and round (created with the participation).
CREATE TABLE "assessment" (
    "id" UUID NOT NULL,
    "round_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "submitted_at" TIMESTAMPTZ(3),
    "submitted_by_id" UUID,
    -- Progress and last edit, kept on the row so monitoring needs no access to the content.
    "goals_done" INTEGER NOT NULL DEFAULT 0,
    "measures_done" INTEGER NOT NULL DEFAULT 0,
    "last_edited_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assessment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_round_id_office_id_fkey" FOREIGN KEY ("round_id", "office_id") REFERENCES "round_participant"("round_id", "office_id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "assessment_submitted_consistent" CHECK (("submitted_at" IS NULL) = ("submitted_by_id" IS NULL))
);
CREATE UNIQUE INDEX "assessment_round_id_office_id_key" ON "assessment"("round_id", "office_id");
CREATE INDEX "assessment_office_id_idx" ON "assessment"("office_id");

-- The office's agreed (consensus) answer per goal. rating NULL and not_assessed false = empty.
CREATE TABLE "goal_assessment" (
    "assessment_id" UUID NOT NULL,
    "goal_id" UUID NOT NULL,
    "rating" INTEGER,
    "not_assessed" BOOLEAN NOT NULL DEFAULT false,
    "comment" TEXT NOT NULL DEFAULT '',
    "evidence" TEXT NOT NULL DEFAULT '',
    "evidence_links" TEXT[] DEFAULT '{}',
    -- Optimistic concurrency: every save increments it; a stale save is merged or refused.
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" UUID,
    CONSTRAINT "goal_assessment_pkey" PRIMARY KEY ("assessment_id", "goal_id"),
    CONSTRAINT "goal_assessment_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "goal_assessment_goal_id_fkey" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "goal_assessment_rating_check" CHECK ("rating" BETWEEN 1 AND 5),
    CONSTRAINT "goal_assessment_not_assessed_check" CHECK (NOT ("not_assessed" AND "rating" IS NOT NULL))
);
CREATE INDEX "goal_assessment_goal_id_idx" ON "goal_assessment"("goal_id");

-- Each team member's own rating and reasons per goal (who said what stays in the office).
CREATE TABLE "individual_rating" (
    "assessment_id" UUID NOT NULL,
    "goal_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "rating" INTEGER,
    "not_assessed" BOOLEAN NOT NULL DEFAULT false,
    "reasons" TEXT NOT NULL DEFAULT '',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "individual_rating_pkey" PRIMARY KEY ("assessment_id", "goal_id", "user_id"),
    CONSTRAINT "individual_rating_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "individual_rating_goal_id_fkey" FOREIGN KEY ("goal_id") REFERENCES "goal"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "individual_rating_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "individual_rating_rating_check" CHECK ("rating" BETWEEN 1 AND 5),
    CONSTRAINT "individual_rating_not_assessed_check" CHECK (NOT ("not_assessed" AND "rating" IS NOT NULL))
);
CREATE INDEX "individual_rating_goal_id_idx" ON "individual_rating"("goal_id");
CREATE INDEX "individual_rating_user_id_idx" ON "individual_rating"("user_id");

-- Need for change and effort per measure; the priority follows from the network's rule
-- unless the office overrides it (with a reason).
CREATE TABLE "measure_assessment" (
    "assessment_id" UUID NOT NULL,
    "measure_id" UUID NOT NULL,
    "need" "grade",
    "effort" "grade",
    "priority_override" "priority",
    "override_reason" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" UUID,
    CONSTRAINT "measure_assessment_pkey" PRIMARY KEY ("assessment_id", "measure_id"),
    CONSTRAINT "measure_assessment_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "measure_assessment_measure_id_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "measure_assessment_override_reason_check" CHECK ("priority_override" IS NULL OR btrim("override_reason") <> '')
);
CREATE INDEX "measure_assessment_measure_id_idx" ON "measure_assessment"("measure_id");

-- Each time the network admin reopens a submitted assessment, with the reason (kept, shown).
CREATE TABLE "assessment_reopening" (
    "id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "reopened_by_id" UUID NOT NULL,
    "reopened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assessment_reopening_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_reopening_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "assessment_reopening_reason_not_blank" CHECK (btrim("reason") <> '')
);
CREATE INDEX "assessment_reopening_assessment_id_idx" ON "assessment_reopening"("assessment_id");

-- Reminders sent for an assessment: days_before for the automatic ones (once each),
-- NULL for a reminder the admin sent by hand.
CREATE TABLE "assessment_reminder" (
    "id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "days_before" INTEGER,
    "sent_by_id" UUID,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assessment_reminder_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "assessment_reminder_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "assessment_reminder_assessment_id_days_before_key" ON "assessment_reminder"("assessment_id", "days_before");

-- ─── The anonymous staff survey (Muster-Fragebogen) ─────────────────────────
CREATE TABLE "survey" (
    "id" UUID NOT NULL,
    "assessment_id" UUID NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "survey_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "survey_assessment_id_fkey" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "survey_assessment_id_key" ON "survey"("assessment_id");

-- One-time invitation codes (hash only). Deliberately no time of use and no link to the
-- answer: "used" is all that is known.
CREATE TABLE "survey_code" (
    "code_hash" TEXT NOT NULL,
    "survey_id" UUID NOT NULL,
    "used" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "survey_code_pkey" PRIMARY KEY ("code_hash"),
    CONSTRAINT "survey_code_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "survey_code_survey_id_idx" ON "survey_code"("survey_id");

-- An answer: no user, no IP, no code, no timestamp – nothing to join it to a person.
CREATE TABLE "survey_response" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "survey_id" UUID NOT NULL,
    -- { "<statement key>": 1..4 | null }
    "answers" JSONB NOT NULL,
    CONSTRAINT "survey_response_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "survey_response_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "survey_response_survey_id_idx" ON "survey_response"("survey_id");

-- ─── Access ─────────────────────────────────────────────────────────────────
GRANT SELECT, INSERT, UPDATE ON "assessment", "goal_assessment", "measure_assessment" TO abh_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "individual_rating" TO abh_app;
GRANT SELECT, INSERT ON "assessment_reopening", "assessment_reminder" TO abh_app;

-- The assessments of the acting user's own offices. SECURITY DEFINER like the other helpers.
CREATE FUNCTION app_office_assessment_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.id FROM assessment a WHERE a.office_id IN (SELECT office_id FROM membership WHERE user_id = app_user_id() AND office_id IS NOT NULL)
$$;
-- The assessments of rounds in networks the acting user administers.
CREATE FUNCTION app_admin_assessment_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.id FROM assessment a JOIN assessment_round r ON r.id = a.round_id
    WHERE r.network_id IN (SELECT network_id FROM membership WHERE user_id = app_user_id() AND role = 'NETWORK_ADMIN')
$$;
REVOKE ALL ON FUNCTION app_office_assessment_ids(), app_admin_assessment_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_office_assessment_ids(), app_admin_assessment_ids() TO abh_app;

-- The assessment row (status, progress): the office's members and the network's admins.
-- Its content (goal/measure answers) is the office's alone; admins see figures only
-- through the anonymised comparison (issue #5).
ALTER TABLE "assessment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_read" ON "assessment" FOR SELECT
    USING ("office_id" IN (SELECT app_office_ids()) OR "round_id" IN (SELECT app_admin_round_ids()));
CREATE POLICY "assessment_insert" ON "assessment" FOR INSERT
    WITH CHECK ("round_id" IN (SELECT app_admin_round_ids()));
CREATE POLICY "assessment_update" ON "assessment" FOR UPDATE
    USING ("office_id" IN (SELECT app_office_ids()) OR "round_id" IN (SELECT app_admin_round_ids()))
    WITH CHECK ("office_id" IN (SELECT app_office_ids()) OR "round_id" IN (SELECT app_admin_round_ids()));

ALTER TABLE "goal_assessment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "goal_assessment" FORCE ROW LEVEL SECURITY;
CREATE POLICY "goal_assessment_office" ON "goal_assessment" FOR ALL
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()))
    WITH CHECK ("assessment_id" IN (SELECT app_office_assessment_ids()));

ALTER TABLE "measure_assessment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "measure_assessment" FORCE ROW LEVEL SECURITY;
CREATE POLICY "measure_assessment_office" ON "measure_assessment" FOR ALL
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()))
    WITH CHECK ("assessment_id" IN (SELECT app_office_assessment_ids()));

-- Individual ratings: the office's members read them all; each writes only their own.
ALTER TABLE "individual_rating" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "individual_rating" FORCE ROW LEVEL SECURITY;
CREATE POLICY "individual_rating_read" ON "individual_rating" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()));
CREATE POLICY "individual_rating_insert" ON "individual_rating" FOR INSERT
    WITH CHECK ("user_id" = app_user_id() AND "assessment_id" IN (SELECT app_office_assessment_ids()));
CREATE POLICY "individual_rating_update" ON "individual_rating" FOR UPDATE
    USING ("user_id" = app_user_id() AND "assessment_id" IN (SELECT app_office_assessment_ids()))
    WITH CHECK ("user_id" = app_user_id() AND "assessment_id" IN (SELECT app_office_assessment_ids()));
CREATE POLICY "individual_rating_delete" ON "individual_rating" FOR DELETE
    USING ("user_id" = app_user_id() AND "assessment_id" IN (SELECT app_office_assessment_ids()));

-- Reopenings and reminders: the office and the network's admins read; admins write.
ALTER TABLE "assessment_reopening" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment_reopening" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_reopening_read" ON "assessment_reopening" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()) OR "assessment_id" IN (SELECT app_admin_assessment_ids()));
CREATE POLICY "assessment_reopening_insert" ON "assessment_reopening" FOR INSERT
    WITH CHECK ("assessment_id" IN (SELECT app_admin_assessment_ids()));

ALTER TABLE "assessment_reminder" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "assessment_reminder" FORCE ROW LEVEL SECURITY;
CREATE POLICY "assessment_reminder_read" ON "assessment_reminder" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()) OR "assessment_id" IN (SELECT app_admin_assessment_ids()));
CREATE POLICY "assessment_reminder_insert" ON "assessment_reminder" FOR INSERT
    WITH CHECK ("assessment_id" IN (SELECT app_admin_assessment_ids()));

-- Survey tables: access is defined in the survey migration that follows; until then the
-- portal has no grant on them at all.
ALTER TABLE "survey" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "survey" FORCE ROW LEVEL SECURITY;
ALTER TABLE "survey_code" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "survey_code" FORCE ROW LEVEL SECURITY;
ALTER TABLE "survey_response" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "survey_response" FORCE ROW LEVEL SECURITY;
