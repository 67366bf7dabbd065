-- Framework catalogue (versioned) and the network/office tenancy skeleton.

CREATE TYPE "office_kind" AS ENUM ('KREISFREIE_STADT', 'LANDKREIS', 'OTHER');

CREATE TABLE "framework_version" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "framework_version_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "framework_version_slug_key" ON "framework_version"("slug");

CREATE TABLE "design_area" (
    "id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    CONSTRAINT "design_area_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "design_area_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "design_area_framework_version_id_code_key" ON "design_area"("framework_version_id", "code");

CREATE TABLE "goal" (
    "id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "short_title" TEXT NOT NULL,
    "explanation" TEXT NOT NULL,
    "alternative_wording" TEXT,
    "alternative_wording_note" TEXT,
    CONSTRAINT "goal_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "goal_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "goal_number_check" CHECK ("number" BETWEEN 1 AND 99)
);
CREATE UNIQUE INDEX "goal_framework_version_id_number_key" ON "goal"("framework_version_id", "number");

CREATE TABLE "design_area_goal" (
    "design_area_id" UUID NOT NULL,
    "goal_id" UUID NOT NULL,
    CONSTRAINT "design_area_goal_pkey" PRIMARY KEY ("design_area_id", "goal_id"),
    CONSTRAINT "design_area_goal_design_area_id_fkey" FOREIGN KEY ("design_area_id")
        REFERENCES "design_area"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "design_area_goal_goal_id_fkey" FOREIGN KEY ("goal_id")
        REFERENCES "goal"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "design_area_goal_goal_id_idx" ON "design_area_goal"("goal_id");

CREATE TABLE "work_field" (
    "id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "goal_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    CONSTRAINT "work_field_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "work_field_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "work_field_goal_id_fkey" FOREIGN KEY ("goal_id")
        REFERENCES "goal"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "work_field_framework_version_id_code_key" ON "work_field"("framework_version_id", "code");
CREATE INDEX "work_field_goal_id_idx" ON "work_field"("goal_id");

CREATE TABLE "measure" (
    "id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "work_field_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "activities" TEXT[],
    "explanation" TEXT,
    CONSTRAINT "measure_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "measure_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "measure_work_field_id_fkey" FOREIGN KEY ("work_field_id")
        REFERENCES "work_field"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "measure_framework_version_id_code_key" ON "measure"("framework_version_id", "code");
CREATE INDEX "measure_work_field_id_idx" ON "measure"("work_field_id");

-- German full-text search over a measure. array_to_string is only STABLE, so the
-- vector is kept by a trigger rather than a generated column.
ALTER TABLE "measure" ADD COLUMN "search_vector" tsvector;
CREATE FUNCTION "measure_search_vector_update"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."search_vector" :=
        setweight(to_tsvector('german', coalesce(NEW."title", '')), 'A') ||
        setweight(to_tsvector('german', coalesce(NEW."result", '')), 'B') ||
        setweight(to_tsvector('german', coalesce(array_to_string(NEW."activities", ' '), '')), 'C') ||
        setweight(to_tsvector('german', coalesce(NEW."explanation", '')), 'D');
    RETURN NEW;
END
$$;
CREATE TRIGGER "measure_search_vector_trigger" BEFORE INSERT OR UPDATE ON "measure"
    FOR EACH ROW EXECUTE FUNCTION "measure_search_vector_update"();
CREATE INDEX "measure_search_vector_idx" ON "measure" USING GIN ("search_vector");

CREATE TABLE "measure_relation" (
    "from_measure_id" UUID NOT NULL,
    "to_measure_id" UUID NOT NULL,
    CONSTRAINT "measure_relation_pkey" PRIMARY KEY ("from_measure_id", "to_measure_id"),
    CONSTRAINT "measure_relation_from_measure_id_fkey" FOREIGN KEY ("from_measure_id")
        REFERENCES "measure"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "measure_relation_to_measure_id_fkey" FOREIGN KEY ("to_measure_id")
        REFERENCES "measure"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "measure_relation_not_self" CHECK ("from_measure_id" <> "to_measure_id")
);
CREATE INDEX "measure_relation_to_measure_id_idx" ON "measure_relation"("to_measure_id");

CREATE TABLE "working_aid" (
    "id" UUID NOT NULL,
    "framework_version_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    CONSTRAINT "working_aid_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "working_aid_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "working_aid_framework_version_id_code_key" ON "working_aid"("framework_version_id", "code");

CREATE TABLE "measure_working_aid" (
    "measure_id" UUID NOT NULL,
    "working_aid_id" UUID NOT NULL,
    CONSTRAINT "measure_working_aid_pkey" PRIMARY KEY ("measure_id", "working_aid_id"),
    CONSTRAINT "measure_working_aid_measure_id_fkey" FOREIGN KEY ("measure_id")
        REFERENCES "measure"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "measure_working_aid_working_aid_id_fkey" FOREIGN KEY ("working_aid_id")
        REFERENCES "working_aid"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "measure_working_aid_working_aid_id_idx" ON "measure_working_aid"("working_aid_id");

CREATE TABLE "rating_level" (
    "framework_version_id" UUID NOT NULL,
    "level" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    CONSTRAINT "rating_level_pkey" PRIMARY KEY ("framework_version_id", "level"),
    CONSTRAINT "rating_level_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "rating_level_level_check" CHECK ("level" BETWEEN 1 AND 5)
);

CREATE TABLE "network" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "is_demo" BOOLEAN NOT NULL DEFAULT false,
    "anonymity_threshold" INTEGER NOT NULL DEFAULT 5,
    "framework_version_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "network_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "network_framework_version_id_fkey" FOREIGN KEY ("framework_version_id")
        REFERENCES "framework_version"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "network_anonymity_threshold_check" CHECK ("anonymity_threshold" >= 3)
);
CREATE UNIQUE INDEX "network_slug_key" ON "network"("slug");
CREATE INDEX "network_framework_version_id_idx" ON "network"("framework_version_id");

CREATE TABLE "office" (
    "id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "office_kind" NOT NULL,
    "region" TEXT,
    "clients_served" INTEGER,
    "staff_count" INTEGER,
    "email" TEXT,
    "phone" TEXT,
    "address" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "office_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "office_network_id_fkey" FOREIGN KEY ("network_id")
        REFERENCES "network"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "office_clients_served_check" CHECK ("clients_served" IS NULL OR "clients_served" >= 0),
    CONSTRAINT "office_staff_count_check" CHECK ("staff_count" IS NULL OR "staff_count" >= 0)
);
CREATE UNIQUE INDEX "office_network_id_slug_key" ON "office"("network_id", "slug");
