import { type Actor, createSession, endAllSessions } from "~/platform/auth/auth.server";
import { hashPassword } from "~/platform/auth/password.server";
import { z } from "zod";
import { can } from "~/platform/auth/can";
import { INVITATION_DAYS, OFFICE_ROLES, type Role, ROLES } from "~/platform/auth/permissions";
import { type FieldErrors, fields, parseForm } from "~/platform/http/forms";
import { createToken, hashToken } from "~/platform/auth/tokens.server";
import { getPrisma, withInvitationToken, withUser } from "~/platform/db.server";
import { enqueueEmail } from "~/platform/email/outbox.server";
import { publicUrl } from "~/platform/email/public-url.server";
import { isLanguage } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";

export { INVITATION_DAYS };

/** The office named in an invitation is not one of the network's (a made-up or another network's id). */
export class UnknownOfficeError extends Error {}

/** What the people pages answer a refused invitation with, next to the role field. */
const STAFF_BY_HEADS = "admin:invite.staffByHeads";

/**
 * Invites a person to a role. Allowed: network admins the network's roles and the heads
 * of its offices, office heads staff of their own office (permissions.ts; RLS enforces it
 * again). Staff are the heads' to choose: the ministry does not place people in an office.
 * The invitation e-mail is enqueued in the same transaction.
 */
export async function createInvitation(
  actor: Actor,
  input: { email: string; name?: string | null; role: Role; networkId: string; officeId: string | null },
) {
  if (!can(actor, "invitation.create", { networkId: input.networkId, officeId: input.officeId, role: input.role })) {
    throw new ForbiddenError();
  }
  const { token, tokenHash } = createToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  const id = await withUser(actor.id, async (tx) => {
    const network = await tx.network.findUniqueOrThrow({ where: { id: input.networkId } });
    const office = input.officeId ? await tx.office.findFirst({ where: { id: input.officeId, networkId: network.id } }) : null;
    if (input.officeId && !office) throw new UnknownOfficeError();
    const invitation = await tx.invitation.create({
      data: {
        tokenHash,
        email: input.email,
        name: input.name ?? null,
        role: input.role,
        networkId: network.id,
        officeId: office?.id ?? null,
        invitedById: actor.id,
        expiresAt,
      },
    });
    const language = isLanguage(actor.language) ? actor.language : "de";
    const t = await i18next.getFixedT(language, "auth");
    await enqueueEmail(tx, {
      to: input.email,
      template: "invitation",
      language,
      props: {
        inviteeName: input.name ?? undefined,
        inviterName: actor.name,
        roleLabel: t(`roles.${input.role}`),
        networkName: network.name,
        officeName: office?.name,
        acceptUrl: publicUrl(`/einladung/${token}`),
        expiresAt,
      },
      token,
    });
    await recordAudit(
      {
        action: "invitation.created",
        actorId: actor.id,
        networkId: network.id,
        officeId: office?.id ?? null,
        targetType: "invitation",
        targetId: invitation.id,
        details: { email: input.email, role: input.role },
      },
      tx,
    );
    return invitation.id;
  });
  return { id, token };
}

/** The open invitation behind a token (only its holder sees it), or null. */
export async function findOpenInvitation(token: string) {
  const tokenHash = hashToken(token);
  const invitation = await withInvitationToken(tokenHash, null, (tx) =>
    tx.invitation.findUnique({
      where: { tokenHash },
      select: {
        id: true,
        email: true,
        name: true,
        role: true,
        expiresAt: true,
        acceptedAt: true,
        revokedAt: true,
        network: { select: { name: true } },
        office: { select: { name: true } },
      },
    }),
  );
  if (!invitation || invitation.acceptedAt || invitation.revokedAt || invitation.expiresAt <= new Date()) return null;
  const existing = await getPrisma().user.findUnique({ where: { email: invitation.email }, select: { id: true } });
  return { ...invitation, hasAccount: existing !== null };
}

/**
 * Accepts an invitation: creates the account (new person) or adds the role to the
 * signed-in person whose e-mail it was sent to, marks the invitation used (single use,
 * also under a double submit), and starts a session. Returns the Set-Cookie header.
 */
