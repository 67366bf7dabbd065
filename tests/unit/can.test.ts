/**
 * The rule table of the one authorisation module (app/auth/can.ts): role rules in a scope
 * and rules on an object's state, owner and assignment.
 */
import { describe, expect, it } from "vitest";
import { type Actor, authorize, can } from "~/platform/auth/can";
import type { Role } from "~/platform/auth/permissions";
import { ForbiddenError, NotFoundError } from "~/platform/errors";

const NET = "net-1";
const OTHER_NET = "net-2";
const OFFICE = "office-1";
const NEIGHBOUR = "office-2";

function actor(id: string, role: Role, officeId: string | null = null, networkId = NET): Actor {
  return { id, memberships: [{ networkId, officeId, role }] };
}

const admin = actor("admin", "NETWORK_ADMIN");
const head = actor("head", "OFFICE_HEAD", OFFICE);
const staff = actor("staff", "OFFICE_STAFF", OFFICE);
const neighbourHead = actor("neighbour", "OFFICE_HEAD", NEIGHBOUR);
const consultant = actor("consultant", "CONSULTANT");
const member = actor("member", "NETWORK_MEMBER");
const stranger = actor("stranger", "OFFICE_HEAD", "office-9", OTHER_NET);

const inOffice = { networkId: NET, officeId: OFFICE };

describe("can: an assessment by its state", () => {
  const states = ["upcoming", "draft", "submitted", "closed"] as const;

  it.each(states)("the team edits only a draft (state %s)", (state) => {
    expect(can(head, "assessment.edit", { ...inOffice, state })).toBe(state === "draft");
    expect(can(staff, "assessment.edit", { ...inOffice, state })).toBe(state === "draft");
    expect(can(neighbourHead, "assessment.edit", { ...inOffice, state })).toBe(false);
    expect(can(admin, "assessment.edit", { ...inOffice, state })).toBe(false);
  });

  it("the head submits a draft; staff do not, and nobody submits twice or after the round", () => {
    expect(can(head, "assessment.submit", { ...inOffice, state: "draft" })).toBe(true);
    expect(can(staff, "assessment.submit", { ...inOffice, state: "draft" })).toBe(false);
    for (const state of ["upcoming", "submitted", "closed"] as const)
      expect(can(head, "assessment.submit", { ...inOffice, state })).toBe(false);
  });

  it("staff may not set the consensus; the head may, while it is a draft", () => {
    expect(can(staff, "assessment.setConsensus", { ...inOffice, state: "draft" })).toBe(false);
    expect(can(head, "assessment.setConsensus", { ...inOffice, state: "draft" })).toBe(true);
    expect(can(head, "assessment.setConsensus", { ...inOffice, state: "submitted" })).toBe(false);
  });
});

