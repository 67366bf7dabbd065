-- The implementation plan (issue 21): per office one living plan per cycle, started from a
-- round's priorities (Arbeitshilfe 2.1 "Umsetzungsplan"), with its measures, activities
-- (Arbeitsschritte), dated state entries (Sachstand), milestones, the five phases' checklist
-- (Teil B), review meetings, the consolidation check, the overall strategy (Gesamtkonzept,
-- Arbeitshilfe 4.1), the team workshop's notes and attachments.
--
-- Tenancy (docs/decisions/0004): every row carries office_id and plan_id, tied to its
-- parent by a composite foreign key (parent id, plan id, office id), so a row can never
-- point into another office's plan whatever the policies say. Reading: the office's
-- members, consultants assigned to the office, and the network's admins where the office
-- released that plan (plan.released_at). Writing: the office's members; which member may do
-- what (the head decides the measures, staff update their activities) is can() in
-- app/platform/auth/can.ts.

CREATE TYPE "plan_phase" AS ENUM ('INITIIERUNG', 'PLANUNG', 'MOBILISIERUNG', 'UMSETZUNG', 'KONSOLIDIERUNG');
CREATE TYPE "activity_status" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'DONE');
CREATE TYPE "consolidation_decision" AS ENUM ('KEEP', 'ADJUST', 'END');

-- Consultants assigned to an office by the network's admins (the consulting issue builds
-- requests on it); an assigned consultant reads the office's plan.
CREATE TABLE "consultant_assignment" (
    "network_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "consultant_id" UUID NOT NULL,
    "assigned_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "assigned_by_id" UUID NOT NULL,
    CONSTRAINT "consultant_assignment_pkey" PRIMARY KEY ("office_id", "consultant_id"),
    CONSTRAINT "consultant_assignment_office_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE CASCADE,
    CONSTRAINT "consultant_assignment_network_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE CASCADE,
    CONSTRAINT "consultant_assignment_consultant_fkey" FOREIGN KEY ("consultant_id") REFERENCES "user_account"("id") ON DELETE CASCADE
);
CREATE INDEX "consultant_assignment_consultant_idx" ON "consultant_assignment"("consultant_id");
CREATE TRIGGER "consultant_assignment_office_in_own_network" BEFORE INSERT OR UPDATE OF "network_id", "office_id" ON "consultant_assignment"
    FOR EACH ROW EXECUTE FUNCTION office_in_own_network();

CREATE TABLE "plan" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "network_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    -- 1 for the first plan; a follow-up cycle starts the next number, the old plan is kept (closed).
    "cycle" INTEGER NOT NULL DEFAULT 1,
    -- The round whose priorities started it (null: started empty).
    "source_round_id" UUID,
    "phase" "plan_phase" NOT NULL DEFAULT 'INITIIERUNG',
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_by_id" UUID NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    "released_at" TIMESTAMPTZ(3),
    "released_by_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_office_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE CASCADE,
    CONSTRAINT "plan_network_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE CASCADE,
    CONSTRAINT "plan_source_round_fkey" FOREIGN KEY ("source_round_id") REFERENCES "assessment_round"("id") ON DELETE SET NULL,
    CONSTRAINT "plan_cycle_positive" CHECK ("cycle" >= 1)
);
CREATE UNIQUE INDEX "plan_id_office_key" ON "plan"("id", "office_id");
CREATE UNIQUE INDEX "plan_office_cycle_key" ON "plan"("office_id", "cycle");
-- One open plan per office.
CREATE UNIQUE INDEX "plan_one_open_per_office" ON "plan"("office_id") WHERE "closed_at" IS NULL;
CREATE INDEX "plan_network_idx" ON "plan"("network_id");
CREATE TRIGGER "plan_office_in_own_network" BEFORE INSERT OR UPDATE OF "network_id", "office_id" ON "plan"
    FOR EACH ROW EXECUTE FUNCTION office_in_own_network();

