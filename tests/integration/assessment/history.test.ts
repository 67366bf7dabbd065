import { Readable } from "node:stream";
import { inflateSync } from "node:zlib";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const DAY = 86_400_000;
/** Everything a comment can hold that a careless CSV writer breaks: ; " line break, umlauts, typographic marks. */
const COMMENT = 'Termine; Wartezeit "deutlich" kürzer\nzweite Zeile: Öffnungszeiten – „Willkommen“ … Maß';
const FORMULA = '=HYPERLINK("https://evil.example")';
/** Longer than a page, with characters the PDF's standard font lacks. */
const LONG_COMMENT = `Kooperation mit Gdańsk 😀 → nächster Schritt. ${"Wir haben die Abläufe geprüft. ".repeat(150)}Ende des Kommentars.`;

describe("history: rounds side by side, comparing two, exports of one round", () => {
  const app = useApp();
  const ids = {} as { office: string; other: string; old: string; current: string; future: string };
  const cookies = {} as Record<"staffA" | "headB" | "admin", string>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "verlauf", name: "Netz Verlauf", state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({
      data: { networkId: network.id, slug: "a", name: "ABH Köln-Süd", kind: "KREISFREIE_STADT" },
    });
    const other = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const staffA = await createUser(p, { name: "Sam Mitarbeit" });
    const headB = await createUser(p, { name: "Bea Leitung" });
    const admin = await createUser(p, { name: "Ada Ministerium" });
    await p.membership.createMany({
      data: [
        { userId: staffA.id, networkId: network.id, officeId: office.id, role: "OFFICE_STAFF" },
        { userId: headB.id, networkId: network.id, officeId: other.id, role: "OFFICE_HEAD" },
        { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" },
      ],
    });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });

    const round = async (name: string, opensAt: Date, closedAt: Date | null) => {
      const r = await p.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: version.id,
          name,
          opensAt,
          deadline: new Date(opensAt.getTime() + 60 * DAY),
          closedAt,
          createdById: admin.id,
        },
      });
      for (const officeId of [office.id, other.id]) {
        await p.roundParticipant.create({ data: { roundId: r.id, officeId } });
      }
      return r;
    };
    // Created newest first, so the page has to sort by date, not by insertion.
    const future = await round("2027", new Date(Date.now() + 30 * DAY), null);
    const current = await round("2026", new Date(Date.now() - 10 * DAY), null);
    const old = await round("2025", new Date("2025-01-10T00:00:00+01:00"), new Date("2025-05-02T12:00:00+02:00"));
    const assessment = async (roundId: string, submittedAt: Date | null) =>
      (
        await p.assessment.create({
          data: { roundId, officeId: office.id, submittedAt, submittedById: submittedAt ? staffA.id : null },
        })
      ).id;
    const oldA = await assessment(old.id, new Date("2025-03-20T10:00:00+01:00"));
    const currentA = await assessment(current.id, null);
    await assessment(future.id, null);

    const goals = new Map((await p.goal.findMany({ where: { frameworkVersionId: version.id } })).map((g) => [g.number, g.id]));
    const measures = new Map(
      (await p.measure.findMany({ where: { frameworkVersionId: version.id } })).map((m) => [m.code, m.id]),
    );
    await p.goalAssessment.createMany({
      data: [
        { assessmentId: oldA, goalId: goals.get(1)!, rating: 2 },
        { assessmentId: oldA, goalId: goals.get(2)!, rating: 4 },
        { assessmentId: oldA, goalId: goals.get(3)!, notAssessed: true },
        { assessmentId: oldA, goalId: goals.get(4)!, rating: 3 },
        {
          assessmentId: currentA,
          goalId: goals.get(1)!,
          rating: 4,
          comment: COMMENT,
          evidence: FORMULA,
          evidenceLinks: ["https://example.org/leitbild", "https://example.org/termine"],
        },
        { assessmentId: currentA, goalId: goals.get(2)!, rating: 3, comment: LONG_COMMENT },
        { assessmentId: currentA, goalId: goals.get(3)!, rating: 3 },
        { assessmentId: currentA, goalId: goals.get(4)!, rating: 3 },
        { assessmentId: currentA, goalId: goals.get(5)!, notAssessed: true },
      ],
    });
    await p.measureAssessment.createMany({
      data: [
        // 1.1: high need, little effort → high; then little need → low.
        { assessmentId: oldA, measureId: measures.get("1.1")!, need: "HIGH", effort: "LOW" },
        { assessmentId: currentA, measureId: measures.get("1.1")!, need: "LOW", effort: "LOW" },
        // 1.2: the same both times → not listed as changed.
        { assessmentId: oldA, measureId: measures.get("1.2")!, need: "MEDIUM", effort: "MEDIUM" },
        { assessmentId: currentA, measureId: measures.get("1.2")!, need: "MEDIUM", effort: "MEDIUM" },
        // 2.1: new, and the office raised the rule's "gering" to "hoch".
        {
          assessmentId: currentA,
          measureId: measures.get("2.1")!,
          need: "MEDIUM",
          effort: "HIGH",
          priorityOverride: "HIGH",
          overrideReason: "Leitung: zuerst; danach Schulung",
        },
      ],
    });
    // Office B's own answer in the same round, which office A must never see.
    const otherA = await p.assessment.create({ data: { roundId: current.id, officeId: other.id } });
    await p.goalAssessment.create({
      data: { assessmentId: otherA.id, goalId: goals.get(1)!, rating: 5, comment: "Geheimnis von Beta" },
    });

    Object.assign(ids, { office: office.id, other: other.id, old: old.id, current: current.id, future: future.id });
    cookies.staffA = await sessionCookie(app.baseUrl, staffA.email);
    cookies.headB = await sessionCookie(app.baseUrl, headB.email);
    cookies.admin = await sessionCookie(app.baseUrl, admin.email);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
  });

  const get = (path: string, cookie: string) => fetch(app.baseUrl + path, { headers: { cookie }, redirect: "manual" });
  const historyPath = () => `/behoerden/${ids.office}/verlauf`;
  const exportPath = (format: string, round = ids.current) => `/behoerden/${ids.office}/runden/${round}/export/${format}`;
  /** The visible text of one table row, found by its first cell. */
  const row = (html: string, start: string) => {
    const rows = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]).trim());
    return rows.find((r) => r.startsWith(start));
  };

  it("shows an office member every begun round side by side, oldest first, with its status", async () => {
    const res = await get(historyPath(), cookies.staffA);
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain("Alle Runden im Vergleich");
    expect(page.indexOf("2025")).toBeLessThan(page.indexOf("2026"));
    expect(page).not.toContain("2027"); // not begun yet
    expect(page).toContain("Runde abgeschlossen, abgegeben am 20. März 2025");
    expect(page).toContain("Entwurf");
    expect(html).toContain(
      "<caption>Gemeinsame Bewertung der Behörde je Ziel (Zeilen) und Runde (Spalten), älteste Runde zuerst</caption>",
    );
    expect(row(html, "1. Gesicherter Aufenthaltsstatus")).toBe("1. Gesicherter Aufenthaltsstatus 2 4");
    expect(row(html, "3. ")).toMatch(/^3\. .* nicht bewertet 3$/);
    // Not assessed and nothing entered are different things.
    expect(row(html, "5. ")).toMatch(/^5\. .* – nichts eingetragen nicht bewertet$/);
    expect(page).not.toContain("Geheimnis von Beta");
    expect(html).toContain(`href="${exportPath("pdf")}"`);
  });

  it("compares the two newest rounds by default: levels up and down in words, and the measures whose priority changed", async () => {
    const html = await (await get(historyPath(), cookies.staffA)).text();
    const compare = html.slice(html.indexOf('id="compare-heading"'));
    expect(row(compare, "1. ")).toBe("1. Gesicherter Aufenthaltsstatus 2 4 ↑ 2 Stufen höher");
    expect(row(compare, "2. ")).toMatch(/ 4 3 ↓ 1 Stufe niedriger$/);
    expect(row(compare, "3. ")).toMatch(/ nicht bewertet 3 nicht vergleichbar$/);
    expect(row(compare, "4. ")).toMatch(/ 3 3 unverändert$/);
    expect(compare).toMatch(/<span aria-hidden="true">↑ <\/span>2 Stufen höher/);
    expect(row(compare, "1.1 ")).toMatch(/ hoch gering ↓ niedrigere Priorität$/);
    expect(row(compare, "2.1 ")).toMatch(/ – hoch neu bewertet$/);
    expect(row(compare, "1.2 ")).toBeUndefined();
  });

  it("compares any two rounds chosen in the GET form, and refuses a bad choice with 400 and a message at the field", async () => {
    const reversed = await get(`${historyPath()}?a=${ids.current}&b=${ids.old}`, cookies.staffA);
    expect(reversed.status).toBe(200);
    const html = await reversed.text();
    expect(row(html.slice(html.indexOf('id="compare-heading"')), "1. ")).toBe(
      "1. Gesicherter Aufenthaltsstatus 4 2 ↓ 2 Stufen niedriger",
    );
    expect(html).toMatch(new RegExp(`<option value="${ids.current}" selected="">2026</option>`));

    const same = await get(`${historyPath()}?a=${ids.old}&b=${ids.old}`, cookies.staffA);
    expect(same.status).toBe(400);
    const sameHtml = await same.text();
    expect(sameHtml).toContain('id="compare-b-error"');
    expect(text(sameHtml)).toContain("Bitte wählen Sie zwei verschiedene Runden.");
    expect(sameHtml).not.toContain("Stufen höher");

    for (const query of [`a=${ids.future}&b=${ids.current}`, `a=kein-uuid&b=${ids.current}`, `b=${ids.current}`]) {
      const bad = await get(`${historyPath()}?${query}`, cookies.staffA);
      expect(bad.status, query).toBe(400);
      expect(text(await bad.text())).toMatch(/Diese Runde gibt es für Ihre Behörde nicht|Bitte wählen Sie eine Runde\./);
    }
  });

  it("exports CSV for German Excel: BOM, semicolons, quoted cells that read back exactly, formulas defused", async () => {
    const res = await get(exportPath("csv"), cookies.staffA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="Selbsteinschaetzung-ABH-Koeln-Sued-2026.csv"; filename*=UTF-8''${encodeURIComponent("Selbsteinschaetzung ABH Köln-Süd 2026.csv")}`,
    );
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const raw = bytes.subarray(3).toString("utf8");
    expect(raw.split("\r\n")[0]).toBe("Behörde;ABH Köln-Süd");
    // A line break inside a cell is quoted even without ; or " (else Excel starts a new row).
    expect(raw).toContain(';"https://example.org/leitbild\nhttps://example.org/termine"\r\n');

    const sheet = await new ExcelJS.Workbook().csv.read(Readable.from([raw]), {
      map: (v: string) => v,
      parserOptions: { delimiter: ";" },
    });
    const rows = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    const find = (first: string) => rows.find((r) => r[0] === first);
    expect(find("Runde")).toEqual(["Runde", "2026"]);
    expect(find("Stand")).toEqual(["Stand", "Entwurf"]);
    expect(find("Nr.")).toEqual(["Nr.", "Ziel", "Bewertung", "Stufe", "Kommentar", "Belege", "Links zu Belegen"]);
    const goal1 = find("1")!;
    expect(goal1.slice(0, 3)).toEqual(["1", "Gesicherter Aufenthaltsstatus", "4"]);
    expect(goal1[4]).toBe(COMMENT);
    expect(goal1[5]).toBe(`'${FORMULA}`);
    expect(goal1[6]).toBe("https://example.org/leitbild\nhttps://example.org/termine");
    expect(find("5")?.[2]).toBe("nicht bewertet");
    expect(find("6")?.[2] ?? "").toBe("");
    expect(find("2.1")).toEqual([
      "2.1",
      expect.any(String),
      "mittel",
      "hoch",
      "gering",
      "hoch",
      "Leitung: zuerst; danach Schulung",
      "hoch",
    ]);
    expect(find("1.1")?.slice(2)).toEqual(["gering", "gering", "gering", "", "", "gering"]);
    expect(rows.filter((r) => /^\d+\.\d+$/.test(String(r[0])))).toHaveLength(56);
  });

  it("exports XLSX with two sheets, a bold frozen header and the values as cells", async () => {
    const res = await get(exportPath("xlsx"), cookies.staffA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="Selbsteinschaetzung-ABH-Koeln-Sued-2026\.xlsx"/,
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Ziele", "Maßnahmen"]);
    const goals = workbook.getWorksheet("Ziele")!;
    expect(goals.getCell("A1").value).toBe("Behörde");
    expect(goals.getCell("B1").value).toBe("ABH Köln-Süd");
    expect(goals.getCell("B4").value).toBe("Entwurf");
    expect(goals.getRow(7).values).toEqual([
      undefined,
      "Nr.",
      "Ziel",
      "Bewertung",
      "Stufe",
      "Kommentar",
      "Belege",
      "Links zu Belegen",
    ]);
    expect(goals.getCell("A7").font?.bold).toBe(true);
    expect(goals.views[0]).toMatchObject({ state: "frozen", ySplit: 7 });
    expect(goals.getCell("C8").value).toBe(4); // a number, not text
    expect(goals.getCell("E8").value).toBe(COMMENT);
    expect(goals.getCell("F8").value).toBe(FORMULA); // a text cell in XLSX, never a formula
    expect(goals.getCell("C10").value).toBe(3);
    expect(goals.getCell("C12").value).toBe("nicht bewertet");
    expect(goals.getCell("C13").value ?? "").toBe("");

    const measures = workbook.getWorksheet("Maßnahmen")!;
    expect(measures.getRow(7).values).toEqual([
      undefined,
      "Nr.",
      "Maßnahme",
      "Veränderungsbedarf",
      "Aufwand",
      "Priorität nach Regel",
      "Geänderte Priorität",
      "Begründung",
      "Geltende Priorität",
    ]);
    expect(measures.views[0]).toMatchObject({ state: "frozen", ySplit: 7 });
    const byCode = new Map<string, unknown[]>();
    measures.eachRow((r, n) => n > 7 && byCode.set(String(r.getCell(1).value), (r.values as unknown[]).slice(1)));
    expect(byCode.size).toBe(56);
    expect(byCode.get("2.1")).toEqual([
      "2.1",
      expect.any(String),
      "mittel",
      "hoch",
      "gering",
      "hoch",
      "Leitung: zuerst; danach Schulung",
      "hoch",
    ]);
  });

  it("exports a tidy PDF for the files: header, goals with levels, measures, German characters, page numbers", async () => {
    const res = await get(exportPath("pdf", ids.old), cookies.staffA);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.length).toBeGreaterThan(1024);
    const pages = Number(/\/Type \/Pages\s*\/Count (\d+)/.exec(pdf.toString("latin1"))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const content = pdfText(pdf);
    expect(content).toContain("ABH Köln-Süd");
    expect(content).toContain("Runde: 2025");
    expect(content).toContain("Stand: Runde abgeschlossen, abgegeben am 20. März 2025");
    expect(content).toContain("Gesicherter Aufenthaltsstatus");
    expect(content).toContain("2 – Erste Ansätze");
    expect(content).toContain("nicht bewertet");
    expect(content).toContain(`Seite 1 von ${pages}`);
    expect(content).toContain(`Seite ${pages} von ${pages}`);
    expect(content).not.toContain("Geheimnis von Beta");
    // Tagged for screen readers (BITV): language, structure tree, headings, paragraphs, tables.
    const raw = pdf.toString("latin1");
    expect(raw).toMatch(/\/Marked true/);
    expect(raw).toContain("/StructTreeRoot");
    expect(raw).toContain("/Lang (de-DE)");
    for (const type of ["Document", "H1", "H2", "P", "Table", "TR", "TH", "TD"]) expect(raw, type).toContain(`/S /${type}\n`);
    // Header cells once per table (3 goal columns + 6 measure columns): headers repeated on a new page are artifacts.
    expect(raw.match(/\/S \/TH\n/g)).toHaveLength(9);
    expect(raw.match(/\/Scope \/Column/g)).toHaveLength(9);

    // The current round, with the comment's typographic characters and an override.
    const currentPdf = Buffer.from(await (await get(exportPath("pdf"), cookies.staffA)).arrayBuffer());
    const current = pdfText(currentPdf);
    expect(current).toContain("Öffnungszeiten – „Willkommen“ … Maß");
    expect(current).toContain('Wartezeit "deutlich" kürzer');
    expect(current).toContain("hoch (geändert)");
    expect(current).toContain("2.1 ");
    expect(current).toContain("Leitung: zuerst; danach Schulung");
    // A comment longer than a page flows on; what WinAnsi lacks becomes the nearest spelling or "?".
    expect(current).toContain("Kooperation mit Gdansk ? -> nächster Schritt.");
    expect(current).toContain("Ende des Kommentars.");
  });

  it("answers 404 to an unknown format", async () => {
    for (const format of ["docx", "CSV", "pdf.exe"]) {
      expect((await get(exportPath(format), cookies.staffA)).status, format).toBe(404);
    }
  });

  it("keeps the content inside the office: another office gets 404, the network's admin 403", async () => {
    for (const path of [exportPath("csv"), exportPath("pdf"), historyPath()]) {
      const res = await get(path, cookies.headB);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain("Termine");
    }
    for (const path of [exportPath("csv"), exportPath("xlsx"), historyPath()]) {
      const res = await get(path, cookies.admin);
      expect(res.status, path).toBe(403);
      expect(await res.text()).not.toContain("Termine");
    }
  });
});

/** Windows-1252 at 0x80–0x9F (Node's TextDecoder reads these bytes as Latin-1 control characters). */
const CP1252 = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ";

/** The text a PDF shows: inflates its content streams and decodes the (WinAnsi, hex) strings of TJ/Tj operators. */
function pdfText(pdf: Buffer) {
  const latin = pdf.toString("latin1");
  const lines: string[] = [];
  for (const match of latin.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let content: string;
    try {
      content = inflateSync(Buffer.from(match[1], "latin1")).toString("latin1");
    } catch {
      continue; // not a compressed content stream
    }
    for (const op of content.matchAll(/\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g)) {
      const hex = op[1] !== undefined ? [...op[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]).join("") : op[2];
      lines.push(
        [...Buffer.from(hex, "hex")]
          .map((byte) => (byte >= 0x80 && byte < 0xa0 ? CP1252[byte - 0x80] : String.fromCharCode(byte)))
          .join(""),
      );
    }
  }
  return lines.join("");
}
