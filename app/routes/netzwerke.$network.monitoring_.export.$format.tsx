import type { LoaderFunctionArgs } from "@remix-run/node";
import ExcelJS from "exceljs";
import { attachment, toCsv } from "~/platform/exports/download.server";
import { networkScope } from "./netzwerke.$network";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { getMonitoringExport, type MonitoringExport, type OfficeRoundStatus } from "~/domains/comparison/monitoring.server";
import { planMonitoring, type PlanMonitoring, releasedPlans } from "~/domains/plan/achievement.server";
import { toCalendarDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";

/**
 * The ministry's operational list as a file: per office its uptake and, per begun round,
 * where its assessment stands (status, progress, submission, reminders) – never a rating.
 * Office names are fine here: this is the ministry's own list, not a comparison. A
 * resource route (no page), for network admins ("network.monitor").
 */
const FORMATS = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;
type Format = keyof typeof FORMATS;

type T = (key: string, options?: Record<string, unknown>) => string;
type Doc = MonitoringExport & {
  t: T;
  network: string;
  exportedAt: string;
  officeKind: T;
  day: (d: Date) => string;
  /** Implementation plans (issue 21): the ministry's aggregates (anonymity rule) and the released plans. */
  plans: {
    t: T;
    figures: PlanMonitoring;
    released: Array<{ office: string; releasedAt: Date | null }>;
    dateTime: (d: Date) => string;
  };
};

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.monitor");
  const format = params.format;
  if (!format || !Object.hasOwn(FORMATS, format)) throw new Response("Not Found", { status: 404 });
  const t = (await i18next.getFixedT(request, "monitoring")) as unknown as T;
  const officeKind = (await i18next.getFixedT(request, "office")) as unknown as T;
  const language = (await i18next.getLocale(request)) as Language;
  const now = new Date();
  const [figures, released] = await Promise.all([planMonitoring(actor, network.id), releasedPlans(actor, network.id)]);
  const doc: Doc = {
    ...(await getMonitoringExport(actor, network.id, now)),
    t,
    officeKind,
    network: network.name,
    exportedAt: formatDateTime(now, language),
    day: (d) => dayText(d, language),
    plans: {
      t: (await i18next.getFixedT(request, "achievement")) as unknown as T,
      figures,
      released: released.map((p) => ({ office: p.office.name, releasedAt: p.releasedAt })),
      dateTime: (d) => formatDateTime(d, language),
    },
  };
  const body = format === "csv" ? csvFile(doc) : await xlsxFile(doc);
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": FORMATS[format as Format],
      "Content-Disposition": attachment(`${t("file.name")} ${network.name} ${toCalendarDay(now)}.${format}`),
      "Cache-Control": "private, no-store",
    },
  });
}

/** "20.03.2026" / "20/03/2026": short, and German Excel reads the German one as a date. */
function dayText(d: Date, language: Language) {
  return new Intl.DateTimeFormat(language === "de" ? "de-DE" : "en-GB", {
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    timeZone: "Europe/Berlin",
  }).format(d);
}

// ─── Shared layout ──────────────────────────────────────────────────────────

const ROUND_COLUMNS = ["status", "goalsDone", "measuresDone", "submittedAt", "late", "reminders"] as const;
const ROUNDS_HEADER = [
  "round",
  "opensAt",
  "deadline",
  "closedAt",
  "participants",
  "submittedOnTime",
  "submittedLate",
  "inProgress",
  "notStarted",
  "overdue",
  "remindersAutomatic",
  "remindersManual",
] as const;

function metaRows(doc: Doc): Array<[string, string]> {
  return [
    [doc.t("file.network"), doc.network],
    [doc.t("file.exportedAt"), doc.exportedAt],
    [doc.t("file.note"), ""],
  ];
}

function officeHeader(doc: Doc) {
  const { t } = doc;
  return [
    t("file.office"),
    t("file.kind"),
    t("file.onboarded"),
    t("file.invited"),
    t("file.active30"),
    t("file.active90"),
    ...doc.rounds.flatMap((r) => ROUND_COLUMNS.map((c) => t("file.roundColumn", { round: r.name, column: t(`file.${c}`) }))),
  ];
}

/** One office's row; `day` turns a date into a cell (text in CSV, a date cell in XLSX). */
function officeRow(doc: Doc, office: Doc["offices"][number], day: (d: Date) => unknown) {
  const { t } = doc;
  const yes = (b: boolean) => (b ? t("file.yes") : t("file.no"));
  const round = (s: OfficeRoundStatus | undefined) =>
    s
      ? [
          t(`file.state.${s.state}`),
          s.goalsDone,
          s.measuresDone,
          s.submittedAt ? day(s.submittedAt) : "",
          s.submittedAt ? yes(s.late) : "",
          s.reminders,
        ]
      : [t("file.state.notParticipant"), "", "", "", "", ""];
  return [
    office.name,
    doc.officeKind(`kind.${office.kind}`),
    yes(office.onboarded),
    yes(office.invited),
    yes(office.active30),
    yes(office.active90),
    ...doc.rounds.flatMap((r) => round(office.rounds[r.id])),
  ];
}

