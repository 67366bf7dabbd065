-- The staff survey's threshold holds against the office head too (issue #19 item 8).
--
-- Before: the head received every one-time code, could answer k − 1 of them, end the
-- survey early and read the one remaining colleague's answers; and could move the end
-- date of an ended survey again (reopen it).
--
-- Now:
-- * A code counts towards the threshold only if the head never held it: it was generated
--   for one named staff member of the office (survey_invite_member, e-mailed by the portal
--   to the address of that person's account, never shown to the head) and it was not
--   answered from a browser signed in as a head of the office. Codes the head sees
--   (printed codes) are still accepted, but never count. survey_results() shows the
--   distribution only once at least survey_threshold *counting* codes have been used:
--   whatever the head answered himself, at least k answers behind the figures are
--   unknown to him.
-- * Which code went to whom is stored nowhere: survey_invitee says only that a person got
--   a code (one per person and survey), survey_code has no recipient.
-- * An ended survey cannot be reopened and no end date can be moved later: survey_update
--   only reaches running surveys, and a trigger (for every role) lets closes_at only move
--   earlier, and not at all once it has passed.

-- ─── Codes that count ──────────────────────────────────────────────────────
-- Set only by survey_invite_member(); cleared when the code is answered from a head's
-- session. Existing codes were all shown to the head, so they do not count.
ALTER TABLE "survey_code" ADD COLUMN "counts" BOOLEAN NOT NULL DEFAULT false;

-- Who got a personal code for a survey (not which code, not whether it was used).
CREATE TABLE "survey_invitee" (
    "survey_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    CONSTRAINT "survey_invitee_pkey" PRIMARY KEY ("survey_id", "user_id"),
    CONSTRAINT "survey_invitee_survey_id_fkey" FOREIGN KEY ("survey_id") REFERENCES "survey"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "survey_invitee_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "survey_invitee_user_id_idx" ON "survey_invitee"("user_id");
ALTER TABLE "survey_invitee" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "survey_invitee" FORCE ROW LEVEL SECURITY;
-- Read by the office's heads; written only by survey_invite_member().
GRANT SELECT ON "survey_invitee" TO abh_app;
CREATE POLICY "survey_invitee_read" ON "survey_invitee" FOR SELECT
    USING ("survey_id" IN (SELECT app_head_survey_ids()));

-- The portal inserts only codes that do not count (printed codes).
DROP POLICY "survey_code_insert" ON "survey_code";
CREATE POLICY "survey_code_insert" ON "survey_code" FOR INSERT
    WITH CHECK ("survey_id" IN (SELECT app_head_survey_ids()) AND NOT "used" AND NOT "counts");

-- A personal, counting code for one staff member of the survey's office: 'ok', or
-- 'closed' (survey or round over), 'not_staff' (not a staff member of the office, or also
-- one of its heads), 'invited' (already has a code for this survey) with nothing changed.
-- Only a head of the office may call it; the code itself never reaches the database.
CREATE FUNCTION survey_invite_member(p_survey uuid, p_user uuid, p_code_hash text) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_office uuid;
    v_closes timestamptz;
    v_round_closed timestamptz;
BEGIN
    IF p_survey IS NULL OR p_survey NOT IN (SELECT app_head_survey_ids()) THEN
        RAISE EXCEPTION 'not a head of this survey''s office' USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT a.office_id, s.closes_at, r.closed_at INTO v_office, v_closes, v_round_closed
    FROM survey s JOIN assessment a ON a.id = s.assessment_id JOIN assessment_round r ON r.id = a.round_id
    WHERE s.id = p_survey FOR UPDATE OF s;
    IF v_closes <= clock_timestamp() OR v_round_closed IS NOT NULL THEN RETURN 'closed'; END IF;
    IF NOT EXISTS (SELECT 1 FROM membership m WHERE m.user_id = p_user AND m.office_id = v_office AND m.role = 'OFFICE_STAFF')
       OR EXISTS (SELECT 1 FROM membership m WHERE m.user_id = p_user AND m.office_id = v_office AND m.role = 'OFFICE_HEAD')
    THEN
        RETURN 'not_staff';
    END IF;
    INSERT INTO survey_invitee (survey_id, user_id) VALUES (p_survey, p_user) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN RETURN 'invited'; END IF;
    INSERT INTO survey_code (code_hash, survey_id, used, counts) VALUES (p_code_hash, p_survey, false, true);
    RETURN 'ok';
END
$$;

-- ─── Answers ───────────────────────────────────────────────────────────────
-- As before, plus p_from_head: the answer comes from a browser signed in as a head of the
-- survey's office. It is stored like any other, but its code stops counting. Nothing of
-- the kind is stored with the answer.
DROP FUNCTION survey_submit(jsonb);
CREATE FUNCTION survey_submit(p_answers jsonb, p_from_head boolean) RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public AS $$
DECLARE
    v_survey uuid;
    v_used boolean;
    v_closes timestamptz;
    v_version uuid;
BEGIN
    SELECT c.survey_id, c.used INTO v_survey, v_used FROM survey_code c
    WHERE c.code_hash = app_survey_code_hash() FOR UPDATE;
    IF NOT FOUND THEN RETURN 'unknown'; END IF;
    IF v_used THEN RETURN 'used'; END IF;
    SELECT s.closes_at, r.framework_version_id INTO v_closes, v_version
    FROM survey s JOIN assessment a ON a.id = s.assessment_id JOIN assessment_round r ON r.id = a.round_id
    WHERE s.id = v_survey;
    IF v_closes <= clock_timestamp() THEN RETURN 'closed'; END IF;
    IF jsonb_typeof(p_answers) IS DISTINCT FROM 'object'
       OR (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(p_answers) k)
          IS DISTINCT FROM (SELECT array_agg(w.code ORDER BY w.code) FROM work_field w WHERE w.framework_version_id = v_version)
       OR EXISTS (SELECT 1 FROM jsonb_each(p_answers) e
                  WHERE jsonb_typeof(e.value) <> 'null' AND e.value::text NOT IN ('1', '2', '3', '4'))
    THEN
        RAISE EXCEPTION 'survey answers do not match the statements' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE survey_code SET used = true, counts = counts AND NOT coalesce(p_from_head, true)
    WHERE code_hash = app_survey_code_hash();
    INSERT INTO survey_response (survey_id, answers) VALUES (v_survey, p_answers);
    RETURN 'ok';
END
$$;

-- ─── Results ───────────────────────────────────────────────────────────────
-- Answers from codes that count (see above), for members of the survey's office.
CREATE FUNCTION survey_counted_count(p_survey uuid) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT CASE WHEN p_survey IN (SELECT app_member_survey_ids())
        THEN (SELECT count(*)::int FROM survey_code WHERE survey_id = p_survey AND used AND counts) END
$$;

-- As before, but the threshold is met only by answers from codes that count.
CREATE OR REPLACE FUNCTION survey_results(p_survey uuid) RETURNS TABLE (statement text, answer integer, responses integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT e.key, (e.value #>> '{}')::int, count(*)::int
    FROM survey_response r CROSS JOIN LATERAL jsonb_each(r.answers) e
    WHERE r.survey_id = p_survey
      AND p_survey IN (SELECT app_member_survey_ids())
      AND (SELECT s.closes_at FROM survey s WHERE s.id = p_survey) <= now()
      AND (SELECT count(*) FROM survey_code c WHERE c.survey_id = p_survey AND c.used AND c.counts) >= (
          SELECT n.survey_threshold FROM survey s
          JOIN assessment a ON a.id = s.assessment_id JOIN office o ON o.id = a.office_id JOIN network n ON n.id = o.network_id
          WHERE s.id = p_survey)
    GROUP BY 1, 2
$$;

-- ─── No reopening ──────────────────────────────────────────────────────────
DROP POLICY "survey_update" ON "survey";
CREATE POLICY "survey_update" ON "survey" FOR UPDATE
    USING ("assessment_id" IN (SELECT app_head_assessment_ids()) AND "closes_at" > now())
    WITH CHECK ("assessment_id" IN (SELECT app_head_assessment_ids()));

-- For every role, the owner included: an end date only ever moves earlier, and an end
-- date that has passed stays.
CREATE FUNCTION survey_end_only_earlier() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.closes_at IS DISTINCT FROM OLD.closes_at THEN
        IF OLD.closes_at <= clock_timestamp() THEN
            RAISE EXCEPTION 'survey % has ended and cannot be reopened', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.closes_at > OLD.closes_at THEN
            RAISE EXCEPTION 'the end of survey % can only be brought forward', OLD.id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER "survey_end_only_earlier" BEFORE UPDATE ON "survey"
    FOR EACH ROW EXECUTE FUNCTION survey_end_only_earlier();

REVOKE ALL ON FUNCTION survey_invite_member(uuid, uuid, text), survey_submit(jsonb, boolean), survey_counted_count(uuid),
    survey_end_only_earlier() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION survey_invite_member(uuid, uuid, text), survey_submit(jsonb, boolean), survey_counted_count(uuid)
    TO abh_app;