export async function acceptInvitation(token: string, account: { name: string; password: string } | { userId: string }) {
  const tokenHash = hashToken(token);
  const passwordHash = "password" in account ? await hashPassword(account.password) : null;
  const result = await withInvitationToken(tokenHash, null, async (tx) => {
    // Lock the invitation row: a second submit waits and then finds it accepted.
    const [invitation] = await tx.$queryRaw<
      Array<{
        id: string;
        email: string;
        network_id: string;
        office_id: string | null;
        role: Role;
        invited_by_id: string | null;
      }>
    >`
      SELECT id, email, network_id, office_id, role, invited_by_id FROM invitation
      WHERE token_hash = ${tokenHash} AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > now()
      FOR UPDATE`;
    if (!invitation) return null;
    let user;
    if ("userId" in account) {
      user = await tx.user.findUnique({ where: { id: account.userId } });
      if (!user || user.email !== invitation.email) return null;
    } else {
      // An existing account must sign in to accept; the token alone never opens it.
      if (await tx.user.findUnique({ where: { email: invitation.email } })) return null;
      user = await tx.user.create({ data: { email: invitation.email, name: account.name, passwordHash: passwordHash! } });
    }
    await tx.$executeRaw`SELECT set_config('app.user_id', ${user.id}, true)`;
    const scope = { userId: user.id, networkId: invitation.network_id, officeId: invitation.office_id, role: invitation.role };
    if (!(await tx.membership.findFirst({ where: scope }))) {
      await tx.membership.create({ data: { ...scope, createdById: invitation.invited_by_id } });
      if (invitation.office_id) await announceNewMember(tx, { ...invitation, office_id: invitation.office_id }, user);
    }
    await tx.invitation.update({ where: { id: invitation.id }, data: { acceptedAt: new Date() } });
    await recordAudit(
      {
        action: "invitation.accepted",
        actorId: user.id,
        networkId: invitation.network_id,
        officeId: invitation.office_id,
        targetType: "invitation",
        targetId: invitation.id,
        details: { role: invitation.role },
      },
      tx,
    );
    return user;
  });
  if (!result) return null;
  return createSession(result.id, { twoFactorVerified: result.totpEnabledAt === null });
}

type Tx = Parameters<Parameters<typeof withUser>[1]>[0];

/**
 * Tells the heads of an office that someone joined it, and who invited them – whoever it
 * was (another head, or the ministry placing a head). In the transaction that creates the
 * membership, so the e-mails go out exactly when the person is in.
 */
async function announceNewMember(
  tx: Tx,
  invitation: { network_id: string; office_id: string; role: Role; invited_by_id: string | null },
  member: { id: string; name: string; email: string },
) {
  const office = await tx.office.findUniqueOrThrow({
    where: { id: invitation.office_id },
    select: { id: true, name: true, network: { select: { name: true } } },
  });
  const inviter = invitation.invited_by_id
    ? await tx.user.findUnique({ where: { id: invitation.invited_by_id }, select: { name: true } })
    : null;
  const heads = await tx.membership.findMany({
    where: { officeId: office.id, role: "OFFICE_HEAD", userId: { not: member.id } },
    select: { user: { select: { name: true, email: true, language: true } } },
  });
  for (const { user: head } of heads) {
    const language = isLanguage(head.language) ? head.language : "de";
    const t = await i18next.getFixedT(language, "auth");
    await enqueueEmail(tx, {
      to: head.email,
      template: "member-joined",
      language,
      props: {
        headName: head.name,
        memberName: member.name,
        memberEmail: member.email,
        roleLabel: t(`roles.${invitation.role}`),
        inviterName: inviter?.name,
        officeName: office.name,
        networkName: office.network.name,
        teamUrl: publicUrl(`/behoerden/${office.id}`),
      },
    });
  }
}

/**
 * Ends a membership (admins: any in their network; heads: staff of their office) and the
 * person's sessions. Only a membership of the page's scope (its network, and its office
 * when the page is an office's) is found at all: one of another office is not touched.
 */
export async function revokeMembership(
  actor: Actor,
  membershipId: string,
  scope: { networkId: string; officeId: string | null },
) {
  const revoked = await withUser(actor.id, async (tx) => {
    const membership = await tx.membership.findFirst({
      where: { id: membershipId, networkId: scope.networkId, ...(scope.officeId ? { officeId: scope.officeId } : {}) },
    });
    if (!membership) return null;
    const target = { networkId: membership.networkId, officeId: membership.officeId };
    const allowed =
      can(actor, "network.manageRoles", target) ||
      (membership.role === "OFFICE_STAFF" && can(actor, "office.manageStaff", target));
    if (!allowed) throw new ForbiddenError();
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAudit(
      {
        action: "membership.revoked",
        actorId: actor.id,
        networkId: membership.networkId,
        officeId: membership.officeId,
        targetType: "user",
        targetId: membership.userId,
        details: { role: membership.role },
      },
      tx,
    );
    return membership;
  });
  if (revoked) await endAllSessions(revoked.userId);
  return revoked;
}

/**
 * Withdraws a pending invitation: whoever may send it may take it back (a typo in the
 * address, the wrong role). Its link stops working at once; the row stays for the record.
 */
