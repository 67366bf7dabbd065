import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import {
  type Group,
  LATTICE,
  type PeerKind,
  peerKindOf,
  type PublicFigure,
  type SizeClass,
  sizeClassOf,
  SUPPRESSED_MESSAGE,
} from "~/domains/comparison/anonymity";
import { type TenantTx, withUser } from "~/platform/db.server";
import { ForbiddenError } from "~/platform/errors";
import { ensureRoundFigures } from "./round-figures.server";

/**
 * The portal never sees another office's rating, not even through a function. A closed
 * round's figures are computed by app/domains/comparison/round-figures.server.ts (as abh_stats, with
 * the anonymity rule) per audience and stored as aggregates; this module reads them as the
 * acting user, under row-level security (migration 20261206000100):
 *
 * - an office's members read their office's set: figures over the *other* offices;
 * - the network's admins read the ministry's set: figures over the offices that never
 *   released their results of the round.
 *
 * Open rounds have no figures (they would follow each submission). A set that is missing
 * or out of date is computed on the spot; if that fails, the page says the figures are
 * being computed (`pending`) instead of showing anything else.
 */

export type Audience = "office" | "ministry";

const HIDDEN: PublicFigure = { shown: false, message: SUPPRESSED_MESSAGE };

/** Goal number → group id → figure, as stored for one audience. */
export type FigureSet = { figure(goal: number, groupId: string): PublicFigure };

async function readSet(tx: TenantTx, roundId: string, audience: Audience, officeId: string | null) {
  return tx.roundFigureSet.findFirst({
    where: { roundId, audience, officeId },
    select: {
      sharesSeen: true,
      figures: { select: { goalNumber: true, groupId: true, shown: true, n: true, median: true, q1: true, q3: true } },
    },
  });
}

/**
 * A closed round's figures for an audience the actor belongs to (row-level security
 * decides), or null while they are being computed. The ministry's set is computed again
 * when a release grant of the round appeared since (its known set may have grown).
 */
export async function readFigureSet(
  tx: TenantTx,
  roundId: string,
  audience: Audience,
  officeId: string | null = null,
): Promise<FigureSet | null> {
  let set = await readSet(tx, roundId, audience, officeId);
  const current = async () =>
    audience === "ministry" ? (await tx.assessmentShare.count({ where: { assessment: { roundId } } })) === set?.sharesSeen : true;
  if (!set || !(await current())) {
    await ensureRoundFigures(roundId);
    set = await readSet(tx, roundId, audience, officeId);
    if (!set || !(await current())) return null;
  }
  const byGoal = new Map<number, Map<string, PublicFigure>>();
  for (const f of set.figures) {
    let goal = byGoal.get(f.goalNumber);
    if (!goal) byGoal.set(f.goalNumber, (goal = new Map()));
    goal.set(f.groupId, f.shown ? { shown: true, n: f.n!, median: f.median!, q1: f.q1, q3: f.q3 } : HIDDEN);
  }
  // A goal nobody rated has no rows: every group of it is hidden.
  return { figure: (goal, groupId) => byGoal.get(goal)?.get(groupId) ?? HIDDEN };
}

export type GoalComparison = {
  number: number;
  shortTitle: string;
  /** The office's own rating (members of the office only; null: none or not theirs to see). */
  own: number | null;
  /** Every group of the lattice; hidden ones carry only the message. */
  groups: Array<{ group: Group; figure: PublicFigure }>;
  /** The network's figure (for this audience) in this and the earlier closed rounds of the same framework, oldest first. */
  trend: Array<{ roundId: string; name: string; figure: PublicFigure }>;
};

export type OfficeComparison = {
  round: { id: string; name: string; closedAt: Date | null; frozenAt: Date | null };
  /** Whose figures these are: the office's members see the other offices, admins the offices that kept their results. */
  audience: Audience;
  /** A closed round whose figures are still being computed (every figure is hidden meanwhile). */
  pending: boolean;
  /** The threshold applied: the one frozen with a closed round, else the network's. */
  k: number;
  /** The peer groups the office belongs to in this round (as frozen, if it is in the cohort). */
  office: { kind: PeerKind; sizeClass: SizeClass };
  /** Whether the office's own submission is behind this round's figures (members only). */
  ownInCohort: boolean | null;
  goals: GoalComparison[];
};

/**
 * The comparison page's data for an office and a round: per goal the network, peer-group
 * and kind × size figures (those the anonymity rule allows, for the actor's audience: the
 * other offices for the office's members, the offices that kept their results for an
 * admin), the office's own rating and the trend of the network figure. Null if the office
 * or the round is not visible to the actor (or the office does not take part and the
 * actor is no admin). An open round has no figures.
 */