CREATE TABLE "plan_measure" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    -- A catalogue measure, or null for the office's own measure (own_title then set).
    "measure_id" UUID,
    "own_title" TEXT,
    -- Why it is in the plan: 'priority' (proposed from the round), 'catalogue', 'own'.
    "origin" TEXT NOT NULL,
    -- The intended result (from the catalogue's "Ergebnis", editable).
    "intended_result" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL DEFAULT 0,
    -- Set when its last activity is done (cleared when one is reopened).
    "completed_at" TIMESTAMPTZ(3),
    -- The consolidation check (Konsolidierung): successful? results reached? keep or adjust?
    "consolidation_successful" BOOLEAN,
    "consolidation_results" TEXT,
    "consolidation_decision" "consolidation_decision",
    "consolidation_notes" TEXT,
    "consolidated_at" TIMESTAMPTZ(3),
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "added_by_id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_measure_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_measure_plan_fkey" FOREIGN KEY ("plan_id", "office_id") REFERENCES "plan"("id", "office_id") ON DELETE CASCADE,
    CONSTRAINT "plan_measure_measure_fkey" FOREIGN KEY ("measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT,
    CONSTRAINT "plan_measure_title" CHECK (("measure_id" IS NULL) = ("own_title" IS NOT NULL)),
    CONSTRAINT "plan_measure_origin" CHECK ("origin" IN ('priority', 'catalogue', 'own'))
);
CREATE UNIQUE INDEX "plan_measure_key" ON "plan_measure"("id", "plan_id", "office_id");
CREATE UNIQUE INDEX "plan_measure_once" ON "plan_measure"("plan_id", "measure_id") WHERE "measure_id" IS NOT NULL;
CREATE INDEX "plan_measure_office_idx" ON "plan_measure"("office_id");
CREATE INDEX "plan_measure_measure_idx" ON "plan_measure"("measure_id");

CREATE TABLE "plan_activity" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "plan_measure_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "title" TEXT NOT NULL,
    "status" "activity_status" NOT NULL DEFAULT 'NOT_STARTED',
    "starts_on" DATE,
    "ends_on" DATE,
    -- A member of the office, or a name (someone outside the portal).
    "responsible_user_id" UUID,
    "responsible_name" TEXT,
    "participants" TEXT NOT NULL DEFAULT '',
    "resources" TEXT NOT NULL DEFAULT '',
    "remarks" TEXT NOT NULL DEFAULT '',
    "done_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_activity_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_activity_measure_fkey" FOREIGN KEY ("plan_measure_id", "plan_id", "office_id") REFERENCES "plan_measure"("id", "plan_id", "office_id") ON DELETE CASCADE,
    CONSTRAINT "plan_activity_responsible_fkey" FOREIGN KEY ("responsible_user_id") REFERENCES "user_account"("id") ON DELETE SET NULL,
    CONSTRAINT "plan_activity_time_frame" CHECK ("starts_on" IS NULL OR "ends_on" IS NULL OR "starts_on" <= "ends_on")
);
CREATE UNIQUE INDEX "plan_activity_key" ON "plan_activity"("id", "plan_id", "office_id");
CREATE INDEX "plan_activity_measure_idx" ON "plan_activity"("plan_measure_id");
CREATE INDEX "plan_activity_plan_idx" ON "plan_activity"("plan_id");
CREATE INDEX "plan_activity_responsible_idx" ON "plan_activity"("responsible_user_id") WHERE "status" <> 'DONE';

-- Aktueller Sachstand: dated entries per activity.
CREATE TABLE "plan_activity_update" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "activity_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "noted_on" DATE NOT NULL,
    "body" TEXT NOT NULL,
    "author_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_activity_update_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_activity_update_activity_fkey" FOREIGN KEY ("activity_id", "plan_id", "office_id") REFERENCES "plan_activity"("id", "plan_id", "office_id") ON DELETE CASCADE
);
CREATE INDEX "plan_activity_update_activity_idx" ON "plan_activity_update"("activity_id", "noted_on");

