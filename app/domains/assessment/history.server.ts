import type { Actor } from "~/platform/auth/auth.server";
import {
  derivedPriority,
  effectivePriority,
  type Grade,
  type Priority,
  PRIORITIES,
  type PriorityRule,
  ruleForAssessment,
} from "~/domains/assessment/priority";
import { assessmentState, type AssessmentState } from "~/domains/assessment/scope.server";
import { inOrder, type TenantTx, withUser } from "~/platform/db.server";

/**
 * The office's own assessments across rounds: the history page and the exports of one
 * round. Everything runs as the acting user, so row-level security shows the content to
 * the office's members only (network admins see the rounds, never the answers).
 */

/** A goal's consensus answer: a level 1–5, "not assessed" (a deliberate answer), or nothing entered. */
export type Rating = number | "notAssessed" | null;

function ratingOf(row: { rating: number | null; notAssessed: boolean } | undefined): Rating {
  if (!row) return null;
  if (row.notAssessed) return "notAssessed";
  return row.rating ?? null;
}

export type HistoryRound = {
  id: string;
  name: string;
  opensAt: Date;
  submittedAt: Date | null;
  closedAt: Date | null;
  state: AssessmentState;
};

export type OfficeHistory = {
  /** Oldest first; rounds that have not begun are left out (there is nothing to see yet). */
  rounds: HistoryRound[];
  /** Per goal number, one rating per round (same order as `rounds`). */
  goals: Array<{ number: number; shortTitle: string; ratings: Rating[] }>;
  /** Per measure code, the effective priority per round. */
  measures: Array<{ code: string; title: string; priorities: Array<Priority | null> }>;
  levels: Array<{ level: number; label: string }>;
};

/**
 * All rounds of one office side by side. Rounds may use different versions of the
 * framework; goals are matched by number and measures by code, titled as in the newest.
 */
