import { useFetcher } from "@remix-run/react";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * What an autosaving action answers (form fields as the form encodes them). `target` names
 * the form it belongs to (e.g. "goal", "measure:2.1"), for pages with several forms.
 */
export type AutosaveResult = { target: string } & (
  | { kind: "saved"; version: number; fields: Record<string, string>; savedAt: string }
  | {
      kind: "conflict";
      version: number;
      conflicts: string[];
      mine: Record<string, string>;
      theirs: Record<string, string>;
      theirsBy: string | null;
      theirsAt: string;
    }
  | { kind: "invalid"; errors: Record<string, string>; fields?: Record<string, string> }
  | { kind: "locked"; message: string }
);

export type Conflict = Extract<AutosaveResult, { kind: "conflict" }>;

type Props = {
  /** Goes with every save (also when sent by the autosave), e.g. "goal" or "measure". */
  intent: string;
  /** Extra hidden values, e.g. the measure's code. */
  hidden?: Record<string, string>;
  /** The stored version the form shows, and the stored values (the merge base). */
  version: number;
  base: Record<string, string>;
  /** A result from a full-page (no-JavaScript) submission of this form, if any. */
  pageResult?: AutosaveResult | null;
  disabled?: boolean;
  className?: string;
  label?: string;
  children: (state: { errors: Record<string, string>; conflict: Conflict | null }) => ReactNode;
  renderConflict: (conflict: Conflict, takeTheirs: (event: React.MouseEvent) => void) => ReactNode;
  delayMs?: number;
};

function control(form: HTMLFormElement, name: string) {
  return form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | RadioNodeList | null;
}
function readValue(form: HTMLFormElement, name: string) {
  const el = control(form, name);
  return el ? el.value : null;
}
function writeValue(form: HTMLFormElement, name: string, value: string) {
  const el = control(form, name);
  if (!el) return;
  if (el instanceof RadioNodeList) {
    for (const radio of Array.from(el) as HTMLInputElement[]) radio.checked = radio.value === value;
  } else el.value = value;
}

/**
 * A form that saves itself as people type (debounced), and on leaving the page, so a
 * closed browser loses nothing. Without JavaScript it is an ordinary form with a save
 * button. It never overwrites a colleague silently: a conflicting save stops the
 * autosave and shows both versions until the person decides (see assessment/merge.ts).
 */
