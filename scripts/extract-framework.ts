/**
 * Extracts the catalogue of the "Orientierungsrahmen für Ausländerbehörden in Rheinland-Pfalz"
 * (2015) from the plain-text export of the PDF and writes prisma/data/framework-rlp-2015.json,
 * which prisma/seed/framework.ts loads into the database.
 *
 *   npx tsx scripts/extract-framework.ts [path-to-txt]
 *
 * Default input: ../shared/seeds/orientierungsrahmen-rlp-2015.txt (relative to the repo root).
 *
 * The extraction is deterministic: the same text always yields the same JSON. Everything that
 * cannot be parsed cleanly (cross-reference link texts that paraphrase a measure title, the
 * goal ↔ design-area assignment the document does not state, short goal labels, a handful of
 * text repairs) lives in the explicit, commented tables below, never in hand edits of the JSON.
 * The parser fails loudly (throws) on anything it does not recognise — an unknown link text,
 * a stale text repair, a missing measure — instead of silently producing different data.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// ---------------------------------------------------------------------------------------------
// Output shape (mirrors the zod schema in prisma/seed/framework.ts)
// ---------------------------------------------------------------------------------------------

export interface FrameworkJson {
  slug: string;
  title: string;
  source: string;
  designAreas: { code: string; title: string; description: string; goalNumbers: number[] }[];
  goals: {
    number: number;
    title: string;
    shortTitle: string;
    explanation: string;
    alternativeWording: null | { text: string; note: string };
  }[];
  workFields: { code: string; goalNumber: number; title: string }[];
  measures: {
    code: string;
    workFieldCode: string;
    title: string;
    result: string;
    activities: string[];
    explanation: string | null;
    relatedMeasureCodes: string[];
    workingAidCodes: string[];
  }[];
  workingAids: { code: string; title: string; description: string | null }[];
}

const SLUG = "orientierungsrahmen-rlp-2015";
const TITLE = "Orientierungsrahmen Rheinland-Pfalz 2015";

// ---------------------------------------------------------------------------------------------
// Editorial tables
// ---------------------------------------------------------------------------------------------

/** Short labels (2–5 words) for the twelve goals. Not in the document; derived from the goal sentences. */
const GOAL_SHORT_TITLES: Record<number, string> = {
  1: "Gesicherter Aufenthaltsstatus",
  2: "Kundenorientierte Beratung",
  3: "Umfassende Information der Kundschaft",
  4: "Verständliche Auskünfte und Entscheidungen",
  5: "Hohe Servicequalität der Abläufe",
  6: "Synergien in der Verwaltungsorganisation",
  7: "Einbeziehung der Kundensicht",
  8: "Einladendes Erscheinungsbild",
  9: "Angemessene Stellenausstattung",
  10: "Interkulturelle Kompetenz der Beschäftigten",
  11: "Konstruktive Kooperationsbeziehungen",
  12: "Sichtbare Willkommenskultur",
};

/**
 * Goal ↔ design-area assignment. The document does NOT state it: Teil A lists the six
 * Gestaltungsbereiche a–f and the twelve goals separately, and Teil B only says the measures are
 * "gegliedert nach Gestaltungsbereichen und Arbeitsfeldern". This table is therefore an editorial
 * assignment derived from the area descriptions in Teil A (each goal in exactly one area):
 */
const DESIGN_AREA_GOALS: Record<string, number[]> = {
  // a. Aufbau- und Ablauforganisation: Stelle in der Organisationsstruktur, Verbindung mit anderen
  //    Einheiten, Verfahren zur Organisation der Kundenkontakte → Verfahrensabläufe (5), Organisationsstruktur (6)
  a: [5, 6],
  // b. Arbeitsinhalte und -praxis: das „Was“ und „Wie“ der Kundenbeziehungen → Ermöglichungskultur (1),
  //    Beratung (2), Information (3), Verständlichkeit (4), Einbeziehung der Kundensicht (7)
  b: [1, 2, 3, 4, 7],
  // c. Lage, Räume, Ausstattung: äußeres Erscheinungsbild → Erscheinungsbild (8)
  c: [8],
  // d. Kompetenzen und Haltungen der Mitarbeitenden → Wissen und Kompetenzen (10)
  d: [10],
  // e. Personalsituation: Stellenzahl und Stellenbewertung → Stellenbemessung/-beschreibung/-bewertung (9)
  e: [9],
  // f. Kooperation, Netzwerke: Kontakte und Beziehungen innerhalb und außerhalb der Verwaltung →
  //    Beziehungen zu Akteuren (11), Sichtbarkeit in Verwaltung und Öffentlichkeit (12)
  f: [11, 12],
};

