import { derivedPriority, ruleForAssessment } from "~/domains/assessment/priority";
import { inOrder, withUser } from "~/platform/db.server";
import { type AssessmentContext, type GoalValues, toAnswer } from "./schemas";
import { userName } from "./draft.server";

// ─── Reading ────────────────────────────────────────────────────────────────

/** Everything the overview and the summary page need: goals and measures with their state. */
export async function loadAssessment(ctx: AssessmentContext) {
  const { actor, assessment } = ctx;
  return withUser(actor.id, async (tx) => {
    const versionId = assessment.round.frameworkVersionId;
    const [goals, workFields, goalRows, measureRows, individual, reopenings, network, levels] = await inOrder(
      tx.goal.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { number: "asc" },
        select: { id: true, number: true, shortTitle: true, title: true },
      }),
      tx.workField.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { position: "asc" },
        select: {
          code: true,
          title: true,
          goal: { select: { number: true } },
          measures: { orderBy: { position: "asc" }, select: { id: true, code: true, title: true } },
        },
      }),
      tx.goalAssessment.findMany({ where: { assessmentId: assessment.id } }),
      tx.measureAssessment.findMany({ where: { assessmentId: assessment.id } }),
      tx.individualRating.findMany({
        where: { assessmentId: assessment.id },
        select: { goalId: true, userId: true, rating: true, notAssessed: true },
      }),
      tx.assessmentReopening.findMany({
        where: { assessmentId: assessment.id },
        orderBy: { reopenedAt: "desc" },
        select: { reason: true, reopenedAt: true },
      }),
      tx.network.findUniqueOrThrow({ where: { id: assessment.round.networkId }, select: { priorityRule: true } }),
      tx.ratingLevel.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { level: "asc" },
        select: { level: true, label: true },
      }),
    );
    const own = await tx.assessment.findUniqueOrThrow({ where: { id: assessment.id }, select: { priorityRule: true } });
    const rule = ruleForAssessment(own.priorityRule, network.priorityRule);
    const goalById = new Map(goalRows.map((g) => [g.goalId, g]));
    const measureById = new Map(measureRows.map((m) => [m.measureId, m]));
    return {
      rule,
      levels,
      reopenings,
      goals: goals.map((g) => {
        const row = goalById.get(g.id);
        const mine = individual.find((r) => r.goalId === g.id && r.userId === actor.id);
        return {
          number: g.number,
          shortTitle: g.shortTitle,
          title: g.title,
          answer: toAnswer(row),
          hasText: Boolean(row && (row.comment || row.evidence || row.evidenceLinks.length)),
          individualCount: individual.filter((r) => r.goalId === g.id && (r.rating !== null || r.notAssessed)).length,
          myAnswer: toAnswer(mine),
        };
      }),
      workFields: workFields.map((w) => ({
        code: w.code,
        title: w.title,
        goal: w.goal.number,
        measures: w.measures.map((m) => {
          const row = measureById.get(m.id);
          const need = row?.need ?? null;
          const effort = row?.effort ?? null;
          return {
            code: m.code,
            title: m.title,
            need,
            effort,
            override: row?.priorityOverride ?? null,
            reason: row?.overrideReason ?? "",
            version: row?.version ?? 0,
            derived: derivedPriority(rule, need, effort),
            done: need !== null && (need === "NONE" || effort !== null),
          };
        }),
      })),
    };
  });
}

