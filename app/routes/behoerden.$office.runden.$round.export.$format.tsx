import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { attachment, toCsv } from "~/platform/exports/download.server";
import type { Grade, Priority } from "~/domains/assessment/priority";
import { roundScope } from "./behoerden.$office.runden.$round";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { loadRoundExport, type Rating, type RoundExport, statusText } from "~/domains/assessment/history.server";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import {
  artifact,
  BODY,
  BOLD,
  FONT,
  GREY,
  RULE,
  SMALL,
  table,
  toWinAnsi,
  finishWithFooter,
  startTaggedPdf,
} from "~/platform/exports/pdf.server";

/**
 * One round's self-assessment of an office as a file: PDF for the files (Akte), CSV and
 * XLSX to work with. A resource route (no page). Only the office's members may export:
 * "office.assess", which network admins lack – the content is the office's alone.
 */
const FORMATS = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
} as const;
type Format = keyof typeof FORMATS;

type T = (key: string, options?: Record<string, unknown>) => string;
type Export = RoundExport & { office: string; round: string; status: string; exportedAt: string; t: T };

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office, assessment, state } = await roundScope({ request, params, context }, "office.assess");
  const format = params.format;
  if (!format || !Object.hasOwn(FORMATS, format)) throw new Response("Not Found", { status: 404 });
  const t = (await i18next.getFixedT(request, "history")) as unknown as T;
  const language = (await i18next.getLocale(request)) as Language;
  const content = await loadRoundExport(actor, assessment);
  const doc: Export = {
    ...content,
    t,
    office: office.name,
    round: assessment.round.name,
    status: statusText(t, (d) => formatDay(d, language), {
      state,
      opensAt: assessment.round.opensAt,
      submittedAt: assessment.submittedAt,
    }),
    exportedAt: formatDateTime(new Date(), language),
  };
  const body = format === "csv" ? csvFile(doc) : format === "xlsx" ? await xlsxFile(doc) : await pdfFile(doc, language);
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": FORMATS[format as Format],
      "Content-Disposition": attachment(`${t("export.filename")} ${office.name} ${assessment.round.name}.${format}`),
      // The office's own content: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}

// ─── Shared wording ─────────────────────────────────────────────────────────

const grade = (t: T, g: Grade | null) => (g ? t(`grade.${g}`) : "");
const priority = (t: T, p: Priority | null) => (p ? t(`priority.${p}`) : "");
const ratingText = (t: T, r: Rating) => (r === "notAssessed" ? t("answer.notAssessed") : r === null ? "" : String(r));

function metaRows(doc: Export): Array<[string, string]> {
  const { t } = doc;
  return [
    [t("export.office"), doc.office],
    [t("export.network"), doc.networkName],
    [t("export.round"), doc.round],
    [t("export.status"), doc.status],
    [t("export.exportedAt"), doc.exportedAt],
  ];
}

function goalColumns(t: T) {
  return [
    t("export.goalNo"),
    t("export.goalTitle"),
    t("export.rating"),
    t("export.ratingLabel"),
    t("export.comment"),
    t("export.evidence"),
    t("export.links"),
  ];
}
function measureColumns(t: T) {
  return [
    t("export.measureCode"),
    t("export.measureTitle"),
    t("export.need"),
    t("export.effort"),
    t("export.rulePriority"),
    t("export.override"),
    t("export.reason"),
    t("export.effective"),
  ];
}
function measureRow(t: T, m: RoundExport["measures"][number]) {
  return [
    m.code,
    m.title,
    grade(t, m.need),
    grade(t, m.effort),
    priority(t, m.rulePriority),
    priority(t, m.override),
    m.reason,
    priority(t, m.effective),
  ];
}

// ─── CSV ────────────────────────────────────────────────────────────────────

/**
 * For German Excel: UTF-8 with BOM, semicolons, CRLF. One file, three blocks (about,
 * goals, measures) separated by a blank line. Cells that Excel would run as a formula
 * get a leading apostrophe (CSV injection).
 */
