/**
 * The plan to print (A4 landscape, tagged PDF): per measure a heading with its intended
 * result and a table of its activities – status in words (the standard PDF fonts have no
 * ✓ / ✗, and words need no colour), time frame, responsible, participants, resources,
 * remarks and the dated Sachstand entries. In the reader's language.
 */
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
import type { Language } from "~/i18n/config";
import { formatState, formatTimeFrame } from "./excel-format";
import type { PlanSnapshot } from "./excel-import";
import type { SheetMeta } from "./excel.server";

type T = (key: string, options?: Record<string, unknown>) => string;
const MARGIN = 40;

export function planPdf(plan: PlanSnapshot, meta: SheetMeta, t: T, language: Language): Promise<Buffer> {
  const { pdf, root, done, left, width } = startTaggedPdf({
    title: `${t("export.heading")} – ${meta.office}`,
    language,
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    landscape: true,
  });
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) => pdf.text(toWinAnsi(s), options);
  const tagged = (type: "P" | "H1" | "H2", draw: () => void) => root.add(pdf.struct(type, {}, draw));

  pdf.font(FONT).fontSize(SMALL).fillColor(GREY);
  tagged("P", () => text(`ABH-Netz · ${t("export.subtitle")}`, { width }));
  pdf.moveDown(0.3).font(BOLD).fontSize(17).fillColor("black");
  tagged("H1", () => text(`${t("export.heading")} – ${meta.office}`, { width }));
  pdf.moveDown(0.2).font(FONT).fontSize(BODY);
  tagged("P", () => text(`${t("export.cycle")} ${meta.cycle} · ${t("export.exportedOn")}: ${meta.exportedOn}`, { width }));
  pdf.moveDown(0.4);
  artifact(pdf, () =>
    pdf
      .strokeColor(RULE)
      .lineWidth(0.75)
      .moveTo(left, pdf.y)
      .lineTo(left + width, pdf.y)
      .stroke(),
  );
  if (!plan.measures.length) {
    pdf.moveDown(0.8);
    tagged("P", () => text(t("export.noMeasures"), { width }));
  }

  const fixed = [24, 62, 118, 80, 80, 90, 90];
  const columns = [
    { header: t("export.number"), width: fixed[0] },
    { header: t("export.status"), width: fixed[1] },
    { header: t("export.activity"), width: 0 },
    { header: t("export.timeFrame"), width: fixed[2] },
    { header: t("export.responsible"), width: fixed[3] },
    { header: t("export.participants"), width: fixed[4] },
    { header: t("export.resources"), width: fixed[5] },
    { header: t("export.remarks"), width: fixed[6] },
    { header: t("export.state"), width: 150 },
  ];
  columns[2].width = width - columns.reduce((a, c) => a + c.width, 0);

  for (const m of plan.measures) {
    if (pdf.y + 80 > pdf.page.maxY()) pdf.addPage();
    pdf.moveDown(0.9).font(BOLD).fontSize(12).fillColor("black");
    tagged("H2", () => text(m.code ? `${m.code} ${m.title}` : `${m.title} (${t("export.ownMeasure")})`, { width }));
    pdf
      .moveDown(0.2)
      .font(FONT)
      .fontSize(BODY - 0.5);
    if (m.intendedResult.trim())
      tagged("P", () => {
        pdf.font(BOLD);
        text(`${t("export.result")}: `, { continued: true });
        pdf.font(FONT);
        text(m.intendedResult.trim(), { width });
      });
    pdf.moveDown(0.3);
    if (!m.activities.length) {
      tagged("P", () => text(t("export.noActivities"), { width }));
      continue;
    }
    table(
      pdf,
      root,
      columns,
      m.activities.map((a, i) => [
        String(i + 1),
        t(`export.statuses.${a.status}`),
        a.title,
        formatTimeFrame(a.startsOn, a.endsOn),
        a.responsible,
        a.participants,
        a.resources,
        a.remarks,
        formatState(a.updates),
      ]),
    );
  }

  finishWithFooter(pdf, root, {
    footer: t("export.footer", { office: meta.office }),
    pageLabel: (page, pages) => t("export.page", { page, pages }),
  });
  return done;
}
