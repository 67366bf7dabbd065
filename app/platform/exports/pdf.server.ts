/**
 * What the portal's printable PDFs share (pdfkit with the standard fonts): text made safe for
 * WinAnsi, the fonts and sizes, decoration as artifacts, and a tagged table that breaks
 * between rows. Used by the round export and the plan export.
 */
/**
 * The standard PDF fonts only know Windows-1252 (WinAnsi): German letters, „ “ ‚ ‘ – — …
 * and € are there. Anything else would print as garbage, so it is replaced by its
 * nearest WinAnsi spelling, or by "?".
 */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const REPLACEMENTS: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "–",
  "\u2212": "-",
  "\u2015": "—",
  "\u2032": "'",
  "\u2033": '"',
  "\u201B": "'",
  "\u201F": '"',
  "\u2190": "<-",
  "\u2192": "->",
  "\u2191": "^",
  "\u2193": "v",
  "\u21D2": "=>",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2248": "~",
  "\u2713": "x",
  "\u2714": "x",
  "\u2022": "•",
  "\u2009": " ",
  "\u200A": " ",
  "\u202F": " ",
  "\u2007": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\u00A0": " ",
  "\u200B": "",
  "\u200C": "",
  "\u200D": "",
  "\u2060": "",
  "\uFEFF": "",
};
export function toWinAnsi(text: string) {
  let out = "";
  for (const char of text.replace(/\r\n?/g, "\n").replace(/\t/g, " ")) {
    const code = char.codePointAt(0)!;
    if (char in REPLACEMENTS) out += REPLACEMENTS[char];
    else if (char === "\n" || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char))
      out += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    else {
      // Letters with marks that WinAnsi lacks (ł, ő, č …) keep their base letter.
      const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += base && [...base].every((c) => c.codePointAt(0)! < 0x7f) ? base : "?";
    }
  }
  return out;
}

export const FONT = "Helvetica";
export const BOLD = "Helvetica-Bold";
export const SMALL = 8.5;
export const BODY = 10;
export const GREY = "#555555";
export const RULE = "#9aa3ad";

export type Column = { header: string; width: number };

/** Draws what is only decoration (rules, shading) as an artifact, outside the document's structure. */
export function artifact(pdf: PDFKit.PDFDocument, draw: () => void) {
  pdf.markContent("Artifact", { type: "Layout" });
  draw();
  pdf.endMarkedContent();
}

/**
 * A plain table that breaks between rows and repeats its header on each new page. Tagged
 * as Table › TR › TH/TD; a repeated header is an artifact, so it is read out once.
 */
export function table(pdf: PDFKit.PDFDocument, parent: PDFKit.PDFStructureElement, columns: Column[], rows: string[][]) {
  const tableStruct = pdf.struct("Table");
  parent.add(tableStruct);
  const pad = 4;
  const left = pdf.page.margins.left;
  const total = columns.reduce((a, c) => a + c.width, 0);
  const heightOf = (cells: string[]) =>
    Math.max(...cells.map((cell, i) => pdf.heightOfString(toWinAnsi(cell), { width: columns[i].width - 2 * pad }))) + 2 * pad;
  const drawRow = (cells: string[], kind: "header" | "repeatedHeader" | "body") => {
    const header = kind !== "body";
    pdf.font(header ? BOLD : FONT).fontSize(header ? SMALL + 0.5 : BODY - 0.5);
    const height = heightOf(cells);
    if (pdf.y + height > pdf.page.maxY()) {
      pdf.addPage();
      if (!header)
        drawRow(
          columns.map((c) => c.header),
          "repeatedHeader",
        );
      pdf.font(header ? BOLD : FONT).fontSize(header ? SMALL + 0.5 : BODY - 0.5);
    }
    const y = pdf.y;
    if (header) artifact(pdf, () => pdf.rect(left, y, total, height).fill("#e8ecf1"));
    pdf.fillColor("black");
    const row = kind === "repeatedHeader" ? null : pdf.struct("TR");
    if (row) tableStruct.add(row);
    else pdf.markContent("Artifact", { type: "Pagination" });
    let x = left;
    cells.forEach((cell, i) => {
      const cellX = x;
      const draw = () => pdf.text(toWinAnsi(cell), cellX + pad, y + pad, { width: columns[i].width - 2 * pad });
      // Header cells name their column for screen readers (pdfkit writes /Scope /Column).
      if (row)
        row.add(
          pdf.struct(header ? "TH" : "TD", (header ? { scope: "Column" } : {}) as PDFKit.Mixins.StructureElementOptions, draw),
        );
      else draw();
      x += columns[i].width;
    });
    if (row) row.end();
    else pdf.endMarkedContent();
    artifact(pdf, () =>
      pdf
        .strokeColor(RULE)
        .lineWidth(header ? 0.75 : 0.4)
        .moveTo(left, y + height)
        .lineTo(left + total, y + height)
        .stroke(),
    );
    pdf.x = left;
    pdf.y = y + height;
  };
  drawRow(
    columns.map((c) => c.header),
    "header",
  );
  for (const row of rows) drawRow(row, "body");
  tableStruct.end();
  pdf.moveDown(0.5);
}
