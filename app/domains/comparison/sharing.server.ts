import { z } from "zod";
import { ruleForAssessment } from "~/domains/assessment/priority";
import { type AssessmentState, assessmentState } from "~/domains/assessment/scope.server";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { type TenantTx, withUser } from "~/platform/db.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { readRoundContent, type RoundExport } from "~/domains/assessment/history.server";
import { ForbiddenError } from "~/platform/errors";

/**
 * Opt-in sharing (migration 20261124000500): an office head lets the network's admins see
 * the office's own results of a round; by default they see aggregates only. Whether an
 * admin can read the results is decided by the database (app_shared_assessment_ids() in
 * the policies of goal_assessment/measure_assessment), not here: this module only records
 * the choices, writes the access log and shapes what the database lets through.
 */

const uuid = z.uuid();

// ─── The office's side ──────────────────────────────────────────────────────

export type ShareEvent = { at: Date; kind: "granted" | "withdrawn"; by: string | null };

export type RoundSharing = {
  roundId: string;
  roundName: string;
  opensAt: Date;
  submittedAt: Date | null;
  state: AssessmentState;
  /** The grant in force, or null: the ministry sees aggregates only. */
  active: { since: Date; by: string | null } | null;
  /** Every grant and withdrawal, oldest first. */
  history: ShareEvent[];
  /** When the ministry opened the results, newest first. */
  views: Date[];
};

/** Per round of the office (newest first): the current choice, its history and the access log. */
export async function officeSharing(actor: Actor, officeId: string, now = new Date()): Promise<RoundSharing[]> {
  return withUser(actor.id, async (tx) => {
    const rows = await tx.assessment.findMany({
      where: { officeId },
      select: {
        submittedAt: true,
        participant: { select: { round: { select: { id: true, name: true, opensAt: true, closedAt: true } } } },
        shares: {
          orderBy: { grantedAt: "asc" },
          select: { grantedAt: true, grantedById: true, withdrawnAt: true, withdrawnById: true },
        },
        shareAccesses: { orderBy: { viewedAt: "desc" }, select: { viewedAt: true } },
      },
    });
    // The heads who decided (members of this office); who viewed is deliberately not named.
    const deciders = [
      ...new Set(
        rows.flatMap((r) => r.shares.flatMap((s) => [s.grantedById, s.withdrawnById])).filter((id): id is string => !!id),
      ),
    ];
    const people = await tx.user.findMany({ where: { id: { in: deciders } }, select: { id: true, name: true } });
    const name = (id: string | null) => (id ? (people.find((p) => p.id === id)?.name ?? null) : null);
    return rows
      .map((row): RoundSharing => {
        const round = row.participant.round;
        const active = row.shares.find((s) => s.withdrawnAt === null);
        return {
          roundId: round.id,
          roundName: round.name,
          opensAt: round.opensAt,
          submittedAt: row.submittedAt,
          state: assessmentState({ submittedAt: row.submittedAt, round }, now),
          active: active ? { since: active.grantedAt, by: name(active.grantedById) } : null,
          history: row.shares
            .flatMap((s): ShareEvent[] => [
              { at: s.grantedAt, kind: "granted", by: name(s.grantedById) },
              ...(s.withdrawnAt ? [{ at: s.withdrawnAt, kind: "withdrawn" as const, by: name(s.withdrawnById) }] : []),
            ])
            .sort((a, b) => a.at.getTime() - b.at.getTime()),
          views: row.shareAccesses.map((v) => v.viewedAt),
        };
      })
      .sort((a, b) => b.opensAt.getTime() - a.opensAt.getTime() || a.roundName.localeCompare(b.roundName, "de"));
  });
}

export type SharingChange = { roundName: string; changed: boolean };

/** The office's assessment in a round, for a change by a head; null if the office does not take part (or cannot be seen). */
async function assessmentForChange(tx: TenantTx, actor: Actor, officeId: string, roundId: string) {
  const row = await tx.assessment.findUnique({
    where: { roundId_officeId: { roundId, officeId } },
    select: { id: true, participant: { select: { round: { select: { name: true, networkId: true } } } } },
  });
  if (!row) return null;
  const { networkId, name } = row.participant.round;
  if (!can(actor, "office.manageSharing", { networkId, officeId })) throw new ForbiddenError();
  return { id: row.id, networkId, roundName: name };
}

/**
 * Lets the ministry see the office's results of a round. Idempotent: while a grant stands,
 * granting again changes nothing (the partial unique index settles a race between two clicks).
 */
export async function grantSharing(actor: Actor, officeId: string, roundId: string): Promise<SharingChange | null> {
  if (!uuid.safeParse(officeId).success || !uuid.safeParse(roundId).success) return null;
  return withUser(actor.id, async (tx) => {
    const a = await assessmentForChange(tx, actor, officeId, roundId);
    if (!a) return null;
    const inserted = await tx.$executeRaw`
      INSERT INTO assessment_share (assessment_id, granted_by_id) VALUES (${a.id}::uuid, ${actor.id}::uuid)
      ON CONFLICT (assessment_id) WHERE withdrawn_at IS NULL DO NOTHING`;
    if (inserted > 0) {
      await recordAudit(
        {
          action: "sharing.granted",
          actorId: actor.id,
          networkId: a.networkId,
          officeId,
          targetType: "assessment",
          targetId: a.id,
          details: { round: a.roundName },
        },
        tx,
      );
    }
    return { roundName: a.roundName, changed: inserted > 0 };
  });
}