/**
 * Work-field titles come from the table of contents (normal capitalisation); the Teil C headings
 * are in capitals. Both are compared; these are the known places where the heading differs from
 * the table of contents beyond capitalisation (typos in the headings — the TOC wording is used).
 */
const WORK_FIELD_HEADING_TYPOS: Record<string, string> = {
  "6": "ORGANISATIONSTRUKTUR", // TOC: „Organisationsstruktur“ (heading misses an S)
  "10C": "INFORMATIONEN- UND WISSENSMANAGEMENT", // TOC: „Informations- und Wissensmanagement“
};

type LinkTarget = { measure: string } | { aid: string } | { external: string };

/**
 * Link texts `[…](#)` in Teil C whose target is not found automatically. Automatic resolution
 * (after stripping „“ and a leading "Maßnahme "): "Maßnahme X.Y", the exact title of a measure,
 * or the exact title of a working aid. Keys are the raw link texts. Any other link text makes
 * the extractor throw, so a new or changed link cannot slip through unresolved.
 */
const LINK_TARGETS: Record<string, LinkTarget> = {
  // --- paraphrased measure titles ---
  "Erfassung der bereits erbrachten Beratungsleistungen": { measure: "2.1" }, // 2.1 Erfassung bereits wahrgenommener Beratungsleistungen
  "Erfassung der wahrgenommenen Beratungsaufgaben": { measure: "2.1" },
  "Erfassung wahrgenommener Beratungsleistungen": { measure: "2.1" },
  "Festlegung zukünftig zu erbringender Beratungsleistungen": { measure: "2.2" }, // 2.2 Festlegung von Inhalten und Umfang der Beratungs- und Verweisaufgaben
  "Festlegung der Beratungsaufgaben": { measure: "2.2" },
  "Sicherstellung personeller Ressourcen": { measure: "2.3" }, // 2.3 Sicherstellung personeller Ressourcen für die Beratungsaufgaben
  // "Überprüfung der Stellenbemessung" (2.1) / "Grundlage für eine … Stellenbemessung" (9.1): 2.3 is the
  // measure whose activities are "Überprüfung und ggf. Neuberechnung der Stellenbemessung" on the basis of
  // revised job descriptions. (9.4 „Abgleich von Personalbedarf und Stellenplan“ would be the alternative.)
  Stellenbemessung: { measure: "2.3" },
  "Befähigung des Personals": { measure: "2.4" }, // 2.4 Gewährleistung der Beratungskompetenzen
  "Schaffung einer Informationsgrundlage": { measure: "2.5" }, // 2.5 Schaffung einer Informationsgrundlage für die Beratung
  Informationsgrundlage: { measure: "2.5" }, // unquoted = the measure; „Informationsgrundlage“ in quotes = Arbeitshilfe 4.3
  Beratungskonzept: { measure: "2.6" }, // 2.6 Entwicklung eines Beratungskonzepts
  Beratungskonzepts: { measure: "2.6" },
  "Standards zur Terminvorbereitung": { measure: "3.1" }, // 3.1 Vereinbarung von Standards zur Terminvorbereitung
  "Überprüfung der Stellenbewertung": { measure: "9.3" }, // 9.3 Überprüfung und ggf. Anpassung der Stellenbewertung
  Stellenbewertungen: { measure: "9.3" },
  "Arbeitstreffen oder Workshop": { measure: "11.1" }, // 11.1 Arbeitstreffen/Workshop zur Gestaltung von Schnittstellen
  // --- working aids cited under another name than in the overview of Teil B ---
  "„Grundvoraussetzungen für die Einbürgerung. Check-Liste für die Ausländerbehörden“": { aid: "4.5" }, // „Checkliste Einbürgerung“
  "„Checkliste Räumliche Gegebenheiten in der Ausländerbehörde“": { aid: "4.8" }, // „Räumliche Gegebenheiten in der Ausländerbehörde“
  // --- links to external material (web pages, brochures, organisations) ---
  Beratungsbüro: { external: "Beratungsbüro Rückkehrförderung, Diakonisches Werk Trier (2.7)" },
  "„Willkommen in Berlin“": { external: "Broschüre Berlin (3.6)" },
  "„Willkommenspaket“": { external: "Willkommenspaket der Stadt Heidelberg (3.6), not measure 3.6 itself" },
  hier: { external: "Schulungsmaterialien Integrationslotsen Niedersachsen (3.7)" },
  "Integrationslotsen im Landkreis Cloppenburg e.V.": { external: "Verein (3.7)" },
  Integrationslotsen: { external: "Integrationslotsen der Stadt Oldenburg (3.7)" },
  "Aufenthaltstitels – Stadt Ludwigshafen": { external: "Formular (4.2)" },
  "Aufenthaltstitels – Stadt Radolfzell": { external: "Formular (4.2)" },
  "Netzwerk Leichte Sprache e.V.": { external: "Verein (4.3)" },
  "Büro für Leichte Sprache": { external: "Lebenshilfe Bremen (4.3)" },
  "Wörterbuch SGB II. Leichte Sprache": { external: "Broschüre (4.3)" },
  "SGB II Visualisierungshilfe": { external: "Broschüre (4.7)" },
  "„Fragen und Antworten der Einbürgerung“": { external: "Broschüre des Ministeriums (6.2)" },
  "Heft 6, „Interkulturelle Kompetenz in Personalauswahlverfahren“": { external: "Handlungsbuch Ruhrgebiet (10.1)" },
  "Heft 6, „Interkulturelle Kompetenz in": { external: "same link, split by a page break (10.3)" },
  "Personalauswahlverfahren“": { external: "same link, split by a page break (10.3)" },
};

