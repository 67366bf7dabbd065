-- Session ids stored hashed (issue #19, item 11; Lucia's guidance after its deprecation).
--
-- The cookie keeps the random session token; the "session" table from now on keeps only
-- its SHA-256 (64 lower-case hex digits, app/auth/auth.server.ts). A copy of the table —
-- a backup, a dump, a read through some other hole — then holds nothing that signs anyone in.
--
-- Existing sessions are ENDED, not converted. Converting (id := sha256(id)) would keep
-- everyone signed in, but every id that has ever lain in this table in plain text, in
-- backups and dumps included, would go on working: exactly what hashing is meant to stop.
-- Ending them costs each person one sign-in (sessions last at most 12 hours anyway).
DELETE FROM "session";

-- A plain token can no longer be stored by mistake: only what a SHA-256 in hex looks like.
ALTER TABLE "session" ADD CONSTRAINT "session_id_sha256" CHECK ("id" ~ '^[0-9a-f]{64}$');
