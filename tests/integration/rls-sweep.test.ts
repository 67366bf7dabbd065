/**
 * Row-level-security sweep (issue 20 item 7): every table of every application schema, read
 * from pg_catalog, must have an entry below — so a new table cannot slip through unnoticed.
 *
 * ADDING A TABLE = ONE LINE:
 *   - it carries tenant data (rows of a network, an office or a person's work in one):
 *       TENANT_TABLES:  my_table: { scope: "office", rows: "office_id = $office" },
 *       (with `seed: "INSERT INTO my_table (id, office_id) VALUES (gen_random_uuid(), $office)"`
 *       when seedFixture does not already give office A rows in it)
 *     `scope` "office": the rows are private to the office (another office of the same network
 *     must not see them either); "network": shared within the network (only another network is
 *     shut out). `rows` is a SQL condition on the table that picks the first tenant's rows
 *     (office A / network N1); it runs as the owner, so it may look at other tables. `seed` is
 *     SQL run as the owner after the fixture, to give office A rows there (the test fails while
 *     the table has none). In both, these placeholders become ids of the fixture: $office,
 *     $network, $assessment (office A's, open round), $submitted_assessment (office A's, closed
 *     round), $open_round, $closed_round, $survey (office A's), $head, $staff (of office A),
 *     $admin (of N1). `reader`: who of the first tenant legitimately reads the rows (default:
 *     office A's head, or N1's admin for "network"); null when nobody reads them through abh_app.
 *   - it is deliberately global (catalogue, bookkeeping, a job queue, identity):
 *       GLOBAL_TABLES:  my_table: "why it has no tenant",
 *   Tables outside `public` are written `schema.table`.
 *
 * What is checked:
 *   1. the sweep: each table that carries tenant data (a network_id, office_id or user_id
 *      column, or a foreign key to such a table, transitively) and is not listed as global has
 *      ENABLE and FORCE ROW LEVEL SECURITY and a policy for every command abh_app is granted;
 *      no view or materialised view hands abh_app rows past row-level security; every table has
 *      an entry. A self-test creates offending tables and sees each named.
 *   2. per tenant table: users of another office (same network) and of another network, as the
 *      portal's role abh_app with app.user_id set (like withUser in app/platform/db.server.ts), read 0 of
 *      the first tenant's rows, cannot update or delete them, cannot move their own rows into
 *      that tenant (re-pointing network_id/office_id/foreign keys) and cannot insert a row into
 *      it (a copy of one of its rows, with a fresh id and the outsider as the actor); where a row
 *      names both network and office, also not with the first tenant's office under their own
 *      network. Writes are blind (no WHERE), so that only the write policies decide; a guard
 *      trigger (probe_guard) reports a first-tenant row reached.
 *   A write into the first tenant that is allowed on purpose is named in `allowedInsert`.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database";

type TenantTable = {
  scope: "office" | "network";
  rows: string;
  seed?: string;
  reader?: keyof Fixture | null;
  /** Writes into the first tenant that are allowed on purpose, with the reason. */
  allowedInsert?: string;
};

