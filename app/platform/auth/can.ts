/**
 * The one authorisation module (docs/decisions/0014-errors-and-authorisation.md):
 * `can(actor, action, subject)` answers every "may this person do this to this thing?"
 * – for routes, domain code and the UI (to hide what someone cannot do anyway) alike.
 *
 * Two kinds of rule:
 * - Scope rules: what a role may do in a network or an office – the role table in
 *   ./permissions.ts (subject: `{ networkId, officeId? }`).
 * - Object rules: what depends on the object itself – its state (an assessment is
 *   edited only while it is a draft), its owner or author, who it is assigned to. Each
 *   has a typed subject in `Subjects` and one function in `RULES`; a new domain adds its
 *   rules here, next to the others, with a line in tests/unit/can.test.ts.
 *
 * Pure and synchronous: the caller loads the object (with RLS) and passes what the rule
 * needs. Row-level security enforces the tenant boundary underneath again (0004).
 */
import type { AssessmentState } from "~/domains/assessment/scope.server";
import { ForbiddenError, NotFoundError } from "~/platform/errors";
import {
  type Action as ScopeAction,
  can as roleAllows,
  invitableRoles as rolesInvitable,
  isInNetwork,
  type MembershipScope,
  type Role,
  type Target,
} from "./permissions";

export type { MembershipScope, Role, Target };

/** Whoever acts: the signed-in person with their memberships (auth.server's Actor fits). */
export type Actor = { id: string; memberships: readonly MembershipScope[] };

type InOffice = { networkId: string; officeId: string };

/** The subject each object rule needs. */
export type Subjects = {
  /** Rate, comment and tick measures: the office's team, while the assessment is a draft (open, not submitted). */
  "assessment.edit": InOffice & { state: AssessmentState };
  /** Submit: the office's head, while it is a draft. */
  "assessment.submit": InOffice & { state: AssessmentState };
  /** Set the consensus (the office's rating) of a goal: the head, while it is a draft. Staff give their own rating only. */
  "assessment.setConsensus": InOffice & { state: AssessmentState };
  /** Start, extend or end the staff survey of a round: the office's head. */
  "survey.manage": InOffice;
  /** Invite someone to a role: heads invite staff of their office, admins the network's roles and heads. */
  "invitation.create": { networkId: string; officeId: string | null; role: Role };
  /** A good-practice entry: its author edits it while it is a draft, never once published. */
  "entry.edit": { networkId: string; authorId: string; status: "draft" | "published" };
  /** A consulting request: the consultant it is assigned to, and the network's admins. */
  "request.view": { networkId: string; consultantId: string | null };
  /**
   * Belongs to the office itself (any of its roles) – not its admins or consultants. The
   * comparison asks it: a member already knows the office's own figures (anonymity rule 11).
   */
  "office.member": InOffice;
  /**
   * Enter an office's pages at all: its members and the network's admins (office.view), and
   * the consultants the admins assigned to it (they see its plan only).
   */
  "office.enter": InOffice & { consultantIds: readonly string[] };
  /**
   * Read an office's implementation plan: its members, consultants assigned to the office,
   * and the network's admins only where the office released that plan (as with results).
   */
  "plan.read": InOffice & { released: boolean; consultantIds: readonly string[] };
  /** Start a plan or a new cycle, decide its measures, phase, release, consolidation, strategy: the head, while the plan is open. */
  "plan.manage": InOffice & { closed: boolean };
  /** Add activities, state entries (Sachstand), milestones, checklist ticks, review notes, attachments: the office's team, while open. */
  "plan.contribute": InOffice & { closed: boolean };
  /** Delete an attachment of the plan: the person who uploaded it (still on the team) or the head – while the plan is open. */
  "attachment.delete": InOffice & { uploadedById: string; closed: boolean };
  /**
   * Edit an activity and set its status: the head, the person responsible for it, or the
   * staff member who added it – while the plan is open.
   */
  "activity.update": InOffice & { ownerId: string | null; createdById?: string | null; closed?: boolean };
};

