import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { type PublicFigure, SUPPRESSED_MESSAGE } from "~/domains/comparison/anonymity";
import { type TenantTx, withUser } from "~/platform/db.server";
import { Prisma } from "~/generated/prisma/client";
import { type FigureSet, readFigureSet } from "./comparison.server";
import { ForbiddenError } from "~/platform/errors";
import { sendManualReminder } from "~/domains/assessment/reminders.server";

/**
 * The ministry's uptake monitoring (issue #5): how many offices are on board and active,
 * how far each round has got, the reminders sent, and the network's goal profile.
 *
 * - Everything is counted in SQL (one query per block, whatever the number of offices or
 *   people), under row-level security as the admin: offices, memberships, invitations,
 *   rounds, participants, the assessment rows' status and progress columns and the
 *   reminders. No goal or measure answer of an office is read here.
 * - Onboarded: at least one head of the office has an account (accepted invitation).
 *   Active: someone of the office signed in within 30 / 90 days (from the audit log, via
 *   app_office_last_sign_in(), migration 20261124000600).
 * - The goal profile is the ministry's figure set of each closed round (readFigureSet in
 *   comparison.server.ts, computed by the anonymity rule over the offices that never
 *   released their results of the round: what the ministry has seen does not count).
 */

const DAY_MS = 86_400_000;

function authorise(actor: Actor, networkId: string) {
  if (!can(actor, "network.monitor", { networkId })) throw new ForbiddenError();
}

const since = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();

// ─── Offices: onboarded and active ──────────────────────────────────────────

/** Per office of the network: onboarded, invited (a head invitation open), latest sign-in. */
function officeRowsSql(networkId: string, now: Date) {
  return Prisma.sql`
    SELECT o.id, o.name, o.kind::text AS kind,
      EXISTS (SELECT 1 FROM membership m WHERE m.office_id = o.id AND m.role = 'OFFICE_HEAD') AS onboarded,
      EXISTS (
        SELECT 1 FROM invitation i
        WHERE i.office_id = o.id AND i.role = 'OFFICE_HEAD' AND i.accepted_at IS NULL AND i.revoked_at IS NULL
          AND i.expires_at > ${now.toISOString()}::timestamptz
      ) AS invited,
      s.last_sign_in_at
    FROM office o
    LEFT JOIN app_office_last_sign_in(${networkId}::uuid) s ON s.office_id = o.id
    WHERE o.network_id = ${networkId}::uuid`;
}

export type Uptake = {
  offices: number;
  /** At least one head has an account. */
  onboarded: number;
  /** Not onboarded yet, but a head invitation is open. */
  invited: number;
  /** Someone of the office signed in within 30 days. */
  active30: number;
  /** … within 90 days (includes active30). */
  active90: number;
};

async function readUptake(tx: TenantTx, networkId: string, now: Date): Promise<Uptake> {
  const [row] = await tx.$queryRaw<Uptake[]>`
    WITH o AS (${officeRowsSql(networkId, now)})
    SELECT count(*)::int AS offices,
      count(*) FILTER (WHERE onboarded)::int AS onboarded,
      count(*) FILTER (WHERE invited AND NOT onboarded)::int AS invited,
      count(*) FILTER (WHERE last_sign_in_at >= ${since(now, 30)}::timestamptz)::int AS active30,
      count(*) FILTER (WHERE last_sign_in_at >= ${since(now, 90)}::timestamptz)::int AS active90
    FROM o`;
  return row;
}

// ─── Rounds: participation and reminders ────────────────────────────────────

export type RoundFigures = {
  id: string;
  name: string;
  opensAt: Date;
  deadline: Date;
  closedAt: Date | null;
  frameworkVersionId: string;
  participants: number;
  /** Submitted by the office's effective deadline. */
  submittedOnTime: number;
  /** Submitted after it. */
  submittedLate: number;
  /** Not submitted, but edited. */
  inProgress: number;
  /** Not submitted and never edited. */
  notStarted: number;
  /** Not submitted and the deadline has passed (or the round is closed). */
  overdue: number;
  remindersAutomatic: number;
  remindersManual: number;
};

