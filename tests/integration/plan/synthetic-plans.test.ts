import { describe, expect, it } from "vitest";
import { withUser } from "~/platform/db.server";
import { fillSyntheticData, syntheticEmail } from "../../../scripts/synthetic-data";
import { useTestDatabase } from "../../support/database";

/**
 * Issue 21, "What it must show": the benchmark opens the plan page at Germany's scale, so the
 * synthetic data must really land in PostgreSQL – enums, dates, composite keys and all – and
 * the head of office 1 (whom the bench signs in as) must read the largest plan under
 * row-level security.
 */
describe("synthetic plans in the database", () => {
  const db = useTestDatabase();

  it("writes plans with measures, activities, Sachstand, milestones and checklist ticks; office 1's head reads 12 × 8", async () => {
    const { counts } = await fillSyntheticData(
      db.url,
      { networks: 1, offices: 6, users: 4, rounds: 2, seed: 7, today: "2026-12-06" },
      { log: () => {} },
    );
    expect(counts.plan).toBeGreaterThanOrEqual(1);
    expect(await db.prisma.plan.count()).toBe(counts.plan);
    expect(await db.prisma.planActivity.count()).toBe(counts.plan_activity);
    expect(await db.prisma.planActivityUpdate.count()).toBe(counts.plan_activity_update);
    expect(await db.prisma.planPhaseTask.count()).toBe(counts.plan_phase_task);

    const head = await db.prisma.user.findUniqueOrThrow({ where: { email: syntheticEmail("bw", 1, 1) } });
    const plan = await withUser(head.id, (tx) =>
      tx.plan.findFirstOrThrow({ include: { measures: { include: { activities: true } } } }),
    );
    expect(plan.phase).toBe("UMSETZUNG");
    expect(plan.measures).toHaveLength(12);
    expect(plan.measures.flatMap((m) => m.activities)).toHaveLength(96);
    // RLS: the head sees only their own office's plan.
    expect(await withUser(head.id, (tx) => tx.plan.count())).toBe(1);
  });
});
