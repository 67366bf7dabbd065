/**
 * Issue 19, item 2: the portal's role (abh_app) must never be able to read another
 * office's individual ratings, not even through a function. Every SECURITY DEFINER
 * function of the schema (read from pg_proc, so the list cannot fall behind) is called as
 * the head of another office of the same network and as the head of an office of another
 * network; what comes back is checked against office X's secrets: its assessment, its
 * ratings (in the assessment and the frozen cohort), its survey and its staff answers.
 * A function without an entry below fails the test: whoever adds one says here what a
 * stranger gets from it.
 */
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database";

const DAY = 86_400_000;

type Q = (sql: string, params?: unknown[]) => Promise<pg.QueryResult>;
type Ctx = {
  x: { office: string; assessment: string; survey: string; round: string; network: string };
  callerOffice: string;
  callerAssessment: string | null;
};
/** How to call a function, and which integer columns (never ratings) it may return. */
type Entry =
  | { refused: true; why: string }
  | { trigger: true }
  | { raises: RegExp; sql: (ctx: Ctx) => [string, unknown[]] }
  | {
      sql: (ctx: Ctx) => [string, unknown[]];
      /** Integer columns and why they are no rating of another office. */
      counts?: Record<string, string>;
      check?: (rows: Record<string, unknown>[], ctx: Ctx) => void;
    };

const ids = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r)[0]);
const idsFn = (check?: (values: unknown[], ctx: Ctx) => void): Entry => ({
  sql: () => [`SELECT * FROM __fn__()`, []],
  check: (rows, ctx) => {
    expect(ids(rows)).not.toContain(ctx.x.assessment);
    check?.(ids(rows), ctx);
  },
});