/** Participation per round, newest first: the network's begun rounds, or the one round asked for. */
async function readRounds(tx: TenantTx, networkId: string, now: Date, roundId?: string): Promise<RoundFigures[]> {
  const which = roundId
    ? Prisma.sql`AND r.id = ${roundId}::uuid`
    : Prisma.sql`AND r.opens_at <= ${now.toISOString()}::timestamptz`;
  return tx.$queryRaw<RoundFigures[]>`
    SELECT r.id, r.name, r.opens_at AS "opensAt", r.deadline, r.closed_at AS "closedAt",
      r.framework_version_id AS "frameworkVersionId",
      count(p.office_id)::int AS participants,
      count(*) FILTER (WHERE a.submitted_at <= app_effective_deadline(p, r))::int AS "submittedOnTime",
      count(*) FILTER (WHERE a.submitted_at > app_effective_deadline(p, r))::int AS "submittedLate",
      count(*) FILTER (WHERE a.submitted_at IS NULL AND a.last_edited_at IS NOT NULL)::int AS "inProgress",
      count(*) FILTER (WHERE p.office_id IS NOT NULL AND a.submitted_at IS NULL AND a.last_edited_at IS NULL)::int AS "notStarted",
      count(*) FILTER (
        WHERE p.office_id IS NOT NULL AND a.submitted_at IS NULL
          AND (r.closed_at IS NOT NULL OR app_effective_deadline(p, r) < ${now.toISOString()}::timestamptz)
      )::int AS overdue,
      COALESCE(sum(x.automatic), 0)::int AS "remindersAutomatic",
      COALESCE(sum(x.manual), 0)::int AS "remindersManual"
    FROM assessment_round r
    LEFT JOIN round_participant p ON p.round_id = r.id
    LEFT JOIN assessment a ON a.round_id = p.round_id AND a.office_id = p.office_id
    LEFT JOIN LATERAL (
      SELECT count(*) FILTER (WHERE days_before IS NOT NULL) AS automatic, count(*) FILTER (WHERE days_before IS NULL) AS manual
      FROM assessment_reminder WHERE assessment_id = a.id
    ) x ON true
    WHERE r.network_id = ${networkId}::uuid ${which}
    GROUP BY r.id
    ORDER BY r.opens_at DESC, r.name`;
}

export type NotStartedOffice = {
  roundId: string;
  officeId: string;
  name: string;
  deadline: Date;
  /** A reminder needs the assessment row (created when the round opened) and a head to write to. */
  remindable: boolean;
  hasHead: boolean;
  reminders: number;
  lastReminderAt: Date | null;
};

/** Offices that have not begun their assessment in the network's open rounds. */
async function readNotStarted(tx: TenantTx, networkId: string, now: Date): Promise<NotStartedOffice[]> {
  return tx.$queryRaw<NotStartedOffice[]>`
    SELECT r.id AS "roundId", o.id AS "officeId", o.name, app_effective_deadline(p, r) AS deadline,
      (a.id IS NOT NULL AND h.has_head) AS remindable, h.has_head AS "hasHead",
      COALESCE(x.count, 0)::int AS reminders, x.last AS "lastReminderAt"
    FROM assessment_round r
    JOIN round_participant p ON p.round_id = r.id
    JOIN office o ON o.id = p.office_id
    LEFT JOIN assessment a ON a.round_id = p.round_id AND a.office_id = p.office_id
    CROSS JOIN LATERAL (
      SELECT EXISTS (SELECT 1 FROM membership m WHERE m.office_id = o.id AND m.role = 'OFFICE_HEAD') AS has_head
    ) h
    LEFT JOIN LATERAL (
      SELECT count(*) AS count, max(sent_at) AS last FROM assessment_reminder WHERE assessment_id = a.id
    ) x ON true
    WHERE r.network_id = ${networkId}::uuid AND r.closed_at IS NULL AND r.opens_at <= ${now.toISOString()}::timestamptz
      AND a.submitted_at IS NULL AND a.last_edited_at IS NULL
    ORDER BY r.opens_at DESC, r.name, o.name`;
}

// ─── The network's goal profile (closed rounds only) ────────────────────────

export type ProfileRound = { id: string; name: string; closedAt: Date };
export type NetworkProfile = {
  /** Closed rounds of one framework version, oldest first. */
  rounds: ProfileRound[];
  /** Per goal the network figure of each round (same order as rounds), as the anonymity rule released it. */
  goals: Array<{ number: number; shortTitle: string; figures: PublicFigure[] }>;
  /** Rounds (ids) whose figures are still being computed; their figures are hidden meanwhile. */
  pending: string[];
};

type ClosedRound = {
  id: string;
  name: string;
  closedAt: Date | null;
  frameworkVersionId: string;
};

