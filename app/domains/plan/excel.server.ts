/**
 * The plan as the Excel aid "Umsetzungsplan" (Arbeitshilfe 2.1) – and as CSV. The sheet
 * keeps the aid's layout so an office can go on working in it and read it back in
 * (excel-import.server.ts): the aid's title, the column heads with "Planung" over time
 * frame, responsible, participants and inputs/resources, one block per measure ("Maßnahme
 * <code>: <title>" and "Angestrebtes Ergebnis: …"), the status as a drop-down (data
 * validation with the aid's three values) and its symbol ✗ / ! / ✓ in the second column (a
 * formula on the drop-down, as in the aid), time frames as "TT.MM.JJJJ – TT.MM.JJJJ", and
 * the Sachstand entries one a line with their dates. A hidden last column holds each
 * activity's id. The aid is German, so is the sheet, whatever the reader's language.
 */
import ExcelJS from "exceljs";
import { toCsv } from "~/platform/exports/download.server";
import { COLUMNS, formatState, formatTimeFrame, SHEET_TITLE, STATUSES, statusLabel, statusSymbol } from "./excel-format";
import type { PlanSnapshot } from "./excel-import";

export type SheetMeta = { office: string; cycle: number; exportedOn: string };

const HEADER_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8ECF1" } } as const;
const BLOCK_FILL = { type: "pattern", pattern: "solid", fgColor: { argb: "FFF4F6F8" } } as const;
const THIN = { style: "thin", color: { argb: "FF9AA3AD" } } as const;

/** "Maßnahme 1.2: Titel" – the block header the import recognises (own measures have no code). */
export const measureHeading = (m: { code: string | null; title: string }) =>
  m.code ? `Maßnahme ${m.code}: ${m.title}` : `Maßnahme: ${m.title}`;

export async function planXlsx(plan: PlanSnapshot, meta: SheetMeta): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = "ABH-Netz";
  book.title = `${SHEET_TITLE} – ${meta.office}`;
  const ws = book.addWorksheet("Umsetzungsplan", {
    views: [{ state: "frozen", ySplit: 6 }],
    pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  // Columns A..J are the aid's; K (the last) holds the hidden ids and is not part of merged rows.
  const lastVisible = COLUMNS.length - 1;
  const mergeRow = (row: number) => ws.mergeCells(row, 1, row, lastVisible);

  ws.getCell(1, 1).value = SHEET_TITLE;
  ws.getCell(1, 1).font = { bold: true, size: 14 };
  mergeRow(1);
  ws.getCell(2, 1).value = `Ausländerbehörde: ${meta.office} · Plan ${meta.cycle} · Stand: ${meta.exportedOn}`;
  mergeRow(2);
  ws.getCell(3, 1).value = `Status: ${STATUSES.map((s) => `${s.symbol} ${s.label}`).join(" · ")}`;
  mergeRow(3);

  // Rows 5 and 6: the aid's two-line head ("Planung" over its four columns).
  COLUMNS.forEach((c, i) => {
    const col = i + 1;
    ws.getColumn(col).width = c.width;
    const planning = c.key === "timeFrame" || c.key === "responsible" || c.key === "participants" || c.key === "resources";
    if (planning) ws.getCell(6, col).value = c.header;
    else {
      ws.getCell(5, col).value = c.header;
      ws.mergeCells(5, col, 6, col);
    }
  });
  ws.getCell(5, 5).value = "Planung";
  ws.mergeCells(5, 5, 5, 8);
  for (const row of [5, 6])
    ws.getRow(row).eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN };
      cell.alignment = { vertical: "middle", horizontal: "center", wrapText: true };
    });
  ws.getColumn(COLUMNS.length).hidden = true;
  ws.pageSetup.printTitlesRow = "5:6";

  let row = 7;
  for (const m of plan.measures) {
    ws.getCell(row, 1).value = measureHeading(m);
    ws.getCell(row, 1).font = { bold: true };
    ws.getCell(row, 1).fill = BLOCK_FILL;
    mergeRow(row);
    row++;
    ws.getCell(row, 1).value = `Angestrebtes Ergebnis: ${m.intendedResult}`;
    ws.getCell(row, 1).alignment = { wrapText: true, vertical: "top" };
    ws.getCell(row, 1).font = { italic: true };
    mergeRow(row);
    // Merged cells do not grow with their text in Excel: a height for the lines it needs.
    ws.getRow(row).height = Math.max(15, Math.ceil(m.intendedResult.length / 180) * 15);
    row++;
    m.activities.forEach((a, i) => {
      const status = `D${row}`;
      const values: Record<(typeof COLUMNS)[number]["key"], ExcelJS.CellValue> = {
        number: i + 1,
        symbol: {
          formula: `IF(${status}="${statusLabel("DONE")}","${statusSymbol("DONE")}",IF(${status}="${statusLabel("IN_PROGRESS")}","${statusSymbol("IN_PROGRESS")}","${statusSymbol("NOT_STARTED")}"))`,
          result: statusSymbol(a.status),
        },
        title: a.title,
        status: statusLabel(a.status),
        timeFrame: formatTimeFrame(a.startsOn, a.endsOn),
        responsible: a.responsible,
        participants: a.participants,
        resources: a.resources,
        remarks: a.remarks,
        state: formatState(a.updates),
        id: a.id,
      };
      COLUMNS.forEach((c, col) => {
        const cell = ws.getCell(row, col + 1);
        cell.value = values[c.key];
        cell.alignment = { vertical: "top", wrapText: c.width >= 20, horizontal: c.key === "symbol" ? "center" : undefined };
        cell.border = { bottom: THIN };
      });
      row++;
    });
    row++; // a blank line between the blocks
  }
  // The drop-down on the status column – also on rows below, where an office adds its own.
  // exceljs 4.4 has worksheet.dataValidations (one range, one entry in the file) but does not type it.
  (ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }).dataValidations.add(
    `D7:D${Math.max(row, 7) + 200}`,
    {
      type: "list",
      allowBlank: true,
      formulae: [`"${STATUSES.map((s) => s.label).join(",")}"`],
      showErrorMessage: true,
      errorStyle: "warning",
      errorTitle: "Status",
      error: `Bitte wählen: ${STATUSES.map((s) => s.label).join(", ")}`,
    },
  );
  return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * The plan as one CSV table (German Excel: semicolons, BOM): a line per activity, the
 * measure repeated in front, so it can be filtered and sorted.
 */
export function planCsv(plan: PlanSnapshot, meta: SheetMeta) {
  const records: unknown[][] = [
    [SHEET_TITLE],
    [`Ausländerbehörde: ${meta.office}`, `Plan ${meta.cycle}`, `Stand: ${meta.exportedOn}`],
    [],
    [
      "Maßnahme (Nr.)",
      "Maßnahme",
      "Angestrebtes Ergebnis",
      "Nr.",
      "Status",
      "Arbeitsschritte",
      "Zeitrahmen",
      "Verantwortliche",
      "Mitwirkende",
      "Inputs/Ressourcen",
      "Bemerkungen",
      "Aktueller Sachstand",
    ],
  ];
  for (const m of plan.measures) {
    if (!m.activities.length) records.push([m.code ?? "", m.title, m.intendedResult]);
    m.activities.forEach((a, i) =>
      records.push([
        m.code ?? "",
        m.title,
        m.intendedResult,
        i + 1,
        `${statusSymbol(a.status)} ${statusLabel(a.status)}`,
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
  return toCsv(records);
}