export async function getComparison(actor: Actor, officeId: string, roundId: string): Promise<OfficeComparison | null> {
  if (!z.uuid().safeParse(officeId).success || !z.uuid().safeParse(roundId).success) return null;
  return withUser(actor.id, async (tx) => {
    const office = await tx.office.findUnique({
      where: { id: officeId },
      select: { id: true, networkId: true, kind: true, clientsServed: true },
    });
    if (!office) return null;
    if (!can(actor, "office.view", { networkId: office.networkId, officeId })) throw new ForbiddenError();
    const round = await tx.assessmentRound.findFirst({
      where: { id: roundId, networkId: office.networkId },
      select: {
        id: true,
        name: true,
        opensAt: true,
        closedAt: true,
        frameworkVersionId: true,
        cohort: { select: { anonymityThreshold: true, frozenAt: true } },
      },
    });
    if (!round) return null;
    const network = await tx.network.findUniqueOrThrow({ where: { id: office.networkId }, select: { anonymityThreshold: true } });
    const kOf = (r: { cohort: { anonymityThreshold: number } | null }) =>
      r.cohort?.anonymityThreshold ?? network.anonymityThreshold;
    // What the actor already knows decides whose figures they get (anonymity rule 11).
    const member = can(actor, "office.member", { networkId: office.networkId, officeId: office.id });
    const audience: Audience = member ? "office" : "ministry";
    const setOf = (r: { id: string; closedAt: Date | null }) =>
      r.closedAt ? readFigureSet(tx, r.id, audience, member ? office.id : null) : Promise.resolve(null);

    const goals = await tx.goal.findMany({
      where: { frameworkVersionId: round.frameworkVersionId },
      orderBy: { number: "asc" },
      select: { number: true, shortTitle: true },
    });
    const figures = await setOf(round);

    // Earlier closed rounds of the same framework the actor can see (row-level security decides).
    const earlier = await tx.assessmentRound.findMany({
      where: {
        networkId: office.networkId,
        frameworkVersionId: round.frameworkVersionId,
        opensAt: { lt: round.opensAt },
        id: { not: round.id },
        closedAt: { not: null },
      },
      orderBy: { opensAt: "asc" },
      select: { id: true, name: true, closedAt: true },
    });
    const trendRounds: Array<{ id: string; name: string; figures: FigureSet | null }> = [];
    for (const r of earlier) trendRounds.push({ id: r.id, name: r.name, figures: await setOf(r) });
    if (round.closedAt) trendRounds.push({ id: round.id, name: round.name, figures });

    const own = member ? await ownRatings(tx, office.id, round) : null;
    return {
      round: { id: round.id, name: round.name, closedAt: round.closedAt, frozenAt: round.cohort?.frozenAt ?? null },
      audience,
      pending: round.closedAt !== null && figures === null,
      k: kOf(round),
      office: own?.peer ?? { kind: peerKindOf(office.kind), sizeClass: sizeClassOf(office.clientsServed) },
      ownInCohort: own ? own.inCohort : null,
      goals: goals.map((goal) => ({
        number: goal.number,
        shortTitle: goal.shortTitle,
        own: own?.ratings.get(goal.number) ?? null,
        groups: LATTICE.map((group) => ({ group, figure: figures?.figure(goal.number, group.id) ?? HIDDEN })),
        trend: trendRounds.map((r) => ({
          roundId: r.id,
          name: r.name,
          figure: r.figures?.figure(goal.number, "network") ?? HIDDEN,
        })),
      })),
    };
  });
}

/**
 * The office's own ratings, read through row-level security: from the frozen copy if the
 * office is in a closed round's cohort (its position among the published figures),
 * otherwise its current answers.
 */
async function ownRatings(
  tx: TenantTx,
  officeId: string,
  round: { id: string; closedAt: Date | null; frameworkVersionId: string },
) {
  const assessment = await tx.assessment.findUnique({
    where: { roundId_officeId: { roundId: round.id, officeId } },
    select: { id: true, submittedAt: true },
  });
  if (!assessment) return null;
  if (round.closedAt) {
    const frozen = await tx.roundCohortMember.findUnique({
      where: { roundId_assessmentId: { roundId: round.id, assessmentId: assessment.id } },
      select: { officeKind: true, clientsServed: true, ratings: { select: { goalNumber: true, rating: true } } },
    });
    if (frozen) {
      return {
        inCohort: true,
        peer: { kind: peerKindOf(frozen.officeKind), sizeClass: sizeClassOf(frozen.clientsServed) },
        ratings: new Map(frozen.ratings.map((r) => [r.goalNumber, r.rating])),
      };
    }
  }
  const answers = await tx.goalAssessment.findMany({
    where: { assessmentId: assessment.id, rating: { not: null }, goal: { frameworkVersionId: round.frameworkVersionId } },
    select: { rating: true, goal: { select: { number: true } } },
  });
  return {
    inCohort: !round.closedAt && assessment.submittedAt !== null,
    peer: null,
    ratings: new Map(answers.map((a) => [a.goal.number, a.rating!])),
  };
}