/**
 * Cross-references written as plain prose, without link markup (the link was lost in the PDF
 * export). Numeric references ("Maßnahme 2.7", "Maßnahmen 2.1 bis 2.5", "vgl. Maßnahme 12.1")
 * are found automatically and need no entry here.
 */
const UNLINKED_REFERENCES: Record<string, string[]> = {
  // „Hilfreich zur Vorbereitung dieser Maßnahme kann die Erfassung der bereits wahrgenommenen Beratungsaufgaben sein.“
  "2.2": ["2.1"],
  // „Grundlage für diese Maßnahme ist eine Überarbeitung der Stellenbeschreibungen.“
  "9.3": ["9.1"],
};

/**
 * Literal repairs of the cleaned text (after link/markup removal and paragraph joining).
 * Each `from` must occur exactly once in the given measure's explanation, otherwise the
 * extractor throws — so a fix can never silently go stale.
 */
const TEXT_FIXES: { measure: string; from: string; to: string; why: string }[] = [
  {
    measure: "2.7",
    from: "Ansprechpersonen sind Herr Einwich und Frau Dr. Pistalo\nTheobaldstraße 10, 54292 Trier\nTel.: 0651/2090052\nE-Mail: einwich@diakoniehilft.net\noder pistalo@diakoniehilft.net",
    to: "Ansprechpersonen sind Herr Einwich und Frau Dr. Pistalo (Theobaldstraße 10, 54292 Trier, Tel.: 0651/2090052, E-Mail: einwich@diakoniehilft.net oder pistalo@diakoniehilft.net).",
    why: "address block laid out as separate lines in the PDF",
  },
  {
    measure: "12.1",
    from: "„Wir streben nach...“ kann bei der Formulierung helfen\n",
    to: "„Wir streben nach...“ kann bei der Formulierung helfen.\n",
    why: "first of the three numbered steps ends without a full stop in the source",
  },
];

/**
 * Paragraphs that a page or column break split at a sentence boundary (which the generic
 * mid-sentence rule cannot detect): the paragraph starting with `startsWith` is a grammatical
 * continuation of the one before it and is joined to it. Must match exactly once.
 */
const PARAGRAPH_JOINS: { measure: string; startsWith: string }[] = [
  { measure: "3.1", startsWith: "Dies führt im Idealfall" }, // "Dies" refers to the preceding sentence
  { measure: "5.3", startsWith: "Hierzu dienen bspw." }, // "Hierzu" refers to the preceding sentence
  { measure: "9.7", startsWith: "Zum anderen berichten" }, // second half of "Zum einen … Zum anderen …"
  { measure: "10.4", startsWith: "Zudem wird der mit der Einarbeitung" }, // one-sentence orphan continuing the paragraph
];

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

