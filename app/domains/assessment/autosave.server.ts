import { data } from "@remix-run/node";
import type { AutosaveResult } from "~/ui/autosave";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import type { SaveOutcome } from "~/domains/assessment/schemas";
import { formatDateTime } from "~/utils/datetime";

/**
 * Turns the outcome of saving a part of the draft into what the autosaving form reads,
 * with the status code a form post without JavaScript gets: 409 for a conflict or a
 * locked assessment, 400 for bad input – never a 500, never a silent overwrite.
 */
export async function autosaveResponse<V>(
  request: Request,
  target: string,
  outcome: SaveOutcome<V>,
  encode: (values: V) => Record<string, string>,
) {
  const language = (await i18next.getLocale(request)) as Language;
  switch (outcome.kind) {
    case "notFound":
      throw new Response("Not Found", { status: 404 });
    case "saved": {
      const savedAt = new Intl.DateTimeFormat(language === "de" ? "de-DE" : "en-GB", {
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
        timeZone: "Europe/Berlin",
      }).format(new Date());
      return data<AutosaveResult>({ target, kind: "saved", version: outcome.version, fields: encode(outcome.values), savedAt });
    }
    case "conflict":
      return data<AutosaveResult>(
        {
          target,
          kind: "conflict",
          version: outcome.version,
          conflicts: outcome.conflicts,
          mine: encode(outcome.mine),
          theirs: encode(outcome.theirs),
          theirsBy: outcome.theirsBy,
          theirsAt: formatDateTime(outcome.theirsAt, language),
        },
        { status: 409 },
      );
    case "locked": {
      const t = await i18next.getFixedT(language, "assessment");
      return data<AutosaveResult>({ target, kind: "locked", message: t(`errors.locked.${outcome.state}`) }, { status: 409 });
    }
    case "invalid":
      return data<AutosaveResult>({ target, kind: "invalid", errors: outcome.errors }, { status: 400 });
  }
}

/** A form that failed validation: 400, messages per field, and what the person typed. */
export function invalidForm(target: string, errors: Record<string, string>, fields?: Record<string, string>) {
  return data<AutosaveResult>({ target, kind: "invalid", errors, fields }, { status: 400 });
}