const HIDDEN: PublicFigure = { shown: false, message: SUPPRESSED_MESSAGE };

/**
 * The network figure per goal for closed rounds of one framework, each round with its own
 * frozen cohort and k: the ministry's figures, over the offices that kept their results.
 */
async function readProfile(tx: TenantTx, rounds: ClosedRound[]): Promise<NetworkProfile | null> {
  if (rounds.length === 0) return null;
  const goals = await tx.goal.findMany({
    where: { frameworkVersionId: rounds[0].frameworkVersionId },
    orderBy: { number: "asc" },
    select: { number: true, shortTitle: true },
  });
  const sets: Array<FigureSet | null> = [];
  for (const round of rounds) sets.push(await readFigureSet(tx, round.id, "ministry"));
  return {
    rounds: rounds.map((r) => ({ id: r.id, name: r.name, closedAt: r.closedAt! })),
    goals: goals.map((goal) => ({
      number: goal.number,
      shortTitle: goal.shortTitle,
      figures: sets.map((set) => set?.figure(goal.number, "network") ?? HIDDEN),
    })),
    pending: rounds.filter((_, i) => sets[i] === null).map((r) => r.id),
  };
}

const closedRoundSelect = {
  id: true,
  name: true,
  closedAt: true,
  frameworkVersionId: true,
} as const;

// ─── The dashboard ──────────────────────────────────────────────────────────

export type Monitoring = {
  uptake: Uptake;
  rounds: RoundFigures[];
  notStarted: NotStartedOffice[];
  /** The profile over the closed rounds of the latest closed round's framework; null: none closed yet. */
  profile: NetworkProfile | null;
  /** Closed rounds left out of the profile because they used another framework version. */
  otherFrameworkRounds: number;
};

export async function getMonitoring(actor: Actor, networkId: string, now = new Date()): Promise<Monitoring> {
  authorise(actor, networkId);
  return withUser(actor.id, async (tx) => {
    const uptake = await readUptake(tx, networkId, now);
    const rounds = await readRounds(tx, networkId, now);
    const notStarted = await readNotStarted(tx, networkId, now);
    const closed = await tx.assessmentRound.findMany({
      where: { networkId, closedAt: { not: null } },
      orderBy: [{ opensAt: "asc" }, { name: "asc" }],
      select: closedRoundSelect,
    });
    const framework = closed.at(-1)?.frameworkVersionId;
    const sameFramework = closed.filter((r) => r.frameworkVersionId === framework);
    return {
      uptake,
      rounds,
      notStarted,
      profile: await readProfile(tx, sameFramework),
      otherFrameworkRounds: closed.length - sameFramework.length,
    };
  });
}

// ─── One round's summary ────────────────────────────────────────────────────

export type RoundSummary = {
  round: RoundFigures;
  /** This round's profile (and the previous closed round of the same framework, for the change); null while open. */
  profile: NetworkProfile | null;
};

/** Null when the round is not one of this network's. */
export async function getRoundSummary(
  actor: Actor,
  networkId: string,
  roundId: string,
  now = new Date(),
): Promise<RoundSummary | null> {
  if (!z.uuid().safeParse(roundId).success) return null;
  authorise(actor, networkId);
  return withUser(actor.id, async (tx) => {
    const [round] = await readRounds(tx, networkId, now, roundId);
    if (!round) return null;
    if (!round.closedAt) return { round, profile: null };
    const previous = await tx.assessmentRound.findFirst({
      where: {
        networkId,
        frameworkVersionId: round.frameworkVersionId,
        closedAt: { not: null },
        opensAt: { lt: round.opensAt },
        id: { not: round.id },
      },
      orderBy: [{ opensAt: "desc" }, { name: "desc" }],
      select: closedRoundSelect,
    });
    const self = await tx.assessmentRound.findUniqueOrThrow({ where: { id: round.id }, select: closedRoundSelect });
    return { round, profile: await readProfile(tx, previous ? [previous, self] : [self]) };
  });
}

// ─── The export ─────────────────────────────────────────────────────────────

export type OfficeRoundStatus = {
  state: "notStarted" | "inProgress" | "submitted";
  goalsDone: number;
  measuresDone: number;
  submittedAt: Date | null;
  late: boolean;
  reminders: number;
};

