/**
 * The team workshop of a round (Arbeitshilfe 1.3): the staff survey's result where the
 * office may see it, the office's own ratings of the goals, and the team's notes per
 * reflection question – saved with a version check, so two people writing at once lose
 * nothing (the second gets the conflict view with both texts).
 *
 * The route authorises (the office's team: "office.workOnPlan"); row-level security keeps
 * the notes inside the office (migration 20261206100000). The audit log names who saved the
 * note of which question, never its text.
 */
import type { Actor } from "~/platform/auth/auth.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { inOrder, withUser } from "~/platform/db.server";
import { officeRatings, surveyView } from "./assessment-view.server";
import { type NoteInput, questionNumber, WORKSHOP_QUESTIONS, type WorkshopQuestion } from "./workshop";

type Scope = {
  actor: Pick<Actor, "id">;
  office: { id: string; networkId: string };
  assessment: { id: string; round: { id: string; name: string; networkId: string; frameworkVersionId: string } };
};

export type WorkshopNote = {
  question: WorkshopQuestion;
  body: string;
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
};

async function readNotes(tx: Parameters<Parameters<typeof withUser>[1]>[0], scope: Scope): Promise<WorkshopNote[]> {
  const rows = await tx.workshopNote.findMany({
    where: { roundId: scope.assessment.round.id, officeId: scope.office.id },
    select: { questionKey: true, body: true, version: true, updatedAt: true, updatedById: true },
  });
  const ids = [...new Set(rows.map((r) => r.updatedById).filter((id): id is string => !!id))];
  const people = ids.length ? await tx.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : [];
  const names = new Map(people.map((p) => [p.id, p.name]));
  const byKey = new Map(rows.map((r) => [r.questionKey, r]));
  return WORKSHOP_QUESTIONS.map((question) => {
    const row = byKey.get(question);
    return {
      question,
      body: row?.body ?? "",
      version: row?.version ?? 0,
      updatedAt: row?.updatedAt ?? null,
      updatedBy: row?.updatedById ? (names.get(row.updatedById) ?? null) : null,
    };
  });
}

/** Everything the workshop page shows. */
export async function loadWorkshop(scope: Scope) {
  const { assessment } = scope;
  return withUser(scope.actor.id, async (tx) => {
    const [survey, ratings, notes, plan] = await inOrder(
      surveyView(tx, {
        id: assessment.id,
        networkId: assessment.round.networkId,
        frameworkVersionId: assessment.round.frameworkVersionId,
      }),
      officeRatings(tx, assessment.id, assessment.round.frameworkVersionId),
      readNotes(tx, scope),
      tx.plan.findFirst({ where: { officeId: scope.office.id, closedAt: null }, select: { id: true } }),
    );
    return { survey, ratings, notes, hasPlan: plan !== null };
  });
}

export type NoteResult = { status: "saved"; note: WorkshopNote } | { status: "conflict"; current: WorkshopNote };

/** Saves the team's note on one question if `version` is the one the person started from. */
export async function saveWorkshopNote(scope: Scope, input: NoteInput): Promise<NoteResult> {
  const where = { roundId: scope.assessment.round.id, officeId: scope.office.id, questionKey: input.question };
  const current = async () =>
    withUser(scope.actor.id, async (tx) => (await readNotes(tx, scope)).find((n) => n.question === input.question)!);
  try {
    const saved = await withUser(scope.actor.id, async (tx) => {
      const row = await tx.workshopNote.findFirst({ where, select: { id: true, version: true, body: true } });
      if ((row?.version ?? 0) !== input.version) return null;
      if (row && row.body === input.body) return true;
      if (!row) {
        await tx.workshopNote.create({ data: { ...where, body: input.body, updatedById: scope.actor.id } });
      } else {
        const { count } = await tx.workshopNote.updateMany({
          where: { id: row.id, version: row.version },
          data: { body: input.body, version: { increment: 1 }, updatedById: scope.actor.id, updatedAt: new Date() },
        });
        if (count === 0) return null;
      }
      await recordAudit(
        {
          action: "workshop.note_saved",
          actorId: scope.actor.id,
          networkId: scope.office.networkId,
          officeId: scope.office.id,
          targetType: "round",
          targetId: scope.assessment.round.id,
          // Which question's note, never its text.
          details: { round: scope.assessment.round.name, question: questionNumber(input.question) },
        },
        tx,
      );
      return true;
    });
    const note = await current();
    return saved ? { status: "saved", note } : { status: "conflict", current: note };
  } catch (error) {
    // Two first notes on the same question at once: the unique key decides.
    if ((error as { code?: string }).code === "P2002") return { status: "conflict", current: await current() };
    throw error;
  }
}
