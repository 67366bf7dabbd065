/**
 * The plan of an office as the plan layout resolves it (app/routes/behoerden.$office.plan.tsx):
 * the open plan (closed_at null) – or, with `cycle`, an earlier one – read under RLS as the
 * acting person. Row-level security already hides a plan from anyone who may not read it
 * (migration 20261206100000); can("plan.read") says the same in the application.
 */
import type { Actor } from "~/platform/auth/auth.server";
import { withUser } from "~/platform/db.server";

const PLAN_SELECT = {
  id: true,
  networkId: true,
  officeId: true,
  cycle: true,
  sourceRoundId: true,
  phase: true,
  startedAt: true,
  closedAt: true,
  releasedAt: true,
  version: true,
} as const;

export type PlanHead = {
  id: string;
  networkId: string;
  officeId: string;
  cycle: number;
  sourceRoundId: string | null;
  phase: "INITIIERUNG" | "PLANUNG" | "MOBILISIERUNG" | "UMSETZUNG" | "KONSOLIDIERUNG";
  startedAt: Date;
  closedAt: Date | null;
  releasedAt: Date | null;
  version: number;
};

/** The office's open plan, or null when it has none (yet, or the person may not read it). */
export async function openPlan(actor: Pick<Actor, "id">, officeId: string): Promise<PlanHead | null> {
  return withUser(actor.id, (tx) => tx.plan.findFirst({ where: { officeId, closedAt: null }, select: PLAN_SELECT }));
}

/** Every plan of the office the person may read, newest cycle first (for the cycle history). */
export async function planCycles(actor: Pick<Actor, "id">, officeId: string): Promise<PlanHead[]> {
  return withUser(actor.id, (tx) => tx.plan.findMany({ where: { officeId }, orderBy: { cycle: "desc" }, select: PLAN_SELECT }));
}