export async function withdrawInvitation(
  actor: Actor,
  invitationId: string,
  scope: { networkId: string; officeId: string | null },
) {
  return withUser(actor.id, async (tx) => {
    // Only from the page it is listed on: the network's, or the office's.
    const invitation = await tx.invitation.findFirst({
      where: { id: invitationId, networkId: scope.networkId, ...(scope.officeId ? { officeId: scope.officeId } : {}) },
    });
    if (!invitation || invitation.acceptedAt || invitation.revokedAt) return null;
    const target = { networkId: invitation.networkId, officeId: invitation.officeId };
    if (!can(actor, "invitation.create", { ...target, role: invitation.role as Role })) throw new ForbiddenError();
    // Conditional, so an invitation accepted a moment ago is not withdrawn afterwards.
    const { count } = await tx.invitation.updateMany({
      where: { id: invitation.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) return null;
    await recordAudit(
      {
        action: "invitation.withdrawn",
        actorId: actor.id,
        networkId: invitation.networkId,
        officeId: invitation.officeId,
        targetType: "invitation",
        targetId: invitation.id,
        details: { email: invitation.email, role: invitation.role },
      },
      tx,
    );
    return invitation;
  });
}

const inviteSchema = z.object({
  email: fields.email,
  name: z.string().trim().max(120, "auth:validation.nameLength").optional(),
  role: z.enum(ROLES, { message: "admin:invite.roleInvalid" }),
  officeId: z.union([z.literal(""), z.uuid({ message: "admin:invite.officeUnknown" })]).optional(),
});
const revokeSchema = z.object({ membershipId: z.uuid() });
const withdrawSchema = z.object({ invitationId: z.uuid() });

type PeopleResult = {
  status: number;
  message?: "invite.sent" | "people.revoked" | "people.withdrawn";
  email?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
};

/**
 * What the people pages do – invite, withdraw an invitation, revoke a role – for a network (officeId null:
 * any role, office chosen in the form) or one office (only staff of that office).
 */
export async function handlePeopleAction(
  actor: Actor,
  formData: FormData,
  target: { networkId: string; officeId: string | null },
): Promise<PeopleResult> {
  const intent = formData.get("intent");
  if (intent === "revoke") {
    const parsed = revokeSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return { status: 400 };
    try {
      const revoked = await revokeMembership(actor, parsed.data.membershipId, target);
      if (!revoked) return { status: 404 };
    } catch (error) {
      if (error instanceof ForbiddenError) return { status: 403 };
      throw error;
    }
    return { status: 200, message: "people.revoked" };
  }
  if (intent === "withdraw") {
    const parsed = withdrawSchema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) return { status: 400 };
    try {
      const withdrawn = await withdrawInvitation(actor, parsed.data.invitationId, target);
      if (!withdrawn) return { status: 404 };
      return { status: 200, message: "people.withdrawn", email: withdrawn.email };
    } catch (error) {
      if (error instanceof ForbiddenError) return { status: 403 };
      throw error;
    }
  }
  if (target.officeId) formData.set("role", "OFFICE_STAFF");
  const form = parseForm(inviteSchema, formData, { keep: ["email", "name", "role", "officeId"] });
  if (!form.ok) return { status: 400, errors: form.errors, values: form.values };
  const officeId = target.officeId ?? (form.data.officeId || null);
  const needsOffice = OFFICE_ROLES.includes(form.data.role);
  const values = () => Object.fromEntries(["email", "name", "role", "officeId"].map((k) => [k, String(formData.get(k) ?? "")]));
  if (needsOffice !== (officeId !== null)) {
    return {
      status: 400,
      errors: { officeId: needsOffice ? "admin:invite.officeRequired" : "admin:invite.officeNotAllowed" },
      values: values(),
    };
  }
  if (
    form.data.role === "OFFICE_STAFF" &&
    officeId &&
    !can(actor, "invitation.create", { networkId: target.networkId, officeId, role: "OFFICE_STAFF" })
  ) {
    // The ministry invites heads; the heads choose their staff.
    return { status: 403, errors: { role: STAFF_BY_HEADS }, values: values() };
  }
  try {
    await createInvitation(actor, {
      email: form.data.email,
      name: form.data.name || null,
      role: form.data.role,
      networkId: target.networkId,
      officeId,
    });
  } catch (error) {
    if (error instanceof ForbiddenError) return { status: 403 };
    if (error instanceof UnknownOfficeError)
      return { status: 400, errors: { officeId: "admin:invite.officeUnknown" }, values: values() };
    throw error;
  }
  return { status: 200, message: "invite.sent", email: form.data.email };
}