CREATE TABLE "plan_milestone" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "plan_measure_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "due_on" DATE,
    "reached_on" DATE,
    "position" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "plan_milestone_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_milestone_measure_fkey" FOREIGN KEY ("plan_measure_id", "plan_id", "office_id") REFERENCES "plan_measure"("id", "plan_id", "office_id") ON DELETE CASCADE
);
CREATE INDEX "plan_milestone_measure_idx" ON "plan_milestone"("plan_measure_id");

-- The five phases' checklist (Teil B): one row per ticked task; the task keys are in
-- app/domains/plan/phases.ts.
CREATE TABLE "plan_phase_task" (
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "task_key" TEXT NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "done_by_id" UUID NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    CONSTRAINT "plan_phase_task_pkey" PRIMARY KEY ("plan_id", "task_key"),
    CONSTRAINT "plan_phase_task_plan_fkey" FOREIGN KEY ("plan_id", "office_id") REFERENCES "plan"("id", "office_id") ON DELETE CASCADE
);

-- Review meetings of the Umsetzungsphase: answers to the review questions (keyed as in
-- app/domains/plan/phases.ts) and notes.
CREATE TABLE "plan_review" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "held_on" DATE NOT NULL,
    "answers" JSONB NOT NULL DEFAULT '{}',
    "notes" TEXT NOT NULL DEFAULT '',
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_review_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_review_plan_fkey" FOREIGN KEY ("plan_id", "office_id") REFERENCES "plan"("id", "office_id") ON DELETE CASCADE
);
CREATE INDEX "plan_review_plan_idx" ON "plan_review"("plan_id", "held_on");

-- Gesamtkonzept (Arbeitshilfe 4.1), one per plan (= per office and cycle).
CREATE TABLE "plan_strategy" (
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "guiding_idea" TEXT NOT NULL DEFAULT '',
    -- [{ "goalId": uuid, "adopted": boolean, "wording": text }] for the 12 model goals.
    "goals" JSONB NOT NULL DEFAULT '[]',
    "need_for_change" TEXT NOT NULL DEFAULT '',
    "successes" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" UUID,
    CONSTRAINT "plan_strategy_pkey" PRIMARY KEY ("plan_id"),
    CONSTRAINT "plan_strategy_plan_fkey" FOREIGN KEY ("plan_id", "office_id") REFERENCES "plan"("id", "office_id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "plan_strategy_plan_id_office_id_key" ON "plan_strategy"("plan_id", "office_id");

-- Files kept with a plan measure (a process description, a flyer draft): stored through
-- app/platform/storage, served only by the authorised download route.
CREATE TABLE "plan_attachment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "plan_measure_id" UUID NOT NULL,
    "plan_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "storage_key" TEXT NOT NULL,
    "file_name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size_bytes" INTEGER NOT NULL,
    "uploaded_by_id" UUID NOT NULL,
    "uploaded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_attachment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "plan_attachment_measure_fkey" FOREIGN KEY ("plan_measure_id", "plan_id", "office_id") REFERENCES "plan_measure"("id", "plan_id", "office_id") ON DELETE CASCADE
);
CREATE INDEX "plan_attachment_measure_idx" ON "plan_attachment"("plan_measure_id");

-- The team workshop (Arbeitshilfe 1.3): the team's notes per reflection question and round.
CREATE TABLE "workshop_note" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "round_id" UUID NOT NULL,
    "office_id" UUID NOT NULL,
    "question_key" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "version" INTEGER NOT NULL DEFAULT 1,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_by_id" UUID,
    CONSTRAINT "workshop_note_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "workshop_note_participant_fkey" FOREIGN KEY ("round_id", "office_id") REFERENCES "round_participant"("round_id", "office_id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "workshop_note_key" ON "workshop_note"("round_id", "office_id", "question_key");

-- A person's choice to get (default) or not get reminders about their activities.
ALTER TABLE "user_account" ADD COLUMN "activity_reminders" BOOLEAN NOT NULL DEFAULT true;

-- Who may read an office's plans: its members and the consultants assigned to it.
CREATE FUNCTION app_plan_office_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT office_id FROM membership WHERE user_id = app_user_id() AND office_id IS NOT NULL
    UNION
    SELECT ca.office_id FROM consultant_assignment ca
    JOIN membership m ON m.user_id = ca.consultant_id AND m.network_id = ca.network_id AND m.role = 'CONSULTANT'
    WHERE ca.consultant_id = app_user_id()
$$;
-- The plans the acting network admin may read: those their offices released.
CREATE FUNCTION app_released_plan_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT p.id FROM plan p
    WHERE p.released_at IS NOT NULL
      AND p.network_id IN (SELECT network_id FROM membership WHERE user_id = app_user_id() AND role = 'NETWORK_ADMIN')
$$;
REVOKE ALL ON FUNCTION app_plan_office_ids() FROM PUBLIC;
REVOKE ALL ON FUNCTION app_released_plan_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_plan_office_ids() TO abh_app;
GRANT EXECUTE ON FUNCTION app_released_plan_ids() TO abh_app;

ALTER TABLE "consultant_assignment" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "consultant_assignment" FORCE ROW LEVEL SECURITY;
CREATE POLICY "consultant_assignment_read" ON "consultant_assignment" FOR SELECT USING (
    "network_id" IN (SELECT app_admin_network_ids()) OR "consultant_id" = app_user_id() OR "office_id" IN (SELECT app_office_ids()));
CREATE POLICY "consultant_assignment_insert" ON "consultant_assignment" FOR INSERT
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()));
CREATE POLICY "consultant_assignment_delete" ON "consultant_assignment" FOR DELETE
    USING ("network_id" IN (SELECT app_admin_network_ids()));
