import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { withUser } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { endOfDay, isCalendarDay, startOfDay } from "~/utils/calendar-day";
import type { FieldErrors } from "~/platform/http/forms";
import { recordAudit } from "~/platform/audit/audit.server";
import { ensureRoundFigures } from "~/domains/comparison/round-figures.server";
import { ForbiddenError } from "~/platform/errors";
import { reminderDaysField } from "./reminders.server";
import { effectiveDeadline } from "~/domains/assessment/deadline";

const day = z.string({ message: "rounds:errors.dateInvalid" }).trim().refine(isCalendarDay, "rounds:errors.dateInvalid");

/** The "open a round" form (office ids come separately: a checkbox list has many values). */
export const openRoundSchema = z
  .object({
    name: z
      .string({ message: "rounds:errors.nameRequired" })
      .trim()
      .min(1, "rounds:errors.nameRequired")
      .max(100, "rounds:errors.nameTooLong"),
    frameworkVersionId: z.uuid({ message: "rounds:errors.frameworkInvalid" }),
    opensOn: day,
    deadlineOn: day,
    scope: z.enum(["all", "selected"], { message: "rounds:errors.scopeInvalid" }),
    reminderDays: reminderDaysField,
  })
  .refine((v) => v.deadlineOn > v.opensOn, { path: ["deadlineOn"], message: "rounds:errors.deadlineBeforeOpening" });

export const extendDeadlineSchema = z.object({ officeId: z.uuid({ message: "rounds:errors.officeInvalid" }), deadlineOn: day });

export type OpenRoundInput = {
  name: string;
  frameworkVersionId: string;
  opensAt: Date;
  deadline: Date;
  officeIds: "all" | string[];
  reminderDays?: number[];
};
type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

function assertManager(actor: Actor, networkId: string) {
  if (!can(actor, "network.manageRounds", { networkId })) throw new ForbiddenError();
}

/** Form values (YYYY-MM-DD days) to the instants stored: 00:00 of the first day, 24:00 of the last. */
export function roundDates(opensOn: string, deadlineOn: string) {
  return { opensAt: startOfDay(opensOn), deadline: endOfDay(deadlineOn) };
}

/**
 * Opens a round for all or selected offices of the network, and e-mails each participating
 * office's heads (in the same transaction; the outbox sends after commit).
 */
export async function openRound(
  actor: Actor,
  networkId: string,
  input: OpenRoundInput,
): Promise<Outcome<{ id: string; offices: number }>> {
  assertManager(actor, networkId);
  try {
    const result = await withUser(actor.id, async (tx): Promise<Outcome<{ id: string; offices: number }>> => {
      const errors: FieldErrors = {};
      const network = await tx.network.findUniqueOrThrow({ where: { id: networkId }, select: { id: true, name: true } });
      const version = await tx.frameworkVersion.findUnique({
        where: { id: input.frameworkVersionId },
        select: { id: true, title: true },
      });
      if (!version) errors.frameworkVersionId = "rounds:errors.frameworkInvalid";
      if (
        await tx.assessmentRound.findFirst({
          where: { networkId, name: { equals: input.name, mode: "insensitive" } },
          select: { id: true },
        })
      ) {
        errors.name = "rounds:errors.nameTaken";
      }
      const requested = input.officeIds === "all" ? null : [...new Set(input.officeIds)];
      const offices = await tx.office.findMany({
        where: { networkId, ...(requested ? { id: { in: requested.filter((id) => z.uuid().safeParse(id).success) } } : {}) },
        select: { id: true, name: true },
      });
      if (requested && offices.length !== requested.length) errors.officeIds = "rounds:errors.unknownOffices";
      else if (offices.length === 0) errors.officeIds = "rounds:errors.noOffices";
      if (Object.keys(errors).length || !version) return { ok: false, errors };

      const round = await tx.assessmentRound.create({
        data: {
          networkId,
          frameworkVersionId: version.id,
          name: input.name,
          opensAt: input.opensAt,
          deadline: input.deadline,
          reminderDays: input.reminderDays,
          createdById: actor.id,
        },
        select: { id: true },
      });
      await tx.roundParticipant.createMany({ data: offices.map((o) => ({ roundId: round.id, officeId: o.id })) });
      await tx.assessment.createMany({ data: offices.map((o) => ({ roundId: round.id, officeId: o.id })) });
      const heads = await tx.membership.findMany({
        where: { networkId, role: "OFFICE_HEAD", officeId: { in: offices.map((o) => o.id) } },
        select: { officeId: true, user: { select: { email: true, name: true, language: true } } },
      });
      const officeName = new Map(offices.map((o) => [o.id, o.name]));
      for (const head of heads) {
        await enqueueEmail(tx, {
          to: head.user.email,
          template: "round-opened",
          language: isLanguage(head.user.language) ? head.user.language : "de",
          props: {
            headName: head.user.name,
            networkName: network.name,
            officeName: officeName.get(head.officeId!) ?? "",
            roundName: input.name,
            frameworkTitle: version.title,
            opensAt: input.opensAt,
            deadline: input.deadline,
            officeUrl: publicUrl(`/behoerden/${head.officeId}`),
          },
        });
      }
      await recordAudit(
        {
          action: "round.opened",
          actorId: actor.id,
          networkId,
          targetType: "assessment_round",
          targetId: round.id,
          details: {
            name: input.name,
            offices: offices.length,
            allOffices: input.officeIds === "all",
            opensAt: input.opensAt.toISOString(),
            deadline: input.deadline.toISOString(),
            emails: heads.length,
          },
        },
        tx,
      );
      return { ok: true, value: { id: round.id, offices: offices.length } };
    });
    return result;
  } catch (error) {
    // Two admins opening the same name at once: the unique key decides.
    if ((error as { code?: string }).code === "P2002") return { ok: false, errors: { name: "rounds:errors.nameTaken" } };
    throw error;
  }
}

