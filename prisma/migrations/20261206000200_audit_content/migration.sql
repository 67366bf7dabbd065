-- What an office wrote stays in the office, also in the audit log (issue 19, items 3 and 11).
--
-- * audit_event keeps who did what and when, for everyone allowed to read the log
--   (network admins their network, heads their office, everyone their own events).
-- * audit_content holds the content of an entry – the old → new values of the office's
--   joint assessment (a goal's rating, comment, evidence, links; a measure's need, effort,
--   priority and reason). Row-level security shows it to members of that office only; a
--   network admin reads the event without it ("Ziel 3 gespeichert: Bewertung, Kommentar").
-- * A team member's own rating and reasons are kept nowhere in the log, not even for the
--   office: the current value is in the assessment, and earlier drafts of a person's own
--   view under their name are theirs (the log says only that they saved, and which fields).
-- * audit_append: a signed-in user writes events only as themselves and only for networks
--   and offices they belong to (admins: every office of their network). Without a user
--   (sign-in, reset, the reminder job) only network-less account events, and the automatic
--   reminder whose record this very transaction wrote.

CREATE TABLE "audit_content" (
    "event_id" BIGINT NOT NULL,
    "office_id" UUID NOT NULL,
    "details" JSONB NOT NULL,
    CONSTRAINT "audit_content_pkey" PRIMARY KEY ("event_id"),
    CONSTRAINT "audit_content_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "audit_event"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "audit_content_office_id_idx" ON "audit_content"("office_id");

-- Entries written before: move the joint content out of the readable event, drop a team
-- member's own values entirely, and leave only the names of the changed fields behind.
INSERT INTO "audit_content" ("event_id", "office_id", "details")
SELECT "id", "office_id", jsonb_build_object('changes', "details" -> 'changes')
FROM "audit_event"
WHERE "action" IN ('assessment.goal_saved', 'assessment.measure_saved')
  AND "office_id" IS NOT NULL
  AND jsonb_typeof("details" -> 'changes') = 'object';

UPDATE "audit_event"
SET "details" = ("details" - 'changes') || jsonb_build_object('fields', COALESCE(
        (SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys("details" -> 'changes') AS k), '[]'::jsonb))
WHERE jsonb_typeof("details" -> 'changes') = 'object'
  AND "action" LIKE 'assessment.%';

ALTER TABLE "audit_content" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_content" FORCE ROW LEVEL SECURITY;
CREATE POLICY "audit_content_read" ON "audit_content" FOR SELECT
    USING ("office_id" IN (SELECT app_office_ids()));
-- Only the author of the event, a member of the office, attaches its content.
CREATE POLICY "audit_content_append" ON "audit_content" FOR INSERT
    WITH CHECK ("office_id" IN (SELECT app_office_ids()) AND EXISTS (
        SELECT 1 FROM "audit_event" e
        WHERE e."id" = "event_id" AND e."office_id" = "audit_content"."office_id" AND e."actor_id" = app_user_id()));
GRANT SELECT, INSERT ON "audit_content" TO abh_app;

-- The automatic reminder (no user): allowed only for the reminder this transaction just
-- recorded (app_record_reminder), for that assessment's office and network. Returns a
-- boolean about the caller's own transaction, nothing about anyone's data.
CREATE FUNCTION app_reminder_recorded_here(p_target text, p_network uuid, p_office uuid)
RETURNS boolean LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF p_target IS NULL OR p_target !~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN
        RETURN false;
    END IF;
    RETURN EXISTS (
        SELECT 1 FROM assessment_reminder r
        JOIN assessment a ON a.id = r.assessment_id
        JOIN assessment_round ar ON ar.id = a.round_id
        WHERE r.assessment_id = p_target::uuid AND a.office_id = p_office AND ar.network_id = p_network
          AND r.xmin::text = (pg_current_xact_id()::text::bigint % 4294967296)::text);
END
$$;
REVOKE ALL ON FUNCTION app_reminder_recorded_here(text, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_reminder_recorded_here(text, uuid, uuid) TO abh_app;

DROP POLICY "audit_append" ON "audit_event";
CREATE POLICY "audit_append" ON "audit_event" FOR INSERT WITH CHECK (
    CASE WHEN app_user_id() IS NULL THEN
        ("network_id" IS NULL AND "office_id" IS NULL AND ("action" LIKE 'auth.%' OR "action" LIKE 'account.%'))
        OR ("action" = 'round.reminder_sent' AND "actor_id" IS NULL
            AND app_reminder_recorded_here("target_id", "network_id", "office_id"))
    ELSE
        "actor_id" IS NOT DISTINCT FROM app_user_id()
        AND ("network_id" IS NULL OR "network_id" IN (SELECT app_network_ids()))
        AND ("office_id" IS NULL OR EXISTS (
            SELECT 1 FROM "office" o
            WHERE o."id" = "audit_event"."office_id" AND o."network_id" = "audit_event"."network_id"
              AND (o."id" IN (SELECT app_office_ids()) OR o."network_id" IN (SELECT app_admin_network_ids()))))
    END);