export type MonitoringExport = {
  /** Begun rounds, oldest first, with the framework's numbers of goals and measures. */
  rounds: Array<RoundFigures & { goals: number; measures: number }>;
  offices: Array<{
    id: string;
    name: string;
    kind: string;
    onboarded: boolean;
    invited: boolean;
    active30: boolean;
    active90: boolean;
    /** Round id → where the office stands; missing: not a participant. */
    rounds: Record<string, OfficeRoundStatus>;
  }>;
};

type OfficeRow = { id: string; name: string; kind: string; onboarded: boolean; invited: boolean; last_sign_in_at: Date | null };
type StatusRow = {
  round_id: string;
  office_id: string;
  submitted_at: Date | null;
  last_edited_at: Date | null;
  goals_done: number | null;
  measures_done: number | null;
  late: boolean;
  reminders: number;
};

/** The ministry's operational list: per office its uptake and, per begun round, status and progress (never content). */
export async function getMonitoringExport(actor: Actor, networkId: string, now = new Date()): Promise<MonitoringExport> {
  authorise(actor, networkId);
  return withUser(actor.id, async (tx) => {
    const rounds = (await readRounds(tx, networkId, now)).reverse();
    const offices = await tx.$queryRaw<OfficeRow[]>`${officeRowsSql(networkId, now)} ORDER BY o.name, o.id`;
    const statuses = await tx.$queryRaw<StatusRow[]>`
      SELECT p.round_id, p.office_id, a.submitted_at, a.last_edited_at, a.goals_done, a.measures_done,
        COALESCE(a.submitted_at > app_effective_deadline(p, r), false) AS late,
        (SELECT count(*) FROM assessment_reminder x WHERE x.assessment_id = a.id)::int AS reminders
      FROM assessment_round r
      JOIN round_participant p ON p.round_id = r.id
      LEFT JOIN assessment a ON a.round_id = p.round_id AND a.office_id = p.office_id
      WHERE r.network_id = ${networkId}::uuid AND r.opens_at <= ${now.toISOString()}::timestamptz`;
    const versions = [...new Set(rounds.map((r) => r.frameworkVersionId))];
    // One after the other: one transaction, one connection (see inOrder in db.server.ts).
    const goals = await tx.goal.groupBy({
      by: ["frameworkVersionId"],
      where: { frameworkVersionId: { in: versions } },
      _count: { _all: true },
    });
    const measures = await tx.measure.groupBy({
      by: ["frameworkVersionId"],
      where: { frameworkVersionId: { in: versions } },
      _count: { _all: true },
    });
    const count = (rows: typeof goals, version: string) => rows.find((r) => r.frameworkVersionId === version)?._count._all ?? 0;

    const byOffice = new Map<string, Record<string, OfficeRoundStatus>>();
    for (const s of statuses) {
      const own = byOffice.get(s.office_id) ?? {};
      byOffice.set(s.office_id, own);
      own[s.round_id] = {
        state: s.submitted_at ? "submitted" : s.last_edited_at ? "inProgress" : "notStarted",
        goalsDone: s.goals_done ?? 0,
        measuresDone: s.measures_done ?? 0,
        submittedAt: s.submitted_at,
        late: s.late,
        reminders: s.reminders,
      };
    }
    const active = (o: OfficeRow, days: number) =>
      o.last_sign_in_at !== null && o.last_sign_in_at.toISOString() >= since(now, days);
    return {
      rounds: rounds.map((r) => ({
        ...r,
        goals: count(goals, r.frameworkVersionId),
        measures: count(measures, r.frameworkVersionId),
      })),
      offices: offices.map((o) => ({
        id: o.id,
        name: o.name,
        kind: o.kind,
        onboarded: o.onboarded,
        invited: o.invited && !o.onboarded,
        active30: active(o, 30),
        active90: active(o, 90),
        rounds: byOffice.get(o.id) ?? {},
      })),
    };
  });
}

// ─── The one-click reminder ─────────────────────────────────────────────────

/**
 * Reminds an office of a round of this network now (sendManualReminder: its checks, e-mail
 * and audit). Null when the round is not one of this network's.
 */
export async function remindOffice(actor: Actor, networkId: string, roundId: string, officeId: string) {
  if (!z.uuid().safeParse(roundId).success) return null;
  authorise(actor, networkId);
  const round = await withUser(actor.id, (tx) =>
    tx.assessmentRound.findFirst({ where: { id: roundId, networkId }, select: { id: true } }),
  );
  if (!round) return null;
  return sendManualReminder(actor, round.id, officeId);
}
