-- Accounts, sessions, roles, invitations, audit log, email outbox, rate limits,
-- and row-level security for the tenant tables (docs/decisions/0004-tenancy.md).

CREATE TYPE "role" AS ENUM ('NETWORK_ADMIN', 'CONSULTANT', 'OFFICE_HEAD', 'OFFICE_STAFF', 'NETWORK_MEMBER');
CREATE TYPE "email_status" AS ENUM ('PENDING', 'SENDING', 'SENT', 'FAILED');

ALTER TABLE "office" ADD COLUMN "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
CREATE INDEX "office_network_id_idx" ON "office"("network_id");

CREATE TABLE "user_account" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'de',
    "password_hash" TEXT NOT NULL,
    "password_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "totp_secret" BYTEA,
    "totp_enabled_at" TIMESTAMPTZ(3),
    "totp_last_step" BIGINT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "user_account_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "user_account_email_lower" CHECK ("email" = lower("email")),
    CONSTRAINT "user_account_language_check" CHECK ("language" IN ('de', 'en'))
);
CREATE UNIQUE INDEX "user_account_email_key" ON "user_account"("email");

CREATE TABLE "session" (
    "id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "two_factor_verified" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "session_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

CREATE TABLE "membership" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "network_id" UUID NOT NULL,
    "office_id" UUID,
    "role" "role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_by_id" UUID,
    CONSTRAINT "membership_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "membership_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "membership_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    -- Office roles need an office; network roles must not have one.
    CONSTRAINT "membership_office_matches_role" CHECK (("role" IN ('OFFICE_HEAD', 'OFFICE_STAFF')) = ("office_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "membership_user_id_network_id_office_id_role_key" ON "membership"("user_id", "network_id", "office_id", "role") NULLS NOT DISTINCT;
CREATE INDEX "membership_network_id_idx" ON "membership"("network_id");
CREATE INDEX "membership_office_id_idx" ON "membership"("office_id");

CREATE TABLE "invitation" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "network_id" UUID NOT NULL,
    "office_id" UUID,
    "role" "role" NOT NULL,
    "invited_by_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "invitation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "invitation_network_id_fkey" FOREIGN KEY ("network_id") REFERENCES "network"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invitation_office_id_fkey" FOREIGN KEY ("office_id") REFERENCES "office"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "invitation_office_matches_role" CHECK (("role" IN ('OFFICE_HEAD', 'OFFICE_STAFF')) = ("office_id" IS NOT NULL))
);
CREATE UNIQUE INDEX "invitation_token_hash_key" ON "invitation"("token_hash");
CREATE INDEX "invitation_network_id_idx" ON "invitation"("network_id");
CREATE INDEX "invitation_office_id_idx" ON "invitation"("office_id");

CREATE TABLE "password_reset" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "password_reset_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "password_reset_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "password_reset_token_hash_key" ON "password_reset"("token_hash");
CREATE INDEX "password_reset_user_id_idx" ON "password_reset"("user_id");

CREATE TABLE "recovery_code" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    CONSTRAINT "recovery_code_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "recovery_code_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user_account"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "recovery_code_user_id_idx" ON "recovery_code"("user_id");

CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "network_id" UUID,
    "office_id" UUID,
    "actor_id" UUID,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "details" JSONB,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_event_network_id_created_at_idx" ON "audit_event"("network_id", "created_at");
CREATE INDEX "audit_event_office_id_created_at_idx" ON "audit_event"("office_id", "created_at");
CREATE INDEX "audit_event_actor_id_created_at_idx" ON "audit_event"("actor_id", "created_at");

CREATE TABLE "email_message" (
    "id" UUID NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "status" "email_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "provider_id" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "email_message_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "email_message_status_next_attempt_at_idx" ON "email_message"("status", "next_attempt_at");

CREATE TABLE "rate_limit" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,
    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- ─── The portal's database role ─────────────────────────────────────────────
-- The portal connects as abh_app: not superuser, no BYPASSRLS, owns no table, so
-- row-level security applies to it. Roles are cluster-wide, hence the guard.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'abh_app') THEN
        CREATE ROLE abh_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO abh_app;
-- The catalogue is reference data: read-only for the portal (seeding runs as owner).
GRANT SELECT ON "framework_version", "design_area", "design_area_goal", "goal", "work_field",
    "measure", "measure_relation", "working_aid", "measure_working_aid", "rating_level" TO abh_app;
GRANT SELECT ON "network" TO abh_app;
GRANT SELECT, INSERT, UPDATE ON "office" TO abh_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON "user_account", "session", "membership", "invitation",
    "password_reset", "recovery_code", "email_message", "rate_limit" TO abh_app;
-- The audit log is append-only for the portal.
GRANT SELECT, INSERT ON "audit_event" TO abh_app;
GRANT USAGE ON SEQUENCE "audit_event_id_seq" TO abh_app;

-- ─── Row-level security ─────────────────────────────────────────────────────
-- The acting user is set per transaction with set_config('app.user_id', …, true) by
-- withTenant() (app/db/tenant.server.ts). Unset reads as '' once used: NULLIF.
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.user_id', true), '')::uuid
$$;
-- Set only while an invitation is being accepted, to the hash of its token.
CREATE FUNCTION app_invitation_token_hash() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT NULLIF(current_setting('app.invitation_token_hash', true), '')
$$;

-- Membership look-ups for the policies. SECURITY DEFINER so that they read membership
-- without recursing into membership's own policy; they only ever return the acting
-- user's own memberships.
CREATE FUNCTION app_network_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT network_id FROM membership WHERE user_id = app_user_id()
$$;
CREATE FUNCTION app_admin_network_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT network_id FROM membership WHERE user_id = app_user_id() AND role = 'NETWORK_ADMIN'
$$;
CREATE FUNCTION app_office_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT office_id FROM membership WHERE user_id = app_user_id() AND office_id IS NOT NULL
$$;
CREATE FUNCTION app_head_office_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT office_id FROM membership WHERE user_id = app_user_id() AND role = 'OFFICE_HEAD'
$$;
-- The invitation being accepted (by token hash), for creating its membership.
CREATE FUNCTION app_accepting_invitation_allows(p_network uuid, p_office uuid, p_role "role", p_user uuid)
RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT EXISTS (
        SELECT 1 FROM invitation i JOIN user_account u ON u.id = p_user AND u.email = i.email
        WHERE i.token_hash = app_invitation_token_hash() AND i.network_id = p_network
          AND i.office_id IS NOT DISTINCT FROM p_office AND i.role = p_role
          AND i.revoked_at IS NULL AND i.expires_at > now()
    )
$$;
REVOKE ALL ON FUNCTION app_network_ids(), app_admin_network_ids(), app_office_ids(), app_head_office_ids(),
    app_accepting_invitation_allows(uuid, uuid, "role", uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_user_id(), app_invitation_token_hash(), app_network_ids(), app_admin_network_ids(),
    app_office_ids(), app_head_office_ids(), app_accepting_invitation_allows(uuid, uuid, "role", uuid) TO abh_app;

ALTER TABLE "network" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "network" FORCE ROW LEVEL SECURITY;
CREATE POLICY "network_member_read" ON "network" FOR SELECT
    USING ("id" IN (SELECT app_network_ids()) OR "id" IN (
        SELECT network_id FROM invitation WHERE token_hash = app_invitation_token_hash()));

-- Office profiles are visible within the network; only its admins and the office's
-- head change them; only admins create offices.
ALTER TABLE "office" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "office" FORCE ROW LEVEL SECURITY;
CREATE POLICY "office_read" ON "office" FOR SELECT
    USING ("network_id" IN (SELECT app_network_ids()) OR "id" IN (
        SELECT office_id FROM invitation WHERE token_hash = app_invitation_token_hash()));
CREATE POLICY "office_update" ON "office" FOR UPDATE
    USING ("network_id" IN (SELECT app_admin_network_ids()) OR "id" IN (SELECT app_head_office_ids()))
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()) OR "id" IN (SELECT app_head_office_ids()));
CREATE POLICY "office_insert" ON "office" FOR INSERT
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()));