export async function loadOfficeHistory(
  actor: Actor,
  office: { id: string; networkId: string },
  { now = new Date(), measures: withMeasures = true }: { now?: Date; measures?: boolean } = {},
): Promise<OfficeHistory> {
  return withUser(actor.id, async (tx) => {
    const [rows, network] = await inOrder(
      tx.assessment.findMany({
        where: { officeId: office.id, participant: { round: { opensAt: { lte: now } } } },
        select: {
          id: true,
          submittedAt: true,
          priorityRule: true,
          participant: {
            select: { round: { select: { id: true, name: true, opensAt: true, closedAt: true, frameworkVersionId: true } } },
          },
          goals: { select: { goalId: true, rating: true, notAssessed: true } },
        },
      }),
      tx.network.findUniqueOrThrow({ where: { id: office.networkId }, select: { priorityRule: true } }),
    );
    // The measures (56 per round) only where they are shown: the dashboard needs the goals alone.
    const measureRows = withMeasures
      ? await tx.measureAssessment.findMany({
          where: { assessmentId: { in: rows.map((r) => r.id) } },
          select: { assessmentId: true, measureId: true, need: true, effort: true, priorityOverride: true },
        })
      : [];
    rows.sort(
      (a, b) =>
        a.participant.round.opensAt.getTime() - b.participant.round.opensAt.getTime() ||
        a.participant.round.name.localeCompare(b.participant.round.name, "de"),
    );
    const versionIds = [...new Set(rows.map((r) => r.participant.round.frameworkVersionId))];
    const newestVersion = rows.at(-1)?.participant.round.frameworkVersionId;
    const [goals, measures, levels] = await inOrder(
      tx.goal.findMany({
        where: { frameworkVersionId: { in: versionIds } },
        orderBy: { number: "asc" },
        select: { id: true, number: true, shortTitle: true, frameworkVersionId: true },
      }),
      withMeasures
        ? tx.measure.findMany({
            where: { frameworkVersionId: { in: versionIds } },
            orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
            select: { id: true, code: true, title: true, frameworkVersionId: true },
          })
        : Promise.resolve([]),
      newestVersion
        ? tx.ratingLevel.findMany({
            where: { frameworkVersionId: newestVersion },
            orderBy: { level: "asc" },
            select: { level: true, label: true },
          })
        : Promise.resolve([]),
    );
    // Newest version first, so its titles and order win.
    const byNewest = [...versionIds].reverse();
    const goalNumbers = new Map<string, number>(goals.map((g) => [g.id, g.number]));
    const goalTitles = new Map<number, string>();
    for (const v of byNewest)
      for (const g of goals) if (g.frameworkVersionId === v && !goalTitles.has(g.number)) goalTitles.set(g.number, g.shortTitle);
    const measureCodes = new Map<string, string>(measures.map((m) => [m.id, m.code]));
    const measureTitles = new Map<string, string>();
    for (const v of byNewest)
      for (const m of measures) if (m.frameworkVersionId === v && !measureTitles.has(m.code)) measureTitles.set(m.code, m.title);

    const measuresOf = new Map<string, typeof measureRows>();
    for (const m of measureRows) {
      const list = measuresOf.get(m.assessmentId);
      if (list) list.push(m);
      else measuresOf.set(m.assessmentId, [m]);
    }
    const perRound = rows.map((row) => ({
      ratings: new Map(row.goals.map((g) => [goalNumbers.get(g.goalId), ratingOf(g)])),
      priorities: new Map(
        (measuresOf.get(row.id) ?? []).map((m) => [
          measureCodes.get(m.measureId),
          effectivePriority(ruleForAssessment(row.priorityRule, network.priorityRule), m),
        ]),
      ),
    }));
    return {
      rounds: rows.map((row) => {
        const round = row.participant.round;
        return {
          id: round.id,
          name: round.name,
          opensAt: round.opensAt,
          submittedAt: row.submittedAt,
          closedAt: round.closedAt,
          state: assessmentState({ submittedAt: row.submittedAt, round }, now),
        };
      }),
      goals: [...goalTitles.entries()]
        .sort(([a], [b]) => a - b)
        .map(([number, shortTitle]) => ({ number, shortTitle, ratings: perRound.map((r) => r.ratings.get(number) ?? null) })),
      measures: [...measureTitles.entries()].map(([code, title]) => ({
        code,
        title,
        priorities: perRound.map((r) => r.priorities.get(code) ?? null),
      })),
      levels,
    };
  });
}

// ─── Comparing two rounds ───────────────────────────────────────────────────

/** Higher is more urgent: HIGH 3 … NONE 0. */
const priorityRank = (p: Priority) => PRIORITIES.length - 1 - PRIORITIES.indexOf(p);

export type PriorityChange = "up" | "down" | "new" | "removed";

/**
 * Round A against round B (indexes into `history.rounds`): every goal with both ratings
 * and the change in levels (null when either is not a level), and the measures whose
 * effective priority differs.
 */
export function compareRounds(history: OfficeHistory, a: number, b: number) {
  return {
    goals: history.goals.map((g) => {
      const [ra, rb] = [g.ratings[a], g.ratings[b]];
      return {
        number: g.number,
        shortTitle: g.shortTitle,
        a: ra,
        b: rb,
        change: typeof ra === "number" && typeof rb === "number" ? rb - ra : null,
      };
    }),
    measures: history.measures
      .filter((m) => m.priorities[a] !== m.priorities[b])
      .map((m) => {
        const [pa, pb] = [m.priorities[a], m.priorities[b]];
        const change: PriorityChange =
          pa === null ? "new" : pb === null ? "removed" : priorityRank(pb) > priorityRank(pa) ? "up" : "down";
        return { code: m.code, title: m.title, a: pa, b: pb, change };
      }),
  };
}

// ─── One round, for the exports ─────────────────────────────────────────────

export type RoundExport = {
  networkName: string;
  goals: Array<{
    number: number;
    shortTitle: string;
    rating: Rating;
    levelLabel: string | null;
    comment: string;
    evidence: string;
    evidenceLinks: string[];
  }>;
  measures: Array<{
    code: string;
    title: string;
    need: Grade | null;
    effort: Grade | null;
    rulePriority: Priority | null;
    override: Priority | null;
    reason: string;
    effective: Priority | null;
  }>;
};