describe("can: ownership, authorship and assignment", () => {
  it("a survey is the head's", () => {
    expect(can(head, "survey.manage", inOffice)).toBe(true);
    expect(can(staff, "survey.manage", inOffice)).toBe(false);
    expect(can(admin, "survey.manage", inOffice)).toBe(false);
    expect(can(neighbourHead, "survey.manage", inOffice)).toBe(false);
  });

  it("invitations by role: heads invite staff of their office, admins invite heads and the network's roles", () => {
    const invite = (a: Actor, role: Role, officeId: string | null = OFFICE) =>
      can(a, "invitation.create", { networkId: NET, officeId, role });
    expect(invite(head, "OFFICE_STAFF")).toBe(true);
    expect(invite(head, "OFFICE_HEAD")).toBe(false);
    expect(invite(head, "NETWORK_ADMIN", null)).toBe(false);
    expect(invite(staff, "OFFICE_STAFF")).toBe(false);
    expect(invite(neighbourHead, "OFFICE_STAFF")).toBe(false);
    expect(invite(admin, "OFFICE_HEAD")).toBe(true);
    expect(invite(admin, "OFFICE_STAFF")).toBe(false);
    expect(invite(admin, "CONSULTANT", null)).toBe(true);
    expect(invite(stranger, "OFFICE_STAFF")).toBe(false);
  });

  it("an author edits a draft entry, not a published one, and nobody else's", () => {
    const entry = (status: "draft" | "published", authorId = "staff") => ({ networkId: NET, authorId, status });
    expect(can(staff, "entry.edit", entry("draft"))).toBe(true);
    expect(can(staff, "entry.edit", entry("published"))).toBe(false);
    expect(can(head, "entry.edit", entry("draft"))).toBe(false);
    // The same id in another network is not the author here.
    expect(can({ ...stranger, id: "staff" }, "entry.edit", entry("draft"))).toBe(false);
  });

  it("a consultant sees only the requests assigned to them; admins see all of their network's", () => {
    const request = (consultantId: string | null) => ({ networkId: NET, consultantId });
    expect(can(consultant, "request.view", request("consultant"))).toBe(true);
    expect(can(consultant, "request.view", request("someone-else"))).toBe(false);
    expect(can(consultant, "request.view", request(null))).toBe(false);
    expect(can(admin, "request.view", request(null))).toBe(true);
    expect(can(member, "request.view", request("member"))).toBe(false);
    expect(can(actor("consultant", "CONSULTANT", null, OTHER_NET), "request.view", request("consultant"))).toBe(false);
  });

  it("staff update the activities they own; the head updates all of the office's", () => {
    const activity = (ownerId: string | null) => ({ ...inOffice, ownerId });
    expect(can(staff, "activity.update", activity("staff"))).toBe(true);
    expect(can(staff, "activity.update", activity("head"))).toBe(false);
    expect(can(staff, "activity.update", activity(null))).toBe(false);
    expect(can(head, "activity.update", activity("staff"))).toBe(true);
    expect(can(neighbourHead, "activity.update", activity("neighbour"))).toBe(false);
  });
});

describe("can: the implementation plan", () => {
  const assigned = { ...inOffice, consultantIds: ["consultant"] };
  const plan = (released: boolean, consultantIds: string[] = ["consultant"]) => ({ ...inOffice, released, consultantIds });
  const staff2 = actor("staff-2", "OFFICE_STAFF", OFFICE);

  it("the team and an assigned consultant read the plan; the ministry only a released one; nobody else", () => {
    for (const released of [false, true]) {
      expect(can(head, "plan.read", plan(released))).toBe(true);
      expect(can(staff, "plan.read", plan(released))).toBe(true);
      expect(can(consultant, "plan.read", plan(released))).toBe(true);
      expect(can(consultant, "plan.read", plan(released, []))).toBe(false);
      expect(can(admin, "plan.read", plan(released))).toBe(released);
      expect(can(neighbourHead, "plan.read", plan(released))).toBe(false);
      expect(can(member, "plan.read", plan(released))).toBe(false);
      expect(can(stranger, "plan.read", plan(released))).toBe(false);
    }
    // A consultant of another network is not "assigned" by an id in the list alone.
    expect(can(actor("consultant", "CONSULTANT", null, OTHER_NET), "plan.read", { ...assigned, released: true })).toBe(false);
  });

  it("the head decides the measures of an open plan; staff, admins and consultants do not", () => {
    expect(can(head, "plan.manage", { ...inOffice, closed: false })).toBe(true);
    expect(can(head, "plan.manage", { ...inOffice, closed: true })).toBe(false);
    for (const who of [staff, admin, consultant, neighbourHead])
      expect(can(who, "plan.manage", { ...inOffice, closed: false })).toBe(false);
  });

  it("the team contributes to an open plan (activities, Sachstand, milestones); readers do not", () => {
    expect(can(staff, "plan.contribute", { ...inOffice, closed: false })).toBe(true);
    expect(can(head, "plan.contribute", { ...inOffice, closed: false })).toBe(true);
    expect(can(staff, "plan.contribute", { ...inOffice, closed: true })).toBe(false);
    for (const who of [admin, consultant, neighbourHead])
      expect(can(who, "plan.contribute", { ...inOffice, closed: false })).toBe(false);
  });

  it("an activity is edited by the head, its responsible person or the staff member who added it – in an open plan", () => {
    const activity = (ownerId: string | null, createdById: string | null, closed = false) => ({
      ...inOffice,
      ownerId,
      createdById,
      closed,
    });
    expect(can(staff, "activity.update", activity(null, "staff"))).toBe(true);
    expect(can(staff, "activity.update", activity("staff", "head"))).toBe(true);
    expect(can(staff2, "activity.update", activity("staff", "staff"))).toBe(false);
    expect(can(head, "activity.update", activity("staff", "staff-2"))).toBe(true);
    expect(can(head, "activity.update", activity("staff", "staff-2", true))).toBe(false);
    expect(can(staff, "activity.update", activity("staff", "staff", true))).toBe(false);
    // Being named responsible does not make an outsider or a consultant an editor.
    expect(can(consultant, "activity.update", activity("consultant", "consultant"))).toBe(false);
    expect(can(neighbourHead, "activity.update", activity("neighbour", "neighbour"))).toBe(false);
    expect(() => authorize(staff2, "activity.update", activity("staff", "staff"))).toThrow(ForbiddenError);
    expect(() => authorize(neighbourHead, "plan.manage", { ...inOffice, closed: false })).toThrow(NotFoundError);
  });
});

