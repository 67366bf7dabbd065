-- Access to the anonymous staff survey (Muster-Fragebogen, issue #4 item 6).
--
-- Trust rules, enforced here rather than in the application:
-- * Office heads start their office's survey (only for an assessment of a round that has
--   begun and is not closed), change its end date and add invitation codes (hashes only).
--   Office members read the survey row. Nobody in the portal reads a code row.
-- * An answerer has no account: the portal sets app.survey_code_hash for the one
--   transaction in which it looks the code up or submits (withSurveyCode in app/db.server.ts).
-- * abh_app has no privilege on survey_response at all. An answer is written only by
--   survey_submit(), which marks the code used and inserts the answer in the same
--   transaction (one answer per code, nothing after the end date), and is read only as
--   counts: survey_response_count() and survey_results(), the latter only once the
--   survey has ended and the network's survey_threshold is reached, and only for members of
--   the survey's office.
-- The SECURITY DEFINER functions run as the migrations' owner, which (like the owner of
-- every aggregates-only function, decision 0005) must bypass row-level security.

-- Set only while a survey code is looked up or used, to the sha256 hash of the code.
CREATE FUNCTION app_survey_code_hash() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.survey_code_hash', true), '')
$$;

-- The assessments of the offices the acting user heads.
CREATE FUNCTION app_head_assessment_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.id FROM assessment a
    WHERE a.office_id IN (SELECT office_id FROM membership WHERE user_id = app_user_id() AND role = 'OFFICE_HEAD')
$$;
-- Those of them whose round has begun and is not closed: only these may start a survey.
CREATE FUNCTION app_head_open_assessment_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT a.id FROM assessment a JOIN assessment_round r ON r.id = a.round_id
    WHERE a.office_id IN (SELECT office_id FROM membership WHERE user_id = app_user_id() AND role = 'OFFICE_HEAD')
      AND r.closed_at IS NULL AND r.opens_at <= now()
$$;
-- Surveys of the offices the acting user heads / belongs to.
CREATE FUNCTION app_head_survey_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.id FROM survey s WHERE s.assessment_id IN (SELECT app_head_assessment_ids())
$$;
CREATE FUNCTION app_member_survey_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.id FROM survey s WHERE s.assessment_id IN (SELECT app_office_assessment_ids())
$$;

-- ─── Grants and policies ───────────────────────────────────────────────────
GRANT SELECT, INSERT ON "survey" TO abh_app;
GRANT UPDATE ("closes_at") ON "survey" TO abh_app;
-- Codes are only ever inserted by the portal (createMany, no RETURNING): no head can look
-- up whether a code was used.
GRANT INSERT ON "survey_code" TO abh_app;
-- survey_response: deliberately no grant (see above).

CREATE POLICY "survey_read" ON "survey" FOR SELECT
    USING ("assessment_id" IN (SELECT app_office_assessment_ids()));
CREATE POLICY "survey_insert" ON "survey" FOR INSERT
    WITH CHECK ("assessment_id" IN (SELECT app_head_open_assessment_ids()) AND "created_by_id" = app_user_id());
CREATE POLICY "survey_update" ON "survey" FOR UPDATE
    USING ("assessment_id" IN (SELECT app_head_assessment_ids()))
    WITH CHECK ("assessment_id" IN (SELECT app_head_assessment_ids()));

CREATE POLICY "survey_code_insert" ON "survey_code" FOR INSERT
    WITH CHECK ("survey_id" IN (SELECT app_head_survey_ids()) AND NOT "used");

