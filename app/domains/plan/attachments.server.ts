/**
 * Attachments of the implementation plan: files that belong to one plan measure (minutes,
 * concepts, templates). The bytes live in the portal's storage below the office's prefix
 * (app/platform/storage); a row of plan_attachment records which measure they belong to.
 *
 * Read and written as the acting person (withUser → row-level security: the office's team
 * and assigned consultants read, the network's admins only a released plan's). The route
 * authorises with can() first; the rules here repeat what depends on the row itself.
 *
 * Audit: who added or deleted a file of which office, with its type and size. The file's
 * name can say what the office is working on, so it goes to audit_content only (the
 * office's members read it, the ministry does not).
 */
import { planAudit } from "./access.server";
import { authorize, type Actor } from "~/platform/auth/can";
import { withUser } from "~/platform/db.server";
import { NotFoundError } from "~/platform/errors";
import { getStorage, type StoredFile } from "~/platform/storage/index.server";

/** What can() needs of the office and its plan (planScope's subject). */
export type PlanSubject = {
  networkId: string;
  officeId: string;
  closed: boolean;
  released: boolean;
  consultantIds: readonly string[];
};

export type AttachmentRow = {
  id: string;
  planMeasureId: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: Date;
  uploadedById: string;
  uploadedBy: string | null;
};

export type MeasureAttachments = {
  id: string;
  /** The catalogue measure's code, or null for an office's own measure. */
  code: string | null;
  title: string;
  attachments: AttachmentRow[];
};

/** The plan's measures in their order, each with its attachments (oldest first). */
export async function listAttachments(actor: Pick<Actor, "id">, planId: string): Promise<MeasureAttachments[]> {
  return withUser(actor.id, async (tx) => {
    const measures = await tx.planMeasure.findMany({
      where: { planId },
      orderBy: [{ position: "asc" }, { addedAt: "asc" }],
      select: {
        id: true,
        ownTitle: true,
        measure: { select: { code: true, title: true } },
        attachments: {
          orderBy: { uploadedAt: "asc" },
          select: {
            id: true,
            planMeasureId: true,
            fileName: true,
            contentType: true,
            sizeBytes: true,
            uploadedAt: true,
            uploadedById: true,
          },
        },
      },
    });
    const uploaderIds = [...new Set(measures.flatMap((m) => m.attachments.map((a) => a.uploadedById)))];
    const people = uploaderIds.length
      ? await tx.user.findMany({ where: { id: { in: uploaderIds } }, select: { id: true, name: true } })
      : [];
    const names = new Map(people.map((p) => [p.id, p.name]));
    return measures.map((m) => ({
      id: m.id,
      code: m.measure?.code ?? null,
      title: m.measure?.title ?? m.ownTitle ?? "",
      attachments: m.attachments.map((a) => ({ ...a, uploadedBy: names.get(a.uploadedById) ?? null })),
    }));
  });
}

/** True when the plan measure belongs to this plan (and the person may read it). */
export async function isPlanMeasure(actor: Pick<Actor, "id">, planId: string, planMeasureId: string) {
  const found = await withUser(actor.id, (tx) =>
    tx.planMeasure.findFirst({ where: { id: planMeasureId, planId }, select: { id: true } }),
  );
  return found !== null;
}

/**
 * Records a file the route has stored (readUploadForm) as an attachment of a plan measure.
 * Call after authorize(actor, "plan.contribute", subject). A measure outside the plan is a
 * NotFoundError (the route checks it first to answer next to the field).
 */
export async function addAttachment(
  actor: Pick<Actor, "id">,
  plan: { id: string; networkId: string; officeId: string },
  { planMeasureId, file }: { planMeasureId: string; file: StoredFile },
) {
  return withUser(actor.id, async (tx) => {
    const measure = await tx.planMeasure.findFirst({
      where: { id: planMeasureId, planId: plan.id, officeId: plan.officeId },
      select: { id: true },
    });
    if (!measure) throw new NotFoundError();
    const row = await tx.planAttachment.create({
      data: {
        planMeasureId,
        planId: plan.id,
        officeId: plan.officeId,
        storageKey: file.key,
        fileName: file.filename,
        contentType: file.contentType,
        sizeBytes: file.size,
        uploadedById: actor.id,
      },
      select: { id: true },
    });
    await planAudit(tx, actor, plan, {
      action: "plan.attachment_added",
      targetType: "plan_attachment",
      targetId: row.id,
      details: { fileType: file.contentType, bytes: file.size },
      content: { name: file.filename },
    });
    return row;
  });
}

/** One attachment of the office with what the download needs: its plan's state. NotFoundError when RLS hides it or it is not there. */
export async function findAttachment(actor: Pick<Actor, "id">, officeId: string, attachmentId: string) {
  const row = await withUser(actor.id, (tx) =>
    tx.planAttachment.findFirst({
      where: { id: attachmentId, officeId },
      select: {
        id: true,
        storageKey: true,
        fileName: true,
        contentType: true,
        sizeBytes: true,
        uploadedById: true,
        measure: { select: { plan: { select: { id: true, releasedAt: true, closedAt: true } } } },
      },
    }),
  );
  if (!row) throw new NotFoundError();
  const { measure, ...attachment } = row;
  return { ...attachment, plan: measure.plan };
}

/**
 * Deletes an attachment: the uploader or the head, while the plan is open ("attachment.delete").
 * The row goes first (with its audit entry), then the bytes; a file whose removal fails is
 * unreachable anyway (no row points to it).
 */
export async function deleteAttachment(actor: Actor, subject: PlanSubject, planId: string, attachmentId: string) {
  const storageKey = await withUser(actor.id, async (tx) => {
    const row = await tx.planAttachment.findFirst({
      where: { id: attachmentId, planId, officeId: subject.officeId },
      select: { id: true, storageKey: true, uploadedById: true, contentType: true, sizeBytes: true, fileName: true },
    });
    if (!row) throw new NotFoundError();
    authorize(actor, "attachment.delete", { ...subject, uploadedById: row.uploadedById });
    await tx.planAttachment.delete({ where: { id: row.id } });
    await planAudit(tx, actor, subject, {
      action: "plan.attachment_deleted",
      targetType: "plan_attachment",
      targetId: row.id,
      details: { fileType: row.contentType, bytes: row.sizeBytes },
      content: { name: row.fileName },
    });
    return row.storageKey;
  });
  await getStorage()
    .delete({ kind: "office", officeId: subject.officeId }, storageKey)
    .catch(() => {});
}