/** One goal as the assessment page shows it: catalogue text, levels, the team's answers, its measures. */
export async function loadGoal(ctx: AssessmentContext, goalNo: number) {
  const { actor, office, assessment } = ctx;
  return withUser(actor.id, async (tx) => {
    const versionId = assessment.round.frameworkVersionId;
    const goal = await tx.goal.findUnique({
      where: { frameworkVersionId_number: { frameworkVersionId: versionId, number: goalNo } },
      select: {
        id: true,
        number: true,
        title: true,
        shortTitle: true,
        explanation: true,
        levelExamples: { select: { level: true, example: true } },
        workFields: {
          orderBy: { position: "asc" },
          select: {
            code: true,
            title: true,
            measures: { orderBy: { position: "asc" }, select: { id: true, code: true, title: true } },
          },
        },
      },
    });
    if (!goal) return null;
    const [levels, row, individual, team, measureRows, network, goalCount, version] = await inOrder(
      tx.ratingLevel.findMany({
        where: { frameworkVersionId: versionId },
        orderBy: { level: "asc" },
        select: { level: true, label: true, description: true },
      }),
      tx.goalAssessment.findUnique({ where: { assessmentId_goalId: { assessmentId: assessment.id, goalId: goal.id } } }),
      tx.individualRating.findMany({
        where: { assessmentId: assessment.id, goalId: goal.id },
        select: { userId: true, rating: true, notAssessed: true, reasons: true, user: { select: { name: true } } },
      }),
      tx.membership.findMany({
        where: { officeId: office.id },
        select: { userId: true, role: true, user: { select: { name: true } } },
        orderBy: { user: { name: "asc" } },
      }),
      tx.measureAssessment.findMany({
        where: { assessmentId: assessment.id, measureId: { in: goal.workFields.flatMap((w) => w.measures.map((m) => m.id)) } },
      }),
      tx.network.findUniqueOrThrow({ where: { id: assessment.round.networkId }, select: { priorityRule: true } }),
      tx.goal.count({ where: { frameworkVersionId: versionId } }),
      tx.frameworkVersion.findUniqueOrThrow({ where: { id: versionId }, select: { slug: true } }),
    );
    const own = await tx.assessment.findUniqueOrThrow({ where: { id: assessment.id }, select: { priorityRule: true } });
    const rule = ruleForAssessment(own.priorityRule, network.priorityRule);
    const examples = new Map(goal.levelExamples.map((e) => [e.level, e.example]));
    const byMeasure = new Map(measureRows.map((m) => [m.measureId, m]));
    const mine = individual.find((r) => r.userId === actor.id);
    return {
      goal: { number: goal.number, title: goal.title, shortTitle: goal.shortTitle, explanation: goal.explanation },
      goalCount,
      versionSlug: version.slug,
      levels: levels.map((l) => ({ ...l, example: examples.get(l.level) ?? null })),
      consensus: {
        values: {
          answer: toAnswer(row),
          comment: row?.comment ?? "",
          evidence: row?.evidence ?? "",
          links: row?.evidenceLinks ?? [],
        } satisfies GoalValues,
        version: row?.version ?? 0,
        updatedAt: row && row.version > 0 ? row.updatedAt : null,
        updatedBy: row && row.version > 0 ? await userName(tx, row.updatedById) : null,
      },
      mine: { answer: toAnswer(mine), reasons: mine?.reasons ?? "" },
      // Who said what: inside the office only (RLS shows these rows to the office's members alone).
      team: individual
        .filter((r) => r.rating !== null || r.notAssessed || r.reasons)
        .map((r) => ({ name: r.user.name, answer: toAnswer(r), reasons: r.reasons, isMe: r.userId === actor.id }))
        .sort((a, b) => a.name.localeCompare(b.name, "de")),
      teamSize: new Set(team.map((m) => m.userId)).size,
      workFields: goal.workFields.map((w) => ({
        code: w.code,
        title: w.title,
        measures: w.measures.map((m) => {
          const r = byMeasure.get(m.id);
          const derived = derivedPriority(rule, r?.need ?? null, r?.effort ?? null);
          return {
            code: m.code,
            title: m.title,
            need: r?.need ?? null,
            effort: r?.effort ?? null,
            priority: r?.priorityOverride ?? derived,
            overridden: Boolean(r?.priorityOverride),
          };
        }),
      })),
    };
  });
}