GRANT SELECT, INSERT, DELETE ON "consultant_assignment" TO abh_app;

ALTER TABLE "plan" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "plan" FORCE ROW LEVEL SECURITY;
CREATE POLICY "plan_read" ON "plan" FOR SELECT USING (
    "office_id" IN (SELECT app_plan_office_ids()) OR "id" IN (SELECT app_released_plan_ids()));
-- Only the office's head starts a plan (a new cycle included).
CREATE POLICY "plan_insert" ON "plan" FOR INSERT WITH CHECK (
    "office_id" IN (SELECT app_head_office_ids()) AND "started_by_id" = app_user_id());
CREATE POLICY "plan_update" ON "plan" FOR UPDATE
    USING ("office_id" IN (SELECT app_office_ids()))
    WITH CHECK ("office_id" IN (SELECT app_office_ids()));
GRANT SELECT, INSERT, UPDATE ON "plan" TO abh_app;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['plan_measure', 'plan_activity', 'plan_activity_update', 'plan_milestone',
                             'plan_phase_task', 'plan_review', 'plan_strategy', 'plan_attachment'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT USING ("office_id" IN (SELECT app_plan_office_ids()) OR "plan_id" IN (SELECT app_released_plan_ids()))', t || '_read', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR INSERT WITH CHECK ("office_id" IN (SELECT app_office_ids()))', t || '_insert', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR UPDATE USING ("office_id" IN (SELECT app_office_ids())) WITH CHECK ("office_id" IN (SELECT app_office_ids()))', t || '_update', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR DELETE USING ("office_id" IN (SELECT app_office_ids()))', t || '_delete', t);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO abh_app', t);
    END LOOP;
END
$$;

ALTER TABLE "workshop_note" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "workshop_note" FORCE ROW LEVEL SECURITY;
CREATE POLICY "workshop_note_read" ON "workshop_note" FOR SELECT USING ("office_id" IN (SELECT app_plan_office_ids()));
CREATE POLICY "workshop_note_insert" ON "workshop_note" FOR INSERT WITH CHECK ("office_id" IN (SELECT app_office_ids()));
CREATE POLICY "workshop_note_update" ON "workshop_note" FOR UPDATE
    USING ("office_id" IN (SELECT app_office_ids())) WITH CHECK ("office_id" IN (SELECT app_office_ids()));
GRANT SELECT, INSERT, UPDATE ON "workshop_note" TO abh_app;
