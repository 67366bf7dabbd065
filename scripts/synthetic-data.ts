/**
 * `npm run db:synthetic`: fills a database with synthetic networks for load tests
 * (bench/run.ts): by default 16 networks (one per German state) × 35 offices × 20 people
 * × 10 rounds (9 closed, 1 open) with goal ratings, individual ratings, measure grades,
 * reminders and sign-ins, and an implementation plan for about 85 % of the offices (issue 21:
 * 5–12 measures from their last round's priorities and the catalogue, 3–8 activities each,
 * Sachstand, milestones, checklist; office 1 of each network the largest, 12 × 8).
 *
 * Uses DATABASE_URL (a superuser or BYPASSRLS role: the tables force row-level security)
 * or, unset, the embedded database in EMBEDDED_PG_DIR, like `npm run db:seed`; migrates and
 * seeds the framework first (no demo network).
 * Deterministic: the same --seed gives the same ids, names and ratings; only the dates
 * follow the day of the run (--today pins it), so the open round is open. Runs once:
 * it refuses when synthetic networks (slug "syn-…") already exist – start from an empty
 * database instead. All rows are written in one transaction, so a failed run leaves nothing.
 *
 *   npm run db:synthetic -- [--networks 16] [--offices 35] [--users 20] [--rounds 10]
 *                           [--seed 20261124] [--today YYYY-MM-DD] [--force]
 *
 * Never against production: it refuses with NODE_ENV=production, and when the database
 * holds a network that is neither a demo nor synthetic, unless --force.
 */
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { DEFAULT_PRIORITY_RULE, derivedPriority, type Grade, type Priority } from "~/domains/assessment/priority";
import { hashPassword } from "~/platform/auth/password.server";
import { sizeClassOf } from "~/domains/comparison/anonymity";
import { ConfigError, parseConfig } from "~/platform/config.server";
import { createPrismaClient } from "~/platform/db.server";
import { endOfDay, startOfDay, toCalendarDay } from "~/utils/calendar-day";
import { slugify } from "../prisma/seed/demo-network";
import { DEMO_PHASE_TASKS } from "../prisma/seed/demo-plans";
import { prng, type Random } from "../prisma/seed/random";
import { seed } from "../prisma/seed/index";
import { openDatabase } from "../server/database/index";
import { migrate } from "../server/database/migrate";

// ─── Options ────────────────────────────────────────────────────────────────

export type SyntheticOptions = {
  networks: number;
  offices: number;
  /** People per office: 1–2 heads, the rest staff. */
  users: number;
  /** Rounds per network: all closed but the newest, which is open. */
  rounds: number;
  seed: number;
  /** The day of the run (YYYY-MM-DD, German time); the rounds' dates are counted from it. */
  today: string;
};

export const DEFAULT_OPTIONS: Omit<SyntheticOptions, "today"> = {
  networks: 16,
  offices: 35,
  users: 20,
  rounds: 10,
  seed: 20261124,
};

/** Every synthetic person signs in with this password (the hash is computed once). */
export const SYNTHETIC_PASSWORD = "synthetisch-nur-für-lasttests";
export const SYNTHETIC_SLUG_PREFIX = "syn-";
export const SYNTHETIC_EMAIL_DOMAIN = "synthetisch.abh-netz.invalid";

export const STATES: ReadonlyArray<[code: string, name: string]> = [
  ["bw", "Baden-Württemberg"],
  ["by", "Bayern"],
  ["be", "Berlin"],
  ["bb", "Brandenburg"],
  ["hb", "Bremen"],
  ["hh", "Hamburg"],
  ["he", "Hessen"],
  ["mv", "Mecklenburg-Vorpommern"],
  ["ni", "Niedersachsen"],
  ["nw", "Nordrhein-Westfalen"],
  ["rp", "Rheinland-Pfalz"],
  ["sl", "Saarland"],
  ["sn", "Sachsen"],
  ["st", "Sachsen-Anhalt"],
  ["sh", "Schleswig-Holstein"],
  ["th", "Thüringen"],
];

/** Sign-in address of person `user` (1-based) of office `office` (1-based) in a network. */
export function syntheticEmail(networkCode: string, office: number, user: number) {
  return `syn.${networkCode}.${String(office).padStart(2, "0")}.${String(user).padStart(2, "0")}@${SYNTHETIC_EMAIL_DOMAIN}`;
}

// ─── Randomness ─────────────────────────────────────────────────────────────

