/**
 * The overall strategy as a file: DOCX (to keep working on it in Word) or PDF (for the
 * files). A resource route, read as the page is: the office's team and assigned consultants
 * (strategyScope: never the network's admins); 404 without a plan or for another format.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { strategyScope } from "./behoerden.$office.plan.gesamtkonzept";
import { strategyDocx, strategyPdf } from "~/domains/plan/strategy-document.server";
import { loadStrategy } from "~/domains/plan/strategy.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { NotFoundError } from "~/platform/errors";
import { attachment } from "~/platform/exports/download.server";
import { formatDay } from "~/utils/calendar-day";

const FORMATS = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  pdf: "application/pdf",
} as const;

export async function loader(args: LoaderFunctionArgs) {
  const format = args.params.format;
  const { actor, office, plan } = await strategyScope(args);
  if (!plan || !format || !Object.hasOwn(FORMATS, format)) throw new NotFoundError();
  const t = (await i18next.getFixedT(args.request, "planStrategy")) as unknown as (
    k: string,
    o?: Record<string, unknown>,
  ) => string;
  const language = (await i18next.getLocale(args.request)) as Language;
  const doc = await loadStrategy({ actor, office, plan });
  const file = { doc, office: office.name, date: formatDay(new Date(), language), language, t };
  const body = format === "docx" ? await strategyDocx(file) : await strategyPdf(file);
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": FORMATS[format as keyof typeof FORMATS],
      "Content-Disposition": attachment(`${t("export.filename")} ${office.name} ${plan.cycle}.${format}`),
      // The office's own text: never kept by a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