const TENANT_TABLES: Record<string, TenantTable> = {
  network: { scope: "network", rows: "id = $network" },
  office: { scope: "network", rows: "network_id = $network" },
  membership: { scope: "office", rows: "office_id = $office" },
  invitation: { scope: "office", rows: "office_id = $office" },
  audit_event: {
    scope: "office",
    rows: "office_id = $office",
  },
  audit_content: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO audit_content (event_id, office_id, details) SELECT id, office_id, '{}'::jsonb FROM audit_event WHERE office_id = $office LIMIT 1",
  },
  assessment_round: { scope: "network", rows: "network_id = $network" },
  round_participant: { scope: "office", rows: "office_id = $office" },
  assessment: { scope: "office", rows: "office_id = $office" },
  goal_assessment: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  measure_assessment: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  individual_rating: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  assessment_reopening: {
    scope: "office",
    rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)",
    seed: "INSERT INTO assessment_reopening (id, assessment_id, reason, reopened_by_id) VALUES (gen_random_uuid(), $assessment, 'Nachbesserung', $admin)",
  },
  assessment_reminder: {
    scope: "office",
    rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)",
    seed: "INSERT INTO assessment_reminder (id, assessment_id, days_before) VALUES (gen_random_uuid(), $assessment, 14)",
  },
  survey: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  survey_code: {
    scope: "office",
    rows: "survey_id IN (SELECT s.id FROM survey s JOIN assessment a ON a.id = s.assessment_id WHERE a.office_id = $office)",
    reader: null,
  },
  survey_response: {
    scope: "office",
    rows: "survey_id IN (SELECT s.id FROM survey s JOIN assessment a ON a.id = s.assessment_id WHERE a.office_id = $office)",
    reader: null,
  },
  survey_invitee: {
    scope: "office",
    rows: "survey_id IN (SELECT s.id FROM survey s JOIN assessment a ON a.id = s.assessment_id WHERE a.office_id = $office)",
    seed: "INSERT INTO survey_invitee (survey_id, user_id) VALUES ($survey, $staff)",
  },
  round_cohort: { scope: "network", rows: "round_id IN (SELECT id FROM assessment_round WHERE network_id = $network)" },
  round_cohort_member: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  round_cohort_rating: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  round_figure_set: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO round_figure_set (round_id, audience, office_id, known_offices) VALUES ($closed_round, 'office', $office, 1)",
  },
  round_figure: {
    scope: "office",
    rows: "set_id IN (SELECT id FROM round_figure_set WHERE office_id = $office)",
    seed: "INSERT INTO round_figure (set_id, goal_number, group_id, shown, n, median) SELECT id, 1, 'network', true, 5, 3 FROM round_figure_set WHERE office_id = $office",
  },
  // Measure achievement (issue 21): the office audience's set of office A (and its figures).
  achievement_figure_set: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO achievement_figure_set (network_id, audience, office_id, known_office_ids) VALUES ($network, 'office', $office, ARRAY[$office]::uuid[])",
  },
  achievement_figure: {
    scope: "office",
    rows: "set_id IN (SELECT id FROM achievement_figure_set WHERE office_id = $office)",
    seed: "INSERT INTO achievement_figure (set_id, measure_id, planned_n) SELECT s.id, (SELECT id FROM measure LIMIT 1), 5 FROM achievement_figure_set s WHERE s.office_id = $office",
  },
  assessment_share: { scope: "office", rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)" },
  assessment_share_access: {
    scope: "office",
    rows: "assessment_id IN (SELECT id FROM assessment WHERE office_id = $office)",
  },
  // The implementation plan (issue 21): one plan of office A with a measure, an activity and one
  // row of every kind below it, seeded in order.
  consultant_assignment: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO consultant_assignment (network_id, office_id, consultant_id, assigned_by_id) VALUES ($network, $office, $admin, $admin)",
  },
  plan: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan (network_id, office_id, started_by_id) VALUES ($network, $office, $head)",
  },
  plan_measure: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_measure (plan_id, office_id, own_title, origin, added_by_id) SELECT id, office_id, 'Eigene Maßnahme', 'own', $head FROM plan WHERE office_id = $office",
  },
  plan_activity: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_activity (plan_measure_id, plan_id, office_id, title, created_by_id) SELECT id, plan_id, office_id, 'Schritt', $head FROM plan_measure WHERE office_id = $office",
  },
  plan_activity_update: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_activity_update (activity_id, plan_id, office_id, noted_on, body) SELECT id, plan_id, office_id, CURRENT_DATE, 'Stand' FROM plan_activity WHERE office_id = $office",
  },
  plan_milestone: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_milestone (plan_measure_id, plan_id, office_id, title) SELECT id, plan_id, office_id, 'Meilenstein' FROM plan_measure WHERE office_id = $office",
  },
  plan_phase_task: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_phase_task (plan_id, office_id, task_key, done_by_id) SELECT id, office_id, 'responsibility', $head FROM plan WHERE office_id = $office",
  },
  plan_review: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_review (plan_id, office_id, held_on, created_by_id) SELECT id, office_id, CURRENT_DATE, $head FROM plan WHERE office_id = $office",
  },
  plan_strategy: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_strategy (plan_id, office_id) SELECT id, office_id FROM plan WHERE office_id = $office",
  },
  plan_attachment: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_attachment (plan_measure_id, plan_id, office_id, storage_key, file_name, content_type, size_bytes, uploaded_by_id) SELECT id, plan_id, office_id, 'k', 'a.pdf', 'application/pdf', 1, $head FROM plan_measure WHERE office_id = $office",
  },
  // Reminders sent about activities (written only by the reminder job's SECURITY DEFINER function).
  plan_activity_reminder: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO plan_activity_reminder (activity_id, plan_id, office_id, kind, due_on) SELECT id, plan_id, office_id, 'overdue', CURRENT_DATE FROM plan_activity WHERE office_id = $office",
  },
  workshop_note: {
    scope: "office",
    rows: "office_id = $office",
    seed: "INSERT INTO workshop_note (round_id, office_id, question_key) VALUES ($closed_round, $office, 'q1')",
  },
};

