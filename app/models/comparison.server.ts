import { z } from "zod";
import type { Actor } from "~/auth/auth.server";
import { can } from "~/auth/permissions";
import {
  type CohortEntry,
  createComparison,
  type Group,
  networkTrend,
  type PeerKind,
  peerKindOf,
  publicFigure,
  type PublicFigure,
  SIZE_CLASS_LOWER_BOUNDS,
  type SizeClass,
  type TrendRound,
  sizeClassOf,
  sizeClassOfBucket,
} from "~/comparison/anonymity";
import { type TenantTx, withUser } from "~/db.server";
import { ForbiddenError } from "./invitations.server";

/**
 * Other offices' ratings reach the portal only through the SQL function comparison_cohort()
 * (migration 20261124000300): no office ids or names, a new random key per call, the frozen
 * copy for a closed round. Every figure made from them goes through app/comparison/anonymity.ts.
 */
type CohortRow = {
  office_key: string;
  office_kind: string;
  size_class: number | null;
  goal_number: number | null;
  rating: number | null;
};

async function readCohort(tx: TenantTx, roundId: string): Promise<CohortEntry[]> {
  const rows = await tx.$queryRaw<CohortRow[]>`
    SELECT office_key::text, office_kind::text, size_class, goal_number, rating
    FROM comparison_cohort(${roundId}::uuid, ${[...SIZE_CLASS_LOWER_BOUNDS]}::int[])`;
  const offices = new Map<string, CohortEntry & { ratings: Record<number, number> }>();
  for (const row of rows) {
    let office = offices.get(row.office_key);
    if (!office)
      offices.set(
        row.office_key,
        (office = {
          officeKey: row.office_key,
          kind: row.office_kind,
          sizeClass: sizeClassOfBucket(row.size_class),
          ratings: {},
        }),
      );
    if (row.goal_number !== null && row.rating !== null) office.ratings[row.goal_number] = row.rating;
  }
  return [...offices.values()];
}

/** A round's cohort as readCohort gives it, for the ministry's network-wide figures (app/models/monitoring.server.ts). */
export const networkCohort = readCohort;

/**
 * A closed round's cohort is frozen at closing (migration 20261124000300), so it is read
 * once per process. Only used after the round's row was read as the acting user (RLS), so
 * the cache never hands a cohort to someone who could not read it from the database.
 */
const frozenCohorts = new Map<string, CohortEntry[]>();
const FROZEN_COHORTS_MAX = 500;

async function cohortOf(tx: TenantTx, round: { id: string; closedAt: Date | null }): Promise<CohortEntry[]> {
  if (!round.closedAt) return readCohort(tx, round.id);
  const cached = frozenCohorts.get(round.id);
  if (cached) return cached;
  const cohort = await readCohort(tx, round.id);
  if (frozenCohorts.size >= FROZEN_COHORTS_MAX) frozenCohorts.delete(frozenCohorts.keys().next().value!);
  frozenCohorts.set(round.id, cohort);
  return cohort;
}

export type GoalComparison = {
  number: number;
  shortTitle: string;
  /** The office's own rating (members of the office only; null: none or not theirs to see). */
  own: number | null;
  /** Every group of the lattice; hidden ones carry only the message. */
  groups: Array<{ group: Group; figure: PublicFigure }>;
  /** The network's figure in this and the earlier rounds of the same framework, oldest first. */
  trend: Array<{ roundId: string; name: string; figure: PublicFigure }>;
};

export type OfficeComparison = {
  round: { id: string; name: string; closedAt: Date | null; frozenAt: Date | null };
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
 * and kind × size figures (those the anonymity rule allows), the office's own rating and
 * the trend of the network figure. Null if the office or the round is not visible to the
 * actor (or the office does not take part and the actor is no admin).
 */
export async function getComparison(actor: Actor, officeId: string, roundId: string): Promise<OfficeComparison | null> {
  if (!z.uuid().safeParse(officeId).success || !z.uuid().safeParse(roundId).success) return null;
  return withUser(actor.id, async (tx) => {
    const office = await tx.office.findUnique({
      where: { id: officeId },
      select: { id: true, networkId: true, kind: true, clientsServed: true },
    });
    if (!office) return null;
    if (!can(actor.memberships, "office.view", { networkId: office.networkId, officeId })) throw new ForbiddenError();
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

    const goals = await tx.goal.findMany({
      where: { frameworkVersionId: round.frameworkVersionId },
      orderBy: { number: "asc" },
      select: { number: true, shortTitle: true },
    });
    const comparison = createComparison(await cohortOf(tx, round), kOf(round));

    // Earlier rounds of the same framework the actor can see (row-level security decides).
    const earlier = await tx.assessmentRound.findMany({
      where: {
        networkId: office.networkId,
        frameworkVersionId: round.frameworkVersionId,
        opensAt: { lt: round.opensAt },
        id: { not: round.id },
      },
      orderBy: { opensAt: "asc" },
      select: { id: true, name: true, closedAt: true, cohort: { select: { anonymityThreshold: true } } },
    });
    const trendRounds: Array<TrendRound & { name: string }> = [];
    for (const r of [...earlier, round]) trendRounds.push({ id: r.id, name: r.name, cohort: await cohortOf(tx, r), k: kOf(r) });
    const names = new Map(trendRounds.map((r) => [r.id, r.name]));

    const own = actor.memberships.some((m) => m.officeId === office.id) ? await ownRatings(tx, office.id, round) : null;
    return {
      round: { id: round.id, name: round.name, closedAt: round.closedAt, frozenAt: round.cohort?.frozenAt ?? null },
      k: comparison.k,
      office: own?.peer ?? { kind: peerKindOf(office.kind), sizeClass: sizeClassOf(office.clientsServed) },
      ownInCohort: own ? own.inCohort : null,
      goals: goals.map((goal) => ({
        number: goal.number,
        shortTitle: goal.shortTitle,
        own: own?.ratings.get(goal.number) ?? null,
        groups: comparison.lattice(goal.number).map(({ group, figure }) => ({ group, figure: publicFigure(figure) })),
        trend: networkTrend(trendRounds, goal.number).map(({ id, figure }) => ({
          roundId: id,
          name: names.get(id) ?? "",
          figure: publicFigure(figure),
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
