/**
 * The overall strategy (Gesamtkonzept) as a file: DOCX (the `docx` package – real headings,
 * lists and a table, so it opens as an editable, accessible Word document) and PDF (pdfkit,
 * tagged: headings, paragraphs, lists in reading order). Both show the same parts in the
 * order of Arbeitshilfe 4.1: guiding idea, goals, need for change, planned measures,
 * successes to build on.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { finishWithFooter, startTaggedPdf } from "~/platform/exports/pdf.server";
import type { Language } from "~/i18n/config";
import { toWinAnsi } from "~/platform/exports/pdf-text";
import type { StrategyDocument } from "./strategy.server";

type T = (key: string, options?: Record<string, unknown>) => string;

export type StrategyFile = { doc: StrategyDocument; office: string; date: string; language: Language; t: T };

const decision = (t: T, mode: string) =>
  t(mode === "asIs" ? "export.adoptedAsIs" : mode === "reworded" ? "export.adoptedReworded" : "export.notAdopted");

/** The parts of the document as plain data, shared by both formats. */
function parts({ doc, t }: StrategyFile) {
  const adopted = doc.goals.filter((g) => g.choice.mode !== "no");
  return {
    guidingIdea: doc.guidingIdea.trim() ? doc.guidingIdea : t("guidingIdea.empty"),
    goals: adopted.map((g) => ({
      heading: t("goals.legend", { number: g.number, title: g.shortTitle }),
      text: g.choice.mode === "reworded" ? g.choice.wording : g.title,
      decision: decision(t, g.choice.mode),
    })),
    notAdopted: doc.goals
      .filter((g) => g.choice.mode === "no")
      .map((g) => t("goals.legend", { number: g.number, title: g.shortTitle })),
    needForChange: doc.needForChange.trim() ? doc.needForChange : t("need.empty"),
    measures: doc.measures.map(
      (m) =>
        `${m.code ? `${m.code} ` : `(${t("measures.own")}) `}${m.title}${m.done ? ` – ${t("measures.done")}` : ""}` +
        (m.intendedResult ? ` – ${t("measures.result", { result: m.intendedResult })}` : ""),
    ),
    successes: doc.successes.trim() ? doc.successes : t("successes.empty"),
  };
}

/** Paragraphs of a typed text: blank lines separate paragraphs, single line breaks stay. */
const blocks = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((b) => b.trim())
    .filter(Boolean);

// ─── DOCX ───────────────────────────────────────────────────────────────────

function docxText(text: string) {
  return blocks(text).map((block) => {
    const lines = block.split("\n");
    return new Paragraph({ children: lines.map((line, i) => new TextRun({ text: line, break: i > 0 ? 1 : 0 })) });
  });
}

export async function strategyDocx(file: StrategyFile): Promise<Buffer> {
  const { t, office, doc } = file;
  const p = parts(file);
  const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel] = HeadingLevel.HEADING_1) =>
    new Paragraph({ text, heading: level });
  const bullet = (text: string) => new Paragraph({ text, bullet: { level: 0 } });
  const title = t("export.documentTitle", { office });
  const document = new Document({
    creator: "ABH-Netz",
    title,
    description: t("export.subtitle"),
    styles: { default: { document: { run: { font: "Arial", size: 22 } } } },
    sections: [
      {
        children: [
          new Paragraph({ text: title, heading: HeadingLevel.TITLE }),
          new Paragraph({ children: [new TextRun({ text: t("export.subtitle"), italics: true })] }),
          new Paragraph({ text: t("export.meta", { cycle: doc.cycle, date: file.date }) }),
          heading(t("guidingIdea.heading")),
          ...docxText(p.guidingIdea),
          heading(t("goals.heading")),
          ...(p.goals.length
            ? p.goals.flatMap((g) => [
                heading(g.heading, HeadingLevel.HEADING_2),
                new Paragraph({ children: [new TextRun({ text: g.decision, italics: true })] }),
                ...docxText(g.text),
              ])
            : [new Paragraph({ text: t("goals.noneAdopted") })]),
          ...(p.notAdopted.length
            ? [heading(t("export.notAdoptedHeading"), HeadingLevel.HEADING_2), ...p.notAdopted.map(bullet)]
            : []),
          heading(t("need.heading")),
          ...docxText(p.needForChange),
          heading(t("measures.heading")),
          ...(p.measures.length ? p.measures.map(bullet) : [new Paragraph({ text: t("measures.none") })]),
          heading(t("successes.heading")),
          ...docxText(p.successes),
          overviewTable(file),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}

/** A closing table of all 12 goals and the decision on each (with a header row for screen readers). */
function overviewTable({ doc, t }: StrategyFile) {
  const cell = (text: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })], alignment: AlignmentType.LEFT })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: [cell(t("goals.goal"), true), cell(t("goals.decision"), true)] }),
      ...doc.goals.map(
        (g) =>
          new TableRow({
            children: [cell(t("goals.legend", { number: g.number, title: g.shortTitle })), cell(decision(t, g.choice.mode))],
          }),
      ),
    ],
  });
}

