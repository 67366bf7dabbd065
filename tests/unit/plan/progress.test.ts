import { describe, expect, it } from "vitest";
import {
  daysOverdue,
  isDueSoon,
  isOverdue,
  planProgress,
  type ProgressActivity,
  shareDone,
  timeline,
} from "~/domains/plan/progress";
import { addDays, daysBetween } from "~/utils/calendar-day";

const act = (
  id: string,
  status: ProgressActivity["status"],
  startsOn: string | null,
  endsOn: string | null,
): ProgressActivity => ({
  id,
  status,
  startsOn,
  endsOn,
});

describe("calendar-day arithmetic", () => {
  it("crosses months, leap days and years", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2027-12-31", 1)).toBe("2028-01-01");
    expect(addDays("2027-03-01", -1)).toBe("2027-02-28");
    // The DST switch in Germany (28 March 2027) is no shorter day here.
    expect(daysBetween("2027-03-27", "2027-03-29")).toBe(2);
    expect(daysBetween("2027-03-29", "2027-03-27")).toBe(-2);
  });
});

describe("share of activities done", () => {
  it("has no percentage without activities (not 0 %, not 100 %)", () => {
    expect(shareDone([])).toEqual({ done: 0, total: 0, percent: null });
  });

  it("rounds down, so that 100 % means everything is done", () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ status: i === 0 ? ("IN_PROGRESS" as const) : ("DONE" as const) }));
    expect(shareDone(many)).toEqual({ done: 199, total: 200, percent: 99 });
    expect(shareDone([{ status: "DONE" }, { status: "NOT_STARTED" }, { status: "IN_PROGRESS" }]).percent).toBe(33);
    expect(shareDone([{ status: "DONE" }]).percent).toBe(100);
  });

  it("counts 'in Arbeit' as not done", () => {
    expect(shareDone([{ status: "IN_PROGRESS" }]).percent).toBe(0);
  });
});

describe("overdue and due soon", () => {
  const today = "2027-05-10";

  it("is overdue only after the end day, never on it, and never when done", () => {
    expect(isOverdue(act("a", "IN_PROGRESS", null, "2027-05-09"), today)).toBe(true);
    expect(isOverdue(act("a", "NOT_STARTED", null, "2027-05-10"), today)).toBe(false);
    expect(isOverdue(act("a", "DONE", null, "2027-01-01"), today)).toBe(false);
    expect(isOverdue(act("a", "NOT_STARTED", "2027-01-01", null), today)).toBe(false);
    expect(daysOverdue(act("a", "NOT_STARTED", null, "2027-04-30"), today)).toBe(10);
    expect(daysOverdue(act("a", "DONE", null, "2027-04-30"), today)).toBe(0);
  });

  it("is due soon from today up to the given days ahead, inclusive", () => {
    expect(isDueSoon(act("a", "NOT_STARTED", null, "2027-05-10"), today, 7)).toBe(true);
    expect(isDueSoon(act("a", "NOT_STARTED", null, "2027-05-17"), today, 7)).toBe(true);
    expect(isDueSoon(act("a", "NOT_STARTED", null, "2027-05-18"), today, 7)).toBe(false);
    expect(isDueSoon(act("a", "NOT_STARTED", null, "2027-05-09"), today, 7)).toBe(false);
    expect(isDueSoon(act("a", "DONE", null, "2027-05-12"), today, 7)).toBe(false);
  });

  it("sums per measure and overall, with overdue activities earliest first", () => {
    const progress = planProgress(
      [
        {
          id: "m1",
          activities: [
            act("a1", "DONE", "2027-01-01", "2027-02-01"),
            act("a2", "IN_PROGRESS", null, "2027-05-01"),
            act("a3", "NOT_STARTED", null, "2027-05-12"),
          ],
        },
        { id: "m2", activities: [act("b1", "NOT_STARTED", null, "2027-03-01"), act("b2", "DONE", null, null)] },
        { id: "m3", activities: [] },
      ],
      today,
    );
    expect(progress.overall).toEqual({ done: 2, total: 5, percent: 40 });
    expect(progress.measures).toEqual([
      { id: "m1", share: { done: 1, total: 3, percent: 33 }, overdue: 1, dueSoon: 1 },
      { id: "m2", share: { done: 1, total: 2, percent: 50 }, overdue: 1, dueSoon: 0 },
      { id: "m3", share: { done: 0, total: 0, percent: null }, overdue: 0, dueSoon: 0 },
    ]);
    expect(progress.overdue).toEqual(["b1", "a2"]);
    expect(progress.dueSoon).toEqual(["a3"]);
  });
});

describe("timeline", () => {
  it("has no months and no bars without dates; undated activities are listed", () => {
    expect(timeline([act("a", "NOT_STARTED", null, null)], "2027-05-10")).toEqual({
      months: [],
      bars: {},
      undated: ["a"],
      today: null,
    });
  });

  it("spans every month from the earliest to the latest date, across a year's end", () => {
    const t = timeline(
      [act("a", "NOT_STARTED", "2026-11-15", "2027-02-10"), act("b", "DONE", "2027-01-01", "2027-01-31")],
      "2027-01-01",
    );
    expect(t.months.map((m) => m.key)).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(t.bars.a).toMatchObject({ startMonth: 0, endMonth: 3, partial: false });
    // b covers exactly January: the third of four months, 50 % to 75 %.
    expect(t.bars.b).toMatchObject({ startMonth: 2, endMonth: 2, left: 50, width: 25 });
    expect(t.today).toBe(50);
  });

  it("draws a one-day bar for an activity with only one date, and marks it partial", () => {
    const t = timeline([act("a", "NOT_STARTED", null, "2027-04-30")], "2026-01-01");
    expect(t.months.map((m) => m.key)).toEqual(["2027-04"]);
    expect(t.bars.a).toMatchObject({ from: "2027-04-30", to: "2027-04-30", partial: true, startMonth: 0, endMonth: 0 });
    expect(t.bars.a.left + t.bars.a.width).toBeCloseTo(100, 1);
    expect(t.bars.a.width).toBeGreaterThan(0);
    expect(t.today).toBeNull();
  });

  it("keeps bars within 0–100 % for a one-day plan on the last day of a leap February", () => {
    const t = timeline([act("a", "NOT_STARTED", "2028-02-29", "2028-02-29")], "2028-02-29");
    expect(t.bars.a.left).toBeGreaterThanOrEqual(0);
    expect(t.bars.a.left + t.bars.a.width).toBeLessThanOrEqual(100);
    expect(t.today).toBe(t.bars.a.left);
  });
});