-- Memberships: your own, your office colleagues', and everyone's for network admins.
ALTER TABLE "membership" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "membership" FORCE ROW LEVEL SECURITY;
CREATE POLICY "membership_read" ON "membership" FOR SELECT
    USING ("user_id" = app_user_id() OR "network_id" IN (SELECT app_admin_network_ids())
           OR "office_id" IN (SELECT app_office_ids()));
CREATE POLICY "membership_insert" ON "membership" FOR INSERT
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids())
                OR ("role" = 'OFFICE_STAFF' AND "office_id" IN (SELECT app_head_office_ids()))
                OR app_accepting_invitation_allows("network_id", "office_id", "role", "user_id"));
CREATE POLICY "membership_delete" ON "membership" FOR DELETE
    USING ("network_id" IN (SELECT app_admin_network_ids())
           OR ("role" = 'OFFICE_STAFF' AND "office_id" IN (SELECT app_head_office_ids())));
CREATE POLICY "membership_update" ON "membership" FOR UPDATE
    USING ("network_id" IN (SELECT app_admin_network_ids()))
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids()));

-- Invitations: the inviting admins/heads, and whoever holds the token.
ALTER TABLE "invitation" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "invitation" FORCE ROW LEVEL SECURITY;
CREATE POLICY "invitation_read" ON "invitation" FOR SELECT
    USING ("token_hash" = app_invitation_token_hash() OR "network_id" IN (SELECT app_admin_network_ids())
           OR "office_id" IN (SELECT app_head_office_ids()));
CREATE POLICY "invitation_insert" ON "invitation" FOR INSERT
    WITH CHECK ("network_id" IN (SELECT app_admin_network_ids())
                OR ("role" = 'OFFICE_STAFF' AND "office_id" IN (SELECT app_head_office_ids())));
CREATE POLICY "invitation_update" ON "invitation" FOR UPDATE
    USING ("token_hash" = app_invitation_token_hash() OR "network_id" IN (SELECT app_admin_network_ids())
           OR "office_id" IN (SELECT app_head_office_ids()))
    WITH CHECK ("token_hash" = app_invitation_token_hash() OR "network_id" IN (SELECT app_admin_network_ids())
           OR "office_id" IN (SELECT app_head_office_ids()));

-- Audit: anyone may append; network admins read their network, heads their office,
-- everyone their own events.
ALTER TABLE "audit_event" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "audit_event" FORCE ROW LEVEL SECURITY;
CREATE POLICY "audit_append" ON "audit_event" FOR INSERT WITH CHECK (true);
CREATE POLICY "audit_read" ON "audit_event" FOR SELECT
    USING ("network_id" IN (SELECT app_admin_network_ids()) OR "office_id" IN (SELECT app_head_office_ids())
           OR "actor_id" = app_user_id());
