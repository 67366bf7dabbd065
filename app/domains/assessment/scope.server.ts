import { z } from "zod";
import type { Action } from "~/platform/auth/permissions";
import type { Actor } from "~/platform/auth/auth.server";
import { requireOffice } from "~/platform/auth/scope.server";
import { withUser } from "~/platform/db.server";
import { NotFoundError } from "~/platform/errors";
import { effectiveDeadline } from "~/domains/assessment/deadline";

/** Where an assessment stands; only "draft" can be edited. */
export type AssessmentState = "upcoming" | "draft" | "submitted" | "closed";

export function assessmentState(
  a: { submittedAt: Date | null; round: { opensAt: Date; closedAt: Date | null } },
  now = new Date(),
): AssessmentState {
  if (a.round.closedAt) return "closed";
  if (a.submittedAt) return "submitted";
  if (a.round.opensAt > now) return "upcoming";
  return "draft";
}

/**
 * Resolves /behoerden/:office/runden/:round for the signed-in person: the office (404 to
 * outsiders, 403 without `action`) and its assessment in that round (404 if the office
 * does not take part). The round layout (app/routes/behoerden.$office.runden.$round.tsx)
 * resolves it once per request with the office layout's scope and `assessmentInRound`.
 */
export async function requireAssessment(request: Request, params: { office?: string; round?: string }, action: Action) {
  return assessmentInRound(await requireOffice(request, params.office, action), params.round);
}

/** The office's assessment in the round of the URL (404 if the office does not take part), with its state. */
export async function assessmentInRound<S extends { actor: Actor; office: { id: string } }>(
  scope: S,
  roundParam: string | undefined,
) {
  const { actor, office } = scope;
  const roundId = z.uuid().safeParse(roundParam);
  const row = roundId.success
    ? await withUser(actor.id, (tx) =>
        tx.assessment.findUnique({
          where: { roundId_officeId: { roundId: roundId.data, officeId: office.id } },
          select: {
            id: true,
            submittedAt: true,
            submittedById: true,
            goalsDone: true,
            measuresDone: true,
            lastEditedAt: true,
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
                    networkId: true,
                    frameworkVersionId: true,
                  },
                },
              },
            },
          },
        }),
      )
    : null;
  if (!row) throw new NotFoundError();
  const { participant, ...rest } = row;
  const round = participant.round;
  const assessment = { ...rest, round, deadline: effectiveDeadline(participant, round) };
  return { ...scope, assessment, state: assessmentState({ submittedAt: row.submittedAt, round }) };
}
