import type { Prisma } from "~/generated/prisma/client";
import type { TenantTx } from "~/platform/db.server";
import { getPrisma, withUser } from "~/platform/db.server";
import { auditFilterSchema } from "~/platform/audit/audit-filter";

export type AuditInput = {
  action: string;
  actorId?: string | null;
  networkId?: string | null;
  officeId?: string | null;
  targetType?: string;
  targetId?: string;
  /** What everyone allowed to read the log sees: who did what; never what an office wrote. */
  details?: Prisma.InputJsonValue;
  /**
   * What an office wrote (old → new values of its assessment). Kept apart in audit_content,
   * which row-level security shows to the office's members only; needs `officeId` and the
   * acting user's transaction.
   */
  content?: Prisma.InputJsonValue;
};

/**
 * Appends to the audit log. Pass the transaction of the change it records, so the
 * change and its audit entry commit together; security events without one use the pool.
 */
export async function recordAudit(event: AuditInput, tx?: TenantTx) {
  const { content, ...visible } = event;
  const db = tx ?? getPrisma();
  // createMany writes without RETURNING: the portal may append entries it may not read
  // back (RLS), e.g. a failed sign-in that belongs to nobody's scope.
  await db.auditEvent.createMany({ data: [visible] });
  if (content === undefined) return;
  if (!tx || !event.officeId) throw new Error("Audit content needs the office and the acting user's transaction");
  // currval: the id just drawn on this connection, without reading the row back.
  await tx.$executeRaw`
    INSERT INTO audit_content (event_id, office_id, details)
    VALUES (currval('audit_event_id_seq'), ${event.officeId}::uuid, ${JSON.stringify(content)}::jsonb)`;
}

export const AUDIT_PAGE_SIZE = 50;

/**
 * The audit log as the actor may read it (RLS: network admins their network, heads their
 * office), filtered and paged by id (stable under new entries: "older than" cursor).
 */
export async function listAuditEvents(
  actor: { id: string },
  scope: { networkId: string; officeId?: string },
  filter: { action?: string; from?: Date; to?: Date; before?: bigint },
) {
  const rows = await withUser(actor.id, (tx) =>
    tx.auditEvent.findMany({
      where: {
        networkId: scope.networkId,
        ...(scope.officeId ? { officeId: scope.officeId } : {}),
        ...(filter.action ? { action: filter.action } : {}),
        createdAt: { gte: filter.from, lt: filter.to },
        ...(filter.before ? { id: { lt: filter.before } } : {}),
      },
      orderBy: { id: "desc" },
      take: AUDIT_PAGE_SIZE + 1,
    }),
  );
  const page = rows.slice(0, AUDIT_PAGE_SIZE);
  // Names of the people and offices involved, and what an office wrote (only its own
  // members get any: row-level security on audit_content), read in the same scope.
  const [contents, people, offices] = await withUser(actor.id, async (tx) => [
    await tx.auditContent.findMany({
      where: { eventId: { in: page.filter((e) => e.officeId).map((e) => e.id) } },
      select: { eventId: true, officeId: true, details: true },
    }),
    await tx.user.findMany({
      where: { id: { in: [...new Set(page.map((e) => e.actorId).filter((id): id is string => !!id))] } },
      select: { id: true, name: true },
    }),
    await tx.office.findMany({
      where: { id: { in: [...new Set(page.map((e) => e.officeId).filter((id): id is string => !!id))] } },
      select: { id: true, name: true },
    }),
  ]);
  const content = new Map(contents.map((c) => [c.eventId, c]));
  const personName = new Map(people.map((p) => [p.id, p.name]));
  const officeName = new Map(offices.map((o) => [o.id, o.name]));
  return {
    events: page.map((e) => ({
      id: e.id.toString(),
      createdAt: e.createdAt.toISOString(),
      action: e.action,
      actor: e.actorId ? (personName.get(e.actorId) ?? null) : null,
      office: e.officeId ? (officeName.get(e.officeId) ?? null) : null,
      details: mergeContent(e.details, content.get(e.id)?.officeId === e.officeId ? content.get(e.id)?.details : undefined),
    })),
    olderThan: rows.length > AUDIT_PAGE_SIZE ? page.at(-1)!.id.toString() : null,
  };
}

/** The event's visible details with the office's content (old → new values) on top, if the reader may see it. */
function mergeContent(details: Prisma.JsonValue, content: Prisma.JsonValue | undefined): Prisma.JsonValue {
  const isRecord = (v: unknown): v is Record<string, Prisma.JsonValue> => !!v && typeof v === "object" && !Array.isArray(v);
  if (!isRecord(content)) return details;
  const { fields: _fields, ...rest } = isRecord(details) ? details : {};
  return { ...rest, ...content };
}

const AUDIT_ACTIONS = [
  "auth.sign_in",
  "auth.sign_in_failed",
  "auth.locked_out",
  "auth.sign_out",
  "auth.sign_out_everywhere",
  "auth.password_changed",
  "auth.password_reset",
  "auth.password_reset_requested",
  "auth.two_factor_enabled",
  "auth.two_factor_disabled",
  "invitation.created",
  "invitation.accepted",
  "invitation.withdrawn",
  "membership.revoked",
  "office.updated",
  "round.opened",
  "round.deadline_extended",
  "round.closed",
  "round.reminder_sent",
  "network.settings_changed",
  "assessment.goal_saved",
  "assessment.individual_saved",
  "assessment.measure_saved",
  "assessment.submitted",
  "assessment.reopened",
  "sharing.granted",
  "sharing.withdrawn",
  "survey.started",
  "survey.codes_added",
  "survey.closed",
  "plan.started",
  "plan.measure_added",
  "plan.measure_removed",
  "plan.measure_edited",
  "plan.activity_added",
  "plan.activity_saved",
  "plan.status_changed",
  "plan.sachstand_added",
  "plan.milestone_added",
  "plan.milestone_reached",
  "plan.released",
  "plan.release_withdrawn",
];

/** Everything an audit page shows, from its query string; a bad filter keeps the input and says why. */
export async function auditPage(request: Request, actor: { id: string }, scope: { networkId: string; officeId?: string }) {
  const query = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = auditFilterSchema.safeParse(query);
  const filter = { aktion: query.aktion, von: query.von, bis: query.bis };
  if (!parsed.success) {
    const errors = Object.fromEntries(
      parsed.error.issues.map((i) => [String(i.path[0]), i.message.startsWith("audit:") ? i.message : "audit:invalidDate"]),
    );
    return { status: 400, view: { events: [], olderThan: null, filter, errors, actions: AUDIT_ACTIONS } };
  }
  const { aktion, von, bis, vor } = parsed.data;
  const result = await listAuditEvents(actor, scope, {
    action: aktion || undefined,
    from: von ? new Date(`${von}T00:00:00`) : undefined,
    to: bis ? new Date(new Date(`${bis}T00:00:00`).getTime() + 86_400_000) : undefined,
    before: vor ? BigInt(vor) : undefined,
  });
  return { status: 200, view: { ...result, filter, errors: {} as Record<string, string>, actions: AUDIT_ACTIONS } };
}
