import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { extractFramework, type FrameworkJson } from "../../../scripts/extract-framework";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const dataFile = path.join(repoRoot, "prisma/data/framework-rlp-2015.json");
const seedText = path.resolve(repoRoot, "../shared/seeds/orientierungsrahmen-rlp-2015.txt");

const data: FrameworkJson = JSON.parse(fs.readFileSync(dataFile, "utf8"));

const WORK_FIELD_CODES = [
  "1",
  "2A",
  "2B",
  "3",
  "4A",
  "4B",
  "5",
  "6",
  "7",
  "8",
  "9A",
  "9B",
  "10A",
  "10B",
  "10C",
  "11A",
  "11B",
  "12",
];

/** Every string in the data set, with a path for readable failure messages. */
function allStrings(value: unknown, at = "$"): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => allStrings(v, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => allStrings(v, `${at}.${k}`));
  return [];
}

/** Free text (everything except codes and slugs). */
const texts = allStrings(data).filter(([at]) => !/\.(code|slug|workFieldCode)$|Codes\[\d+\]$/.test(at));

describe("framework-rlp-2015.json", () => {
  it("identifies the framework version", () => {
    expect(data.slug).toBe("orientierungsrahmen-rlp-2015");
    expect(data.title).toBe("Orientierungsrahmen Rheinland-Pfalz 2015");
    expect(data.source).toMatch(/Orientierungsrahmen für Ausländerbehörden in Rheinland-Pfalz.*2015\.$/);
  });

  it("has 12 goals numbered 1..12 with non-empty texts", () => {
    expect(data.goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const g of data.goals) {
      expect(g.title, `goal ${g.number}`).toMatch(/^\p{Lu}.*\.$/u);
      expect(g.explanation.length, `goal ${g.number}`).toBeGreaterThan(100);
      const words = g.shortTitle.split(/\s+/).length;
      expect(words, `goal ${g.number} short title`).toBeGreaterThanOrEqual(2);
      expect(words, `goal ${g.number} short title`).toBeLessThanOrEqual(5);
    }
  });

  it("gives goal 1, and only goal 1, an alternative wording", () => {
    const [first, ...rest] = data.goals;
    expect(first.alternativeWording).not.toBeNull();
    expect(first.alternativeWording!.text).toContain("bleibberechtigten ausländischen Menschen");
    expect(first.alternativeWording!.text).not.toMatch(/^„|“$/);
    expect(first.alternativeWording!.note).toMatch(/Modell-Ausländerbehörde/);
    for (const g of rest) expect(g.alternativeWording, `goal ${g.number}`).toBeNull();
  });

  it("has the six design areas a–f, together covering every goal exactly once", () => {
    expect(data.designAreas.map((a) => a.code)).toEqual(["a", "b", "c", "d", "e", "f"]);
    for (const a of data.designAreas) {
      expect(a.title).not.toBe("");
      expect(a.description).toContain(`„${a.title}“`);
    }
    // The document does not assign goals to design areas; the extractor's editorial table does.
    const assigned = data.designAreas.flatMap((a) => a.goalNumbers).sort((x, y) => x - y);
    expect(assigned).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it("has exactly the 18 work fields, each belonging to the goal of its number", () => {
    expect(data.workFields.map((w) => w.code)).toEqual(WORK_FIELD_CODES);
    for (const w of data.workFields) {
      expect(w.goalNumber, w.code).toBe(Number.parseInt(w.code, 10));
      expect(w.title, w.code).not.toBe("");
    }
    expect(data.workFields.find((w) => w.code === "1")!.title).toBe("Ermöglichungskultur in der Beratung und bei Entscheidungen");
  });

  it("has exactly 56 measures with unique codes in catalogue order", () => {
    const codes = data.measures.map((m) => m.code);
    expect(codes).toHaveLength(56);
    expect(new Set(codes).size).toBe(56);
    expect(codes[0]).toBe("1.1");
    expect(codes.at(-1)).toBe("12.1");
    const key = (c: string) => c.split(".").map(Number);
    const sorted = [...codes].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
    expect(codes).toEqual(sorted);
    // measure numbers run without gaps within each goal
    for (const goal of data.goals) {
      const mine = codes.filter((c) => key(c)[0] === goal.number).map((c) => key(c)[1]);
      expect(mine, `goal ${goal.number}`).toEqual(mine.map((_, i) => i + 1));
    }
  });

  it("places every measure in a work field of its own goal and keeps work fields contiguous", () => {
    const fields = new Map(data.workFields.map((w) => [w.code, w]));
    for (const m of data.measures) {
      const field = fields.get(m.workFieldCode);
      expect(field, m.code).toBeDefined();
      expect(Number(m.code.split(".")[0]), m.code).toBe(field!.goalNumber);
    }
    const fieldSequence = data.measures.map((m) => m.workFieldCode).filter((c, i, all) => c !== all[i - 1]);
    expect(fieldSequence).toEqual(WORK_FIELD_CODES);
  });

  it("gives every measure a title, a result and at least one activity", () => {
    for (const m of data.measures) {
      expect(m.title.trim(), m.code).not.toBe("");
      expect(m.result.trim(), m.code).not.toBe("");
      expect(m.activities.length, m.code).toBeGreaterThanOrEqual(1);
      for (const a of m.activities) expect(a.trim(), m.code).toBe(a);
      for (const a of m.activities) expect(a, m.code).not.toBe("");
      if (m.explanation !== null) expect(m.explanation.trim(), m.code).not.toBe("");
    }
  });

  it("resolves cross-references to existing measures, in catalogue order, without self-links or duplicates", () => {
    const order = new Map(data.measures.map((m, i) => [m.code, i]));
    for (const m of data.measures) {
      for (const code of m.relatedMeasureCodes) expect(order.has(code), `${m.code} → ${code}`).toBe(true);
      expect(m.relatedMeasureCodes, m.code).not.toContain(m.code);
      expect(new Set(m.relatedMeasureCodes).size, m.code).toBe(m.relatedMeasureCodes.length);
      const positions = m.relatedMeasureCodes.map((c) => order.get(c)!);
      expect(positions, m.code).toEqual([...positions].sort((a, b) => a - b));
    }
    // spot checks of paraphrased link texts
    const related = (code: string) => data.measures.find((m) => m.code === code)!.relatedMeasureCodes;
    expect(related("1.1")).toEqual(["2.1", "2.2", "2.5"]);
    expect(related("2.6")).toEqual(["2.1", "2.2", "2.3", "2.4", "2.5"]);
    expect(related("2.8")).toEqual(["2.7"]);
  });

  it("references only existing working aids", () => {
    expect(data.workingAids.length).toBeGreaterThan(0);
    const aidCodes = data.workingAids.map((a) => a.code);
    expect(new Set(aidCodes).size).toBe(aidCodes.length);
    for (const a of data.workingAids) expect(a.title, a.code).not.toBe("");
    expect(data.workingAids.find((a) => a.code === "1.1")?.title).toBe("Auswahlhilfe Maßnahmen");
    expect(data.workingAids.find((a) => a.code === "2.1")?.title).toBe("Umsetzungsplan");
    for (const m of data.measures) {
      for (const code of m.workingAidCodes) expect(aidCodes, `${m.code} → Arbeitshilfe ${code}`).toContain(code);
      expect(new Set(m.workingAidCodes).size, m.code).toBe(m.workingAidCodes.length);
    }
    expect(data.measures.find((m) => m.code === "2.1")!.workingAidCodes).toEqual(["4.2"]);
  });

  it("contains no link markup, HTML, list glyphs or page-break junk", () => {
    for (const [at, text] of texts) {
      expect(text, at).not.toContain("](#)");
      expect(text, at).not.toMatch(/<\/?(?:p|ul|li)\b/);
      expect(text, at).not.toMatch(/\*\*/);
      expect(text, at).not.toMatch(/[»▶►➔]/);
      expect(text, at).not.toMatch(/(?:^|\n)\s*[A-Za-z]\s*(?:\n|$)/); // stray single-letter lines ("A", "B", "C")
      expect(text, at).not.toMatch(/\n{3,}|\t| {2,}/);
      expect(text, at).toBe(text.trim());
    }
  });

  it("has no ALL-CAPS titles", () => {
    const titles = [
      ...data.goals.map((g) => g.title),
      ...data.goals.map((g) => g.shortTitle),
      ...data.designAreas.map((a) => a.title),
      ...data.workFields.map((w) => w.title),
      ...data.measures.map((m) => m.title),
      ...data.workingAids.map((a) => a.title),
    ];
    for (const t of titles) expect(t, t).not.toBe(t.toUpperCase());
  });

  it("preserves umlauts and German quotation marks", () => {
    const all = texts.map(([, t]) => t).join("\n");
    expect(all).toMatch(/[äöüÄÖÜß]/);
    expect(all).toContain("„Willkommenskultur“");
    expect(all.split("„").length).toBe(all.split("“").length); // quotes stay balanced
  });

  it.skipIf(!fs.existsSync(seedText))("is reproduced exactly by re-running the extractor on the seed text", () => {
    expect(extractFramework(fs.readFileSync(seedText, "utf8"))).toEqual(data);
  });
});