-- ─── The answerer's side ────────────────────────────────────────────────────
-- What the holder of the code in app.survey_code_hash may know about it: whether it
-- exists, is used, until when the survey runs, for which office and round. No row: unknown.
CREATE FUNCTION survey_code_lookup()
RETURNS TABLE (survey_id uuid, closes_at timestamptz, used boolean, office_name text, round_name text, framework_version_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.id, s.closes_at, c.used, o.name, r.name, r.framework_version_id
    FROM survey_code c
    JOIN survey s ON s.id = c.survey_id
    JOIN assessment a ON a.id = s.assessment_id
    JOIN assessment_round r ON r.id = a.round_id
    JOIN office o ON o.id = a.office_id
    WHERE c.code_hash = app_survey_code_hash()
$$;

-- Submits one answer for the code in app.survey_code_hash: 'ok', or 'unknown' / 'used' /
-- 'closed' with nothing changed. p_answers must hold every work field code of the round's
-- framework version, each 1–4 (unwichtig … sehr wichtig) or null (kann ich nicht beurteilen).
-- The code row is locked, so a double submit waits and then finds it used.
CREATE FUNCTION survey_submit(p_answers jsonb) RETURNS text
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
    -- clock_timestamp(): the moment of the answer, not of the transaction's start.
    IF v_closes <= clock_timestamp() THEN RETURN 'closed'; END IF;
    IF jsonb_typeof(p_answers) IS DISTINCT FROM 'object'
       OR (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(p_answers) k)
          IS DISTINCT FROM (SELECT array_agg(w.code ORDER BY w.code) FROM work_field w WHERE w.framework_version_id = v_version)
       OR EXISTS (SELECT 1 FROM jsonb_each(p_answers) e
                  WHERE jsonb_typeof(e.value) <> 'null' AND e.value::text NOT IN ('1', '2', '3', '4'))
    THEN
        RAISE EXCEPTION 'survey answers do not match the statements' USING ERRCODE = 'check_violation';
    END IF;
    UPDATE survey_code SET used = true WHERE code_hash = app_survey_code_hash();
    INSERT INTO survey_response (survey_id, answers) VALUES (v_survey, p_answers);
    RETURN 'ok';
END
$$;

-- ─── Results: counts only ──────────────────────────────────────────────────
-- Number of answers, for members of the survey's office; NULL for anyone else.
CREATE FUNCTION survey_response_count(p_survey uuid) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT CASE WHEN p_survey IN (SELECT app_member_survey_ids())
        THEN (SELECT count(*)::int FROM survey_response WHERE survey_id = p_survey) END
$$;
-- Number of invitation codes issued (used or not), for the office's heads; NULL otherwise.
CREATE FUNCTION survey_code_count(p_survey uuid) RETURNS integer
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT CASE WHEN p_survey IN (SELECT app_head_survey_ids())
        THEN (SELECT count(*)::int FROM survey_code WHERE survey_id = p_survey) END
$$;
-- The distribution per statement: how many answered each value (NULL = "kann ich nicht
-- beurteilen"). No rows unless the caller is a member of the survey's office and at
-- least the network's survey_threshold answers are in.
CREATE FUNCTION survey_results(p_survey uuid) RETURNS TABLE (statement text, answer integer, responses integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT e.key, (e.value #>> '{}')::int, count(*)::int
    FROM survey_response r CROSS JOIN LATERAL jsonb_each(r.answers) e
    WHERE r.survey_id = p_survey
      AND p_survey IN (SELECT app_member_survey_ids())
      -- Only after the survey has ended: results that grow answer by answer would let a
      -- head who watches them tell what the latest person answered (differencing).
      AND (SELECT s.closes_at FROM survey s WHERE s.id = p_survey) <= now()
      AND (SELECT count(*) FROM survey_response x WHERE x.survey_id = p_survey) >= (
          SELECT n.survey_threshold FROM survey s
          JOIN assessment a ON a.id = s.assessment_id JOIN office o ON o.id = a.office_id JOIN network n ON n.id = o.network_id
          WHERE s.id = p_survey)
    GROUP BY 1, 2
$$;

REVOKE ALL ON FUNCTION app_head_assessment_ids(), app_head_open_assessment_ids(), app_head_survey_ids(), app_member_survey_ids(),
    survey_code_lookup(), survey_submit(jsonb), survey_response_count(uuid), survey_code_count(uuid), survey_results(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_survey_code_hash(), app_head_assessment_ids(), app_head_open_assessment_ids(), app_head_survey_ids(),
    app_member_survey_ids(), survey_code_lookup(), survey_submit(jsonb), survey_response_count(uuid), survey_code_count(uuid),
    survey_results(uuid) TO abh_app;
