import { z } from "zod";
import type { Actor } from "~/platform/auth/auth.server";
import { withUser } from "~/platform/db.server";
import { recordAudit } from "~/platform/audit/audit.server";

export async function listOffices(actor: Actor, networkId: string) {
  return withUser(actor.id, (tx) =>
    tx.office.findMany({
      where: { networkId },
      orderBy: [{ kind: "asc" }, { name: "asc" }],
      select: {
        id: true,
        name: true,
        kind: true,
        region: true,
        clientsServed: true,
        staffCount: true,
        _count: { select: { memberships: true } },
      },
    }),
  );
}

export async function getOfficeProfile(actor: Actor, officeId: string) {
  return withUser(actor.id, (tx) => tx.office.findUnique({ where: { id: officeId } }));
}

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, "admin:offices.tooLong")
    .transform((v) => v || null);
const optionalCount = z
  .string()
  .trim()
  .regex(/^\d{0,7}$/, "admin:offices.count")
  .transform((v) => (v === "" ? null : Number(v)));

export const officeProfileSchema = z.object({
  name: z.string().trim().min(1, "auth:validation.required").max(200, "admin:offices.tooLong"),
  kind: z.enum(["KREISFREIE_STADT", "LANDKREIS", "OTHER"], { message: "admin:offices.kindInvalid" }),
  region: optionalText(120),
  clientsServed: optionalCount,
  staffCount: optionalCount,
  email: z
    .string()
    .trim()
    .max(254)
    .refine((v) => v === "" || z.email().safeParse(v).success, "auth:validation.email")
    .transform((v) => v || null),
  phone: optionalText(60),
  address: optionalText(300),
  updatedAt: z.string(),
});

/**
 * Saves an office profile unless someone else saved it since the form was loaded
 * (then nothing is overwritten and the caller shows both versions).
 */
export async function updateOfficeProfile(actor: Actor, officeId: string, input: z.output<typeof officeProfileSchema>) {
  const { updatedAt, ...values } = input;
  return withUser(actor.id, async (tx) => {
    const before = await tx.office.findUnique({ where: { id: officeId } });
    if (!before) return { status: "missing" as const };
    if (before.updatedAt.toISOString() !== updatedAt) return { status: "conflict" as const, current: before };
    const { count } = await tx.office.updateMany({ where: { id: officeId, updatedAt: before.updatedAt }, data: values });
    if (count === 0) return { status: "conflict" as const, current: before };
    const changed = Object.keys(values).filter(
      (k) => (before as Record<string, unknown>)[k] !== (values as Record<string, unknown>)[k],
    );
    await recordAudit(
      {
        action: "office.updated",
        actorId: actor.id,
        networkId: before.networkId,
        officeId,
        targetType: "office",
        targetId: officeId,
        details: { changed },
      },
      tx,
    );
    return { status: "saved" as const };
  });
}