export { prng, type Random } from "../prisma/seed/random";

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));
const DAY = 24 * 60 * 60 * 1000;
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T12:00:00Z`) + days * DAY).toISOString().slice(0, 10);
/** The same calendar day `years` years earlier (29 February becomes the 28th). */
const yearsEarlier = (day: string, years: number) => {
  const [y, m, d] = day.split("-").map(Number);
  return `${y - years}-${String(m).padStart(2, "0")}-${String(m === 2 && d === 29 ? 28 : d).padStart(2, "0")}`;
};
const between = (random: Random, from: Date, to: Date) =>
  new Date(from.getTime() + random.next() * Math.max(0, to.getTime() - from.getTime()));

// ─── Offices ────────────────────────────────────────────────────────────────

export type OfficeKind = "KREISFREIE_STADT" | "LANDKREIS" | "OTHER";

const PLACE_STARTS = [
  "Alt",
  "Neu",
  "Ober",
  "Nieder",
  "Bad ",
  "Groß",
  "Klein",
  "Sankt ",
  "Hohen",
  "Wald",
  "Rosen",
  "Linden",
  "Eichen",
  "Birken",
  "Stein",
  "Mühl",
  "Sonnen",
  "Buchen",
  "Weiden",
  "Tannen",
];
const PLACE_ENDS = [
  "berg",
  "feld",
  "hausen",
  "dorf",
  "heim",
  "stadt",
  "bach",
  "burg",
  "au",
  "furt",
  "brück",
  "hagen",
  "stein",
  "wald",
  "tal",
  "kirchen",
  "lingen",
  "rode",
  "born",
  "see",
];
const REGIONS = ["Nord", "Süd", "Ost", "West", "Mitte"];

/**
 * 35 offices are about 26 % kreisfreie Städte, 6 % other (e.g. a central office) and the
 * rest Landkreise. Clients served is log-normal per kind (cities larger), so every size
 * class of app/domains/comparison/anonymity.ts occurs; about 3 % have no size on their profile.
 */
export function planOffices(random: Random, count: number) {
  const cities = Math.round(count * 0.26);
  const other = count >= 10 ? Math.max(1, Math.round(count * 0.06)) : 0;
  const kinds: OfficeKind[] = random.shuffle([
    ...Array<OfficeKind>(cities).fill("KREISFREIE_STADT"),
    ...Array<OfficeKind>(other).fill("OTHER"),
    ...Array<OfficeKind>(count - cities - other).fill("LANDKREIS"),
  ]);
  const median: Record<OfficeKind, number> = { KREISFREIE_STADT: 24_000, LANDKREIS: 9_000, OTHER: 14_000 };
  const names = new Set<string>();
  return kinds.map((kind, index) => {
    let place: string;
    do place = random.pick(PLACE_STARTS) + random.pick(PLACE_ENDS);
    while (names.has(place));
    names.add(place);
    const clientsServed = random.chance(0.03)
      ? null
      : Math.round(clamp(median[kind] * Math.exp(0.7 * random.normal()), 1_500, 150_000));
    const fullName =
      kind === "KREISFREIE_STADT"
        ? `Stadt ${place}`
        : kind === "LANDKREIS"
          ? `Landkreis ${place}`
          : `Zentrale Ausländerbehörde ${place}`;
    return {
      number: index + 1,
      kind,
      name: kind === "OTHER" ? fullName : `Ausländerbehörde ${fullName}`,
      slug: slugify(fullName),
      region: `Region ${random.pick(REGIONS)}`,
      clientsServed,
      staffCount: clientsServed === null ? null : Math.max(3, Math.round(clientsServed / 900)),
    };
  });
}

const FIRST_NAMES = [
  "Anna",
  "Ben",
  "Carla",
  "Deniz",
  "Elif",
  "Felix",
  "Greta",
  "Hannes",
  "Ines",
  "Jonas",
  "Katrin",
  "Lukas",
  "Mira",
  "Niklas",
  "Olga",
  "Paul",
  "Rana",
  "Sven",
  "Tanja",
  "Yusuf",
  "Zofia",
  "Marek",
  "Leyla",
  "Tobias",
];
const LAST_NAMES = [
  "Becker",
  "Demir",
  "Fischer",
  "Hoffmann",
  "Kaya",
  "Klein",
  "Krüger",
  "Lange",
  "Meyer",
  "Nowak",
  "Schmidt",
  "Schulz",
  "Wagner",
  "Weber",
  "Yilmaz",
  "Zimmermann",
  "Popescu",
  "Richter",
  "Wolf",
  "Braun",
];

// ─── Tables ─────────────────────────────────────────────────────────────────

type ColumnType =
  | "uuid"
  | "text"
  | "int"
  | "bool"
  | "date"
  | "timestamptz"
  | "jsonb"
  | "office_kind"
  | "role"
  | "grade"
  | "priority"
  | "plan_phase"
  | "activity_status"
  | "consolidation_decision";

/** Rows of one table, column-wise, for INSERT … SELECT * FROM unnest($1::type[], …). */
export class Table {
  readonly values: Record<string, unknown[]>;
  length = 0;
  constructor(
    readonly name: string,
    readonly columns: Record<string, ColumnType>,
    /** Written only if the table exists (it comes with a newer migration). */
    readonly optional = false,
  ) {
    this.values = Object.fromEntries(Object.keys(columns).map((c) => [c, []]));
  }
  add(row: Record<string, unknown>) {
    for (const column of Object.keys(this.columns)) this.values[column].push(row[column] ?? null);
    this.length++;
  }
  column<T>(name: string) {
    return this.values[name] as T[];
  }
}

export type Framework = {
  versionId: string;
  goals: Array<{ id: string; number: number }>;
  /** result and activities: the catalogue's intended result and key activities (the plans' texts). */
  measures: Array<{ id: string; goalNumber: number; result?: string; activities?: string[] }>;
};

export type SyntheticData = ReturnType<typeof generate>;

/**
 * The whole data set in memory, column-wise. Pure: the same options, framework and
 * password hash give the same rows.
 */
export function generate(options: SyntheticOptions, framework: Framework, passwordHash: string) {
  const random = prng(options.seed);
  const t = {
    network: new Table("network", {
      id: "uuid",
      slug: "text",
      name: "text",
      state: "text",
      is_demo: "bool",
      framework_version_id: "uuid",
      created_at: "timestamptz",
    }),
    office: new Table("office", {
      id: "uuid",
      network_id: "uuid",
      slug: "text",
      name: "text",
      kind: "office_kind",
      region: "text",
      clients_served: "int",
      staff_count: "int",
      email: "text",
      created_at: "timestamptz",
    }),
    user: new Table("user_account", {
      id: "uuid",
      email: "text",
      name: "text",
      password_hash: "text",
      created_at: "timestamptz",
    }),
    membership: new Table("membership", {
      id: "uuid",
      user_id: "uuid",
      network_id: "uuid",
      office_id: "uuid",
      role: "role",
      created_at: "timestamptz",
    }),
    round: new Table("assessment_round", {
      id: "uuid",
      network_id: "uuid",
      framework_version_id: "uuid",
      name: "text",
      opens_at: "timestamptz",
      deadline: "timestamptz",
      created_by_id: "uuid",
      created_at: "timestamptz",
    }),
    participant: new Table("round_participant", { round_id: "uuid", office_id: "uuid", deadline_override: "timestamptz" }),
    assessment: new Table("assessment", {
      id: "uuid",
      round_id: "uuid",
      office_id: "uuid",
      submitted_at: "timestamptz",
      submitted_by_id: "uuid",
      goals_done: "int",
      measures_done: "int",
      last_edited_at: "timestamptz",
      priority_rule: "jsonb",
      created_at: "timestamptz",
    }),
    goal: new Table("goal_assessment", {
      assessment_id: "uuid",
      goal_id: "uuid",
      rating: "int",
      not_assessed: "bool",
      comment: "text",
      evidence: "text",
      version: "int",
      updated_at: "timestamptz",
      updated_by_id: "uuid",
    }),
    individual: new Table("individual_rating", {
      assessment_id: "uuid",
      goal_id: "uuid",
      user_id: "uuid",
      rating: "int",
      not_assessed: "bool",
      reasons: "text",
      updated_at: "timestamptz",
    }),
    measure: new Table("measure_assessment", {
      assessment_id: "uuid",
      measure_id: "uuid",
      need: "grade",
      effort: "grade",
      priority_override: "priority",
      override_reason: "text",
      version: "int",
      updated_at: "timestamptz",
      updated_by_id: "uuid",
    }),
    reminder: new Table("assessment_reminder", {
      id: "uuid",
      assessment_id: "uuid",
      days_before: "int",
      sent_by_id: "uuid",
      sent_at: "timestamptz",
    }),
    audit: new Table("audit_event", { created_at: "timestamptz", actor_id: "uuid", action: "text", details: "jsonb" }),
    share: new Table(
      "assessment_share",
      {
        id: "uuid",
        assessment_id: "uuid",
        granted_at: "timestamptz",
        granted_by_id: "uuid",
        withdrawn_at: "timestamptz",
        withdrawn_by_id: "uuid",
      },
      true,
    ),
    ...planTables(),
  };
  /** Applied after the assessments are written: closing fires the cohort-freeze trigger. */
  const closings: Array<{ roundId: string; closedAt: Date }> = [];

  const today = options.today;
  const now = startOfDay(today);
  const planned: Array<{ id: string; number: number; networkId: string; heads: string[]; members: string[] }> = [];
  const priorities = new Map<string, { roundId: string; measureIds: string[] }>();
  const setUp = startOfDay(addDays(today, -(options.rounds * 366 + 60)));
  const rule = JSON.stringify(DEFAULT_PRIORITY_RULE);
  const goalNumbers = framework.goals.map((g) => g.number);
  // Some goals are harder for every office, so the network profile has a shape.
  const goalDifficulty = new Map(goalNumbers.map((n) => [n, random.normal() * 0.45]));

  for (const [code, state] of STATES.slice(0, options.networks)) {
    const networkId = random.uuid();
    t.network.add({
      id: networkId,
      slug: `${SYNTHETIC_SLUG_PREFIX}${code}`,
      name: `${state} (synthetisch)`,
      state,
      is_demo: false,
      framework_version_id: framework.versionId,
      created_at: setUp,
    });

    // Two ministry staff per network; they open the rounds and send manual reminders.
    const admins = [1, 2].map((n) => {
      const id = random.uuid();
      t.user.add({
        id,
        email: `syn.${code}.admin${n}@${SYNTHETIC_EMAIL_DOMAIN}`,
        name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
        password_hash: passwordHash,
        created_at: setUp,
      });
      t.membership.add({
        id: random.uuid(),
        user_id: id,
        network_id: networkId,
        office_id: null,
        role: "NETWORK_ADMIN",
        created_at: setUp,
      });
      return id;
    });

    const offices = planOffices(random, options.offices).map((plan) => {
      const id = random.uuid();
      t.office.add({
        id,
        network_id: networkId,
        slug: plan.slug,
        name: plan.name,
        kind: plan.kind,
        region: plan.region,
        clients_served: plan.clientsServed,
        staff_count: plan.staffCount,
        email: `abh@${plan.slug}.${SYNTHETIC_EMAIL_DOMAIN}`,
        created_at: setUp,
      });
      const heads = options.users >= 5 && random.chance(0.3) ? 2 : 1;
      const members = Array.from({ length: options.users }, (_, i) => {
        const userId = random.uuid();
        const role = i < heads ? "OFFICE_HEAD" : "OFFICE_STAFF";
        t.user.add({
          id: userId,
          email: syntheticEmail(code, plan.number, i + 1),
          name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
          password_hash: passwordHash,
          created_at: setUp,
        });
        t.membership.add({ id: random.uuid(), user_id: userId, network_id: networkId, office_id: id, role, created_at: setUp });
        // Last sign-in: most within 90 days, some longer ago, a few never.
        const r = random.next();
        if (r < 0.9) {
          const daysAgo = r < 0.6 ? random.int(0, 29) : r < 0.75 ? random.int(30, 89) : random.int(90, 400);
          t.audit.add({
            created_at: new Date(now.getTime() - daysAgo * DAY + random.int(7, 17) * 3_600_000),
            actor_id: userId,
            action: "auth.sign_in",
            details: JSON.stringify({ address: "127.0.0.1" }),
          });
        }
        return userId;
      });
      return {
        id,
        number: plan.number,
        networkId,
        heads: members.slice(0, heads),
        members,
        // How far along the office is, how fast it improves, how reliably it submits.
        level: 2.6 + 0.6 * random.normal(),
        improvement: 0.05 + 0.1 * random.next(),
        diligence: (random.next() - 0.5) * 0.24,
        // A quarter of the offices let the ministry see their results (opt-in sharing).
        shares: random.chance(0.25),
      };
    });

    planned.push(...offices);
    for (let index = 0; index < options.rounds; index++) {
      const yearsBack = options.rounds - 1 - index;
      const open = yearsBack === 0;
      // Yearly rounds; the newest opened 30 days ago and runs for another 60.
      const opensOn = yearsEarlier(addDays(today, -30), yearsBack);
      const opensAt = startOfDay(opensOn);
      const deadline = endOfDay(addDays(opensOn, 90));
      const roundId = random.uuid();
      t.round.add({
        id: roundId,
        network_id: networkId,
        framework_version_id: framework.versionId,
        name: `Selbsteinschätzung ${opensOn.slice(0, 4)}`,
        opens_at: opensAt,
        deadline,
        created_by_id: admins[0],
        created_at: opensAt,
      });
      if (!open) closings.push({ roundId, closedAt: startOfDay(addDays(opensOn, 104)) });
      const until = open ? now : deadline;

      for (const office of offices) {
        const extended = random.chance(0.03) ? endOfDay(addDays(opensOn, 104)) : null;
        t.participant.add({ round_id: roundId, office_id: office.id, deadline_override: extended });
        const assessmentId = random.uuid();
        const r = random.next();
        const submitShare = (open ? 0.4 : 0.85) + office.diligence;
        const status = r < submitShare ? "submitted" : r < submitShare + (open ? 0.35 : 0.075) ? "draft" : "untouched";

        const submittedAt =
          status === "submitted"
            ? between(
                random,
                new Date(opensAt.getTime() + (open ? 3 : 30) * DAY),
                open ? now : new Date(deadline.getTime() + (random.chance(0.1) ? 7 * DAY : -10 * DAY)),
              )
            : null;
        const lastEdit =
          submittedAt ?? (status === "draft" ? between(random, new Date(opensAt.getTime() + 2 * DAY), until) : null);
        const editor = () => random.pick(office.members);

        // Consensus ratings: office level + goal difficulty + improvement per round + noise.
        const goalOrder = random.shuffle([...framework.goals]);
        const goalsAnswered =
          status === "submitted" ? goalOrder.length : status === "draft" ? random.int(1, goalOrder.length - 1) : 0;
        const ratings = new Map<number, number | null>();
        for (const goal of goalOrder.slice(0, goalsAnswered)) {
          const value = office.level + goalDifficulty.get(goal.number)! + office.improvement * index + 0.5 * random.normal();
          const rating = random.chance(0.03) ? null : Math.round(clamp(value, 1, 5));
          ratings.set(goal.number, rating);
          t.goal.add({
            assessment_id: assessmentId,
            goal_id: goal.id,
            rating,
            not_assessed: rating === null,
            comment: random.chance(0.25)
              ? "Synthetischer Kommentar: im Team besprochen, Einschätzung nach Rückmeldung der Sachgebiete."
              : "",
            evidence: random.chance(0.15) ? "Synthetischer Nachweis: Dienstanweisung und Auswertung der Wartezeiten." : "",
            version: random.int(1, 4),
            updated_at: lastEdit,
            updated_by_id: editor(),
          });
        }
        // A few team members rate on their own first (two to four people, one of them a head).
        if (goalsAnswered > 0) {
          const raters = [
            random.pick(office.heads),
            ...random.shuffle(office.members.filter((m) => !office.heads.includes(m))).slice(0, random.int(1, 3)),
          ];
          for (const userId of raters) {
            for (const goal of goalOrder.slice(0, goalsAnswered)) {
              const consensus = ratings.get(goal.number) ?? null;
              const own = consensus === null ? null : clamp(consensus + random.pick([-1, 0, 0, 0, 1]), 1, 5);
              t.individual.add({
                assessment_id: assessmentId,
                goal_id: goal.id,
                user_id: userId,
                rating: own,
                not_assessed: own === null,
                reasons: random.chance(0.1) ? "Synthetische Begründung." : "",
                updated_at: lastEdit,
              });
            }
          }
        }

        // Measures: the lower the goal's rating, the greater the need for change.
        const measuresAnswered =
          status === "submitted"
            ? framework.measures.length
            : status === "draft"
              ? random.int(0, framework.measures.length - 1)
              : 0;
        let measuresDone = 0;
        const high: string[] = [];
        for (const measure of random.shuffle([...framework.measures]).slice(0, measuresAnswered)) {
          const rating = ratings.get(measure.goalNumber) ?? 3;
          const score = (5 - rating) / 4 + 0.25 * random.normal();
          const need: Grade = score > 0.66 ? "HIGH" : score > 0.4 ? "MEDIUM" : score > 0.15 ? "LOW" : "NONE";
          const effort: Grade | null =
            need === "NONE" && random.chance(0.5)
              ? null
              : random.pick(["HIGH", "MEDIUM", "MEDIUM", "LOW", "LOW", "NONE"] as const);
          const override: Priority | null = random.chance(0.02) ? random.pick(["HIGH", "MEDIUM", "LOW", "NONE"] as const) : null;
          if (need === "NONE" || effort !== null) measuresDone++;
          if ((override ?? derivedPriority(DEFAULT_PRIORITY_RULE, need, effort)) === "HIGH") high.push(measure.id);
          t.measure.add({
            assessment_id: assessmentId,
            measure_id: measure.id,
            need,
            effort,
            priority_override: override,
            override_reason: override ? "Synthetische Begründung: hängt an einer anderen Maßnahme." : "",
            version: random.int(1, 3),
            updated_at: lastEdit,
            updated_by_id: editor(),
          });
        }

        // The newest closed round an office submitted in is where its plan starts from.
        if (submittedAt && !open) priorities.set(office.id, { roundId, measureIds: high });
        t.assessment.add({
          id: assessmentId,
          round_id: roundId,
          office_id: office.id,
          submitted_at: submittedAt,
          submitted_by_id: submittedAt ? random.pick(office.heads) : null,
          goals_done: goalsAnswered,
          measures_done: measuresDone,
          last_edited_at: lastEdit,
          priority_rule: submittedAt ? rule : null,
          created_at: opensAt,
        });

        // Reminders of closed rounds: 14 and 3 days before the deadline to offices that had
        // not submitted by then (the open round has none due yet), now and then one by hand.
        if (!open) {
          const effective = extended ?? deadline;
          for (const days of [14, 3]) {
            const due = new Date(effective.getTime() - days * DAY);
            if (!submittedAt || submittedAt > due)
              t.reminder.add({
                id: random.uuid(),
                assessment_id: assessmentId,
                days_before: days,
                sent_by_id: null,
                sent_at: due,
              });
          }
        }
        if (submittedAt && !open && office.shares) {
          const head = random.pick(office.heads);
          const grantedAt = new Date(submittedAt.getTime() + DAY);
          const withdrawn = random.chance(0.15) ? new Date(grantedAt.getTime() + 30 * DAY) : null;
          t.share.add({
            id: random.uuid(),
            assessment_id: assessmentId,
            granted_at: grantedAt,
            granted_by_id: head,
            withdrawn_at: withdrawn,
            withdrawn_by_id: withdrawn ? head : null,
          });
        }
        if (!submittedAt && random.chance(0.1)) {
          t.reminder.add({
            id: random.uuid(),
            assessment_id: assessmentId,
            days_before: null,
            sent_by_id: random.pick(admins),
            sent_at: between(random, opensAt, until),
          });
        }
      }
    }
  }
  // Plans on their own random stream: the same seed still gives the same networks, people and ratings as before plans existed.
  addPlans(t, prng(options.seed ^ 0x5eed_91a7), { today, framework, offices: planned, priorities });
  return { tables: Object.values(t), closings };
}

// ─── Implementation plans ───────────────────────────────────────────────────

const PLAN_PHASES = ["INITIIERUNG", "PLANUNG", "MOBILISIERUNG", "UMSETZUNG", "KONSOLIDIERUNG"] as const;
/** Share of the offices with a plan per phase (the rest, 15 %, have none yet). */
const PHASE_SHARES: Array<[(typeof PLAN_PHASES)[number], number]> = [
  ["INITIIERUNG", 0.08],
  ["PLANUNG", 0.12],
  ["MOBILISIERUNG", 0.12],
  ["UMSETZUNG", 0.38],
  ["KONSOLIDIERUNG", 0.15],
];
/** Beyond the catalogue's key activities (1–6 per measure), the steps offices add themselves. */
const EXTRA_STEPS = [
  "Auftaktbesprechung im Team",
  "Zuständigkeiten und Zeitplan festlegen",
  "Entwurf mit der Leitung abstimmen",
  "Beschäftigte informieren und schulen",
  "Erfahrungen nach drei Monaten auswerten",
  "Ergebnis in der Dienstanweisung verankern",
];
const OUTSIDE = ["Teamleitung Aufenthalt", "Personalrat", "IT-Koordination", "Integrationsbeauftragte", "Serviceteam"];

function planTables() {
  return {
    plan: new Table(
      "plan",
      {
        id: "uuid",
        network_id: "uuid",
        office_id: "uuid",
        cycle: "int",
        source_round_id: "uuid",
        phase: "plan_phase",
        started_at: "timestamptz",
        started_by_id: "uuid",
        released_at: "timestamptz",
        released_by_id: "uuid",
        updated_at: "timestamptz",
      },
      true,
    ),
    planMeasure: new Table(
      "plan_measure",
      {
        id: "uuid",
        plan_id: "uuid",
        office_id: "uuid",
        measure_id: "uuid",
        origin: "text",
        intended_result: "text",
        position: "int",
        completed_at: "timestamptz",
        consolidation_successful: "bool",
        consolidation_decision: "consolidation_decision",
        consolidated_at: "timestamptz",
        added_at: "timestamptz",
        added_by_id: "uuid",
        updated_at: "timestamptz",
      },
      true,
    ),
    planActivity: new Table(
      "plan_activity",
      {
        id: "uuid",
        plan_measure_id: "uuid",
        plan_id: "uuid",
        office_id: "uuid",
        position: "int",
        title: "text",
        status: "activity_status",
        starts_on: "date",
        ends_on: "date",
        responsible_user_id: "uuid",
        responsible_name: "text",
        participants: "text",
        resources: "text",
        done_at: "timestamptz",
        created_at: "timestamptz",
        created_by_id: "uuid",
        updated_at: "timestamptz",
      },
      true,
    ),
    planUpdate: new Table(
      "plan_activity_update",
      { id: "uuid", activity_id: "uuid", plan_id: "uuid", office_id: "uuid", noted_on: "date", body: "text", author_id: "uuid" },
      true,
    ),
    planMilestone: new Table(
      "plan_milestone",
      {
        id: "uuid",
        plan_measure_id: "uuid",
        plan_id: "uuid",
        office_id: "uuid",
        title: "text",
        due_on: "date",
        reached_on: "date",
        position: "int",
      },
      true,
    ),
    planTask: new Table(
      "plan_phase_task",
      { plan_id: "uuid", office_id: "uuid", task_key: "text", done_at: "timestamptz", done_by_id: "uuid" },
      true,
    ),
  };
}

/**
 * One open plan for about 85 % of the offices (office 1 of each network always, the largest
 * possible: 12 measures × 8 activities, in the Umsetzungsphase – the one the benchmark opens),
 * 5–12 measures with 3–8 activities each; statuses follow the dates (done in the past, some
 * overdue, in progress now, not started ahead).
 */
function addPlans(
  t: ReturnType<typeof planTables>,
  random: Random,
  input: {
    today: string;
    framework: Framework;
    offices: Array<{ id: string; number: number; networkId: string; heads: string[]; members: string[] }>;
    priorities: Map<string, { roundId: string; measureIds: string[] }>;
  },
) {
  const { today, framework } = input;
  const now = startOfDay(today);
  for (const office of input.offices) {
    const largest = office.number === 1;
    let phase: (typeof PLAN_PHASES)[number] | null = largest ? "UMSETZUNG" : null;
    if (!largest) {
      let r = random.next();
      for (const [p, share] of PHASE_SHARES) if (phase === null && (r -= share) < 0) phase = p;
    }
    if (!phase) continue;
    const phaseIndex = PLAN_PHASES.indexOf(phase);
    const source = input.priorities.get(office.id) ?? null;
    const ageDays = [random.int(10, 40), random.int(40, 90), random.int(90, 150), random.int(200, 420), random.int(480, 700)][
      phaseIndex
    ];
    const startedOn = addDays(today, -ageDays);
    const startedAt = new Date(startOfDay(startedOn).getTime() + 9 * 3_600_000);
    const head = random.pick(office.heads);
    const planId = random.uuid();
    const released = phaseIndex >= 3 && random.chance(0.2);
    t.plan.add({
      id: planId,
      network_id: office.networkId,
      office_id: office.id,
      cycle: 1,
      source_round_id: source?.roundId ?? null,
      phase,
      started_at: startedAt,
      started_by_id: head,
      released_at: released ? new Date(now.getTime() - random.int(1, 60) * DAY) : null,
      released_by_id: released ? head : null,
      updated_at: now,
    });

    // Measures: the round's "hoch" priorities first, then others from the catalogue.
    const count = largest ? 12 : random.int(5, 12);
    const chosen = [...(source?.measureIds ?? [])].slice(0, count);
    const rest = random.shuffle(framework.measures.filter((m) => !chosen.includes(m.id)));
    while (chosen.length < count && rest.length) chosen.push(rest.shift()!.id);
    const planningDone = phaseIndex >= 3 ? addDays(startedOn, random.int(30, 60)) : addDays(today, random.int(14, 45));
    chosen.forEach((measureId, position) => {
      const measure = framework.measures.find((m) => m.id === measureId)!;
      const measureRowId = random.uuid();
      const steps = [...(measure.activities ?? []), ...random.shuffle([...EXTRA_STEPS])];
      const activities = largest ? 8 : random.int(3, 8);
      let cursor = addDays(planningDone, position * random.int(7, 30));
      let lastDone: Date | null = null;
      let allDone = true;
      const ends: string[] = [];
      for (let i = 0; i < activities; i++) {
        const startsOn = cursor;
        const endsOn = addDays(cursor, random.int(21, 75));
        cursor = addDays(cursor, random.int(14, 45));
        ends.push(endsOn);
        const overdue = endsOn < today;
        const running = startsOn <= today && !overdue;
        const status = overdue
          ? random.chance(phase === "KONSOLIDIERUNG" ? 0.92 : 0.75)
            ? "DONE"
            : random.chance(0.6)
              ? "IN_PROGRESS"
              : "NOT_STARTED"
          : running
            ? random.chance(0.7)
              ? "IN_PROGRESS"
              : "NOT_STARTED"
            : "NOT_STARTED";
        const doneAt =
          status === "DONE"
            ? new Date(Math.min(startOfDay(addDays(endsOn, -random.int(0, 10))).getTime() + 14 * 3_600_000, now.getTime() - DAY))
            : null;
        if (!doneAt) allDone = false;
        else if (!lastDone || doneAt > lastDone) lastDone = doneAt;
        const activityId = random.uuid();
        const member = random.chance(0.7);
        t.planActivity.add({
          id: activityId,
          plan_measure_id: measureRowId,
          plan_id: planId,
          office_id: office.id,
          position: i,
          title: steps[i % steps.length],
          status,
          starts_on: startsOn,
          ends_on: endsOn,
          responsible_user_id: member ? random.pick(office.members) : null,
          responsible_name: member ? null : random.pick(OUTSIDE),
          participants: random.chance(0.5) ? "Team Aufenthalt" : "",
          resources: random.chance(0.3) ? "2 Stunden je Woche" : "",
          done_at: doneAt,
          created_at: startedAt,
          created_by_id: head,
          updated_at: doneAt ?? startedAt,
        });
        if (status !== "NOT_STARTED")
          t.planUpdate.add({
            id: random.uuid(),
            activity_id: activityId,
            plan_id: planId,
            office_id: office.id,
            noted_on: doneAt ? toCalendarDay(doneAt) : addDays(startsOn, Math.min(7, Math.max(0, daysBetween(startsOn, today)))),
            body: doneAt ? "Synthetischer Sachstand: abgeschlossen." : "Synthetischer Sachstand: in Arbeit, Entwurf liegt vor.",
            author_id: random.pick(office.members),
          });
      }
      const consolidated = allDone && (phase === "KONSOLIDIERUNG" || random.chance(0.4));
      t.planMeasure.add({
        id: measureRowId,
        plan_id: planId,
        office_id: office.id,
        measure_id: measureId,
        origin: source?.measureIds.includes(measureId) ? "priority" : "catalogue",
        intended_result: measure.result ?? "",
        position,
        completed_at: allDone ? lastDone : null,
        consolidation_successful: consolidated ? random.chance(0.8) : null,
        consolidation_decision: consolidated ? random.pick(["KEEP", "KEEP", "KEEP", "ADJUST"]) : null,
        consolidated_at: consolidated ? new Date(Math.min(lastDone!.getTime() + 14 * DAY, now.getTime())) : null,
        added_at: startedAt,
        added_by_id: head,
        updated_at: startedAt,
      });
      if (phaseIndex >= 1 && random.chance(0.5))
        t.planMilestone.add({
          id: random.uuid(),
          plan_measure_id: measureRowId,
          plan_id: planId,
          office_id: office.id,
          title: "Zwischenergebnis erreicht",
          due_on: ends[Math.floor(ends.length / 2)],
          reached_on: ends[Math.floor(ends.length / 2)] < today && random.chance(0.7) ? ends[Math.floor(ends.length / 2)] : null,
          position: 0,
        });
    });
    // Checklist: the tasks of every phase before the current one.
    PLAN_PHASES.slice(0, phaseIndex).forEach((p) => {
      for (const taskKey of DEMO_PHASE_TASKS[p])
        t.planTask.add({
          plan_id: planId,
          office_id: office.id,
          task_key: taskKey,
          done_at: startedAt,
          done_by_id: head,
        });
    });
  }
}

const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

// ─── Writing ────────────────────────────────────────────────────────────────

const CHUNK = 25_000;

async function insert(client: pg.ClientBase, table: Table) {
  const columns = Object.keys(table.columns);
  const sql = `INSERT INTO "${table.name}" (${columns.map((c) => `"${c}"`).join(", ")})
    SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${table.columns[c]}[]`).join(", ")})`;
  for (let start = 0; start < table.length; start += CHUNK) {
    await client.query(
      sql,
      columns.map((c) => table.values[c].slice(start, start + CHUNK)),
    );
  }
}

