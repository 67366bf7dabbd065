-- Issue 19, items 4 and 6.
--
-- Item 6 – no usable token at rest in the outbox. An e-mail carrying a single-use token
-- (invitation, password reset) is stored redacted (…/einladung/[entfernt]); the token
-- itself waits, sealed with the app's secret box, in sealed_token until the message is
-- delivered, and is erased by the same update that marks it SENT. Bodies of delivered
-- messages are emptied after EMAIL_KEEP_DAYS (bodies_deleted_at).
ALTER TABLE "email_message" ADD COLUMN "sealed_token" BYTEA;
ALTER TABLE "email_message" ADD COLUMN "bodies_deleted_at" TIMESTAMPTZ(3);

-- Messages stored before this migration still hold live links: redact them. One still
-- waiting for delivery then goes out without a usable link (ask for a new one); the
-- outbox normally drains within seconds, so at most a handful are affected.
UPDATE "email_message"
SET "html" = regexp_replace("html", '/(einladung|passwort-neu)/[A-Za-z0-9_-]+', '/\1/[entfernt]', 'g'),
    "text" = regexp_replace("text", '/(einladung|passwort-neu)/[A-Za-z0-9_-]+', '/\1/[entfernt]', 'g')
WHERE "template" IN ('invitation', 'password-reset');

-- The request path may add messages, but not read or change them: bodies are for the
-- outbox's delivery (app.outbox = 'deliver', set per transaction by asOutbox() in
-- app/email/outbox.server.ts) and, outside production, the local mailbox (read only).
CREATE FUNCTION app_outbox_access() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.outbox', true), '')
$$;
ALTER TABLE "email_message" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "email_message" FORCE ROW LEVEL SECURITY;
-- A new message starts pending, unsent and untried.
CREATE POLICY "email_message_enqueue" ON "email_message" FOR INSERT
    WITH CHECK ("status" = 'PENDING' AND "attempts" = 0 AND "sent_at" IS NULL AND "provider_id" IS NULL);
CREATE POLICY "email_message_deliver" ON "email_message" FOR ALL
    USING (app_outbox_access() = 'deliver') WITH CHECK (app_outbox_access() = 'deliver');
CREATE POLICY "email_message_mailbox" ON "email_message" FOR SELECT
    USING (app_outbox_access() = 'mailbox');

-- Item 4 – the ministry does not place people in an office: network admins invite the
-- network's roles and an office's heads; staff are invited by the office's heads.
DROP POLICY "invitation_insert" ON "invitation";
CREATE POLICY "invitation_insert" ON "invitation" FOR INSERT
    WITH CHECK (("network_id" IN (SELECT app_admin_network_ids()) AND ("office_id" IS NULL OR "role" = 'OFFICE_HEAD'))
                OR ("role" = 'OFFICE_STAFF' AND "office_id" IN (SELECT app_head_office_ids())));