describe("can: a plan's attachment by its uploader and the plan's state", () => {
  const file = (uploadedById: string, closed = false) => ({ ...inOffice, uploadedById, closed });

  it("the uploader and the head delete it while the plan is open; other staff, admins and neighbours do not", () => {
    expect(can(staff, "attachment.delete", file("staff"))).toBe(true);
    expect(can(head, "attachment.delete", file("staff"))).toBe(true);
    expect(can(staff, "attachment.delete", file("head"))).toBe(false);
    expect(can(admin, "attachment.delete", file("admin"))).toBe(false);
    expect(can(neighbourHead, "attachment.delete", file("neighbour"))).toBe(false);
    expect(can(consultant, "attachment.delete", file("consultant"))).toBe(false);
  });

  it("nobody deletes an attachment of a closed plan", () => {
    expect(can(staff, "attachment.delete", file("staff", true))).toBe(false);
    expect(can(head, "attachment.delete", file("staff", true))).toBe(false);
  });
});

describe("can: membership of the office itself", () => {
  it("is true for the office's head and staff, not for its admins, consultants or neighbours", () => {
    expect(can(head, "office.member", inOffice)).toBe(true);
    expect(can(staff, "office.member", inOffice)).toBe(true);
    expect(can(admin, "office.member", inOffice)).toBe(false);
    expect(can(consultant, "office.member", inOffice)).toBe(false);
    expect(can(neighbourHead, "office.member", inOffice)).toBe(false);
  });
});

describe("can: scope rules of the role table", () => {
  it("answers the role table's actions for a network or an office", () => {
    expect(can(staff, "office.compare", inOffice)).toBe(true);
    expect(can(staff, "office.manageSharing", inOffice)).toBe(false);
    expect(can(head, "office.manageSharing", inOffice)).toBe(true);
    expect(can(admin, "network.manageRounds", { networkId: NET })).toBe(true);
    expect(can(admin, "network.manageRounds", { networkId: OTHER_NET })).toBe(false);
    expect(can(head, "network.manageRounds", { networkId: NET })).toBe(false);
  });
});

describe("authorize: 404 for outsiders, 403 for members without the right", () => {
  it("throws the typed error of the one error path", () => {
    expect(() => authorize(head, "office.manageSharing", inOffice)).not.toThrow();
    expect(() => authorize(staff, "office.manageSharing", inOffice)).toThrow(ForbiddenError);
    expect(() => authorize(neighbourHead, "office.view", inOffice)).toThrow(NotFoundError);
    expect(() => authorize(stranger, "survey.manage", inOffice)).toThrow(NotFoundError);
    expect(() => authorize(staff, "assessment.submit", { ...inOffice, state: "draft" })).toThrow(ForbiddenError);
    expect(() => authorize(head, "network.manageRounds", { networkId: NET })).toThrow(ForbiddenError);
    expect(() => authorize(stranger, "network.view", { networkId: NET })).toThrow(NotFoundError);
  });
});
