import fs from "node:fs";
import path from "node:path";
import { createInstance } from "i18next";
import { beforeAll, describe, expect, it } from "vitest";
import { i18nConfig } from "~/i18n/config";
import { de } from "~/i18n/de";
import { en } from "~/i18n/en";
import { auditDetailLines } from "~/platform/audit/audit-details";

describe("audit details in plain words", () => {
  const i18n = createInstance();
  beforeAll(() => i18n.init({ ...i18nConfig, lng: "de" }));
  const lines = (details: unknown, language: "de" | "en" = "de") =>
    auditDetailLines(details, i18n.getFixedT(language, "audit"), language).map((l) => `${l.label}: ${l.value}`);

  it("turns a saved goal's changes into 'before → after' lines with German labels", () => {
    expect(
      lines({ round: "2026", goal: 3, changes: { comment: { from: "", to: "Neu" }, answer: { from: "2", to: "notAssessed" } } }),
    ).toEqual(["Runde: „2026“", "Ziel: 3", "Kommentar: leer → „Neu“", "Bewertung: „2“ → Nicht bewertet"]);
  });

  it("names grades, priorities, roles and yes/no, and shows times in German time", () => {
    expect(lines({ measure: "1.1", changes: { need: { from: null, to: "HIGH" }, override: { from: "", to: "LOW" } } })).toEqual([
      "Maßnahme: „1.1“",
      "Veränderungsbedarf: leer → hoch",
      "Geänderte Priorität: leer → gering",
    ]);
    expect(lines({ email: "a@b.de", role: "OFFICE_STAFF" })).toEqual([
      "E-Mail: „a@b.de“",
      "Rolle: Mitarbeitende der Ausländerbehörde",
    ]);
    expect(lines({ late: true, deadline: "2026-12-01T12:00:00.000Z" })).toEqual([
      "Verspätet: ja",
      "Frist: 1. Dezember 2026 um 13:00 MEZ",
    ]);
  });

  it("reads settings changes ({ old, new }) and lists of changed fields by their names", () => {
    expect(lines({ old: { surveyThreshold: 5 }, new: { surveyThreshold: 7 } })).toEqual([
      "Mindestzahl Antworten (Umfrage): 5 → 7",
    ]);
    expect(lines({ changed: ["name", "clientsServed"] })).toEqual(["Geänderte Angaben: Name, Kundschaft pro Jahr"]);
  });

  it("names the changed fields of an office's save without their values (what the ministry reads)", () => {
    expect(lines({ round: "2026", goal: 3, fields: ["answer", "comment", "evidence", "links"] })).toEqual([
      "Runde: „2026“",
      "Ziel: 3",
      "Geänderte Felder: Bewertung, Kommentar, Belege, Links zu Belegen",
    ]);
    expect(lines({ measure: "1.1", fields: ["need", "override", "reason"] }, "en")).toEqual([
      "Measure: „1.1“",
      "Changed fields: Need for change, Changed priority, Reason",
    ]);
  });

  it("has a label in both languages for every detail key the portal writes (no raw key in the log)", () => {
    const app = path.resolve(import.meta.dirname, "../../../app");
    const files = fs.readdirSync(app, { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));
    const written = new Set<string>();
    for (const file of files) {
      for (const [, body] of fs.readFileSync(path.join(app, file), "utf8").matchAll(/details: \{([^{}]*)\}/g))
        for (const [, key] of body.matchAll(/(?:^|,)\s*([a-zA-Z]+)\s*(?=[:,]|$)/g)) written.add(key);
    }
    // "changes", "old" and "new" are structure, read field by field (see auditDetailLines).
    for (const key of ["changes", "old", "new"]) written.delete(key);
    expect(written.size).toBeGreaterThan(10);
    const keys = (resources: typeof de) => (resources.audit as unknown as { keys: Record<string, string> }).keys;
    expect([...written].filter((key) => !keys(de)[key])).toEqual([]);
    expect([...written].filter((key) => !keys(en)[key])).toEqual([]);
  });

  it("never reads typed text as a date (a comment that looks like one stays text)", () => {
    expect(lines({ changes: { comment: { from: "", to: "2026-05-01T10:00 Teamsitzung" } } })).toEqual([
      "Kommentar: leer → „2026-05-01T10:00 Teamsitzung“",
    ]);
    expect(lines({ deadline: "2026-99-99T99:99:99.000Z" })).toEqual(["Frist: „2026-99-99T99:99:99.000Z“"]);
  });

  it("keeps unknown keys under their own name and speaks English when asked", () => {
    expect(lines({ somethingNew: "x" })).toEqual(["somethingNew: „x“"]);
    expect(lines({ goal: 1, changes: { comment: { from: "a", to: "b" } } }, "en")).toEqual(["Goal: 1", "Comment: „a“ → „b“"]);
    expect(lines(null)).toEqual([]);
  });
});