const ENTRIES: Record<string, Entry> = {
  "app_network_ids()": idsFn(),
  "app_admin_network_ids()": idsFn((v) => expect(v).toEqual([])),
  "app_office_ids()": idsFn((v, ctx) => expect(v).toEqual([ctx.callerOffice])),
  "app_head_office_ids()": idsFn((v, ctx) => expect(v).toEqual([ctx.callerOffice])),
  "app_participating_round_ids()": idsFn(),
  "app_admin_round_ids()": idsFn((v) => expect(v).toEqual([])),
  "app_office_assessment_ids()": idsFn((v, ctx) => expect(v).toEqual(ctx.callerAssessment ? [ctx.callerAssessment] : [])),
  "app_admin_assessment_ids()": idsFn((v) => expect(v).toEqual([])),
  "app_head_assessment_ids()": idsFn((v, ctx) => expect(v).toEqual(ctx.callerAssessment ? [ctx.callerAssessment] : [])),
  "app_head_open_assessment_ids()": idsFn(),
  "app_head_survey_ids()": idsFn((v, ctx) => expect(v).not.toContain(ctx.x.survey)),
  "app_member_survey_ids()": idsFn((v, ctx) => expect(v).not.toContain(ctx.x.survey)),
  "app_shared_assessment_ids()": idsFn((v) => expect(v).toEqual([])),
  // Plans (issue 21): the caller's own office (no consultant assignment here), no released plan of another office.
  "app_plan_office_ids()": idsFn((v, ctx) => expect(v).toEqual([ctx.callerOffice])),
  "app_released_plan_ids()": idsFn((v) => expect(v).toEqual([])),
  "app_accepting_invitation_allows(uuid,uuid,role,uuid)": {
    sql: (ctx) => [
      `SELECT app_accepting_invitation_allows($1, $2, 'OFFICE_HEAD', $3) AS allowed`,
      [ctx.x.network, ctx.x.office, ctx.x.office],
    ],
    check: (rows) => expect(rows).toEqual([{ allowed: false }]),
  },
  "survey_code_lookup()": { sql: () => [`SELECT * FROM survey_code_lookup()`, []], check: (rows) => expect(rows).toEqual([]) },
  "survey_submit(jsonb,boolean)": {
    sql: () => [`SELECT survey_submit('{}'::jsonb, false) AS result`, []],
    check: (rows) => expect(rows).toEqual([{ result: "unknown" }]),
  },
  "survey_response_count(uuid)": {
    sql: (ctx) => [`SELECT survey_response_count($1) AS count`, [ctx.x.survey]],
    counts: { count: "number of answers of a survey, NULL unless the caller is a member of its office" },
    check: (rows) => expect(rows).toEqual([{ count: null }]),
  },
  "survey_code_count(uuid)": {
    sql: (ctx) => [`SELECT survey_code_count($1) AS count`, [ctx.x.survey]],
    counts: { count: "number of codes of a survey, NULL unless the caller heads its office" },
    check: (rows) => expect(rows).toEqual([{ count: null }]),
  },
  "survey_results(uuid)": {
    sql: (ctx) => [`SELECT * FROM survey_results($1)`, [ctx.x.survey]],
    counts: { answer: "a staff answer value – only for the office's own members", responses: "count" },
    check: (rows) => expect(rows).toEqual([]),
  },
  "app_due_reminders(timestamp with time zone,uuid)": {
    sql: () => [`SELECT * FROM app_due_reminders(now())`, []],
    counts: {
      days_before: "reminder day of the round",
      goals_done: "progress (how many goals answered), no rating",
      measures_done: "progress, no rating",
      goals: "size of the catalogue",
      measures: "size of the catalogue",
    },
    check: (rows, ctx) => expect(rows.map((r) => r.assessment_id)).not.toContain(ctx.x.assessment),
  },
  "app_record_reminder(uuid,integer,timestamp with time zone)": {
    sql: (ctx) => [`SELECT * FROM app_record_reminder($1, 7, now())`, [ctx.x.assessment]],
    check: (rows) => expect(rows).toEqual([]),
  },
  // Plan activity reminders (issue 21): only for the job, which runs without a user; a signed-in caller is refused.
  "app_due_plan_reminders(date,integer)": {
    raises: /listed by the reminder job only/,
    sql: () => [`SELECT * FROM app_due_plan_reminders(CURRENT_DATE, 7)`, []],
  },
  "app_claim_plan_reminders(uuid,uuid,date,integer,timestamp with time zone)": {
    raises: /claimed by the reminder job only/,
    sql: (ctx) => [`SELECT * FROM app_claim_plan_reminders($1, $2, CURRENT_DATE, 7, now())`, [ctx.x.office, ctx.x.office]],
  },
  "app_office_last_sign_in(uuid)": {
    sql: (ctx) => [`SELECT * FROM app_office_last_sign_in($1)`, [ctx.x.network]],
    check: (rows) => expect(rows.every((r) => Object.keys(r).sort().join() === "last_sign_in_at,office_id")).toBe(true),
  },
  "freeze_round_cohort(uuid)": { refused: true, why: "runs only from the closing trigger" },
  "stats_closed_round_ids()": { refused: true, why: "abh_stats only" },
  "stats_round_info(uuid)": { refused: true, why: "abh_stats only" },
  "stats_round_cohort(uuid)": { refused: true, why: "abh_stats only: the frozen cohort's ratings" },
  // Measure achievement and the ministry's plan figures (issue 21, migration 20261206160000).
  "stats_achievement_network_ids()": { refused: true, why: "abh_stats only" },
  "stats_achievement_info(uuid)": { refused: true, why: "abh_stats only: which offices released a plan or results" },
  "stats_achievement_measures(uuid)": { refused: true, why: "abh_stats only: every office's plan measures and ratings" },
  "stats_plan_progress(uuid)": { refused: true, why: "abh_stats only: every office's plan progress" },
  "survey_counted_count(uuid)": {
    sql: (ctx) => [`SELECT survey_counted_count($1) AS count`, [ctx.x.survey]],
    counts: { count: "number of used counting codes of a survey, NULL unless the caller is a member of its office" },
    check: (rows) => expect(rows).toEqual([{ count: null }]),
  },
  "survey_invite_member(uuid,uuid,text)": {
    raises: /not a head of this survey's office/,
    sql: (ctx) => [`SELECT survey_invite_member($1, $2, 'code-hash')`, [ctx.x.survey, ctx.x.office]],
  },
  "app_heads_office_in(uuid,uuid)": {
    sql: (ctx) => [`SELECT app_heads_office_in($1, $2) AS heads`, [ctx.x.office, ctx.x.network]],
    check: (rows) => expect(rows).toEqual([{ heads: false }]),
  },
  "app_reminder_recorded_here(text,uuid,uuid)": {
    sql: (ctx) => [`SELECT app_reminder_recorded_here($1, $2, $3) AS here`, [ctx.x.assessment, ctx.x.network, ctx.x.office]],
    check: (rows) => expect(rows).toEqual([{ here: false }]),
  },
  "office_in_own_network()": { trigger: true },
  "round_participant_same_network()": { trigger: true },
  "round_cohort_freeze_on_close()": { trigger: true },
};

