import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { effectivePriority, ruleForAssessment } from "~/domains/assessment/priority";
import { assessmentState, type AssessmentState } from "~/domains/assessment/scope.server";
import type { Group, PublicFigure, ShownFigure } from "~/domains/comparison/anonymity";
import { inOrder, withUser } from "~/platform/db.server";
import { toCalendarDay } from "~/utils/calendar-day";
import type { OfficeComparison } from "./comparison.server";
import { effectiveDeadline } from "~/domains/assessment/deadline";

/**
 * What the office dashboard (/behoerden/:office/stand) and the council report need beyond
 * getComparison: the office's rounds with their progress, its top priorities, and the
 * goals to look at first. Everything runs as the acting user (row-level security: the
 * office's own content is visible to its members only).
 */

const DAY = 86_400_000;
/** From this many days before the deadline, an unfinished draft is called urgent. */
export const DEADLINE_SOON_DAYS = 14;
/** The dashboard lists at most this many priorities (the rest are on the measures page). */
export const TOP_PRIORITIES = 8;
/** "Where to look" names at most this many goals. */
export const WHERE_TO_LOOK_GOALS = 3;

export type DashboardRound = {
  id: string;
  name: string;
  opensAt: Date;
  deadline: Date;
  extended: boolean;
  closedAt: Date | null;
  state: AssessmentState;
  submittedAt: Date | null;
  goalsDone: number;
  measuresDone: number;
  goalCount: number;
  measureCount: number;
  /** Whole German calendar days from today to the deadline (negative: passed). */
  daysLeft: number;
  /** null: the actor may not manage the survey (only heads see whether one runs). */
  surveyStarted: boolean | null;
};

export type PriorityItem = { code: string; title: string; goal: number };

export type Dashboard = {
  /** Rounds not yet closed, oldest first. */
  current: DashboardRound[];
  /** Closed rounds the office took part in, newest first. */
  closed: Array<{ id: string; name: string; closedAt: Date; submitted: boolean; versionSlug: string }>;
  /** Effective priority HIGH in the current (else the latest) begun assessment. */
  priorities: { round: { id: string; name: string; state: AssessmentState }; items: PriorityItem[]; total: number } | null;
  /** Slug of the framework version of the newest round (catalogue links), or null without rounds. */
  versionSlug: string | null;
};

/** Whole calendar days (German time) from `now` to `deadline`. */
export function daysUntil(deadline: Date, now: Date) {
  const day = (d: Date) => Date.parse(`${toCalendarDay(d)}T00:00:00Z`);
  return Math.round((day(deadline) - day(now)) / DAY);
}

export async function loadDashboard(
  actor: Actor,
  office: { id: string; networkId: string },
  now = new Date(),
): Promise<Dashboard> {
  const mayManageSurvey = can(actor, "office.manageSurvey", { networkId: office.networkId, officeId: office.id });
  return withUser(actor.id, async (tx) => {
    const [rows, network] = await inOrder(
      tx.assessment.findMany({
        where: { officeId: office.id },
        select: {
          id: true,
          submittedAt: true,
          goalsDone: true,
          measuresDone: true,
          priorityRule: true,
          participant: {
            select: {
              deadlineOverride: true,
              round: {
                select: {
                  id: true,
                  name: true,
                  opensAt: true,
                  deadline: true,
                  closedAt: true,
                  frameworkVersionId: true,
                  frameworkVersion: { select: { slug: true } },
                },
              },
            },
          },
        },
      }),
      tx.network.findUniqueOrThrow({ where: { id: office.networkId }, select: { priorityRule: true } }),
    );
    rows.sort((a, b) => a.participant.round.opensAt.getTime() - b.participant.round.opensAt.getTime());

    const versionIds = [...new Set(rows.map((r) => r.participant.round.frameworkVersionId))];
    // Awaited one after the other: one transaction, one connection (see inOrder in db.server.ts).
    const goalCounts = await tx.goal.groupBy({
      by: ["frameworkVersionId"],
      where: { frameworkVersionId: { in: versionIds } },
      _count: { _all: true },
    });
    const measureCounts = await tx.measure.groupBy({
      by: ["frameworkVersionId"],
      where: { frameworkVersionId: { in: versionIds } },
      _count: { _all: true },
    });
    const goalCount = new Map(goalCounts.map((g) => [g.frameworkVersionId, g._count._all]));
    const measureCount = new Map(measureCounts.map((m) => [m.frameworkVersionId, m._count._all]));

    const open = rows.filter((r) => !r.participant.round.closedAt);
    const surveys = mayManageSurvey
      ? new Set(
          (
            await tx.survey.findMany({ where: { assessmentId: { in: open.map((r) => r.id) } }, select: { assessmentId: true } })
          ).map((s) => s.assessmentId),
        )
      : null;

    const current: DashboardRound[] = open.map((row) => {
      const round = row.participant.round;
      const deadline = effectiveDeadline(row.participant, round);
      return {
        id: round.id,
        name: round.name,
        opensAt: round.opensAt,
        deadline,
        extended: row.participant.deadlineOverride !== null,
        closedAt: null,
        state: assessmentState({ submittedAt: row.submittedAt, round }, now),
        submittedAt: row.submittedAt,
        goalsDone: row.goalsDone,
        measuresDone: row.measuresDone,
        goalCount: goalCount.get(round.frameworkVersionId) ?? 0,
        measureCount: measureCount.get(round.frameworkVersionId) ?? 0,
        daysLeft: daysUntil(deadline, now),
        surveyStarted: surveys ? surveys.has(row.id) : null,
      };
    });
    const closed = rows
      .filter((r) => r.participant.round.closedAt)
      .map(({ participant: { round }, submittedAt }) => ({
        id: round.id,
        name: round.name,
        closedAt: round.closedAt!,
        submitted: submittedAt !== null,
        versionSlug: round.frameworkVersion.slug,
      }))
      .sort((a, b) => b.closedAt.getTime() - a.closedAt.getTime());

    // The priorities of the assessment being worked on; without one, those of the latest begun round.
    const begun = rows.filter((r) => r.participant.round.opensAt <= now);
    const focus = begun.filter((r) => !r.participant.round.closedAt).at(-1) ?? begun.at(-1);
    let priorities: Dashboard["priorities"] = null;
    if (focus) {
      const rule = ruleForAssessment(focus.priorityRule, network.priorityRule);
      const answers = await tx.measureAssessment.findMany({
        where: { assessmentId: focus.id },
        select: {
          need: true,
          effort: true,
          priorityOverride: true,
          measure: {
            select: {
              code: true,
              title: true,
              position: true,
              workField: { select: { position: true, goal: { select: { number: true } } } },
            },
          },
        },
      });
      const high = answers
        .filter((a) => effectivePriority(rule, a) === "HIGH")
        .sort((a, b) => a.measure.workField.position - b.measure.workField.position || a.measure.position - b.measure.position)
        .map((a) => ({ code: a.measure.code, title: a.measure.title, goal: a.measure.workField.goal.number }));
      const round = focus.participant.round;
      priorities = {
        round: { id: round.id, name: round.name, state: assessmentState({ submittedAt: focus.submittedAt, round }, now) },
        items: high.slice(0, TOP_PRIORITIES),
        total: high.length,
      };
    }
    return { current, closed, priorities, versionSlug: rows.at(-1)?.participant.round.frameworkVersion.slug ?? null };
  });
}