const LINK_RE = /\[([^\]]*)\]\(#\)/g;
const ICON_RE = /[➔▶►]\s*/g;

/** Blank-line separated chunks, each a list of trimmed lines. */
function chunks(lines: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const line of lines) {
    if (line.trim() === "") {
      if (cur.length) out.push(cur);
      cur = [];
    } else cur.push(line.trim());
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Page-break junk: the running "A / B / C" part markers and table-rule remnants. */
function isJunkLine(line: string): boolean {
  const t = line.trim();
  return t === "" || /^[ABC]$/.test(t) || /^[-|\s]+$/.test(t);
}

function stripHtml(s: string): string {
  return s.replace(/<\/?(?:p|ul|li)\b[^>]*>/g, " ");
}

function squash(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** Removes inline markup from one line of running text. */
function cleanLine(line: string): string {
  let s = line.replace(LINK_RE, "$1").replace(ICON_RE, "");
  s = s
    .replace(/^-\s+\*\s+/, "• ")
    .replace(/^\*\s+/, "• ")
    .replace(/^-\s+(?=[a-z]\.\s)/, "");
  // Bold run-in headings: "**Identifizierung der Adressaten** Die …" → "Identifizierung der Adressaten: Die …"
  s = s.replace(/\*\*(.+?)\*\*(?=\s+\p{Lu})/gu, (_m, inner: string) => (/[.:!?]$/.test(inner) ? inner : `${inner}:`));
  s = s.replace(/\*\*/g, "");
  s = s.replace(/„\s+/g, "„");
  return s.replace(/[ \t]+/g, " ").trim();
}

const ENDS_SENTENCE = /[.!?:;…]["“)]?$|[.!?]\)$/;
const STARTS_LIST_ITEM = /^(?:•|\d+\.\s|[a-z]\.\s)/;

/**
 * Turns raw blank-line separated chunks into clean paragraphs: drops page-break junk, removes
 * markup, and re-joins paragraphs that a page break split mid-sentence or mid-word.
 */
function paragraphs(rawChunks: string[][]): string[] {
  const paras: string[] = [];
  for (const chunk of rawChunks) {
    const lines = chunk
      .filter((l) => !isJunkLine(l))
      .map(cleanLine)
      .filter(Boolean);
    if (!lines.length) continue;
    const para = lines.join("\n");
    const prev = paras[paras.length - 1];
    if (prev !== undefined && !STARTS_LIST_ITEM.test(para)) {
      if (/\p{Ll}-$/u.test(prev) && /^\p{Ll}/u.test(para)) {
        // hyphenated word split over a page break: "Verände-" + "rungsprozess"
        paras[paras.length - 1] = prev.slice(0, -1) + para;
        continue;
      }
      if (!ENDS_SENTENCE.test(prev)) {
        // sentence split over a page break: "… Organisationen oder" + "Akteuren und leiten …"
        paras[paras.length - 1] = `${prev} ${para}`;
        continue;
      }
    }
    paras.push(para);
  }
  return paras;
}

function linkTexts(s: string): string[] {
  return [...s.matchAll(LINK_RE)].map((m) => m[1]);
}

/** "Maßnahme 2.7", "Maßnahmen 1.1, 1.2", "Maßnahmen 2.1 bis 2.5" → codes. */
function numericMeasureRefs(s: string): string[] {
  const out: string[] = [];
  const re = /\bMaßnahmen?\s+(\d+\.\d+(?:\s*(?:,|und|bis)\s*\d+\.\d+)*)/g;
  for (const m of s.matchAll(re)) {
    const parts = m[1].split(/\s*(,|und|bis)\s*/);
    for (let i = 0; i < parts.length; i += 2) {
      const code = parts[i];
      if (parts[i - 1] === "bis") {
        const [g, from] = parts[i - 2].split(".").map(Number);
        const [g2, to] = code.split(".").map(Number);
        if (g !== g2) throw new Error(`Range across goals: ${m[0]}`);
        for (let n = from + 1; n <= to; n++) out.push(`${g}.${n}`);
      } else out.push(code);
    }
  }
  return out;
}

function lineIndex(lines: string[], re: RegExp, from = 0): number {
  const i = lines.findIndex((l, n) => n >= from && re.test(l));
  if (i < 0) throw new Error(`Marker not found: ${re}`);
  return i;
}

// ---------------------------------------------------------------------------------------------
// Extraction
// ---------------------------------------------------------------------------------------------

interface Extraction {
  data: FrameworkJson;
  notes: string[];
}

function extract(text: string): Extraction {
  const notes: string[] = [];
  const lines = text.replace(/\r\n?/g, "\n").split("\n");

  // ---- table of contents (proper capitalisation of work fields; cross-check of titles) -------
  const tocStart = lineIndex(lines, /^INHALT$/);
  const tocEnd = lineIndex(lines, /^EINLEITUNG$/, tocStart);
  const tocGoals = new Map<number, string>();
  const tocWorkFields = new Map<string, string>();
  const tocMeasures = new Map<string, string>();
  for (const raw of lines.slice(tocStart, tocEnd)) {
    const l = raw.trim().replace(/\t\d+$/, "");
    let m: RegExpMatchArray | null;
    if ((m = l.match(/^Ziel (\d+):\s*(.+)$/))) tocGoals.set(Number(m[1]), squash(m[2]));
    else if ((m = l.match(/^Arbeitsfeld (\d+)(?: ([A-C]))?:\s*(.+)$/))) tocWorkFields.set(m[1] + (m[2] ?? ""), squash(m[3]));
    else if ((m = l.match(/^Maßnahme (\d+\.\d+):\s*(.+)$/))) tocMeasures.set(m[1], squash(m[2]));
  }

  // ---- Teil A: design areas and the goal list ------------------------------------------------
  const areasStart = lineIndex(lines, /sechs Gestaltungsbereiche/);
  const areasEnd = lineIndex(lines, /^RAHMENBEDINGUNGEN$/, areasStart);
  const designAreas: FrameworkJson["designAreas"] = [];
  for (const raw of lines.slice(areasStart + 1, areasEnd)) {
    const m = raw.trim().match(/^(?:-\s+)?([a-f])\.\s+(.*)$/);
    if (!m) continue;
    const title = m[2].match(/\*\*„(.+?)“\*\*/);
    if (!title) throw new Error(`Design area ${m[1]} without bold title`);
    const goalNumbers = DESIGN_AREA_GOALS[m[1]];
    if (!goalNumbers) throw new Error(`No goal assignment for design area ${m[1]}`);
    designAreas.push({ code: m[1], title: title[1], description: squash(m[2].replace(/\*\*/g, "")), goalNumbers });
  }

  const goalsAStart = lineIndex(lines, /^ZIELE EINES VERÄNDERUNGSPROZESSES$/);
  const goalsAEnd = lineIndex(lines, /^GESAMTSTRATEGIE/, goalsAStart);
  const teilAGoals = new Map<number, string>();
  for (const raw of lines.slice(goalsAStart, goalsAEnd)) {
    const m = raw.trim().match(/^(\d+)\.\s+(.+?)\**$/);
    if (m) teilAGoals.set(Number(m[1]), squash(m[2]));
  }

  // ---- Teil B: working aids ("Verfügbare Instrumente") ---------------------------------------
  const teilBStart = lineIndex(lines, /^TEIL B$/);
  const teilCStart = lineIndex(lines, /^MASSNAHMENKATALOG$/, teilBStart);
  const workingAids: FrameworkJson["workingAids"] = [];
  const bullets = (s: string) =>
    stripHtml(s)
      .replace(/(^|\n)\s*-\s*(?=»)/g, "$1") // markdown list dashes in front of the » bullets
      .split("»")
      .map(squash)
      .filter(Boolean);
  let pending: string[] | null = null; // chunks after "Verfügbare Instrumente:" in the block layout
  for (const chunk of chunks(lines.slice(teilBStart, teilCStart))) {
    const first = chunk[0];
    if (first === "Verfügbare Instrumente:") {
      pending = [];
      continue;
    }
    if (pending === null) continue;
    // table layout: "Title<TAB><ul> » … » …<TAB>Arbeitshilfe X.Y", one aid per line
    const rows = chunk.map((l) => l.match(/^(.+?)\t(.+)\t\[?Arbeitshilfe (\d+\.\d+)\]?(?:\(#\))?$/));
    if (rows.every(Boolean)) {
      for (const r of rows) {
        const desc = bullets(r![2]);
        workingAids.push({ code: r![3], title: squash(r![1]), description: desc.length ? desc.join("\n") : null });
      }
      pending = null;
      continue;
    }
    // block layout: title, bullet lines, "[Arbeitshilfe X.Y](#)"
    const code = first.match(/^\[?Arbeitshilfe (\d+\.\d+)\]?(?:\(#\))?$/);
    if (code) {
      const [title, ...rest] = pending;
      if (!title) throw new Error(`Working aid ${code[1]} without title`);
      const desc = rest.flatMap(bullets);
      workingAids.push({ code: code[1], title: squash(title), description: desc.length ? desc.join("\n") : null });
      pending = null;
      continue;
    }
    if (chunk.length === 1 || chunk.every((l) => /^-?\s*»/.test(l))) pending.push(chunk.join("\n"));
    else pending = null; // "Verfügbare Instrumente:" not followed by an aid: ignore
  }
  workingAids.sort((x, y) => compareCodes(x.code, y.code));
  const aidCodes = new Set(workingAids.map((a) => a.code));
  if (aidCodes.size !== workingAids.length) throw new Error("Duplicate working aid code");

  // ---- Teil C: goals, work fields, measures --------------------------------------------------
  const teilCEnd = lineIndex(lines, /^IMPRESSUM$/, teilCStart);
  const c = lines.slice(teilCStart, teilCEnd);

  type Heading =
    | { kind: "goal"; line: number; number: number; title: string }
    | { kind: "field"; line: number; code: string; heading: string }
    | { kind: "measure"; line: number; code: string; title: string; inline?: string };
  const headings: Heading[] = [];
  c.forEach((raw, i) => {
    const l = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = l.match(/^Ziel (\d+):\s*(.+)$/))) headings.push({ kind: "goal", line: i, number: Number(m[1]), title: m[2] });
    else if ((m = l.match(/^ARBEITSFELD (\d+)(?: ?([A-C]))?:\s*(.+)$/)))
      headings.push({ kind: "field", line: i, code: m[1] + (m[2] ?? ""), heading: squash(m[3]) });
    else if ((m = l.match(/^Maßnahme (\d+\.\d+):\s*(.+?)(\*\*Ergebnis:\*\*)?$/)))
      headings.push({ kind: "measure", line: i, code: m[1], title: squash(m[2]), inline: m[3] });
  });
  const bodyOf = (idx: number) => c.slice(headings[idx].line + 1, headings[idx + 1]?.line ?? c.length);

  const goals: FrameworkJson["goals"] = [];
  const workFields: FrameworkJson["workFields"] = [];
  const measures: FrameworkJson["measures"] = [];
  const measureLinks = new Map<string, string[]>(); // raw link texts per measure
  const measureTexts = new Map<string, string>(); // cleaned result + activities + explanation
  let currentGoal = 0;
  let currentField = "";

  headings.forEach((h, idx) => {
    const body = bodyOf(idx);
    if (h.kind === "goal") {
      currentGoal = h.number;
      const title = squash(h.title.replace(/\*+$/, ""));
      const raw = chunks(body);
      const footnotes = raw.filter((ch) => ch[0].startsWith("* "));
      let alternativeWording: FrameworkJson["goals"][number]["alternativeWording"] = null;
      for (const fn of footnotes) {
        const m = squash(fn.join(" ")).match(/^\*\s+(.+?):\s*„(.+)“$/);
        if (!m) throw new Error(`Unrecognised footnote under goal ${h.number}: ${fn[0]}`);
        alternativeWording = { text: m[2], note: `${m[1]}.` };
      }
      const explanation = paragraphs(raw.filter((ch) => !footnotes.includes(ch))).join("\n\n");
      goals.push({ number: h.number, title, shortTitle: GOAL_SHORT_TITLES[h.number], explanation, alternativeWording });
      if (tocGoals.get(h.number) !== title) notes.push(`Ziel ${h.number}: Teil C und Inhaltsverzeichnis weichen ab.`);
      const a = teilAGoals.get(h.number);
      if (a !== undefined && a !== title) notes.push(`Ziel ${h.number}: Teil A formuliert abweichend: „${a}“`);
      return;
    }

    if (h.kind === "field") {
      const goalNumber = Number(h.code.match(/^\d+/)![0]);
      if (goalNumber !== currentGoal) throw new Error(`Arbeitsfeld ${h.code} outside goal ${goalNumber}`);
      const title = tocWorkFields.get(h.code);
      if (!title) throw new Error(`Arbeitsfeld ${h.code} missing from the table of contents`);
      if (title.toUpperCase() !== h.heading && WORK_FIELD_HEADING_TYPOS[h.code] !== h.heading)
        throw new Error(`Arbeitsfeld ${h.code}: heading „${h.heading}“ does not match TOC „${title}“`);
      if (body.some((l) => l.trim() && !isJunkLine(l)))
        throw new Error(`Unexpected text between Arbeitsfeld ${h.code} and its first measure`);
      currentField = h.code;
      workFields.push({ code: h.code, goalNumber, title });
      return;
    }

    // ---- measure ----
    if (Number(h.code.split(".")[0]) !== currentGoal) throw new Error(`Maßnahme ${h.code} outside goal ${currentGoal}`);
    const block = (h.inline ? ["Ergebnis:", ...body] : body).join("\n");
    const m = block.match(
      /^\s*(?:<p>)?(?:\*\*)?Ergebnis:(?:\*\*)?(?:<\/p>)?([\s\S]*?)\n\s*(?:<p>)?Zentrale Aktivitäten:?(?:<\/p>)?([\s\S]*?)(?:\n\s*Erläuterungen:([\s\S]*))?$/,
    );
    if (!m) throw new Error(`Maßnahme ${h.code}: Ergebnis/Zentrale Aktivitäten not found`);
    const [, rawResult, rawActivities, rawExplanation] = m;

    const result = squash(
      stripHtml(rawResult)
        .split("\n")
        .filter((l) => !isJunkLine(l))
        .join(" ")
        .replace(/^\s*»\s*/, ""),
    );

    // One entry per » bullet; nested • sub-bullets stay inside their parent entry, one per line.
    const activities = stripHtml(rawActivities)
      .replace(/(^|\n)\s*-\s*(?=»)/g, "$1") // markdown list dashes in front of the » bullets (8.1, 8.2)
      .split("»")
      .slice(1)
      .map((item) => {
        const [main, ...subs] = item.split("•").map(squash);
        return [main, ...subs.filter(Boolean).map((x) => `• ${x}`)].join("\n");
      });

    let explanation: string | null = null;
    if (rawExplanation !== undefined) {
      const paras = paragraphs(chunks(rawExplanation.split("\n")));
      for (const join of PARAGRAPH_JOINS.filter((j) => j.measure === h.code)) {
        const hits = paras.flatMap((p, i) => (i > 0 && p.startsWith(join.startsWith) ? [i] : []));
        if (hits.length !== 1) throw new Error(`PARAGRAPH_JOINS for ${h.code} is stale („${join.startsWith}“)`);
        paras.splice(hits[0] - 1, 2, `${paras[hits[0] - 1]} ${paras[hits[0]]}`);
      }
      explanation = paras.length ? paras.join("\n\n") : null;
    }
    for (const fix of TEXT_FIXES.filter((f) => f.measure === h.code)) {
      const count = explanation?.split(fix.from).length ?? 0;
      if (count !== 2) throw new Error(`TEXT_FIXES for ${h.code} is stale (${JSON.stringify(fix.from.slice(0, 40))})`);
      explanation = explanation!.replace(fix.from, fix.to);
    }

    const tocTitle = tocMeasures.get(h.code);
    if (tocTitle !== h.title) notes.push(`Maßnahme ${h.code}: Titel im Inhaltsverzeichnis „${tocTitle}“`);

    measureLinks.set(h.code, linkTexts(`${rawResult}\n${rawActivities}\n${rawExplanation ?? ""}`));
    measureTexts.set(h.code, [result, ...activities, explanation ?? ""].join("\n"));
    measures.push({
      code: h.code,
      workFieldCode: currentField,
      title: h.title,
      result,
      activities,
      explanation,
      relatedMeasureCodes: [],
      workingAidCodes: [],
    });
  });

  // ---- cross-references ----------------------------------------------------------------------
  const order = new Map(measures.map((x, i) => [x.code, i]));
  const byTitle = new Map(measures.map((x) => [x.title, x.code]));
  const aidByTitle = new Map(workingAids.map((a) => [a.title, a.code]));
  const resolve = (raw: string, from: string): LinkTarget => {
    const override = LINK_TARGETS[raw];
    if (override) return override;
    const bare = raw.replace(/^Maßnahme\s+/, "").replace(/^„(.*)“$/, "$1");
    if (/^\d+\.\d+$/.test(bare)) return { measure: bare };
    const measure = byTitle.get(bare);
    if (measure) return { measure };
    const aid = aidByTitle.get(bare);
    if (aid) return { aid };
    throw new Error(`Maßnahme ${from}: cannot resolve link text „${raw}“ — add it to LINK_TARGETS`);
  };
  for (const measure of measures) {
    const related: string[] = [];
    const aids: string[] = [];
    for (const raw of measureLinks.get(measure.code)!) {
      const t = resolve(raw, measure.code);
      if ("measure" in t) related.push(t.measure);
      else if ("aid" in t) aids.push(t.aid);
    }
    const text = measureTexts.get(measure.code)!;
    related.push(...numericMeasureRefs(text), ...(UNLINKED_REFERENCES[measure.code] ?? []));
    aids.push(...[...text.matchAll(/\bArbeitshilfe\s+(\d+\.\d+)/g)].map((x) => x[1]));
    for (const code of related) if (!order.has(code)) throw new Error(`Maßnahme ${measure.code} refers to unknown ${code}`);
    for (const code of aids)
      if (!aidCodes.has(code)) throw new Error(`Maßnahme ${measure.code} refers to unknown Arbeitshilfe ${code}`);
    measure.relatedMeasureCodes = [...new Set(related)]
      .filter((x) => x !== measure.code)
      .sort((x, y) => order.get(x)! - order.get(y)!);
    measure.workingAidCodes = [...new Set(aids)].sort(compareCodes);
  }

  // ---- source (from the imprint) -------------------------------------------------------------
  const imprint = chunks(lines.slice(teilCEnd + 1));
  const authors = imprint[0][0].replace(/:$/, "").split(/,\s*/);
  const docTitle = imprint[1].join(" ").replace(/\.\s+/, " – ");
  const after = (label: string) => imprint[imprint.findIndex((ch) => ch[0] === label) + 1];
  const isAddress = (l: string) => /\d{5}|straße/i.test(l);
  const publishers = after("HERAUSGEBER:").filter((l) => !isAddress(l));
  const funder = after("GEFÖRDERT DURCH:")[0];
  const date = imprint
    .flat()
    .find((l) => /^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}$/.test(l));
  if (!authors.length || !publishers.length || !funder || !date) throw new Error("Imprint not recognised");
  const source =
    `${authors.join(" und ")}: ${docTitle}, herausgegeben vom ${publishers.join(" und von ")}, ` +
    `gefördert durch das ${funder}, ${date}.`;

  // ---- sanity checks ---------------------------------------------------------------------------
  if (goals.length !== 12) throw new Error(`Expected 12 goals, found ${goals.length}`);
  if (designAreas.length !== 6) throw new Error(`Expected 6 design areas, found ${designAreas.length}`);
  for (const g of goals) if (!g.shortTitle) throw new Error(`No short title for goal ${g.number}`);
  for (const [code] of tocMeasures) if (!order.has(code)) throw new Error(`Maßnahme ${code} (TOC) not found in Teil C`);
  for (const x of measures) {
    if (!x.result || !x.activities.length || x.activities.some((a) => !a)) throw new Error(`Maßnahme ${x.code} incomplete`);
  }

  return {
    data: { slug: SLUG, title: TITLE, source, designAreas, goals, workFields, measures, workingAids },
    notes,
  };
}

function compareCodes(a: string, b: string): number {
  const [a1, a2] = a.split(".").map(Number);
  const [b1, b2] = b.split(".").map(Number);
  return a1 - b1 || a2 - b2;
}

/** Parses the plain-text export of the Orientierungsrahmen into the seed data structure. */
export function extractFramework(text: string): FrameworkJson {
  return extract(text).data;
}

export function serializeFramework(data: FrameworkJson): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_SOURCE = path.resolve(REPO_ROOT, "../shared/seeds/orientierungsrahmen-rlp-2015.txt");
export const OUTPUT_FILE = path.resolve(REPO_ROOT, "prisma/data/framework-rlp-2015.json");

// ---------------------------------------------------------------------------------------------
// CLI
// ---------------------------------------------------------------------------------------------

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const input = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_SOURCE;
  const { data, notes } = extract(fs.readFileSync(input, "utf8"));
  fs.mkdirSync(path.dirname(OUTPUT_FILE), { recursive: true });
  fs.writeFileSync(OUTPUT_FILE, serializeFramework(data), "utf8");
  const links = data.measures.reduce((n, x) => n + x.relatedMeasureCodes.length, 0);
  console.log(
    `${path.relative(process.cwd(), OUTPUT_FILE)}: ${data.goals.length} goals, ${data.designAreas.length} design areas, ` +
      `${data.workFields.length} work fields, ${data.measures.length} measures, ${data.workingAids.length} working aids, ` +
      `${links} cross-links`,
  );
  for (const note of notes) console.log(`  note: ${note}`);
}
