import fs from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { PrismaClient } from "~/generated/prisma/client";
import { readGoalLevelExamples, seedGoalLevelExamples } from "./goal-level-examples";
import { RATING_LEVELS } from "./rating-levels";

const frameworkSchema = z.object({
  slug: z.string().min(1),
  title: z.string().min(1),
  source: z.string().min(1),
  designAreas: z.array(
    z.object({ code: z.string(), title: z.string(), description: z.string(), goalNumbers: z.array(z.number().int()) }),
  ),
  goals: z.array(
    z.object({
      number: z.number().int(),
      title: z.string().min(1),
      shortTitle: z.string().min(1),
      explanation: z.string(),
      alternativeWording: z.object({ text: z.string(), note: z.string() }).nullable(),
    }),
  ),
  workFields: z.array(z.object({ code: z.string(), goalNumber: z.number().int(), title: z.string().min(1) })),
  measures: z.array(
    z.object({
      code: z.string(),
      workFieldCode: z.string(),
      title: z.string().min(1),
      result: z.string().min(1),
      activities: z.array(z.string()),
      explanation: z.string().nullable(),
      relatedMeasureCodes: z.array(z.string()),
      workingAidCodes: z.array(z.string()),
    }),
  ),
  workingAids: z.array(z.object({ code: z.string(), title: z.string(), description: z.string().nullable() })),
});

export type FrameworkData = z.infer<typeof frameworkSchema>;

export const FRAMEWORK_RLP_2015 = path.resolve(import.meta.dirname, "../data/framework-rlp-2015.json");

export async function readFramework(file = FRAMEWORK_RLP_2015): Promise<FrameworkData> {
  return frameworkSchema.parse(JSON.parse(await fs.readFile(file, "utf8")));
}

/**
 * Writes a framework version and its whole catalogue. Idempotent: rows are matched by
 * their natural keys (slug, goal number, codes), so re-running changes nothing and an
 * edited text in the data file updates the row in place.
 */
export async function seedFramework(prisma: PrismaClient, data: FrameworkData) {
  const levelExamples = await readGoalLevelExamples(data.slug);
  return prisma.$transaction(
    async (tx) => {
      const version = await tx.frameworkVersion.upsert({
        where: { slug: data.slug },
        create: { slug: data.slug, title: data.title, source: data.source },
        update: { title: data.title, source: data.source },
      });
      const frameworkVersionId = version.id;

      const goalIds = new Map<number, string>();
      for (const goal of data.goals) {
        const values = {
          title: goal.title,
          shortTitle: goal.shortTitle,
          explanation: goal.explanation,
          alternativeWording: goal.alternativeWording?.text ?? null,
          alternativeWordingNote: goal.alternativeWording?.note ?? null,
        };
        const row = await tx.goal.upsert({
          where: { frameworkVersionId_number: { frameworkVersionId, number: goal.number } },
          create: { frameworkVersionId, number: goal.number, ...values },
          update: values,
        });
        goalIds.set(goal.number, row.id);
      }

      for (const area of data.designAreas) {
        const values = { title: area.title, description: area.description };
        const row = await tx.designArea.upsert({
          where: { frameworkVersionId_code: { frameworkVersionId, code: area.code } },
          create: { frameworkVersionId, code: area.code, ...values },
          update: values,
        });
        await tx.designAreaGoal.deleteMany({ where: { designAreaId: row.id } });
        await tx.designAreaGoal.createMany({
          data: area.goalNumbers.map((n) => ({ designAreaId: row.id, goalId: goalIds.get(n)! })),
        });
      }

      const workFieldIds = new Map<string, string>();
      for (const [position, field] of data.workFields.entries()) {
        const values = { title: field.title, position, goalId: goalIds.get(field.goalNumber)! };
        const row = await tx.workField.upsert({
          where: { frameworkVersionId_code: { frameworkVersionId, code: field.code } },
          create: { frameworkVersionId, code: field.code, ...values },
          update: values,
        });
        workFieldIds.set(field.code, row.id);
      }

      const aidIds = new Map<string, string>();
      for (const aid of data.workingAids) {
        const values = { title: aid.title, description: aid.description };
        const row = await tx.workingAid.upsert({
          where: { frameworkVersionId_code: { frameworkVersionId, code: aid.code } },
          create: { frameworkVersionId, code: aid.code, ...values },
          update: values,
        });
        aidIds.set(aid.code, row.id);
      }

      const measureIds = new Map<string, string>();
      for (const [position, measure] of data.measures.entries()) {
        const values = {
          position,
          title: measure.title,
          result: measure.result,
          activities: measure.activities,
          explanation: measure.explanation,
          workFieldId: workFieldIds.get(measure.workFieldCode)!,
        };
        const row = await tx.measure.upsert({
          where: { frameworkVersionId_code: { frameworkVersionId, code: measure.code } },
          create: { frameworkVersionId, code: measure.code, ...values },
          update: values,
        });
        measureIds.set(measure.code, row.id);
      }

      const allMeasureIds = [...measureIds.values()];
      await tx.measureRelation.deleteMany({ where: { fromMeasureId: { in: allMeasureIds } } });
      await tx.measureRelation.createMany({
        data: data.measures.flatMap((m) =>
          m.relatedMeasureCodes.map((code) => ({ fromMeasureId: measureIds.get(m.code)!, toMeasureId: measureIds.get(code)! })),
        ),
      });
      await tx.measureWorkingAid.deleteMany({ where: { measureId: { in: allMeasureIds } } });
      await tx.measureWorkingAid.createMany({
        data: data.measures.flatMap((m) =>
          m.workingAidCodes.map((code) => ({ measureId: measureIds.get(m.code)!, workingAidId: aidIds.get(code)! })),
        ),
      });

      for (const level of RATING_LEVELS) {
        await tx.ratingLevel.upsert({
          where: { frameworkVersionId_level: { frameworkVersionId, level: level.level } },
          create: { frameworkVersionId, ...level },
          update: { label: level.label, description: level.description },
        });
      }
      if (levelExamples) await seedGoalLevelExamples(tx, levelExamples, goalIds);
      return version;
    },
    { timeout: 60_000 },
  );
}