// ─── Where to look ──────────────────────────────────────────────────────────

/** Does the office belong to this group of the lattice? (An office of unknown size is in no size group.) */
export function belongsTo(office: OfficeComparison["office"], group: Group) {
  return (group.kind === null || group.kind === office.kind) && (group.size === null || group.size === office.sizeClass);
}

/** The groups the office belongs to, in lattice order (network first). */
export function ownGroups(comparison: OfficeComparison): Group[] {
  return (comparison.goals[0]?.groups ?? []).map((g) => g.group).filter((group) => belongsTo(comparison.office, group));
}

export type LookGoal = { number: number; shortTitle: string; own: number; group: Group; median: number; gap: number };

/**
 * The goals where the office is furthest below its peers: per goal the smallest shown
 * group the office belongs to (the closest peers the anonymity rule allows; the network
 * if no peer group is shown), only goals the office rated and lies below that median;
 * the largest gaps first, at most WHERE_TO_LOOK_GOALS.
 */
export function whereToLook(comparison: OfficeComparison): LookGoal[] {
  const found: LookGoal[] = [];
  for (const goal of comparison.goals) {
    if (goal.own === null) continue;
    let peers: { group: Group; figure: ShownFigure } | null = null;
    for (const { group, figure } of goal.groups) {
      if (!figure.shown || !belongsTo(comparison.office, group)) continue;
      // Later groups in the lattice are narrower; on equal n keep the narrower one.
      if (!peers || figure.n <= peers.figure.n) peers = { group, figure };
    }
    if (!peers || goal.own >= peers.figure.median) continue;
    found.push({
      number: goal.number,
      shortTitle: goal.shortTitle,
      own: goal.own,
      group: peers.group,
      median: peers.figure.median,
      gap: peers.figure.median - goal.own,
    });
  }
  return found.sort((a, b) => b.gap - a.gap || a.number - b.number).slice(0, WHERE_TO_LOOK_GOALS);
}

/** The catalogue measures of some goals of a framework version, in catalogue order. */
export async function measuresOfGoals(actor: Actor, versionSlug: string, goalNumbers: number[]) {
  if (goalNumbers.length === 0) return new Map<number, Array<{ code: string; title: string }>>();
  const measures = await withUser(actor.id, (tx) =>
    tx.measure.findMany({
      where: { frameworkVersion: { slug: versionSlug }, workField: { goal: { number: { in: goalNumbers } } } },
      orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
      select: { code: true, title: true, workField: { select: { goal: { select: { number: true } } } } },
    }),
  );
  const byGoal = new Map<number, Array<{ code: string; title: string }>>(goalNumbers.map((n) => [n, []]));
  for (const m of measures) byGoal.get(m.workField.goal.number)?.push({ code: m.code, title: m.title });
  return byGoal;
}

/** The figure of one group for a goal (the network when no group is given). */
export function figureOf(goal: OfficeComparison["goals"][number], groupId = "network"): PublicFigure {
  return goal.groups.find((g) => g.group.id === groupId)?.figure ?? { shown: false, message: "comparison:suppressed" };
}

/** The framework's rating levels (1–5 with their names) of a framework version. */
export async function ratingLevels(actor: Actor, versionSlug: string) {
  return withUser(actor.id, (tx) =>
    tx.ratingLevel.findMany({
      where: { frameworkVersion: { slug: versionSlug } },
      orderBy: { level: "asc" },
      select: { level: true, label: true },
    }),
  );
}
