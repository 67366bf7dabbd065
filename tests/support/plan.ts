import type { PrismaClient } from "~/platform/db.server";

/**
 * An office's open plan with plan measures (arranged as the owner): one from the catalogue
 * and one of the office's own. `startedById` must be a person (the office's head, say).
 */
export async function createPlan(
  p: PrismaClient,
  {
    networkId,
    officeId,
    startedById,
    released = false,
  }: { networkId: string; officeId: string; startedById: string; released?: boolean },
) {
  const plan = await p.plan.create({
    data: { networkId, officeId, startedById, ...(released ? { releasedAt: new Date(), releasedById: startedById } : {}) },
  });
  const catalogue = await p.measure.findFirstOrThrow({ orderBy: { code: "asc" } });
  const measures = [
    await p.planMeasure.create({
      data: { planId: plan.id, officeId, measureId: catalogue.id, origin: "catalogue", position: 0, addedById: startedById },
    }),
    await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId,
        ownTitle: "Eigene Maßnahme: Terminvergabe",
        origin: "own",
        position: 1,
        addedById: startedById,
      },
    }),
  ];
  return { plan, measures };
}

/**
 * An attachment row of a plan measure (arranged as the owner), with a well-formed storage key
 * but no bytes behind it – for pages that list attachments; a download of it answers 404.
 */
export async function createPlanAttachment(
  p: PrismaClient,
  {
    measure,
    uploadedById,
    fileName = "Protokoll.pdf",
  }: { measure: { id: string; planId: string; officeId: string }; uploadedById: string; fileName?: string },
) {
  return p.planAttachment.create({
    data: {
      planMeasureId: measure.id,
      planId: measure.planId,
      officeId: measure.officeId,
      storageKey: `offices/${measure.officeId}/${crypto.randomUUID()}`,
      fileName,
      contentType: "application/pdf",
      sizeBytes: 1234,
      uploadedById,
    },
  });
}
