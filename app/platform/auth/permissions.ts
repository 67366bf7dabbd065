/**
 * The one place that decides what a role may do. Pure data and functions, shared by
 * server checks and UI (to hide what a user cannot do anyway). Row-level security in
 * PostgreSQL enforces the same boundaries underneath (migrations, docs/decisions/0004).
 */
export const ROLES = ["NETWORK_ADMIN", "CONSULTANT", "OFFICE_HEAD", "OFFICE_STAFF", "NETWORK_MEMBER"] as const;
export type Role = (typeof ROLES)[number];
export const OFFICE_ROLES: readonly Role[] = ["OFFICE_HEAD", "OFFICE_STAFF"];

export type Action =
  | "network.view"
  | "network.manageOffices"
  | "network.manageRoles"
  | "network.inviteHeads"
  | "network.viewAudit"
  | "network.manageRounds"
  | "network.manageSettings"
  | "network.monitor"
  | "office.view"
  | "office.editProfile"
  | "office.manageStaff"
  | "office.viewAudit"
  | "office.viewRounds"
  | "office.assess"
  | "office.recordConsensus"
  | "office.submitAssessment"
  | "office.manageSurvey"
  | "office.compare"
  | "office.manageSharing"
  /** The implementation plan: decide its measures, phase, cycle, release (the head). */
  | "office.managePlan"
  /** The implementation plan: add activities, state entries, milestones, review notes (the office's team). */
  | "office.workOnPlan";

const NETWORK_ACTIONS: Record<Role, readonly Action[]> = {
  NETWORK_ADMIN: [
    "network.view",
    "network.manageOffices",
    "network.manageRoles",
    "network.inviteHeads",
    "network.viewAudit",
    "network.manageRounds",
    "network.manageSettings",
    "network.monitor",
    "office.view",
    "office.editProfile",
    "office.manageStaff",
    "office.viewAudit",
    "office.viewRounds",
  ],
  CONSULTANT: ["network.view"],
  NETWORK_MEMBER: ["network.view"],
  OFFICE_HEAD: ["network.view"],
  OFFICE_STAFF: ["network.view"],
};

/** What an office role may do in its own office (and nowhere else). */
const OFFICE_ACTIONS: Partial<Record<Role, readonly Action[]>> = {
  OFFICE_HEAD: [
    "office.view",
    "office.editProfile",
    "office.manageStaff",
    "office.viewAudit",
    "office.viewRounds",
    "office.assess",
    "office.recordConsensus",
    "office.submitAssessment",
    "office.manageSurvey",
    "office.compare",
    "office.manageSharing",
    "office.managePlan",
    "office.workOnPlan",
  ],
  OFFICE_STAFF: ["office.view", "office.viewRounds", "office.assess", "office.compare", "office.workOnPlan"],
};

export type MembershipScope = { networkId: string; officeId: string | null; role: Role };
export type Target = { networkId: string; officeId?: string | null };

export function can(memberships: readonly MembershipScope[], action: Action, target: Target): boolean {
  return memberships.some((m) => {
    if (m.networkId !== target.networkId) return false;
    if (NETWORK_ACTIONS[m.role].includes(action) && (m.officeId === null || action.startsWith("network."))) return true;
    return m.officeId !== null && m.officeId === target.officeId && (OFFICE_ACTIONS[m.role] ?? []).includes(action);
  });
}

/** How long an invitation link stays valid (the people pages say so, in the browser too). */
export const INVITATION_DAYS = 7;

/**
 * Which roles a user may hand out by invitation in a target. Staff are the office heads'
 * to invite; network admins invite the network's roles and an office's heads (onboarding,
 * a head who left) – staff only where they are a head of that office themselves.
 */
export function invitableRoles(memberships: readonly MembershipScope[], target: Target): Role[] {
  const isHead = memberships.some(
    (m) => m.role === "OFFICE_HEAD" && m.networkId === target.networkId && !!target.officeId && m.officeId === target.officeId,
  );
  if (can(memberships, "network.manageRoles", target))
    return target.officeId
      ? isHead
        ? ["OFFICE_HEAD", "OFFICE_STAFF"]
        : ["OFFICE_HEAD"]
      : ["NETWORK_ADMIN", "CONSULTANT", "NETWORK_MEMBER"];
  if (isHead) return ["OFFICE_STAFF"];
  return [];
}

/** Is this user a member of the network at all (else they get 404, not 403)? */
export function isInNetwork(memberships: readonly MembershipScope[], networkId: string) {
  return memberships.some((m) => m.networkId === networkId);
}

/** Network admins must sign in with a second factor (requireActor sends them to its setup until they have one). */
export function requiresTwoFactor(memberships: readonly MembershipScope[]) {
  return memberships.some((m) => m.role === "NETWORK_ADMIN");
}