/** Reads the framework the rounds use: the one version the seed wrote. */
async function readFramework(client: pg.ClientBase): Promise<Framework> {
  const versions = await client.query<{ id: string }>(`SELECT id FROM framework_version ORDER BY created_at, slug LIMIT 1`);
  if (!versions.rowCount) throw new Error("Kein Orientierungsrahmen in der Datenbank.");
  const versionId = versions.rows[0].id;
  const goals = await client.query<{ id: string; number: number }>(
    `SELECT id, number FROM goal WHERE framework_version_id = $1 ORDER BY number`,
    [versionId],
  );
  const measures = await client.query<{ id: string; goalNumber: number; result: string; activities: string[] }>(
    `SELECT m.id, g.number AS "goalNumber", m.result, m.activities FROM measure m JOIN work_field w ON w.id = m.work_field_id JOIN goal g ON g.id = w.goal_id
     WHERE m.framework_version_id = $1 ORDER BY m.position, m.code`,
    [versionId],
  );
  return { versionId, goals: goals.rows, measures: measures.rows };
}

/** Why this database must not be filled (null: go ahead). */
async function refusal(client: pg.ClientBase, force: boolean): Promise<string | null> {
  const role = await client.query<{ bypasses: boolean }>(
    `SELECT rolsuper OR rolbypassrls AS bypasses FROM pg_roles WHERE rolname = current_user`,
  );
  if (!role.rows[0]?.bypasses) {
    return "Die Verbindung muss die Zeilensicherheit umgehen (Superuser oder BYPASSRLS), wie bei npm run db:seed.";
  }
  const existing = await client.query<{ slug: string }>(`SELECT slug FROM network WHERE slug LIKE $1 ORDER BY slug LIMIT 1`, [
    `${SYNTHETIC_SLUG_PREFIX}%`,
  ]);
  if (existing.rowCount) {
    return `Die Datenbank enthält schon synthetische Daten (Netzwerk ${existing.rows[0].slug}). Für einen neuen Stand eine leere Datenbank verwenden (eingebettet: das Verzeichnis EMBEDDED_PG_DIR löschen).`;
  }
  if (force) return null;
  const real = await client.query<{ slug: string }>(
    `SELECT slug FROM network WHERE NOT is_demo AND slug NOT LIKE $1 ORDER BY slug LIMIT 3`,
    [`${SYNTHETIC_SLUG_PREFIX}%`],
  );
  if (real.rowCount) {
    return `Die Datenbank enthält echte Netzwerke (${real.rows.map((r) => r.slug).join(", ")}); synthetische Daten nur mit --force.`;
  }
  return null;
}