function csvFile(doc: Export) {
  const { t } = doc;
  const records: unknown[][] = [
    ...metaRows(doc),
    [],
    goalColumns(t),
    ...doc.goals.map((g) => [
      g.number,
      g.shortTitle,
      ratingText(t, g.rating),
      g.levelLabel ?? "",
      g.comment,
      g.evidence,
      g.evidenceLinks.join("\n"),
    ]),
    [],
    measureColumns(t),
    ...doc.measures.map((m) => measureRow(t, m)),
  ];
  return toCsv(records);
}

// ─── XLSX ───────────────────────────────────────────────────────────────────

async function xlsxFile(doc: Export) {
  const { t } = doc;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "ABH-Netz";
  workbook.title = `${t("export.heading")} – ${doc.office} – ${doc.round}`;
  const sheet = (name: string, header: string[], rows: unknown[][], widths: number[]) => {
    const meta = metaRows(doc);
    const headerRow = meta.length + 2;
    const ws = workbook.addWorksheet(name, {
      views: [{ state: "frozen", ySplit: headerRow }],
      pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    for (const row of meta) ws.addRow(row).getCell(1).font = { bold: true };
    ws.addRow([]);
    const head = ws.addRow(header);
    head.font = { bold: true };
    head.eachCell((cell) => {
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8ECF1" } };
      cell.border = { bottom: { style: "thin" } };
    });
    for (const row of rows) ws.addRow(row);
    widths.forEach((width, i) => {
      ws.getColumn(i + 1).width = width;
      ws.getColumn(i + 1).alignment = { vertical: "top", wrapText: width >= 30 };
    });
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: header.length } };
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
    return ws;
  };
  sheet(
    t("export.goals"),
    goalColumns(t),
    // A level stays a number so it can be filtered and averaged.
    doc.goals.map((g) => [
      g.number,
      g.shortTitle,
      typeof g.rating === "number" ? g.rating : ratingText(t, g.rating),
      g.levelLabel ?? "",
      g.comment,
      g.evidence,
      g.evidenceLinks.join("\n"),
    ]),
    [22, 36, 14, 26, 50, 50, 40],
  );
  sheet(
    t("export.measures"),
    measureColumns(t),
    doc.measures.map((m) => measureRow(t, m)),
    [22, 50, 18, 12, 20, 20, 40, 18],
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ─── PDF ────────────────────────────────────────────────────────────────────

const PAGE_MARGIN = 56; // 2 cm

function pdfFile(doc: Export, language: Language): Promise<Buffer> {
  const { t } = doc;
  // A tagged PDF (headings, paragraphs, tables in reading order; rules, shading and page
  // footers as artifacts), so screen readers can read the document that goes into the files.
  const { pdf, root, done, left, width } = startTaggedPdf({
    title: `${t("export.heading")} – ${doc.office} – ${doc.round}`,
    language,
    margins: { top: PAGE_MARGIN, bottom: PAGE_MARGIN, left: PAGE_MARGIN, right: PAGE_MARGIN },
  });
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) => pdf.text(toWinAnsi(s), options);
  /** One structure element (P, H1, H2 …) around what `draw` writes. */
  const tagged = (type: "P" | "H1" | "H2" | "H3", draw: () => void) => root.add(pdf.struct(type, {}, draw));
  const heading = (s: string, level: "H2" | "H3" = "H2") => {
    if (pdf.y + 60 > pdf.page.maxY()) pdf.addPage();
    pdf
      .moveDown(0.8)
      .font(BOLD)
      .fontSize(level === "H2" ? 13 : 11)
      .fillColor("black");
    tagged(level, () => text(s, { width }));
    pdf.moveDown(0.3).font(FONT).fontSize(BODY);
  };

  // Header: what this is, whose, which round, which state.
  pdf.font(FONT).fontSize(SMALL).fillColor(GREY);
  tagged("P", () => text(`ABH-Netz · ${t("export.heading")}`));
  pdf.moveDown(0.4).font(BOLD).fontSize(18).fillColor("black");
  tagged("H1", () => text(doc.office));
  pdf.moveDown(0.3).fontSize(BODY);
  for (const [label, value] of metaRows(doc).slice(1)) {
    tagged("P", () => {
      pdf.font(BOLD);
      text(`${label}: `, { continued: true });
      pdf.font(FONT);
      text(value);
    });
  }
  pdf.moveDown(0.5);
  artifact(pdf, () =>
    pdf
      .strokeColor(RULE)
      .lineWidth(0.75)
      .moveTo(left, pdf.y)
      .lineTo(left + width, pdf.y)
      .stroke(),
  );

  // Goals: a compact table; comments and evidence follow as running text (they can be long).
  heading(t("export.goals"));
  table(
    pdf,
    root,
    [
      { header: t("export.goalNo"), width: 30 },
      { header: t("export.goalTitle"), width: width - 30 - 180 },
      { header: t("export.rating"), width: 180 },
    ],
    doc.goals.map((g) => [
      String(g.number),
      g.shortTitle,
      typeof g.rating === "number"
        ? t("answer.level", { level: g.rating, label: g.levelLabel ?? "" })
        : g.rating === "notAssessed"
          ? t("answer.notAssessed")
          : t("answer.empty"),
    ]),
  );

  heading(t("export.notesTitle"));
  const withNotes = doc.goals.filter((g) => g.comment.trim() || g.evidence.trim() || g.evidenceLinks.length);
  if (withNotes.length === 0) tagged("P", () => text(t("export.notesNone"), { width }));
  for (const g of withNotes) {
    if (pdf.y + 50 > pdf.page.maxY()) pdf.addPage();
    pdf
      .moveDown(0.5)
      .font(BOLD)
      .fontSize(BODY + 0.5);
    tagged("H3", () => text(t("export.goalHeading", { number: g.number, title: g.shortTitle }), { width }));
    pdf.font(FONT).fontSize(BODY);
    for (const [label, value] of [
      [t("export.comment"), g.comment],
      [t("export.evidence"), g.evidence],
    ] as const) {
      if (!value.trim()) continue;
      pdf.moveDown(0.2).font(BOLD);
      tagged("P", () => text(label, { width }));
      pdf.font(FONT);
      tagged("P", () => text(value.trim(), { width }));
    }
    if (g.evidenceLinks.length) {
      pdf.moveDown(0.2).font(BOLD);
      tagged("P", () => text(t("export.links"), { width }));
      pdf.font(FONT);
      for (const link of g.evidenceLinks)
        tagged("P", () => text(link, /^https?:\/\//.test(link) ? { width, link, underline: true } : { width }));
    }
  }

  // Measures: one row each; the reasons for changed priorities below.
  heading(t("export.measures"));
  const fixed = [34, 52, 52, 52, 80];
  table(
    pdf,
    root,
    [
      { header: t("export.measureCode"), width: fixed[0] },
      { header: t("export.measureTitle"), width: width - fixed.reduce((a, b) => a + b, 0) },
      { header: t("export.needShort"), width: fixed[1] },
      { header: t("export.effortShort"), width: fixed[2] },
      { header: t("export.rulePriorityShort"), width: fixed[3] },
      { header: t("export.effectiveShort"), width: fixed[4] },
    ],
    doc.measures.map((m) => [
      m.code,
      m.title,
      grade(t, m.need) || "–",
      grade(t, m.effort) || "–",
      priority(t, m.rulePriority) || "–",
      m.override ? t("export.overridden", { priority: priority(t, m.override) }) : priority(t, m.effective) || "–",
    ]),
  );
  const overridden = doc.measures.filter((m) => m.override);
  if (overridden.length) {
    heading(t("export.reasonsTitle"), "H3");
    for (const m of overridden) {
      if (pdf.y + 30 > pdf.page.maxY()) pdf.addPage();
      pdf.moveDown(0.3).font(BOLD);
      tagged("P", () =>
        text(
          t("export.reasonItem", {
            code: m.code,
            title: m.title,
            priority: priority(t, m.override),
            rule: priority(t, m.rulePriority) || "–",
          }),
          { width },
        ),
      );
      pdf.font(FONT);
      tagged("P", () => text(m.reason, { width }));
    }
  }

  // Footer on every page: whose document and "Seite x von y" (pagination artifacts, not content).
  finishWithFooter(pdf, root, {
    footer: t("export.footer", { office: doc.office, round: doc.round }),
    pageLabel: (page, pages) => t("export.page", { page, pages }),
  });
  return done;
}
