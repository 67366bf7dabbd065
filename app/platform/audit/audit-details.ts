import type { TFunction } from "i18next";
import type { Language } from "~/i18n/config";
import { formatDateTime } from "~/utils/datetime";

/** One line of an audit entry's details, in plain words: "Kommentar: „alt“ → „neu“". */
export type DetailLine = { label: string; value: string };

/** Keys whose values the portal itself writes as ISO times; typed text never counts as a date. */
const TIME_KEYS = new Set(["deadline", "previous", "submittedAt", "closesAt", "opensAt"]);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/;
const CODED = new Set(["method", "factor", "status", "origin"]);
const GRADED = new Set(["need", "effort"]);
const PRIORITIZED = new Set(["override"]);
const ROLES = new Set(["OFFICE_HEAD", "OFFICE_STAFF", "NETWORK_ADMIN", "CONSULTANT", "NETWORK_MEMBER"]);

/**
 * The details of an audit entry as labelled lines in the reader's language, instead of
 * raw JSON: known keys get words, dates German time, roles and grades their names, and
 * changes read "before → after". Unknown keys still show, under their own name.
 */
export function auditDetailLines(details: unknown, t: TFunction, language: Language): DetailLine[] {
  if (!details || typeof details !== "object" || Array.isArray(details)) return [];
  const label = (key: string) => (t(`audit:keys.${key}`, { defaultValue: "" }) as string) || key;
  const value = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === "") return t("audit:values.empty");
    if (typeof v === "boolean") return t(v ? "audit:values.yes" : "audit:values.no");
    if (typeof v === "string") {
      if (TIME_KEYS.has(key) && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v))) return formatDateTime(new Date(v), language);
      if (ROLES.has(v)) return t(`auth:roles.${v}`);
      if (GRADED.has(key)) return t(`assessment:grade.${v}`, { defaultValue: v });
      if (PRIORITIZED.has(key)) return t(`assessment:priority.${v}`, { defaultValue: v });
      if (key === "answer" && v === "notAssessed") return t("assessment:goal.notAssessed");
      if (CODED.has(key)) return t(`audit:codes.${v}`, { defaultValue: v });
      return `„${v}“`;
    }
    if (typeof v === "number") return v.toLocaleString(language === "de" ? "de-DE" : "en-GB");
    if (Array.isArray(v))
      return v.length
        ? v.map((item) => (typeof item === "string" ? label(item) : value(key, item))).join(", ")
        : t("audit:values.empty");
    return t("audit:values.changedStructure");
  };
  const change = (field: string, from: unknown, to: unknown) => ({
    label: label(field),
    value: `${value(field, from)} → ${value(field, to)}`,
  });

  const record = details as Record<string, unknown>;
  const lines: DetailLine[] = [];
  for (const [key, v] of Object.entries(record)) {
    if (key === "changes" && v && typeof v === "object") {
      for (const [field, diff] of Object.entries(v as Record<string, { from?: unknown; to?: unknown }>))
        lines.push(change(field, diff?.from, diff?.to));
    } else if (key === "new" && v && typeof v === "object") {
      // Settings: { old, new } with the changed keys in "new".
      const old = (record.old ?? {}) as Record<string, unknown>;
      for (const [field, to] of Object.entries(v as Record<string, unknown>)) lines.push(change(field, old[field], to));
    } else if (key !== "old") {
      lines.push({ label: label(key), value: value(key, v) });
    }
  }
  return lines;
}
