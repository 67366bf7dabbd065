import { z } from "zod";
import {
  DEFAULT_PRIORITY_RULE,
  GRADES,
  PRIORITIES,
  type PriorityRule,
  priorityRuleOf,
  priorityRuleSchema,
  ruleField,
} from "~/domains/assessment/priority";
import type { Actor } from "~/platform/auth/auth.server";
import { can } from "~/platform/auth/can";
import { withUser } from "~/platform/db.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/platform/audit/audit.server";
import { ForbiddenError } from "~/platform/errors";

/** A network's own settings: the priority rule (need × effort → priority) and its two thresholds. */
export type NetworkSettings = { rule: PriorityRule; ruleIsDefault: boolean; surveyThreshold: number; anonymityThreshold: number };
export type NetworkSettingsInput = { rule: PriorityRule; surveyThreshold: number; anonymityThreshold: number };

export const MAX_THRESHOLD = 1000;

export const RULE_FIELDS = GRADES.flatMap((need) => GRADES.map((effort) => ruleField(need, effort)));
export const SETTINGS_FIELDS = [...RULE_FIELDS, "surveyThreshold", "anonymityThreshold"];

const wholeNumber = (min: number, message: string) =>
  z
    .string({ message })
    .trim()
    .regex(/^\d{1,4}$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(MAX_THRESHOLD, message));

const shape: Record<string, z.ZodType> = {
  // The database refuses lower values too (CHECK constraints); this gives the reason first.
  surveyThreshold: wholeNumber(5, "settings:errors.surveyThreshold"),
  anonymityThreshold: wholeNumber(3, "settings:errors.anonymityThreshold"),
};
for (const field of RULE_FIELDS) shape[field] = z.enum(PRIORITIES, { message: "settings:errors.priorityInvalid" });

/** The settings form: 16 selects named by ruleField and the two thresholds. */
export const networkSettingsSchema = z.object(shape).transform((v): NetworkSettingsInput => ({
  rule: Object.fromEntries(
    GRADES.map((need) => [need, Object.fromEntries(GRADES.map((effort) => [effort, v[ruleField(need, effort)]]))]),
  ) as PriorityRule,
  surveyThreshold: v.surveyThreshold as number,
  anonymityThreshold: v.anonymityThreshold as number,
}));

function sameRule(a: PriorityRule, b: PriorityRule) {
  return GRADES.every((need) => GRADES.every((effort) => a[need][effort] === b[need][effort]));
}

function assertSettingsAdmin(actor: Actor, networkId: string) {
  if (!can(actor, "network.manageSettings", { networkId })) throw new ForbiddenError();
}

const SELECT = { priorityRule: true, surveyThreshold: true, anonymityThreshold: true } as const;

function toSettings(row: { priorityRule: unknown; surveyThreshold: number; anonymityThreshold: number }): NetworkSettings {
  const rule = priorityRuleOf(row.priorityRule);
  return {
    rule,
    ruleIsDefault: sameRule(rule, DEFAULT_PRIORITY_RULE),
    surveyThreshold: row.surveyThreshold,
    anonymityThreshold: row.anonymityThreshold,
  };
}

export async function getNetworkSettings(actor: Actor, networkId: string): Promise<NetworkSettings> {
  assertSettingsAdmin(actor, networkId);
  return withUser(actor.id, async (tx) =>
    toSettings(await tx.network.findUniqueOrThrow({ where: { id: networkId }, select: SELECT })),
  );
}

/**
 * Saves the settings and audits what changed (old and new values). A rule equal to the
 * framework's is stored as NULL, so the network keeps following the framework's rule.
 * Returns false when nothing changed (then nothing is written).
 */
export async function updateNetworkSettings(
  actor: Actor,
  networkId: string,
  input: NetworkSettingsInput | { rule: "default" },
): Promise<{ changed: boolean }> {
  assertSettingsAdmin(actor, networkId);
  const rule = input.rule === "default" ? DEFAULT_PRIORITY_RULE : priorityRuleSchema.parse(input.rule);
  return withUser(actor.id, async (tx) => {
    // FOR UPDATE: two admins saving at once are audited one after the other, each with the right "old".
    await tx.$queryRaw`SELECT 1 FROM network WHERE id = ${networkId}::uuid FOR UPDATE`;
    const current = toSettings(await tx.network.findUniqueOrThrow({ where: { id: networkId }, select: SELECT }));
    const next = {
      rule,
      ruleIsDefault: sameRule(rule, DEFAULT_PRIORITY_RULE),
      surveyThreshold: "surveyThreshold" in input ? input.surveyThreshold : current.surveyThreshold,
      anonymityThreshold: "anonymityThreshold" in input ? input.anonymityThreshold : current.anonymityThreshold,
    };
    const old: Record<string, Prisma.InputJsonValue | null> = {};
    const changed: Record<string, Prisma.InputJsonValue | null> = {};
    const ruleValue = (s: NetworkSettings) => (s.ruleIsDefault ? null : s.rule);
    if (current.ruleIsDefault !== next.ruleIsDefault || !sameRule(current.rule, next.rule)) {
      old.priorityRule = ruleValue(current);
      changed.priorityRule = ruleValue(next);
    }
    for (const key of ["surveyThreshold", "anonymityThreshold"] as const) {
      if (current[key] !== next[key]) {
        old[key] = current[key];
        changed[key] = next[key];
      }
    }
    if (Object.keys(changed).length === 0) return { changed: false };
    await tx.network.update({
      where: { id: networkId },
      data: {
        priorityRule: next.ruleIsDefault ? Prisma.DbNull : next.rule,
        surveyThreshold: next.surveyThreshold,
        anonymityThreshold: next.anonymityThreshold,
      },
      select: { id: true },
    });
    await recordAudit(
      {
        action: "network.settings_changed",
        actorId: actor.id,
        networkId,
        targetType: "network",
        targetId: networkId,
        details: { old, new: changed },
      },
      tx,
    );
    return { changed: true };
  });
}