/**
 * Migrates, seeds the framework and writes the synthetic networks into the database at
 * `url` (as its owner). Returns the row counts per table; throws if refused.
 */
export async function fillSyntheticData(url: string, options: SyntheticOptions, { force = false, log = console.log } = {}) {
  const started = performance.now();
  const lap = (() => {
    let last = started;
    return (what: string) => {
      const at = performance.now();
      log(`  ${what}: ${((at - last) / 1000).toFixed(1)} s`);
      last = at;
    };
  })();

  await migrate(url);
  const prisma = createPrismaClient(url, { max: 2 });
  try {
    await seed(prisma, { demo: false });
  } finally {
    await prisma.$disconnect();
    await prisma.pool.end();
  }
  lap("Migrationen und Orientierungsrahmen");

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const reason = await refusal(client, force);
    if (reason) throw new RefusedError(reason);
    const framework = await readFramework(client);
    const passwordHash = await hashPassword(SYNTHETIC_PASSWORD);
    const data = generate(options, framework, passwordHash);
    lap("Daten erzeugt (im Speicher)");

    await client.query("BEGIN");
    try {
      for (const table of data.tables) {
        if (table.optional && !(await client.query(`SELECT to_regclass($1) AS t`, [table.name])).rows[0].t) {
          log(`  (${table.name} fehlt in dieser Datenbank – übersprungen)`);
          table.length = 0;
          continue;
        }
        await insert(client, table);
      }
      lap("Zeilen geschrieben");
      // Closing freezes each round's cohort (trigger round_cohort_freeze_on_close).
      await client.query(
        `UPDATE assessment_round r SET closed_at = c.closed_at
         FROM unnest($1::uuid[], $2::timestamptz[]) AS c(id, closed_at) WHERE r.id = c.id`,
        [data.closings.map((c) => c.roundId), data.closings.map((c) => c.closedAt)],
      );
      lap(`${data.closings.length} Runden abgeschlossen (Kohorten eingefroren)`);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    }
    await client.query("ANALYZE");
    lap("ANALYZE");
    const counts: Record<string, number> = Object.fromEntries(data.tables.map((table) => [table.name, table.length]));
    const cohort = await client.query<{ members: string; ratings: string }>(
      `SELECT (SELECT count(*) FROM round_cohort_member m JOIN assessment_round r ON r.id = m.round_id JOIN network n ON n.id = r.network_id WHERE n.slug LIKE $1) AS members,
              (SELECT count(*) FROM round_cohort_rating c JOIN assessment_round r ON r.id = c.round_id JOIN network n ON n.id = r.network_id WHERE n.slug LIKE $1) AS ratings`,
      [`${SYNTHETIC_SLUG_PREFIX}%`],
    );
    counts.round_cohort_member = Number(cohort.rows[0].members);
    counts.round_cohort_rating = Number(cohort.rows[0].ratings);
    return { counts, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

export class RefusedError extends Error {
  name = "RefusedError";
}

// ─── Command line ───────────────────────────────────────────────────────────

export function parseOptions(args: string[], today = toCalendarDay(new Date())) {
  const { values } = parseArgs({
    args,
    options: {
      networks: { type: "string" },
      offices: { type: "string" },
      users: { type: "string" },
      rounds: { type: "string" },
      seed: { type: "string" },
      today: { type: "string" },
      force: { type: "boolean", default: false },
    },
  });
  const number = (name: keyof typeof DEFAULT_OPTIONS, min: number, max: number) => {
    const raw = values[name];
    if (raw === undefined) return DEFAULT_OPTIONS[name];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`--${name} muss eine ganze Zahl von ${min} bis ${max} sein.`);
    return value;
  };
  const day = values.today ?? today;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError("--today muss ein Datum JJJJ-MM-TT sein.");
  const options: SyntheticOptions = {
    networks: number("networks", 1, STATES.length),
    offices: number("offices", 1, 400),
    users: number("users", 1, 100),
    rounds: number("rounds", 1, 30),
    seed: number("seed", 0, 2 ** 32 - 1),
    today: day,
  };
  return { options, force: values.force ?? false };
}

/** Share of offices per size class (small / medium / large / unknown), for the summary and the test. */
export function sizeClassShares(clientsServed: Array<number | null>) {
  const counts = { small: 0, medium: 0, large: 0, unknown: 0 };
  for (const c of clientsServed) counts[sizeClassOf(c)]++;
  return counts;
}

async function main() {
  const { options, force } = parseOptions(process.argv.slice(2));
  if (process.env.NODE_ENV === "production" && !force) {
    throw new RefusedError(
      "NODE_ENV=production: synthetische Daten gehören nicht in eine Produktionsdatenbank (nur mit --force).",
    );
  }
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  try {
    console.log(
      `Synthetische Daten: ${options.networks} Netzwerke × ${options.offices} Behörden × ${options.users} Personen × ${options.rounds} Runden (Seed ${options.seed}, Stichtag ${options.today}) in ${database.embedded ? `der eingebetteten Datenbank (${config.EMBEDDED_PG_DIR})` : "DATABASE_URL"} …`,
    );
    const { counts, seconds } = await fillSyntheticData(database.url, options, { force });
    console.log("Angelegt:");
    for (const [table, count] of Object.entries(counts))
      console.log(`  ${table.padEnd(22)} ${count.toLocaleString("de-DE").padStart(9)}`);
    console.log(`Anmeldung: z. B. ${syntheticEmail(STATES[0][0], 1, 1)} (Leitung), Passwort „${SYNTHETIC_PASSWORD}“.`);
    console.log(`Fertig in ${seconds.toFixed(1)} s.`);
  } finally {
    await database.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
