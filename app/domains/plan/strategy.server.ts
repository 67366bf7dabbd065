/**
 * The overall strategy (Gesamtkonzept, Arbeitshilfe 4.1) of an office's plan: reading it
 * with what it is built on (the 12 model goals, the plan's measures, the suggestion for the
 * need for change from the assessment and the survey), and saving it with a version check.
 *
 * Who may do what is decided by the route with can() (head edits: "plan.manage"; the team
 * and assigned consultants read); row-level security holds the tenant boundary underneath.
 * The audit log names who saved which parts, never the text.
 */
import type { Actor } from "~/platform/auth/auth.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { inOrder, type TenantTx, withUser } from "~/platform/db.server";
import { NotFoundError } from "~/platform/errors";
import type { PlanHead } from "./scope.server";
import { officeRatings, surveyView } from "./assessment-view.server";
import {
  changedParts,
  fromChoice,
  type GoalChoice,
  lowestGoals,
  type NeedSuggestion,
  readStoredGoals,
  type StrategyInput,
  toChoice,
  weakestStatements,
} from "./strategy";

type Scope = { actor: Pick<Actor, "id">; office: { id: string; networkId: string; name: string }; plan: PlanHead };

export type StrategyGoal = { id: string; number: number; shortTitle: string; title: string; choice: GoalChoice };
export type StrategyValues = { guidingIdea: string; needForChange: string; successes: string; goals: StrategyGoal[] };
export type PlannedMeasure = { id: string; code: string | null; title: string; intendedResult: string; done: boolean };

export type StrategyDocument = StrategyValues & {
  /** 0 while nothing was saved yet. */
  version: number;
  updatedAt: Date | null;
  updatedBy: string | null;
  cycle: number;
  measures: PlannedMeasure[];
  suggestion: NeedSuggestion;
};

async function frameworkGoals(tx: TenantTx, networkId: string) {
  const network = await tx.network.findUnique({ where: { id: networkId }, select: { frameworkVersionId: true } });
  if (!network) throw new NotFoundError();
  const goals = await tx.goal.findMany({
    where: { frameworkVersionId: network.frameworkVersionId },
    orderBy: { number: "asc" },
    select: { id: true, number: true, shortTitle: true, title: true },
  });
  return { frameworkVersionId: network.frameworkVersionId, goals };
}

/** The numbers of the model goals of the office's framework (for the form's schema). */
export async function strategyGoalNumbers(actor: Pick<Actor, "id">, networkId: string) {
  return withUser(actor.id, async (tx) => (await frameworkGoals(tx, networkId)).goals.map((g) => g.number));
}

async function readValues(tx: TenantTx, scope: Scope) {
  const [{ goals }, row] = await inOrder(
    frameworkGoals(tx, scope.office.networkId),
    tx.planStrategy.findUnique({ where: { planId: scope.plan.id } }),
  );
  const stored = new Map(readStoredGoals(row?.goals).map((g) => [g.goalId, g]));
  const updatedBy = row?.updatedById
    ? ((await tx.user.findUnique({ where: { id: row.updatedById }, select: { name: true } }))?.name ?? null)
    : null;
  return {
    row,
    values: {
      guidingIdea: row?.guidingIdea ?? "",
      needForChange: row?.needForChange ?? "",
      successes: row?.successes ?? "",
      goals: goals.map((g) => ({ ...g, choice: toChoice(stored.get(g.id)) })),
    } satisfies StrategyValues,
    version: row?.version ?? 0,
    updatedAt: row?.updatedAt ?? null,
    updatedBy,
  };
}

/** The assessment the suggestion is read from: the round the plan started from, else the latest submitted one. */
async function sourceAssessment(tx: TenantTx, scope: Scope) {
  const select = {
    id: true,
    participant: { select: { round: { select: { name: true, networkId: true, frameworkVersionId: true } } } },
  } as const;
  const fromPlan = scope.plan.sourceRoundId
    ? await tx.assessment.findUnique({
        where: { roundId_officeId: { roundId: scope.plan.sourceRoundId, officeId: scope.office.id } },
        select,
      })
    : null;
  const row =
    fromPlan ??
    (await tx.assessment.findFirst({
      where: { officeId: scope.office.id, submittedAt: { not: null } },
      orderBy: { submittedAt: "desc" },
      select,
    }));
  return row ? { id: row.id, ...row.participant.round } : null;
}