/** Gives one participating office a later deadline than the round's. */
export async function extendDeadline(
  actor: Actor,
  roundId: string,
  officeId: string,
  newDeadline: Date,
): Promise<Outcome<{ office: string }> | null> {
  return withUser(actor.id, async (tx): Promise<Outcome<{ office: string }> | null> => {
    const round = await tx.assessmentRound.findUnique({ where: { id: roundId } });
    if (!round) return null;
    assertManager(actor, round.networkId);
    if (round.closedAt) return { ok: false, errors: { deadlineOn: "rounds:errors.roundClosed" } };
    const participant = await tx.roundParticipant.findUnique({
      where: { roundId_officeId: { roundId, officeId } },
      include: { office: { select: { name: true } } },
    });
    if (!participant) return { ok: false, errors: { officeId: "rounds:errors.notParticipant" } };
    if (newDeadline <= round.deadline) return { ok: false, errors: { deadlineOn: "rounds:errors.extendNotLater" } };
    await tx.roundParticipant.update({
      where: { roundId_officeId: { roundId, officeId } },
      data: { deadlineOverride: newDeadline },
    });
    await recordAudit(
      {
        action: "round.deadline_extended",
        actorId: actor.id,
        networkId: round.networkId,
        officeId,
        targetType: "assessment_round",
        targetId: round.id,
        details: {
          round: round.name,
          previous: effectiveDeadline(participant, round).toISOString(),
          deadline: newDeadline.toISOString(),
        },
      },
      tx,
    );
    return { ok: true, value: { office: participant.office.name } };
  });
}

/** Closes a round for good (there is no reopening). */
export async function closeRound(actor: Actor, roundId: string): Promise<Outcome<null> | null> {
  const outcome = await withUser(actor.id, async (tx): Promise<Outcome<null> | null> => {
    const round = await tx.assessmentRound.findUnique({ where: { id: roundId } });
    if (!round) return null;
    assertManager(actor, round.networkId);
    const { count } = await tx.assessmentRound.updateMany({
      where: { id: roundId, closedAt: null },
      data: { closedAt: new Date() },
    });
    if (count === 0) return { ok: false, errors: { _form: "rounds:errors.alreadyClosed" } };
    await recordAudit(
      {
        action: "round.closed",
        actorId: actor.id,
        networkId: round.networkId,
        targetType: "assessment_round",
        targetId: round.id,
        details: { name: round.name },
      },
      tx,
    );
    return { ok: true, value: null };
  });
  // After the close has committed (the cohort is frozen): the round's figures, as abh_stats.
  // A failure only delays them; pages compute missing figures on demand.
  if (outcome?.ok) await ensureRoundFigures(roundId);
  return outcome;
}

export async function listRounds(actor: Actor, networkId: string) {
  return withUser(actor.id, (tx) =>
    tx.assessmentRound.findMany({
      where: { networkId },
      orderBy: [{ opensAt: "desc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        opensAt: true,
        deadline: true,
        closedAt: true,
        frameworkVersion: { select: { title: true } },
        _count: { select: { participants: true } },
      },
    }),
  );
}

/** One round of the network with its participants and their effective deadlines, or null. */
export async function getRound(actor: Actor, networkId: string, roundId: string) {
  if (!z.uuid().safeParse(roundId).success) return null;
  const round = await withUser(actor.id, (tx) =>
    tx.assessmentRound.findFirst({
      where: { id: roundId, networkId },
      select: {
        id: true,
        name: true,
        opensAt: true,
        deadline: true,
        closedAt: true,
        frameworkVersion: { select: { title: true } },
        participants: {
          select: { officeId: true, deadlineOverride: true, office: { select: { name: true } } },
          orderBy: { office: { name: "asc" } },
        },
      },
    }),
  );
  if (!round) return null;
  return {
    ...round,
    participants: round.participants.map((p) => ({
      officeId: p.officeId,
      name: p.office.name,
      deadline: effectiveDeadline(p, round),
      extended: p.deadlineOverride !== null,
    })),
  };
}

/** The rounds an office takes part in that are not closed, with the office's own deadline. */
export async function listRoundsForOffice(actor: Actor, officeId: string) {
  const rows = await withUser(actor.id, (tx) =>
    tx.roundParticipant.findMany({
      where: { officeId, round: { closedAt: null } },
      select: { deadlineOverride: true, round: { select: { id: true, name: true, opensAt: true, deadline: true } } },
      orderBy: { round: { opensAt: "asc" } },
    }),
  );
  return rows.map((r) => ({
    id: r.round.id,
    name: r.round.name,
    opensAt: r.round.opensAt,
    deadline: effectiveDeadline(r, r.round),
    extended: r.deadlineOverride !== null,
  }));
}

/** Framework versions an admin can open a round with (the network's own first). */
export async function listFrameworkVersions(actor: Actor) {
  return withUser(actor.id, (tx) =>
    tx.frameworkVersion.findMany({ select: { id: true, title: true }, orderBy: { createdAt: "desc" } }),
  );
}

export async function networkFrameworkVersionId(actor: Actor, networkId: string) {
  return withUser(
    actor.id,
    async (tx) =>
      (await tx.network.findUniqueOrThrow({ where: { id: networkId }, select: { frameworkVersionId: true } })).frameworkVersionId,
  );
}
