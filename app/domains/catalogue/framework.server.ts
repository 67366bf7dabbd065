import { getPrisma } from "~/platform/db.server";
import { MARK_END, MARK_START } from "~/ui/highlight";

/**
 * The framework catalogue. It is public reference content (no tenant), so these
 * queries take no user scope; they only ever read.
 */

export async function listFrameworkVersions() {
  return getPrisma().frameworkVersion.findMany({
    orderBy: { createdAt: "desc" },
    select: { slug: true, title: true, source: true, _count: { select: { goals: true, workFields: true, measures: true } } },
  });
}

export async function getCatalogueOverview(versionSlug: string) {
  return getPrisma().frameworkVersion.findUnique({
    where: { slug: versionSlug },
    select: {
      slug: true,
      title: true,
      source: true,
      designAreas: {
        orderBy: { code: "asc" },
        select: {
          code: true,
          title: true,
          description: true,
          goals: { select: { goal: { select: { number: true, shortTitle: true } } } },
        },
      },
      goals: {
        orderBy: { number: "asc" },
        select: {
          number: true,
          title: true,
          shortTitle: true,
          workFields: {
            orderBy: { position: "asc" },
            select: { code: true, title: true, _count: { select: { measures: true } } },
          },
        },
      },
      _count: { select: { goals: true, workFields: true, measures: true } },
    },
  });
}

export async function getGoal(versionSlug: string, number: number) {
  const prisma = getPrisma();
  const goal = await prisma.goal.findFirst({
    where: { number, frameworkVersion: { slug: versionSlug } },
    select: {
      number: true,
      title: true,
      shortTitle: true,
      explanation: true,
      alternativeWording: true,
      alternativeWordingNote: true,
      frameworkVersion: {
        select: {
          slug: true,
          title: true,
          levels: { orderBy: { level: "asc" }, select: { level: true, label: true, description: true } },
          _count: { select: { goals: true } },
        },
      },
      workFields: {
        orderBy: { position: "asc" },
        select: {
          code: true,
          title: true,
          measures: { orderBy: { position: "asc" }, select: { code: true, title: true, result: true } },
        },
      },
      designAreas: { select: { designArea: { select: { code: true, title: true } } } },
      levelExamples: { orderBy: { level: "asc" }, select: { level: true, example: true } },
    },
  });
  return goal;
}

type RatingLevel = { level: number; label: string; description: string };

/**
 * The 1–5 scale as shown while rating one goal: each level's generic wording (the same for
 * every goal) with what that level looks like in practice for this goal (null if none).
 */
export function goalRatingScale(levels: RatingLevel[], examples: Array<{ level: number; example: string }>) {
  const byLevel = new Map(examples.map((e) => [e.level, e.example]));
  return levels.map((level) => ({ ...level, example: byLevel.get(level.level) ?? null }));
}

/** goalRatingScale for a goal by its id, e.g. on the assessment page. Empty for an unknown goal. */
export async function getGoalRatingScale(goalId: string) {
  const goal = await getPrisma().goal.findUnique({
    where: { id: goalId },
    select: {
      frameworkVersion: {
        select: { levels: { orderBy: { level: "asc" }, select: { level: true, label: true, description: true } } },
      },
      levelExamples: { select: { level: true, example: true } },
    },
  });
  return goal ? goalRatingScale(goal.frameworkVersion.levels, goal.levelExamples) : [];
}

export async function getMeasure(versionSlug: string, code: string) {
  const prisma = getPrisma();
  const measure = await prisma.measure.findFirst({
    where: { code, frameworkVersion: { slug: versionSlug } },
    select: {
      id: true,
      code: true,
      position: true,
      title: true,
      result: true,
      activities: true,
      explanation: true,
      frameworkVersionId: true,
      frameworkVersion: { select: { slug: true, title: true } },
      workField: { select: { code: true, title: true, goal: { select: { number: true, shortTitle: true, title: true } } } },
      relatedTo: {
        orderBy: { toMeasure: { position: "asc" } },
        select: { toMeasure: { select: { code: true, title: true } } },
      },
      relatedFrom: {
        orderBy: { fromMeasure: { position: "asc" } },
        select: { fromMeasure: { select: { code: true, title: true } } },
      },
      workingAids: {
        orderBy: { workingAid: { code: "asc" } },
        select: { workingAid: { select: { code: true, title: true, description: true } } },
      },
    },
  });
  if (!measure) return null;
  const [previous, next] = await Promise.all([
    prisma.measure.findFirst({
      where: { frameworkVersionId: measure.frameworkVersionId, position: { lt: measure.position } },
      orderBy: { position: "desc" },
      select: { code: true, title: true },
    }),
    prisma.measure.findFirst({
      where: { frameworkVersionId: measure.frameworkVersionId, position: { gt: measure.position } },
      orderBy: { position: "asc" },
      select: { code: true, title: true },
    }),
  ]);
  return { ...measure, previous, next };
}

export type SearchHit = { code: string; title: string; snippet: string; rank: number };

/**
 * German full-text search (stemming: "Beratungen" finds "Beratung") over measures,
 * plus a substring match so that word fragments ("mehrsprach") and codes
 * such as "4.2" are found too. Goals are searched the same way on the fly (12 rows).
 */
export async function searchCatalogue(versionSlug: string, query: string) {
  const prisma = getPrisma();
  const like = `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "`;
  const measures = await prisma.$queryRaw<SearchHit[]>`
    WITH q AS (SELECT websearch_to_tsquery('german', ${query}) AS tsq)
    SELECT m.code, m.title,
           ts_headline('german', m.result || ' ' || array_to_string(m.activities, ' ') || ' ' || coalesce(m.explanation, ''), q.tsq, ${options}) AS snippet,
           ts_rank(m.search_vector, q.tsq) + CASE WHEN m.title ILIKE ${like} OR m.code = ${query} THEN 1 ELSE 0 END AS rank
    FROM measure m
    JOIN framework_version v ON v.id = m.framework_version_id, q
    WHERE v.slug = ${versionSlug}
      AND (m.search_vector @@ q.tsq OR m.code = ${query} OR m.title ILIKE ${like} OR m.result ILIKE ${like}
           OR m.explanation ILIKE ${like} OR array_to_string(m.activities, ' ') ILIKE ${like})
    ORDER BY rank DESC, m.position
    LIMIT 60`;
  const goals = await prisma.$queryRaw<Array<{ number: number; title: string; shortTitle: string }>>`
    WITH q AS (SELECT websearch_to_tsquery('german', ${query}) AS tsq)
    SELECT g.number, g.title, g.short_title AS "shortTitle"
    FROM goal g JOIN framework_version v ON v.id = g.framework_version_id, q
    WHERE v.slug = ${versionSlug}
      AND (to_tsvector('german', g.title || ' ' || g.short_title || ' ' || g.explanation) @@ q.tsq
           OR g.title ILIKE ${like} OR g.short_title ILIKE ${like})
    ORDER BY g.number`;
  return { measures, goals };
}
