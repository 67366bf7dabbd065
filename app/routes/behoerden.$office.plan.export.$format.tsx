import type { LoaderFunctionArgs } from "@remix-run/node";
import { planScope } from "./behoerden.$office.plan";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { formatDayDe } from "~/domains/plan/excel-format";
import { planCsv, planXlsx } from "~/domains/plan/excel.server";
import { planPdf } from "~/domains/plan/pdf.server";
import { loadPlanSheet } from "~/domains/plan/sheet.server";
import { authorize } from "~/platform/auth/can";
import { attachment } from "~/platform/exports/download.server";
import { NotFoundError } from "~/platform/errors";

/**
 * The office's open plan as a file (issue 21, item 5): XLSX in the layout of the aid
 * "Umsetzungsplan" (to work on and read back in), CSV, and a PDF to print. A resource route.
 * "plan.read": the office's members, assigned consultants, and the ministry only where the
 * office released the plan (planScope lets an admin through to the page only – here the
 * rule itself decides, so an unreleased plan never leaves the office).
 */
const FORMATS = {
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  csv: "text/csv; charset=utf-8",
  pdf: "application/pdf",
} as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope({ request, params, context });
  authorize(actor, "plan.read", subject);
  const format = params.format ?? "";
  if (!Object.hasOwn(FORMATS, format) || !plan) throw new NotFoundError();
  const sheet = await loadPlanSheet(actor, plan);
  const language = (await i18next.getLocale(request)) as Language;
  const t = (await i18next.getFixedT(request, "planExport")) as unknown as (k: string, o?: Record<string, unknown>) => string;
  const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Europe/Berlin" });
  const meta = { office: office.name, cycle: plan.cycle, exportedOn: formatDayDe(today) };
  const body =
    format === "xlsx"
      ? await planXlsx(sheet, meta)
      : format === "csv"
        ? planCsv(sheet, meta)
        : await planPdf(sheet, meta, t, language);
  return new Response(typeof body === "string" ? body : new Uint8Array(body), {
    headers: {
      "Content-Type": FORMATS[format as keyof typeof FORMATS],
      "Content-Disposition": attachment(`${t("export.filename")} ${office.name} ${today}.${format}`),
      // The office's own content: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