function roundRow(r: Doc["rounds"][number], day: (d: Date) => unknown) {
  return [
    r.name,
    day(r.opensAt),
    day(r.deadline),
    r.closedAt ? day(r.closedAt) : "",
    r.participants,
    r.submittedOnTime,
    r.submittedLate,
    r.inProgress,
    r.notStarted,
    r.overdue,
    r.remindersAutomatic,
    r.remindersManual,
  ];
}

/**
 * The plan block: figure, value, number of offices. Hidden figures say so (never a number);
 * released plans by name (the ministry may open them anyway).
 */
function planRows(doc: Doc, day: (d: Date) => unknown): unknown[][] {
  const { t, figures, released } = doc.plans;
  if (!figures) return [[t("file.withPlan"), t("file.notComputed"), ""]];
  const hidden = t("file.suppressed");
  const rows: unknown[][] = [
    [t("file.computedAt"), doc.plans.dateTime(figures.computedAt), ""],
    [t("file.withPlan"), figures.plans.shown ? figures.plans.n : hidden, figures.plans.shown ? figures.plans.n : ""],
    [
      t("file.doneShare"),
      figures.doneShare.shown ? Math.round(figures.doneShare.median * 1000) / 10 : hidden,
      figures.doneShare.shown ? figures.doneShare.n : "",
    ],
  ];
  for (const m of figures.mostPlanned) {
    rows.push([t("file.mostPlanned", { code: m.code, title: m.title }), m.planned, m.planned]);
    rows.push([
      t("file.completedOf", { code: m.code }),
      m.completed.shown ? m.completed.n : hidden,
      m.completed.shown ? m.completed.n : "",
    ]);
  }
  for (const p of released) rows.push([t("file.released", { office: p.office }), p.releasedAt ? day(p.releasedAt) : "", ""]);
  return rows;
}

const planHeader = (doc: Doc) => [doc.plans.t("file.figure"), doc.plans.t("file.value"), doc.plans.t("file.n")];

// ─── CSV ────────────────────────────────────────────────────────────────────

/** German Excel: UTF-8 with BOM, semicolons, CRLF; two blocks (offices, rounds); formulas defused. */
function csvFile(doc: Doc) {
  const { t } = doc;
  const records: unknown[][] = [
    ...metaRows(doc).map(([label, value]) => (value ? [label, value] : [label])),
    [],
    officeHeader(doc),
    ...doc.offices.map((o) => officeRow(doc, o, doc.day)),
    [],
    ROUNDS_HEADER.map((c) => t(`file.${c}`)),
    ...doc.rounds.map((r) => roundRow(r, doc.day)),
    [],
    planHeader(doc),
    ...planRows(doc, doc.day),
  ];
  return toCsv(records);
}

// ─── XLSX ───────────────────────────────────────────────────────────────────

/** A calendar day as a date cell: midnight UTC of the German day, so Excel shows that day whatever its zone. */
function dateCell(d: Date) {
  const [y, m, day] = toCalendarDay(d).split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, day));
}

async function xlsxFile(doc: Doc) {
  const { t } = doc;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "ABH-Netz";
  workbook.title = `${t("file.heading")} – ${doc.network}`;
  const sheet = (name: string, header: string[], rows: unknown[][], widths: (i: number) => number) => {
    const meta = metaRows(doc);
    const headerRow = meta.length + 2;
    const ws = workbook.addWorksheet(name, {
      views: [{ state: "frozen", ySplit: headerRow, xSplit: 1 }],
      pageSetup: { paperSize: 9, orientation: "landscape", fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
    });
    for (const row of meta) ws.addRow(row[1] ? row : [row[0]]).getCell(1).font = { bold: true };
    ws.addRow([]);
    const head = ws.addRow(header);
    head.font = { bold: true };
    head.alignment = { wrapText: true, vertical: "top" };
    head.eachCell((cell) => {
      cell.fill = { type: "pattern", pattern: "solid", fgColor: { argb: "FFE8ECF1" } };
      cell.border = { bottom: { style: "thin" } };
    });
    for (const row of rows) ws.addRow(row);
    header.forEach((_, i) => (ws.getColumn(i + 1).width = widths(i)));
    ws.eachRow((row) => row.eachCell((cell) => cell.value instanceof Date && (cell.numFmt = "dd.mm.yyyy")));
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: header.length } };
    ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow}`;
    return ws;
  };
  sheet(
    t("file.sheetOffices"),
    officeHeader(doc),
    doc.offices.map((o) => officeRow(doc, o, dateCell)),
    (i) => (i === 0 ? 40 : 16),
  );
  sheet(
    t("file.sheetRounds"),
    ROUNDS_HEADER.map((c) => t(`file.${c}`)),
    doc.rounds.map((r) => roundRow(r, dateCell)),
    (i) => (i === 0 ? 24 : 16),
  );
  sheet(doc.plans.t("file.sheetPlans"), planHeader(doc), planRows(doc, dateCell), (i) => (i === 0 ? 60 : 20));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