/** Everything the office recorded in one round, complete: goals and measures without an answer included. */
export async function loadRoundExport(
  actor: Actor,
  assessment: { id: string; round: { networkId: string; frameworkVersionId: string } },
): Promise<RoundExport> {
  return withUser(actor.id, async (tx) => {
    const [network, own] = await inOrder(
      tx.network.findUniqueOrThrow({ where: { id: assessment.round.networkId }, select: { name: true, priorityRule: true } }),
      tx.assessment.findUniqueOrThrow({ where: { id: assessment.id }, select: { priorityRule: true } }),
    );
    const rule = ruleForAssessment(own.priorityRule, network.priorityRule);
    return {
      networkName: network.name,
      ...(await readRoundContent(tx, assessment.id, assessment.round.frameworkVersionId, rule)),
    };
  });
}

/**
 * One assessment's goals and measures against its framework version, every goal and
 * measure included (unanswered ones empty): the export and the ministry's shared view.
 * Runs in the caller's transaction, so row-level security decides what it may read.
 */
export async function readRoundContent(
  tx: TenantTx,
  assessmentId: string,
  versionId: string,
  rule: PriorityRule,
): Promise<Pick<RoundExport, "goals" | "measures">> {
  const [goals, measures, goalRows, measureRows, levels] = await inOrder(
    tx.goal.findMany({
      where: { frameworkVersionId: versionId },
      orderBy: { number: "asc" },
      select: { id: true, number: true, shortTitle: true },
    }),
    tx.measure.findMany({
      where: { frameworkVersionId: versionId },
      orderBy: [{ workField: { position: "asc" } }, { position: "asc" }],
      select: { id: true, code: true, title: true },
    }),
    tx.goalAssessment.findMany({ where: { assessmentId } }),
    tx.measureAssessment.findMany({ where: { assessmentId } }),
    tx.ratingLevel.findMany({ where: { frameworkVersionId: versionId }, select: { level: true, label: true } }),
  );
  const goalById = new Map(goalRows.map((g) => [g.goalId, g]));
  const measureById = new Map(measureRows.map((m) => [m.measureId, m]));
  const label = new Map(levels.map((l) => [l.level, l.label]));
  return {
    goals: goals.map((g) => {
      const row = goalById.get(g.id);
      const rating = ratingOf(row);
      return {
        number: g.number,
        shortTitle: g.shortTitle,
        rating,
        levelLabel: typeof rating === "number" ? (label.get(rating) ?? null) : null,
        comment: row?.comment ?? "",
        evidence: row?.evidence ?? "",
        evidenceLinks: row?.evidenceLinks ?? [],
      };
    }),
    measures: measures.map((m) => {
      const row = measureById.get(m.id);
      const values = { need: row?.need ?? null, effort: row?.effort ?? null, priorityOverride: row?.priorityOverride ?? null };
      return {
        code: m.code,
        title: m.title,
        need: values.need,
        effort: values.effort,
        rulePriority: derivedPriority(rule, values.need, values.effort),
        override: values.priorityOverride,
        reason: values.priorityOverride ? (row?.overrideReason ?? "") : "",
        effective: effectivePriority(rule, values),
      };
    }),
  };
}

/** "Entwurf" / "abgegeben am …" / "Runde abgeschlossen, …", as the page and the exports say it. */
export function statusText(
  t: (key: string, options?: Record<string, unknown>) => string,
  formatDay: (d: Date) => string,
  round: { state: AssessmentState; opensAt: Date; submittedAt: Date | null },
) {
  switch (round.state) {
    case "upcoming":
      return t("status.upcoming", { date: formatDay(round.opensAt) });
    case "draft":
      return t("status.draft");
    case "submitted":
      return t("status.submitted", { date: formatDay(round.submittedAt!) });
    case "closed":
      return round.submittedAt
        ? t("status.closedSubmitted", { date: formatDay(round.submittedAt) })
        : t("status.closedNotSubmitted");
  }
}