export type ObjectAction = keyof Subjects;
export type Action = ScopeAction | ObjectAction;
export type SubjectOf<A extends Action> = A extends ObjectAction ? Subjects[A] : Target;

const allows = (actor: Actor, action: ScopeAction, target: Target) => roleAllows(actor.memberships, action, target);

const RULES: { [A in ObjectAction]: (actor: Actor, subject: Subjects[A]) => boolean } = {
  "assessment.edit": (actor, s) => s.state === "draft" && allows(actor, "office.assess", s),
  "assessment.submit": (actor, s) => s.state === "draft" && allows(actor, "office.submitAssessment", s),
  "assessment.setConsensus": (actor, s) => s.state === "draft" && allows(actor, "office.recordConsensus", s),
  "survey.manage": (actor, s) => allows(actor, "office.manageSurvey", s),
  "invitation.create": (actor, s) => invitableRoles(actor, s).includes(s.role),
  "entry.edit": (actor, s) => s.status === "draft" && s.authorId === actor.id && isInNetwork(actor.memberships, s.networkId),
  "request.view": (actor, s) =>
    allows(actor, "network.manageOffices", s) ||
    (s.consultantId === actor.id && actor.memberships.some((m) => m.networkId === s.networkId && m.role === "CONSULTANT")),
  "office.member": (actor, s) => actor.memberships.some((m) => m.officeId === s.officeId),
  "office.enter": (actor, s) => allows(actor, "office.view", s) || isAssignedConsultant(actor, s),
  "plan.read": (actor, s) =>
    allows(actor, "office.workOnPlan", s) ||
    isAssignedConsultant(actor, s) ||
    (s.released && allows(actor, "network.monitor", s)),
  "plan.manage": (actor, s) => !s.closed && allows(actor, "office.managePlan", s),
  "plan.contribute": (actor, s) => !s.closed && allows(actor, "office.workOnPlan", s),
  "attachment.delete": (actor, s) =>
    !s.closed &&
    (allows(actor, "office.managePlan", s) || (s.uploadedById === actor.id && allows(actor, "office.workOnPlan", s))),
  "activity.update": (actor, s) =>
    !s.closed &&
    (allows(actor, "office.managePlan", s) ||
      ((s.ownerId === actor.id || (!!s.createdById && s.createdById === actor.id)) && allows(actor, "office.workOnPlan", s))),
};

/** A consultant of the network whom the network's admins assigned to this office. */
function isAssignedConsultant(actor: Actor, s: InOffice & { consultantIds: readonly string[] }) {
  return (
    s.consultantIds.includes(actor.id) && actor.memberships.some((m) => m.networkId === s.networkId && m.role === "CONSULTANT")
  );
}

/** The roles the actor may hand out by invitation in a network or an office (for forms; "invitation.create" checks one). */
export function invitableRoles(actor: Actor, target: Target): Role[] {
  return rolesInvitable(actor.memberships, target);
}

function isObjectAction(action: Action): action is ObjectAction {
  return action in RULES;
}

/** May the actor do this to this subject? */
export function can<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>): boolean {
  if (isObjectAction(action)) return (RULES[action] as (actor: Actor, subject: SubjectOf<A>) => boolean)(actor, subject);
  return allows(actor, action as ScopeAction, subject as Target);
}

/**
 * `can`, or a typed error for the one error path: NotFoundError (404) for an outsider to
 * the subject's network – or, for something inside an office, to the office – so its
 * existence is not confirmed; ForbiddenError (403) for a member without the right.
 */
export function authorize<A extends Action>(actor: Actor, action: A, subject: SubjectOf<A>): void {
  if (can(actor, action, subject)) return;
  const { networkId, officeId } = subject as { networkId: string; officeId?: string | null };
  const sees = officeId
    ? roleAllows(actor.memberships, "office.view", { networkId, officeId })
    : isInNetwork(actor.memberships, networkId);
  throw sees ? new ForbiddenError() : new NotFoundError();
}