describe("SECURITY DEFINER functions give abh_app no other office's rating", () => {
  const db = useTestDatabase();
  const ctx = {} as { x: Ctx["x"]; y: { office: string; assessment: string; head: string }; z: { office: string; head: string } };
  let functions: Array<{ signature: string; returns: string }> = [];

  async function asUser<T>(userId: string, work: (q: Q) => Promise<T>) {
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

  beforeAll(async () => {
    const p = db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const goals = await p.goal.findMany({ where: { frameworkVersionId: version.id }, orderBy: { number: "asc" } });
    const a = await p.network.create({
      data: { slug: "definer-a", name: "Netz A", state: "RP", frameworkVersionId: version.id },
    });
    const b = await p.network.create({
      data: { slug: "definer-b", name: "Netz B", state: "HE", frameworkVersionId: version.id },
    });
    const office = (networkId: string, slug: string) =>
      p.office.create({ data: { networkId, slug, name: `ABH ${slug}`, kind: "LANDKREIS" } });
    const [x, y, z] = [await office(a.id, "x"), await office(a.id, "y"), await office(b.id, "z")];
    const head = async (officeId: string, networkId: string, email: string) => {
      const u = await p.user.create({ data: { email, name: email, passwordHash: "x" } });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role: "OFFICE_HEAD" } });
      return u.id;
    };
    const hx = await head(x.id, a.id, "hx@definer.example");
    const hy = await head(y.id, a.id, "hy@definer.example");
    const hz = await head(z.id, b.id, "hz@definer.example");
    const round = await p.assessmentRound.create({
      data: {
        networkId: a.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(Date.now() - 30 * DAY),
        deadline: new Date(Date.now() + 3 * DAY),
        reminderDays: [7],
        createdById: hx,
      },
    });
    await p.roundParticipant.createMany({ data: [x.id, y.id].map((officeId) => ({ roundId: round.id, officeId })) });
    const ax = await p.assessment.create({ data: { roundId: round.id, officeId: x.id } });
    const ay = await p.assessment.create({ data: { roundId: round.id, officeId: y.id } });
    for (const [i, goal] of goals.entries())
      for (const assessment of [ax, ay])
        await p.goalAssessment.create({ data: { assessmentId: assessment.id, goalId: goal.id, rating: (i % 5) + 1 } });
    await p.assessment.updateMany({
      where: { id: { in: [ax.id, ay.id] } },
      data: { submittedAt: new Date(), submittedById: hx },
    });
    await p.assessmentShare.create({ data: { assessmentId: ax.id, grantedById: hx } });
    const survey = await p.survey.create({
      data: { assessmentId: ax.id, closesAt: new Date(Date.now() - DAY), createdById: hx },
    });
    for (let i = 0; i < 6; i++) await p.surveyResponse.create({ data: { surveyId: survey.id, answers: { "1.1": (i % 4) + 1 } } });
    await p.assessmentRound.update({ where: { id: round.id }, data: { closedAt: new Date() } });
    ctx.x = { office: x.id, assessment: ax.id, survey: survey.id, round: round.id, network: a.id };
    ctx.y = { office: y.id, assessment: ay.id, head: hy };
    ctx.z = { office: z.id, head: hz };

    functions = (
      await p.$queryRaw<Array<{ signature: string; returns: string }>>`
        SELECT p.oid::regprocedure::text AS signature, pg_get_function_result(p.oid) AS returns
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef
        ORDER BY 1`
    ).map((f) => ({ ...f, signature: f.signature.replace(/\s*,\s*/g, ",").replace(/"/g, "") }));
  });

  it("knows every SECURITY DEFINER function of the schema (a new one needs an entry here)", () => {
    expect(functions.length).toBeGreaterThanOrEqual(20);
    expect(functions.map((f) => f.signature).filter((s) => !(s in ENTRIES))).toEqual([]);
    // comparison_cohort() handed out one row per office with all its ratings; it is gone.
    expect(functions.map((f) => f.signature).filter((s) => s.startsWith("comparison_cohort"))).toEqual([]);
  });

  for (const caller of ["another office of the network", "an office of another network"] as const)
    it(`returns no rating of office X to the head of ${caller}`, async () => {
      const who =
        caller === "another office of the network"
          ? { user: ctx.y.head, callerOffice: ctx.y.office, callerAssessment: ctx.y.assessment }
          : { user: ctx.z.head, callerOffice: ctx.z.office, callerAssessment: null };
      const c: Ctx = { x: ctx.x, callerOffice: who.callerOffice, callerAssessment: who.callerAssessment };
      const seen: Record<string, unknown> = {};
      for (const { signature } of functions) {
        const entry = ENTRIES[signature];
        const name = signature.slice(0, signature.indexOf("("));
        if ("refused" in entry) {
          const noArgs = signature.endsWith("()");
          await expect(
            asUser(who.user, (q) => q(`SELECT ${name}(${noArgs ? "" : "$1"})`, noArgs ? [] : [ctx.x.round])),
          ).rejects.toThrow(/permission denied/);
          seen[signature] = "permission denied";
          continue;
        }
        if ("trigger" in entry) {
          await expect(asUser(who.user, (q) => q(`SELECT ${name}()`))).rejects.toThrow(
            /trigger functions can only be called as triggers|permission denied/,
          );
          seen[signature] = "trigger";
          continue;
        }
        if ("raises" in entry) {
          const [sql, params] = entry.sql(c);
          await expect(asUser(who.user, (q) => q(sql, params))).rejects.toThrow(entry.raises);
          seen[signature] = "raises";
          continue;
        }
        const [sql, params] = entry.sql(c);
        const { rows, fields } = await asUser(who.user, (q) => q(sql.replace("__fn__", name), params));
        // No integer column except the counts named in the entry: a rating is an integer 1–5.
        const INT_TYPES = new Set([20, 21, 23, 1700]);
        const intColumns = fields.filter((f) => INT_TYPES.has(f.dataTypeID)).map((f) => f.name);
        expect(
          intColumns.filter((column) => !(column in (entry.counts ?? {}))),
          signature,
        ).toEqual([]);
        expect(JSON.stringify(rows), signature).not.toContain(ctx.x.assessment);
        entry.check?.(rows, c);
        seen[signature] = rows;
      }
      expect(Object.keys(seen).sort()).toEqual(functions.map((f) => f.signature).sort());
    });
});