const CATALOGUE = "framework catalogue: public reference data, read-only for abh_app";
const IDENTITY =
  "identity: a person's own account, in no tenant; read only for the signed-in person or a token holder (decision 0004)";
const JOB_QUEUE =
  "job queue (decision 0010): installation-wide, payloads hold ids only; tasks reach tenant data only as abh_app under RLS";
const GLOBAL_TABLES: Record<string, string> = {
  framework_version: CATALOGUE,
  design_area: CATALOGUE,
  design_area_goal: CATALOGUE,
  goal: CATALOGUE,
  goal_level_example: CATALOGUE,
  work_field: CATALOGUE,
  measure: CATALOGUE,
  measure_relation: CATALOGUE,
  working_aid: CATALOGUE,
  measure_working_aid: CATALOGUE,
  rating_level: CATALOGUE,
  _prisma_migrations: "migration bookkeeping: written by the migrator as owner, no privilege for abh_app",
  user_account: IDENTITY,
  session: IDENTITY,
  password_reset: IDENTITY,
  recovery_code: IDENTITY,
  email_message: "e-mail outbox: a system queue without tenant (decision 0007)",
  rate_limit: "sign-in throttling counters keyed by hashed address, no tenant",
  "graphile_worker._private_jobs": JOB_QUEUE,
  "graphile_worker._private_job_queues": JOB_QUEUE,
  "graphile_worker._private_tasks": JOB_QUEUE,
  "graphile_worker._private_known_crontabs": JOB_QUEUE,
  "graphile_worker.migrations": "job queue schema version, written by the migrator as owner",
};

const APP_ROLE = "abh_app";
/** Columns that make a table carry tenant data, and the tables every tenant chain starts from. */
const TENANT_COLUMNS = ["network_id", "office_id", "user_id"];
const TENANT_ROOTS = ["network", "office", "user_account"];