export function AutosaveForm({
  intent,
  hidden = {},
  version,
  base,
  pageResult,
  disabled,
  className,
  label,
  children,
  renderConflict,
  delayMs = 900,
}: Props) {
  const fetcher = useFetcher<AutosaveResult>();
  const { t } = useTranslation("assessment");
  const formRef = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const dirty = useRef(false);
  // Mirrors `dirty` for the status line, so "Gespeichert um …" never stands next to unsaved typing.
  const [pending, setPending] = useState(false);
  const lastSent = useRef<FormData | null>(null);
  const result = fetcher.data ?? pageResult ?? null;
  // The conflict shown is the latest answer's, until the person takes the stored version.
  const [dismissed, setDismissed] = useState<AutosaveResult | null>(null);
  const conflict = result?.kind === "conflict" && result !== dismissed ? result : null;
  const errors = result?.kind === "invalid" ? result.errors : {};

  const syncBase = useCallback((form: HTMLFormElement, newVersion: number, fields: Record<string, string>) => {
    writeValue(form, "version", String(newVersion));
    for (const [name, value] of Object.entries(fields)) writeValue(form, `base.${name}`, value);
  }, []);

  // Adopt what the server stored: the new version and base; fields a colleague changed
  // meanwhile are shown unless the person has typed there since the save left.
  useEffect(() => {
    const form = formRef.current;
    const data = fetcher.data;
    if (!form || !data) return;
    if (data.kind === "saved") {
      syncBase(form, data.version, data.fields);
      for (const [name, value] of Object.entries(data.fields)) {
        if (readValue(form, name) === (lastSent.current?.get(name) ?? null)) writeValue(form, name, value);
      }
    } else if (data.kind === "conflict") {
      // Base and version now point at the stored version: "save mine" overwrites on purpose.
      // A save already scheduled must not go out with them: it would overwrite without a choice.
      clearTimeout(timer.current);
      syncBase(form, data.version, data.theirs);
    }
  }, [fetcher.data, syncBase]);

  // Read by the timer's save, which was created before the latest render.
  const conflictShown = useRef(false);
  useEffect(() => {
    conflictShown.current = conflict !== null;
  }, [conflict]);
  const busy = useRef(false);
  const waiting = useRef(false);

  const save = useCallback(() => {
    const form = formRef.current;
    if (!form || disabled || conflictShown.current) return;
    // One save at a time: a second one sent before the first is answered would carry the
    // old version and meet the person's own first save as a "conflict".
    if (busy.current) {
      waiting.current = true;
      return;
    }
    clearTimeout(timer.current);
    dirty.current = false;
    setPending(false);
    lastSent.current = new FormData(form);
    fetcher.submit(form, { method: "post" });
  }, [disabled, fetcher]);

  useEffect(() => {
    busy.current = fetcher.state !== "idle";
    if (!busy.current && waiting.current) {
      waiting.current = false;
      save();
    }
  }, [fetcher.state, save]);

  const schedule = useCallback(() => {
    if (conflict || disabled) return; // wait for the person's decision
    dirty.current = true;
    setPending(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(save, delayMs);
  }, [conflict, delayMs, disabled, save]);

  // Leaving the page with unsaved typing: send it anyway (sendBeacon survives the unload).
  useEffect(() => {
    const flush = () => {
      const form = formRef.current;
      if (!dirty.current || !form || conflict) return;
      dirty.current = false;
      navigator.sendBeacon(form.action || window.location.href, new FormData(form));
    };
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("pagehide", flush);
      clearTimeout(timer.current);
    };
  }, [conflict]);

  // The "Speichern" button (with JavaScript) saves at once: no autosave should follow it.
  const onSubmit = () => {
    clearTimeout(timer.current);
    dirty.current = false;
    setPending(false);
    lastSent.current = formRef.current ? new FormData(formRef.current) : null;
  };

  const takeTheirs = (event: React.MouseEvent) => {
    const form = (event.currentTarget as HTMLElement).closest("form");
    if (!form || !conflict) return;
    event.preventDefault();
    for (const [name, value] of Object.entries(conflict.theirs)) writeValue(form, name, value);
    syncBase(form, conflict.version, conflict.theirs);
    setPending(false);
    setDismissed(conflict);
  };

  // "Unsaved" and "saving" are shown, not announced: a screen reader hears only how it ended.
  const transient = fetcher.state !== "idle" ? t("autosave.saving") : !conflict && pending ? t("autosave.pending") : "";
  const outcome = transient ? "" : conflict ? t("autosave.conflict") : statusText(result, t);

  return (
    <fetcher.Form
      method="post"
      ref={formRef}
      className={className}
      aria-label={label}
      onInput={schedule}
      onChange={schedule}
      onSubmit={onSubmit}
    >
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="version" defaultValue={String(conflict ? conflict.version : version)} />
      {Object.entries(conflict ? conflict.theirs : base).map(([name, value]) => (
        <input key={name} type="hidden" name={`base.${name}`} defaultValue={value} />
      ))}
      {conflict ? renderConflict(conflict, takeTheirs) : null}
      {errors.version || errors._form ? (
        <p className="field-error" role="alert">
          {t(errors.version ?? errors._form)}
        </p>
      ) : null}
      {children({ errors, conflict })}
      <p className="autosave-status">
        <span aria-hidden="true">{transient}</span>
        <span role="status">{outcome}</span>
      </p>
    </fetcher.Form>
  );
}

function statusText(result: AutosaveResult | null, t: (key: string, options?: Record<string, string>) => string) {
  if (!result) return "";
  if (result.kind === "saved") return t("autosave.saved", { time: result.savedAt });
  if (result.kind === "conflict") return t("autosave.conflict");
  if (result.kind === "locked") return result.message || t("autosave.locked");
  return t("autosave.failed");
}
