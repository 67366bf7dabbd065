import type { Language } from "~/i18n/config";

/**
 * "1. Dezember 2026 um 13:00 MEZ" / "1 December 2026 at 13:00 CET": always German time,
 * and it says so. Formatted on the server, so the browser's time zone cannot change it.
 */
export function formatDateTime(date: Date, language: Language) {
  return new Intl.DateTimeFormat(language === "de" ? "de-DE" : "en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Berlin",
    timeZoneName: "short",
  }).format(date);
}
