import { describe, expect, it } from "vitest";
import { parseStatus, parseTimeFrame, parseState } from "~/domains/plan/excel-format";
import { diffPlan, type GridRow, parseGrid, type PlanSnapshot } from "~/domains/plan/excel-import";

const HEAD = [
  "",
  "",
  "Arbeitsschritte",
  "Status",
  "Zeitrahmen",
  "Verantwortliche",
  "Mitwirkende",
  "Inputs, Ressourcen",
  "Bemerkungen",
  "Aktueller Sachstand",
];
const rows = (...lines: Array<[number, string[]]>): GridRow[] => lines.map(([row, cells]) => ({ row, cells }));

describe("the aid's cells as people fill them in", () => {
  it("reads a status as symbol, word or both, and names anything else", () => {
    expect(
      ["✓", "erledigt", "✓ erledigt", "Erledigt ", "!", "in Arbeit", "✗", "nicht begonnen", "x", ""].map(parseStatus),
    ).toEqual([
      "DONE",
      "DONE",
      "DONE",
      "DONE",
      "IN_PROGRESS",
      "IN_PROGRESS",
      "NOT_STARTED",
      "NOT_STARTED",
      "NOT_STARTED",
      "NOT_STARTED",
    ]);
    expect(parseStatus("fertig")).toBeUndefined();
    expect(parseStatus("✓ in Arbeit")).toBeUndefined();
  });

  it("reads time frames in the common German forms and refuses days the calendar lacks", () => {
    expect(parseTimeFrame("01.03.2026 – 30.06.2026")).toEqual({ startsOn: "2026-03-01", endsOn: "2026-06-30" });
    expect(parseTimeFrame("1.3.26-30.6.26")).toEqual({ startsOn: "2026-03-01", endsOn: "2026-06-30" });
    expect(parseTimeFrame("2026-03-01 bis 2026-06-30")).toEqual({ startsOn: "2026-03-01", endsOn: "2026-06-30" });
    expect(parseTimeFrame("bis 30.06.2026")).toEqual({ startsOn: null, endsOn: "2026-06-30" });
    expect(parseTimeFrame("ab 01.03.2026")).toEqual({ startsOn: "2026-03-01", endsOn: null });
    expect(parseTimeFrame("März 2026 – Juni 2026")).toEqual({ startsOn: "2026-03-01", endsOn: "2026-06-30" });
    expect(parseTimeFrame("02/2028")).toEqual({ startsOn: "2028-02-01", endsOn: "2028-02-29" });
    expect(parseTimeFrame("12.03.2026")).toEqual({ startsOn: "2026-03-12", endsOn: "2026-03-12" });
    expect(parseTimeFrame("")).toEqual({ startsOn: null, endsOn: null });
    expect(parseTimeFrame("31.02.2026")).toEqual({ kind: "noSuchDate", text: "31.02.2026" });
    expect(parseTimeFrame("Sommer")).toEqual({ kind: "unreadable" });
    expect(parseTimeFrame("30.06.2026 – 01.03.2026")).toEqual({ kind: "reversed" });
  });

  it("reads dated Sachstand lines, continuation lines and an undated note", () => {
    expect(parseState("01.02.2026: Termin steht\nmit Raum\n2026-03-05 - erledigt")).toEqual([
      { notedOn: "2026-02-01", body: "Termin steht\nmit Raum" },
      { notedOn: "2026-03-05", body: "erledigt" },
    ]);
    expect(parseState("läuft")).toEqual([{ notedOn: null, body: "läuft" }]);
  });
});

describe("a hand-filled sheet", () => {
  const sheet = rows(
    [1, ["Stärkung der Serviceorientierung … Umsetzungsplan"]],
    [3, HEAD],
    [5, ["Maßnahme 1:", "", "Terminvergabe online"]],
    [6, ["1", "✓", "Anbieter auswählen", "", "01.02.2026 – 28.02.2026", "Frau Kurz"]],
    [7, ["2", "", "Testbetrieb", "in Arbeit", "März 2026"]],
    [8, ["3", "✗", "", "nicht begonnen"]],
    [10, ["Maßnahme 2:"]],
    [11, ["1", "✓", "", "erledigt"]],
  );

  it("finds the blocks and activities and skips the template rows", () => {
    const { blocks, errors } = parseGrid(sheet);
    expect(errors).toEqual([]);
    expect(blocks.map((b) => [b.row, b.label, b.title, b.activities.map((a) => [a.row, a.title, a.status])])).toEqual([
      [
        5,
        "1",
        "Terminvergabe online",
        [
          [6, "Anbieter auswählen", "DONE"],
          [7, "Testbetrieb", "IN_PROGRESS"],
        ],
      ],
      [10, "2", "", []],
    ]);
  });

  it("proposes a new own measure with its activities; the empty template block is no measure", () => {
    const plan: PlanSnapshot = { measures: [], members: [{ id: "u1", name: "Frau Kurz" }] };
    const { diff, errors } = diffPlan(parseGrid(sheet).blocks, plan, [
      { id: "m11", code: "1.1", title: "Beratung über eine mögliche Verbesserung des Aufenthaltsstatus", result: "R" },
    ]);
    expect(errors).toEqual([]);
    expect(diff.counts).toMatchObject({ measuresAdded: 1, activitiesAdded: 2 });
    expect(diff.measures[0]).toMatchObject({ kind: "add", measureId: null, ownTitle: "Terminvergabe online" });
    expect(diff.measures[0].activities[0].values).toMatchObject({ responsibleUserId: "u1", responsibleName: null });
  });

  it("names every bad row with its number", () => {
    const { errors } = parseGrid(
      rows([1, HEAD], [2, ["Maßnahme 1.1:"]], [3, ["", "", "A", "fertig", "31.02.2026"]], [4, ["", "", "", "", "", "Herr X"]]),
    );
    expect(errors).toEqual([
      { row: 3, key: "errors.status", params: { status: "fertig" } },
      { row: 3, key: "errors.noSuchDate", params: { date: "31.02.2026" } },
      { row: 4, key: "errors.noTitle" },
    ]);
  });
});