/** Withdraws the grant in force, if any (idempotent). From then on the database shows the ministry nothing. */
export async function withdrawSharing(actor: Actor, officeId: string, roundId: string): Promise<SharingChange | null> {
  if (!uuid.safeParse(officeId).success || !uuid.safeParse(roundId).success) return null;
  return withUser(actor.id, async (tx) => {
    const a = await assessmentForChange(tx, actor, officeId, roundId);
    if (!a) return null;
    // The database stamps withdrawn_at (trigger); the portal may set only who withdrew.
    const withdrawn = await tx.$executeRaw`
      UPDATE assessment_share SET withdrawn_by_id = ${actor.id}::uuid WHERE assessment_id = ${a.id}::uuid AND withdrawn_at IS NULL`;
    if (withdrawn > 0) {
      await recordAudit(
        {
          action: "sharing.withdrawn",
          actorId: actor.id,
          networkId: a.networkId,
          officeId,
          targetType: "assessment",
          targetId: a.id,
          details: { round: a.roundName },
        },
        tx,
      );
    }
    return { roundName: a.roundName, changed: withdrawn > 0 };
  });
}

// ─── The ministry's side ────────────────────────────────────────────────────

/**
 * The offices of a round whose results the acting admin may open right now (granted, not
 * withdrawn, submitted), for marking them on the admin's round page. Empty for anyone else.
 */
export async function sharedOfficeIds(actor: Actor, roundId: string): Promise<string[]> {
  if (!uuid.safeParse(roundId).success) return [];
  const rows = await withUser(
    actor.id,
    (tx) => tx.$queryRaw<Array<{ office_id: string }>>`
      SELECT a.office_id::text FROM assessment a
      WHERE a.round_id = ${roundId}::uuid AND a.id IN (SELECT app_shared_assessment_ids())`,
  );
  return rows.map((r) => r.office_id);
}

/** An office's shared results: the same goals and measures as its own export of the round. */
export type SharedAssessment = Pick<RoundExport, "goals" | "measures"> & {
  office: { id: string; name: string };
  round: { id: string; name: string };
  submittedAt: Date;
  grantedAt: Date;
};

/** Thrown inside the transaction to roll back the access log when the grant ended mid-read. */
class NoLongerShared extends Error {}

/**
 * An office's results of a round for a network admin, or null (→ 404) unless the office
 * shares them now. The access is logged in the same transaction as the read: the office
 * sees every look, and a look that is not logged shows nothing. The team members' own
 * ratings are not part of it.
 */
export async function viewSharedAssessment(
  actor: Actor,
  networkId: string,
  roundId: string,
  officeId: string,
): Promise<SharedAssessment | null> {
  if (!can(actor, "network.monitor", { networkId })) throw new ForbiddenError();
  if (!uuid.safeParse(roundId).success || !uuid.safeParse(officeId).success) return null;
  try {
    return await withUser(actor.id, async (tx) => {
      const a = await tx.assessment.findUnique({
        where: { roundId_officeId: { roundId, officeId } },
        select: {
          id: true,
          submittedAt: true,
          priorityRule: true,
          participant: {
            select: {
              office: { select: { id: true, name: true } },
              round: {
                select: {
                  id: true,
                  name: true,
                  networkId: true,
                  frameworkVersionId: true,
                  network: { select: { priorityRule: true } },
                },
              },
            },
          },
        },
      });
      if (!a || a.participant.round.networkId !== networkId || !a.submittedAt) return null;
      // Log first, only if shared: the insert's condition is the policy's (RLS checks it again).
      const logged = await tx.$executeRaw`
        INSERT INTO assessment_share_access (assessment_id, viewer_id)
        SELECT ${a.id}::uuid, ${actor.id}::uuid WHERE ${a.id}::uuid IN (SELECT app_shared_assessment_ids())`;
      if (logged === 0) return null;
      const { round, office } = a.participant;
      const rule = ruleForAssessment(a.priorityRule, round.network.priorityRule);
      const content = await readRoundContent(tx, a.id, round.frameworkVersionId, rule);
      const grant = await tx.assessmentShare.findFirst({
        where: { assessmentId: a.id, withdrawnAt: null },
        select: { grantedAt: true },
      });
      // Withdrawn between the log and the reads (each statement sees the latest commit):
      // the reads may be partial, so show nothing and keep no log entry.
      const [{ shared }] = await tx.$queryRaw<Array<{ shared: boolean }>>`
        SELECT ${a.id}::uuid IN (SELECT app_shared_assessment_ids()) AS shared`;
      if (!shared || !grant) throw new NoLongerShared();
      return {
        office,
        round: { id: round.id, name: round.name },
        submittedAt: a.submittedAt,
        grantedAt: grant.grantedAt,
        ...content,
      };
    });
  } catch (error) {
    if (error instanceof NoLongerShared) return null;
    throw error;
  }
}