type Query = (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;

const RELATIONS_SQL = `
  SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END AS name,
         c.relkind, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
         pg_get_userbyid(c.relowner) AS owner,
         COALESCE('security_invoker=true' = ANY (c.reloptions), false) AS invoker,
         ARRAY(SELECT p.polcmd::text FROM pg_policy p WHERE p.polrelid = c.oid) AS policies,
         ARRAY(SELECT a.attname::text FROM pg_attribute a
               WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attname = ANY ($1)) AS tenant_columns,
         ARRAY(SELECT DISTINCT CASE WHEN rn.nspname = 'public' THEN r.relname ELSE rn.nspname || '.' || r.relname END
               FROM pg_constraint f JOIN pg_class r ON r.oid = f.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
               WHERE f.conrelid = c.oid AND f.contype = 'f') AS refs,
         has_any_column_privilege($2, c.oid, 'SELECT') AS can_select,
         has_any_column_privilege($2, c.oid, 'INSERT') AS can_insert,
         has_any_column_privilege($2, c.oid, 'UPDATE') AS can_update,
         has_table_privilege($2, c.oid, 'DELETE') AS can_delete
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
  ORDER BY 1`;

type Relation = {
  name: string;
  relkind: string;
  enabled: boolean;
  forced: boolean;
  owner: string;
  invoker: boolean;
  policies: string[];
  tenant_columns: string[];
  refs: string[];
  can_select: boolean;
  can_insert: boolean;
  can_update: boolean;
  can_delete: boolean;
};

/** The sweep: every problem names its table. Run as the owner. */
async function sweep(q: Query): Promise<string[]> {
  const relations = (await q(RELATIONS_SQL, [TENANT_COLUMNS, APP_ROLE])).rows as Relation[];
  const tables = relations.filter((r) => r.relkind === "r" || r.relkind === "p");
  const problems: string[] = [];

  // Which tables carry tenant data: a tenant column, or a foreign key to such a table.
  const why = new Map<string, string>();
  for (const t of tables) {
    if (TENANT_ROOTS.includes(t.name)) why.set(t.name, "a tenant itself");
    else if (t.tenant_columns.length) why.set(t.name, `column ${t.tenant_columns.join(", ")}`);
  }
  for (let grew = true; grew;) {
    grew = false;
    for (const t of tables) {
      const ref = !why.has(t.name) && t.refs.find((r) => why.has(r));
      if (ref) {
        why.set(t.name, `foreign key to ${ref}`);
        grew = true;
      }
    }
  }

  for (const t of tables) {
    const tenant = t.name in TENANT_TABLES;
    const global = t.name in GLOBAL_TABLES;
    if (!tenant && !global) {
      problems.push(
        why.has(t.name)
          ? `${t.name}: carries tenant data (${why.get(t.name)}) but has no entry in TENANT_TABLES`
          : `${t.name}: no entry – add it to TENANT_TABLES or, with a reason, to GLOBAL_TABLES`,
      );
    }
    if (tenant && global) problems.push(`${t.name}: listed both as tenant and as global table`);
    if (global && !GLOBAL_TABLES[t.name]?.trim()) problems.push(`${t.name}: global without a reason`);
    if (!(tenant || (why.has(t.name) && !global))) continue;
    if (!t.enabled) problems.push(`${t.name}: ROW LEVEL SECURITY is not enabled`);
    if (!t.forced) problems.push(`${t.name}: ROW LEVEL SECURITY is not forced (FORCE ROW LEVEL SECURITY)`);
    if (t.owner === APP_ROLE) problems.push(`${t.name}: owned by ${APP_ROLE}, whose policies would not apply to it`);
    if (t.enabled && t.policies.length === 0 && (t.can_select || t.can_insert || t.can_update || t.can_delete)) {
      problems.push(`${t.name}: ${APP_ROLE} has privileges but there is no policy`);
    }
    // A privilege without a policy for its command is a policy someone forgot (or a dead grant).
    const covers = (cmd: string) => t.policies.includes(cmd) || t.policies.includes("*");
    for (const [granted, cmd, label] of [
      [t.can_select, "r", "SELECT"],
      [t.can_insert, "a", "INSERT"],
      [t.can_update, "w", "UPDATE"],
      [t.can_delete, "d", "DELETE"],
    ] as const) {
      if (granted && t.policies.length > 0 && !covers(cmd))
        problems.push(`${t.name}: ${label} granted to ${APP_ROLE} without a policy for it`);
    }
  }

  // A view runs with its owner's rights unless security_invoker: it would read past RLS.
  for (const v of relations.filter((r) => r.relkind === "v" || r.relkind === "m")) {
    if (!v.can_select) continue;
    if (v.relkind === "m")
      problems.push(`${v.name}: materialised view readable by ${APP_ROLE} (row-level security does not apply)`);
    else if (!v.invoker) problems.push(`${v.name}: view readable by ${APP_ROLE} without security_invoker (reads as its owner)`);
  }

  const names = new Set(tables.map((t) => t.name));
  for (const name of [...Object.keys(TENANT_TABLES), ...Object.keys(GLOBAL_TABLES)]) {
    if (!names.has(name)) problems.push(`${name}: listed, but there is no such table (remove the entry)`);
  }
  return problems;
}

type Fixture = {
  officeA: string;
  officeB: string;
  officeC: string;
  networkN1: string;
  networkN2: string;
  headA: string;
  staffA: string;
  adminN1: string;
  headB: string;
  adminN2: string;
  headC: string;
  openRound: string;
  closedRound: string;
  openAssessmentA: string;
  submittedAssessmentA: string;
  surveyA: string;
};

/** Replaces the placeholders ($office, …) in an entry's SQL with the fixture's ids. */
function withIds(sql: string, f: Fixture) {
  const ids: Record<string, string> = {
    office: f.officeA,
    network: f.networkN1,
    assessment: f.openAssessmentA,
    submitted_assessment: f.submittedAssessmentA,
    open_round: f.openRound,
    closed_round: f.closedRound,
    survey: f.surveyA,
    head: f.headA,
    staff: f.staffA,
    admin: f.adminN1,
  };
  return sql.replace(/\$([a-z_]+)\b/g, (match, name: string) => {
    if (!(name in ids)) throw new Error(`unknown placeholder ${match} in: ${sql}`);
    return `'${ids[name]}'`;
  });
}

/**
 * Network N1 with offices A and B, network N2 with office C; a closed round (frozen cohort,
 * shared results) and an open round (drafts, survey, reopening, reminder) in N1, a round in N2.
 * Office A has rows in every tenant table; so have B and C where it matters, so that their
 * people act with real rights of their own. Written as the owner (row-level security bypassed).
 */
async function seedFixture(q: Query): Promise<Fixture> {
  const id = () => randomUUID();
  const f: Fixture = {
    officeA: id(),
    officeB: id(),
    officeC: id(),
    networkN1: id(),
    networkN2: id(),
    headA: id(),
    staffA: id(),
    adminN1: id(),
    headB: id(),
    adminN2: id(),
    headC: id(),
    openRound: id(),
    closedRound: id(),
    openAssessmentA: id(),
    submittedAssessmentA: id(),
    surveyA: id(),
  };
  const version = (await q(`SELECT id FROM framework_version ORDER BY id LIMIT 1`)).rows[0].id;
  const goal = (await q(`SELECT id FROM goal WHERE framework_version_id = $1 ORDER BY number LIMIT 1`, [version])).rows[0].id;
  const measure = (await q(`SELECT id FROM measure WHERE framework_version_id = $1 ORDER BY id LIMIT 1`, [version])).rows[0].id;

  for (const [network, slug] of [
    [f.networkN1, "n1"],
    [f.networkN2, "n2"],
  ]) {
    await q(`INSERT INTO network (id, slug, name, state, framework_version_id) VALUES ($1, $2, $2, 'RP', $3)`, [
      network,
      slug,
      version,
    ]);
  }
  for (const [office, network, slug] of [
    [f.officeA, f.networkN1, "a"],
    [f.officeB, f.networkN1, "b"],
    [f.officeC, f.networkN2, "c"],
  ]) {
    await q(`INSERT INTO office (id, network_id, slug, name, kind, clients_served) VALUES ($1, $2, $3, $3, 'LANDKREIS', 1000)`, [
      office,
      network,
      slug,
    ]);
  }
  const people: [string, string, string | null, string][] = [
    [f.headA, f.networkN1, f.officeA, "OFFICE_HEAD"],
    [f.staffA, f.networkN1, f.officeA, "OFFICE_STAFF"],
    [f.adminN1, f.networkN1, null, "NETWORK_ADMIN"],
    [f.headB, f.networkN1, f.officeB, "OFFICE_HEAD"],
    [f.adminN2, f.networkN2, null, "NETWORK_ADMIN"],
    [f.headC, f.networkN2, f.officeC, "OFFICE_HEAD"],
  ];
  for (const [user, network, office, role] of people) {
    await q(`INSERT INTO user_account (id, email, name, password_hash) VALUES ($1, $2, $2, 'x')`, [user, `${user}@example.org`]);
    await q(`INSERT INTO membership (id, user_id, network_id, office_id, role) VALUES ($1, $2, $3, $4, $5)`, [
      id(),
      user,
      network,
      office,
      role,
    ]);
  }
  for (const [network, office] of [
    [f.networkN1, f.officeA],
    [f.networkN1, f.officeB],
    [f.networkN2, f.officeC],
  ]) {
    await q(
      `INSERT INTO invitation (id, token_hash, email, network_id, office_id, role, expires_at)
       VALUES ($1, $2, $3, $4, $5, 'OFFICE_STAFF', now() + interval '1 day')`,
      [id(), id(), `${id()}@example.org`, network, office],
    );
    await q(`INSERT INTO audit_event (network_id, office_id, action) VALUES ($1, $2, 'office.updated')`, [network, office]);
  }

  // Rounds: closed (N1), open (N1), open (N2); A and B take part in both N1 rounds.
  const [closed, open, other] = [f.closedRound, f.openRound, id()];
  for (const [round, network, name, admin] of [
    [closed, f.networkN1, "2025", f.adminN1],
    [open, f.networkN1, "2026", f.adminN1],
    [other, f.networkN2, "2026", f.adminN2],
  ]) {
    await q(
      `INSERT INTO assessment_round (id, network_id, framework_version_id, name, opens_at, deadline, created_by_id)
       VALUES ($1, $2, $3, $4, now() - interval '1 day', now() + interval '30 days', $5)`,
      [round, network, version, name, admin],
    );
  }
  for (const [round, office, head] of [
    [closed, f.officeA, f.headA],
    [closed, f.officeB, f.headB],
    [open, f.officeA, f.headA],
    [open, f.officeB, f.headB],
    [other, f.officeC, f.headC],
  ]) {
    const assessment = office !== f.officeA ? id() : round === closed ? f.submittedAssessmentA : f.openAssessmentA;
    await q(`INSERT INTO round_participant (round_id, office_id) VALUES ($1, $2)`, [round, office]);
    await q(`INSERT INTO assessment (id, round_id, office_id) VALUES ($1, $2, $3)`, [assessment, round, office]);
    await q(`INSERT INTO goal_assessment (assessment_id, goal_id, rating) VALUES ($1, $2, 3)`, [assessment, goal]);
    await q(`INSERT INTO measure_assessment (assessment_id, measure_id, need, effort) VALUES ($1, $2, 'HIGH', 'LOW')`, [
      assessment,
      measure,
    ]);
    await q(`INSERT INTO individual_rating (assessment_id, goal_id, user_id, rating) VALUES ($1, $2, $3, 4)`, [
      assessment,
      goal,
      head,
    ]);
    if (round === closed)
      await q(`UPDATE assessment SET submitted_at = now(), submitted_by_id = $2 WHERE id = $1`, [assessment, head]);
  }
  const [closedA, openA, survey] = [f.submittedAssessmentA, f.openAssessmentA, f.surveyA];
  await q(`INSERT INTO survey (id, assessment_id, closes_at, created_by_id) VALUES ($1, $2, now() + interval '7 days', $3)`, [
    survey,
    openA,
    f.headA,
  ]);
  await q(`INSERT INTO survey_code (code_hash, survey_id) VALUES ($1, $2)`, [id(), survey]);
  await q(`INSERT INTO survey_response (survey_id, answers) VALUES ($1, '{}')`, [survey]);
  await q(`INSERT INTO assessment_share (assessment_id, granted_by_id) VALUES ($1, $2)`, [closedA, f.headA]);
  await q(`INSERT INTO assessment_share_access (assessment_id, viewer_id) VALUES ($1, $2)`, [closedA, f.adminN1]);
  // Closing freezes the cohort (round_cohort, _member, _rating) by trigger.
  await q(`UPDATE assessment_round SET closed_at = now() WHERE id = $1`, [closed]);
  for (const entry of Object.values(TENANT_TABLES)) if (entry.seed) await q(withIds(entry.seed, f));
  return f;
}

const quoteIdent = (name: string) =>
  name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");

/** Columns that name who acts: an outsider writing "into" another tenant writes as themself. */
const isActorColumn = (column: string) => ["user_id", "actor_id", "viewer_id"].includes(column) || column.endsWith("_by_id");

describe("row-level-security sweep over every table", () => {
  const db = useTestDatabase();
  let fixture: Fixture;
  let owner: pg.Client;
  const ownerQuery: Query = (sql, params) => owner.query(sql, params);

  beforeAll(async () => {
    owner = new pg.Client({ connectionString: db.url });
    await owner.connect();
    fixture = await seedFixture(ownerQuery);
    // Raises when an UPDATE or DELETE reaches one of the rows listed in probe.first_tenant_rows
    // (set by the probe), and skips every other row – unless probe.pass_others is on, then the
    // others go ahead. Named to fire before the tables' own triggers.
    await owner.query(`
      CREATE FUNCTION probe_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF COALESCE(NULLIF(current_setting('probe.first_tenant_rows', true), ''), '[]')::jsonb @> jsonb_build_array(to_jsonb(OLD)) THEN
          RAISE EXCEPTION 'reached a row of the first tenant' USING ERRCODE = 'P0001';
        END IF;
        IF current_setting('probe.pass_others', true) = 'on' THEN
          RETURN NEW;
        END IF;
        RETURN NULL;
      END $$`);
    for (const table of Object.keys(TENANT_TABLES)) {
      await owner.query(
        `CREATE TRIGGER "0_probe_guard" BEFORE UPDATE OR DELETE ON ${quoteIdent(table)} FOR EACH ROW EXECUTE FUNCTION probe_guard()`,
      );
    }
  });
  afterAll(() => owner.end());

  /** Runs `work` as abh_app inside one transaction with app.user_id set, as withUser does; rolls back. */
  async function asUser<T>(userId: string, work: (q: Query) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      return await work((sql, params) => client.query(sql, params));
    } finally {
      await client.query("ROLLBACK").catch(() => {});
      await client.end();
    }
  }

  it("finds ENABLE + FORCE ROW LEVEL SECURITY and policies on every tenant table, and an entry for every table", async () => {
    expect(await sweep(ownerQuery)).toEqual([]);
  });

  it("names a new table that carries tenant data without row-level security, one with RLS not forced, and one without an entry", async () => {
    await owner.query("BEGIN");
    try {
      await owner.query(`CREATE TABLE probe_note (id uuid PRIMARY KEY, office_id uuid)`);
      await owner.query(`CREATE TABLE probe_attachment (id uuid PRIMARY KEY, note_id uuid REFERENCES probe_note (id))`);
      await owner.query(`CREATE TABLE probe_half (id uuid PRIMARY KEY, assessment_id uuid REFERENCES assessment (id))`);
      await owner.query(`ALTER TABLE probe_half ENABLE ROW LEVEL SECURITY`);
      await owner.query(`CREATE TABLE probe_setting (key text PRIMARY KEY)`);
      await owner.query(`CREATE VIEW probe_view AS SELECT * FROM assessment`);
      await owner.query(`GRANT SELECT ON probe_view TO ${APP_ROLE}`);
      const problems = await sweep(ownerQuery);
      expect(problems).toEqual(
        expect.arrayContaining([
          "probe_note: carries tenant data (column office_id) but has no entry in TENANT_TABLES",
          "probe_note: ROW LEVEL SECURITY is not enabled",
          "probe_attachment: carries tenant data (foreign key to probe_note) but has no entry in TENANT_TABLES",
          "probe_attachment: ROW LEVEL SECURITY is not enabled",
          "probe_half: ROW LEVEL SECURITY is not forced (FORCE ROW LEVEL SECURITY)",
          "probe_setting: no entry – add it to TENANT_TABLES or, with a reason, to GLOBAL_TABLES",
          "probe_view: view readable by abh_app without security_invoker (reads as its owner)",
        ]),
      );
      expect(problems.some((p) => p.startsWith("probe_setting: ROW LEVEL"))).toBe(false);
    } finally {
      await owner.query("ROLLBACK");
    }
  });

  const outsiders = [
    { who: "the head of another office in the same network", user: "headB", network: "networkN1", scopes: ["office"] },
    { who: "the admin of another network", user: "adminN2", network: "networkN2", scopes: ["office", "network"] },
    { who: "the head of an office in another network", user: "headC", network: "networkN2", scopes: ["office", "network"] },
  ] as const;

  describe.each(Object.entries(TENANT_TABLES))("%s", (table, entry) => {
    const ident = quoteIdent(table);
    const rowsSql = () => withIds(entry.rows, fixture);
    /** The first tenant's rows as the owner sees them: their ctid (stable: every probe rolls back) and content. */
    const firstTenantRows = async () => {
      const { rows } = await owner.query(`SELECT ctid::text AS ctid, to_jsonb(t) AS row FROM ${ident} t WHERE ${rowsSql()}`);
      return rows as { ctid: string; row: Record<string, unknown> }[];
    };
    const columnsWith = async (privilege: "INSERT" | "UPDATE") =>
      (
        await owner.query(
          `SELECT attname::text AS name FROM pg_attribute
           WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND has_column_privilege($2, attrelid, attnum, $3)
           ORDER BY attnum`,
          [ident, APP_ROLE, privilege],
        )
      ).rows.map((r) => r.name as string);

    /** SELECT … WHERE ctid = ANY(…): how many of the rows the user reads (0 also when not granted at all). */
    const readCount = async (q: Query, ctids: string[]) => {
      await q("SAVEPOINT probe");
      try {
        return Number((await q(`SELECT count(*) AS n FROM ${ident} WHERE ctid = ANY ($1::tid[])`, [ctids])).rows[0].n);
      } catch (error) {
        if ((error as { code?: string }).code === "42501") return 0;
        throw error;
      } finally {
        await q("ROLLBACK TO SAVEPOINT probe");
      }
    };

    /**
     * Runs a write; returns how it ended: "refused" (no privilege / row-level security), or what
     * happened instead. With `ownNetwork`, the row keeps the outsider's network and only its other
     * links point at the first tenant: then a same-network check (check_violation) refuses too.
     */
    const attempt = async (q: Query, sql: string, params: unknown[], { ownNetwork = false } = {}) => {
      await q("SAVEPOINT probe");
      try {
        const result = await q(sql, params);
        return result.rowCount === 0 ? "refused" : `changed ${result.rowCount} row(s)`;
      } catch (error) {
        const { code, message } = error as { code?: string; message: string };
        // 42501: permission denied, or "new row violates row-level security policy".
        return code === "42501" || (ownNetwork && code === "23514") ? "refused" : `not stopped by row-level security: ${message}`;
      } finally {
        await q("ROLLBACK TO SAVEPOINT probe");
      }
    };

    it("has rows of the first tenant in the fixture, readable by its own people", async () => {
      const rows = await firstTenantRows();
      expect(rows.length, `give office A / network N1 rows in ${table} (the entry's seed)`).toBeGreaterThan(0);
      const reader = entry.reader === undefined ? (entry.scope === "office" ? "headA" : "adminN1") : entry.reader;
      if (reader) {
        const seen = await asUser(fixture[reader], (q) =>
          readCount(
            q,
            rows.map((r) => r.ctid),
          ),
        );
        expect(seen, `${reader} reads the first tenant's ${table} rows`).toBe(rows.length);
      }
    });

    for (const outsider of outsiders.filter((o) => (o.scopes as readonly string[]).includes(entry.scope))) {
      it(`shows ${outsider.who} none of them; they cannot update or delete them, nor move or insert rows into that tenant`, async () => {
        const rows = await firstTenantRows();
        const ctids = rows.map((r) => r.ctid);
        const userId = fixture[outsider.user];
        const [updatable] = await columnsWith("UPDATE");
        const insertable = await columnsWith("INSERT");
        // The columns that tie a row to its tenant (and that abh_app may change): moving one's
        // own rows into the first tenant through them must be refused.
        const links = (
          await owner.query(
            `SELECT a.attname::text AS name FROM pg_attribute a
             WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped
               AND has_column_privilege($2, a.attrelid, a.attnum, 'UPDATE')
               AND (a.attname = ANY ($3) OR EXISTS (
                 SELECT 1 FROM pg_constraint f WHERE f.conrelid = a.attrelid AND f.contype = 'f' AND a.attnum = ANY (f.conkey)))
             ORDER BY a.attnum`,
            [ident, APP_ROLE, TENANT_COLUMNS],
          )
        ).rows
          .map((r) => r.name as string)
          .filter((c) => !isActorColumn(c));
        const pk = (
          await owner.query(
            `SELECT a.attname::text AS name, format_type(a.atttypid, a.atttypmod) AS type
             FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
             WHERE i.indrelid = $1::regclass AND i.indisprimary`,
            [ident],
          )
        ).rows as { name: string; type: string }[];

        const outcome = await asUser(userId, async (q) => {
          const read = await readCount(q, ctids);
          // Blind writes without a WHERE clause, so that only the UPDATE/DELETE policies decide which
          // rows they reach (a WHERE would add the SELECT policies); the guard trigger raises if
          // one is the first tenant's, and skips every other row.
          await q("SELECT set_config('probe.first_tenant_rows', $1, true)", [JSON.stringify(rows.map((r) => r.row))]);
          const update = updatable ? await attempt(q, `UPDATE ${ident} SET ${quoteIdent(updatable)} = DEFAULT`, []) : "refused";
          const remove = await attempt(q, `DELETE FROM ${ident}`, []);
          // Their own rows (all they may update), re-pointed at the first tenant's row's links – all
          // of them, and, where a row names network and office, all but network_id (the first
          // tenant's office under their own network).
          await q("SELECT set_config('probe.pass_others', 'on', true)");
          const moves = links.length ? [links] : [];
          if (links.includes("network_id") && links.includes("office_id")) moves.push(links.filter((c) => c !== "network_id"));
          let move = "refused";
          for (const [i, set] of moves.entries()) {
            const linked = set.map(quoteIdent).join(", ");
            const result = await attempt(
              q,
              `UPDATE ${ident} SET (${linked}) = (SELECT ${linked} FROM jsonb_populate_record(NULL::${ident}, $1::jsonb))`,
              [JSON.stringify(rows[0].row)],
              { ownNetwork: i > 0 },
            );
            if (result !== "refused" && move === "refused") move = `${set.join(", ")}: ${result}`;
          }
          await q("SELECT set_config('probe.pass_others', 'off', true)");
          // A copy of a first-tenant row, with a fresh key and the outsider as the one who acts;
          // and, where the row names a network, the same under the outsider's own network.
          const row = { ...rows[0].row };
          for (const column of Object.keys(row)) if (isActorColumn(column)) row[column] = userId;
          for (const key of pk) if (key.type === "uuid" && pk.length === 1) row[key.name] = randomUUID();
          const copies = [row];
          const ownNetwork = fixture[outsider.network];
          if (row.office_id && "network_id" in row && row.network_id !== ownNetwork) {
            copies.push({
              ...row,
              network_id: ownNetwork,
              ...(pk.length === 1 && pk[0].type === "uuid" ? { [pk[0].name]: randomUUID() } : {}),
            });
          }
          const columns = insertable.map(quoteIdent).join(", ");
          let insert = "refused";
          for (const [i, copy] of (insertable.length ? copies : []).entries()) {
            const result = await attempt(
              q,
              `INSERT INTO ${ident} (${columns}) SELECT ${columns} FROM jsonb_populate_record(NULL::${ident}, $1::jsonb)`,
              [JSON.stringify(copy)],
              { ownNetwork: i > 0 },
            );
            if (result !== "refused" && insert === "refused") insert = `${i > 0 ? "under their own network: " : ""}${result}`;
          }
          return {
            read,
            update,
            delete: remove,
            move,
            insert: entry.allowedInsert && insert !== "refused" ? `allowed: ${entry.allowedInsert}` : insert,
          };
        });
        expect(outcome).toEqual({
          read: 0,
          update: "refused",
          delete: "refused",
          move: "refused",
          insert: entry.allowedInsert ? expect.stringMatching(/^(refused|allowed: )/) : "refused",
        });
      });
    }
  });
});