// ─── PDF ────────────────────────────────────────────────────────────────────

const MARGIN = 56;
const FONT = "Helvetica";
const BOLD = "Helvetica-Bold";
const ITALIC = "Helvetica-Oblique";

export function strategyPdf(file: StrategyFile): Promise<Buffer> {
  const { t, office, doc, language } = file;
  const p = parts(file);
  const title = t("export.documentTitle", { office });
  const { pdf, root, done, width } = startTaggedPdf({
    title,
    language,
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
  });
  const tagged = (type: "P" | "H1" | "H2" | "H3" | "LI", draw: () => void) => root.add(pdf.struct(type, {}, draw));
  const write = (s: string, options: PDFKit.Mixins.TextOptions = {}) => pdf.text(toWinAnsi(s), { width, ...options });
  const heading = (s: string, level: "H1" | "H2" | "H3") => {
    if (pdf.y + 60 > pdf.page.maxY()) pdf.addPage();
    pdf
      .moveDown(level === "H1" ? 0 : 0.8)
      .font(BOLD)
      .fontSize(level === "H1" ? 18 : level === "H2" ? 13 : 11)
      .fillColor("black");
    tagged(level, () => write(s));
    pdf.moveDown(0.3).font(FONT).fontSize(10);
  };
  const paragraphs = (text: string) => {
    for (const block of blocks(text)) {
      tagged("P", () => write(block));
      pdf.moveDown(0.4);
    }
  };
  const list = (items: string[]) => {
    for (const item of items) tagged("LI", () => write(`•  ${item}`, { indent: 0 }));
  };

  heading(title, "H1");
  pdf.font(ITALIC);
  tagged("P", () => write(t("export.subtitle")));
  pdf.font(FONT);
  tagged("P", () => write(t("export.meta", { cycle: doc.cycle, date: file.date })));

  heading(t("guidingIdea.heading"), "H2");
  paragraphs(p.guidingIdea);
  heading(t("goals.heading"), "H2");
  if (p.goals.length === 0) tagged("P", () => write(t("goals.noneAdopted")));
  for (const g of p.goals) {
    heading(g.heading, "H3");
    pdf.font(ITALIC);
    tagged("P", () => write(g.decision));
    pdf.font(FONT);
    paragraphs(g.text);
  }
  if (p.notAdopted.length) {
    heading(t("export.notAdoptedHeading"), "H3");
    list(p.notAdopted);
  }
  heading(t("need.heading"), "H2");
  paragraphs(p.needForChange);
  heading(t("measures.heading"), "H2");
  if (p.measures.length) list(p.measures);
  else tagged("P", () => write(t("measures.none")));
  heading(t("successes.heading"), "H2");
  paragraphs(p.successes);

  finishWithFooter(pdf, root, {
    footer: t("export.footer", { office }),
    pageLabel: (page, pages) => t("export.page", { page, pages }),
  });
  return done;
}
