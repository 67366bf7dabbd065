-- Durable jobs (docs/decisions/0010-jobs.md): graphile-worker's queue in the schema
-- graphile_worker, created and upgraded by graphile-worker itself (server/database/migrate.ts
-- runs its migrations as the owner before these files).
--
-- What the schema holds: which task to run (e-mail delivery, deadline reminders, …), when,
-- how often it was tried, its last error, and a payload of ids only (an email_message id, a
-- network id) — no names, addresses or content. It is installation-wide, not tenant data.
--
-- Who uses it: the portal's role abh_app, both to enqueue a job in the same transaction as
-- the change that causes it (graphile_worker.add_job) and to run the worker, whose tasks
-- read and write tenant data only as abh_app (row-level security and the SECURITY DEFINER
-- functions of earlier migrations, as before). abh_app stays without BYPASSRLS and owns
-- nothing here. graphile-worker enables row-level security on its tables without any policy
-- (deny for everyone but the owner); the policies below let abh_app, and only it, use them.

GRANT USAGE ON SCHEMA graphile_worker TO abh_app;
-- The worker checks at start that the schema is up to date; it never migrates as abh_app.
GRANT SELECT ON graphile_worker.migrations TO abh_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON graphile_worker._private_jobs, graphile_worker._private_job_queues,
    graphile_worker._private_tasks, graphile_worker._private_known_crontabs TO abh_app;
-- Not the view graphile_worker.jobs: it reads as its owner, past row-level security, and the
-- portal does not need it (the failed list reads _private_jobs under the policies below).

CREATE POLICY "abh_app_queue" ON graphile_worker._private_jobs TO abh_app USING (true) WITH CHECK (true);
CREATE POLICY "abh_app_queue" ON graphile_worker._private_job_queues TO abh_app USING (true) WITH CHECK (true);
CREATE POLICY "abh_app_queue" ON graphile_worker._private_tasks TO abh_app USING (true) WITH CHECK (true);
CREATE POLICY "abh_app_queue" ON graphile_worker._private_known_crontabs TO abh_app USING (true) WITH CHECK (true);

-- E-mails stored before this migration have no delivery job yet: give each unsent one its
-- job (the same job key enqueueEmail uses), so none is left behind by the switch.
SELECT graphile_worker.add_job('email.deliver', json_build_object('messageId', id), job_key := 'email:' || id)
FROM email_message WHERE status <> 'SENT';
