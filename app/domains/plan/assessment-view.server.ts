/**
 * What the plan's pages read of an office's self-assessment: its own ratings of the goals
 * (the consensus) and its staff survey's result – the latter only where the office may see
 * it. The survey's rules stay in the database (survey_results: the office's members only,
 * once the survey has ended and enough answers from codes the head never held are in; see
 * migration 20261206000500), so nothing here can show a result the survey page would not.
 */
import { CANNOT_JUDGE, type Distribution, emptyDistribution, type SurveyChoice } from "~/domains/assessment/survey-statements";
import { surveyStatements } from "~/domains/assessment/survey.server";
import { inOrder, type TenantTx } from "~/platform/db.server";

export type GoalRating = {
  number: number;
  shortTitle: string;
  /** 1–5, null when not (yet) rated. */
  rating: number | null;
  notAssessed: boolean;
  label: string | null;
};

/** The office's own rating of every goal of the framework version in this assessment (goal order). */
export async function officeRatings(tx: TenantTx, assessmentId: string, frameworkVersionId: string): Promise<GoalRating[]> {
  const [goals, rows, levels] = await inOrder(
    tx.goal.findMany({
      where: { frameworkVersionId },
      orderBy: { number: "asc" },
      select: { id: true, number: true, shortTitle: true },
    }),
    tx.goalAssessment.findMany({ where: { assessmentId }, select: { goalId: true, rating: true, notAssessed: true } }),
    tx.ratingLevel.findMany({ where: { frameworkVersionId }, select: { level: true, label: true } }),
  );
  const byGoal = new Map(rows.map((r) => [r.goalId, r]));
  const labels = new Map(levels.map((l) => [l.level, l.label]));
  return goals.map((g) => {
    const row = byGoal.get(g.id);
    const rating = row && !row.notAssessed ? row.rating : null;
    return {
      number: g.number,
      shortTitle: g.shortTitle,
      rating,
      notAssessed: row?.notAssessed ?? false,
      label: rating ? (labels.get(rating) ?? null) : null,
    };
  });
}

export type SurveyView =
  | { state: "none" }
  /** Running: the result appears after its end, if enough answered. */
  | { state: "running"; closesAt: Date; threshold: number }
  /** Ended (or running) without a result the office may see: too few counted answers. */
  | { state: "hidden"; closesAt: Date; threshold: number }
  | {
      state: "visible";
      closesAt: Date;
      threshold: number;
      answers: number;
      statements: Array<{ key: string; title: string; goal: { number: number; shortTitle: string }; counts: Distribution }>;
    };

/** The survey of this assessment as the acting person may see it. */
export async function surveyView(
  tx: TenantTx,
  assessment: { id: string; networkId: string; frameworkVersionId: string },
): Promise<SurveyView> {
  const [survey, network] = await inOrder(
    tx.survey.findUnique({ where: { assessmentId: assessment.id }, select: { id: true, closesAt: true } }),
    tx.network.findUnique({ where: { id: assessment.networkId }, select: { surveyThreshold: true } }),
  );
  if (!survey || !network) return { state: "none" };
  const threshold = network.surveyThreshold;
  const rows = await tx.$queryRaw<Array<{ statement: string; answer: number | null; responses: number }>>`
    SELECT statement, answer, responses FROM survey_results(${survey.id}::uuid)`;
  if (rows.length === 0) {
    return survey.closesAt > new Date()
      ? { state: "running", closesAt: survey.closesAt, threshold }
      : { state: "hidden", closesAt: survey.closesAt, threshold };
  }
  const [[counts], statements] = await inOrder(
    tx.$queryRaw<Array<{ answers: number | null }>>`SELECT survey_response_count(${survey.id}::uuid) AS answers`,
    surveyStatements(tx, assessment.frameworkVersionId),
  );
  return {
    state: "visible",
    closesAt: survey.closesAt,
    threshold,
    answers: counts?.answers ?? 0,
    statements: statements.map((s) => {
      const distribution = emptyDistribution();
      for (const row of rows)
        if (row.statement === s.key)
          distribution[(row.answer === null ? CANNOT_JUDGE : String(row.answer)) as SurveyChoice] += row.responses;
      return { key: s.key, title: s.title, goal: { number: s.goal.number, shortTitle: s.goal.shortTitle }, counts: distribution };
    }),
  };
}
