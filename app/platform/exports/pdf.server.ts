/**
 * What the portal's printable PDFs share (pdfkit with the standard fonts): text made safe for
 * WinAnsi, the fonts and sizes, decoration as artifacts, and a tagged table that breaks
 * between rows. Used by the round export and the plan export.
 */
import PDFDocument from "pdfkit";
import { toWinAnsi } from "./pdf-text";

export { toWinAnsi };

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

/**
 * Ends the document's structure, writes the footer – whose document, and "Seite x von y" –
 * on every page as a pagination artifact (not content, so screen readers skip it), and ends
 * the PDF. Call last; the document must have been created with `bufferPages: true`.
 */
export function finishWithFooter(
  pdf: PDFKit.PDFDocument,
  root: PDFKit.PDFStructureElement,
  { footer, pageLabel }: { footer: string; pageLabel: (page: number, pages: number) => string },
) {
  root.end();
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    pdf.markContent("Artifact", { type: "Pagination" });
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0; // writing inside the margin must not start a new page
    const y = pdf.page.height - bottom + 18;
    pdf.font(FONT).fontSize(SMALL).fillColor(GREY);
    pdf.text(toWinAnsi(footer), left, y, { width: width - 90, lineBreak: false, ellipsis: true, height: 12 });
    pdf.text(toWinAnsi(pageLabel(i - range.start + 1, range.count)), left + width - 90, y, {
      width: 90,
      align: "right",
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottom;
    pdf.endMarkedContent();
  }
  pdf.end();
}

/**
 * A tagged A4 PDF (PDF/UA-minded: structure tree, language, title shown) that collects its
 * bytes: `done` resolves when `pdf.end()` (finishWithFooter) has run. `left` and `width` are
 * the text column.
 */
export function startTaggedPdf({
  title,
  language,
  margins,
  landscape = false,
}: {
  title: string;
  language: "de" | "en";
  margins: { top: number; bottom: number; left: number; right: number };
  landscape?: boolean;
}) {
  const pdf = new PDFDocument({
    size: "A4",
    ...(landscape ? { layout: "landscape" as const } : {}),
    pdfVersion: "1.7",
    tagged: true,
    margins,
    bufferPages: true,
    lang: language === "de" ? "de-DE" : "en-GB",
    displayTitle: true,
    info: { Title: toWinAnsi(title), Author: "ABH-Netz", Creator: "ABH-Netz" },
  });
  const chunks: Buffer[] = [];
  pdf.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
  const left = pdf.page.margins.left;
  const width = pdf.page.width - left - pdf.page.margins.right;
  const root = pdf.struct("Document");
  pdf.addStructure(root);
  return { pdf, root, done, left, width };
}