async function suggestion(tx: TenantTx, scope: Scope): Promise<NeedSuggestion> {
  const assessment = await sourceAssessment(tx, scope);
  if (!assessment) return { round: null, lowGoals: [], survey: null };
  const [ratings, survey] = await inOrder(
    officeRatings(tx, assessment.id, assessment.frameworkVersionId),
    surveyView(tx, assessment),
  );
  return {
    round: assessment.name,
    lowGoals: lowestGoals(ratings).map((g) => ({
      number: g.number,
      shortTitle: g.shortTitle,
      rating: g.rating,
      label: g.label ?? "",
    })),
    survey:
      survey.state === "visible"
        ? {
            answers: survey.answers,
            statements: weakestStatements(survey.statements).map((s) => ({ key: s.key, title: s.title, mean: s.mean })),
          }
        : null,
  };
}

async function plannedMeasures(tx: TenantTx, planId: string): Promise<PlannedMeasure[]> {
  const rows = await tx.planMeasure.findMany({
    where: { planId },
    orderBy: [{ position: "asc" }, { addedAt: "asc" }],
    select: {
      id: true,
      ownTitle: true,
      intendedResult: true,
      completedAt: true,
      measure: { select: { code: true, title: true } },
    },
  });
  return rows.map((m) => ({
    id: m.id,
    code: m.measure?.code ?? null,
    title: m.measure?.title ?? m.ownTitle ?? "",
    intendedResult: m.intendedResult,
    done: m.completedAt !== null,
  }));
}

/** The whole document of the plan's strategy, as the page and the exports show it. */
export async function loadStrategy(scope: Scope): Promise<StrategyDocument> {
  return withUser(scope.actor.id, async (tx) => {
    const read = await readValues(tx, scope);
    const [measures, suggested] = await inOrder(plannedMeasures(tx, scope.plan.id), suggestion(tx, scope));
    return {
      ...read.values,
      version: read.version,
      updatedAt: read.updatedAt,
      updatedBy: read.updatedBy,
      cycle: scope.plan.cycle,
      measures,
      suggestion: suggested,
    };
  });
}

export type SaveResult =
  | { status: "saved"; version: number }
  /** Someone saved in between: what is saved now (the form keeps what this person typed). */
  | { status: "conflict"; current: StrategyValues & { version: number; updatedBy: string | null } };

/**
 * Saves the strategy if `input.version` is the version the person started from (0: nothing
 * saved yet); otherwise nothing is written and the current state comes back (409 view).
 */
export async function saveStrategy(scope: Scope, input: StrategyInput): Promise<SaveResult> {
  try {
    return await withUser(scope.actor.id, async (tx): Promise<SaveResult> => {
      const read = await readValues(tx, scope);
      const conflict = (): SaveResult => ({
        status: "conflict",
        current: { ...read.values, version: read.version, updatedBy: read.updatedBy },
      });
      if (input.version !== read.version) return conflict();
      const goals = read.values.goals.map((g) => fromChoice(g.id, input.goals[g.number] ?? g.choice));
      const before = {
        guidingIdea: read.values.guidingIdea,
        needForChange: read.values.needForChange,
        successes: read.values.successes,
        goals: read.row ? readStoredGoals(read.row.goals) : [],
      };
      const after = { guidingIdea: input.guidingIdea, needForChange: input.needForChange, successes: input.successes, goals };
      const parts = changedParts(before, after);
      if (read.row && parts.length === 0) return { status: "saved", version: read.version };
      const data = { ...after, updatedById: scope.actor.id, updatedAt: new Date() };
      if (!read.row) {
        await tx.planStrategy.create({ data: { planId: scope.plan.id, officeId: scope.office.id, ...data } });
      } else {
        // Compare-and-set: a save that raced this one since the read changes nothing here.
        const { count } = await tx.planStrategy.updateMany({
          where: { planId: scope.plan.id, version: read.version },
          data: { ...data, version: { increment: 1 } },
        });
        if (count === 0) return conflict();
      }
      await recordAudit(
        {
          action: "plan.strategy_saved",
          actorId: scope.actor.id,
          networkId: scope.office.networkId,
          officeId: scope.office.id,
          targetType: "plan",
          targetId: scope.plan.id,
          // Who saved which parts of which cycle – never the text.
          details: { cycle: scope.plan.cycle, fields: parts },
        },
        tx,
      );
      return { status: "saved", version: read.row ? read.version + 1 : 1 };
    });
  } catch (error) {
    // Two first saves at once: the primary key decides, the second sees a conflict.
    if ((error as { code?: string }).code === "P2002") {
      const read = await withUser(scope.actor.id, (tx) => readValues(tx, scope));
      return { status: "conflict", current: { ...read.values, version: read.version, updatedBy: read.updatedBy } };
    }
    throw error;
  }
}
