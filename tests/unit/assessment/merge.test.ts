import { describe, expect, it } from "vitest";
import { mergeThreeWay } from "~/domains/assessment/merge";

const base = { rating: 3 as number | null, comment: "alt", evidence: "" };
const all = ["rating", "comment", "evidence"] as const;

describe("three-way merge of a draft part", () => {
  it("keeps both people's edits when they changed different fields", () => {
    const mine = { ...base, comment: "meins" };
    const theirs = { ...base, evidence: "Beleg von Kollegin" };
    expect(mergeThreeWay(base, mine, theirs, all)).toEqual({
      merged: { rating: 3, comment: "meins", evidence: "Beleg von Kollegin" },
      conflicts: [],
    });
  });

  it("reports a conflict, and takes neither, when both changed the same field differently", () => {
    const result = mergeThreeWay(base, { ...base, comment: "meins" }, { ...base, comment: "ihres" }, all);
    expect(result.conflicts).toEqual(["comment"]);
    expect(result.merged.comment).toBe("ihres");
  });

  it("is no conflict when both made the same change", () => {
    expect(mergeThreeWay(base, { ...base, rating: 4 }, { ...base, rating: 4 }, all).conflicts).toEqual([]);
  });

  it("ignores fields the editor may not change (staff cannot set the consensus rating)", () => {
    const result = mergeThreeWay(base, { ...base, rating: 1, comment: "meins" }, base, ["comment", "evidence"]);
    expect(result).toEqual({ merged: { rating: 3, comment: "meins", evidence: "" }, conflicts: [] });
  });

  it("compares lists by content", () => {
    const b = { links: ["https://a.example"] };
    expect(mergeThreeWay(b, { links: ["https://a.example"] }, { links: ["https://b.example"] }, ["links"])).toEqual({
      merged: { links: ["https://b.example"] },
      conflicts: [],
    });
  });
});
