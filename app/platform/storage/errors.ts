import { storage as messages } from "~/i18n/namespaces/storage";
import { DomainError } from "~/platform/errors";

type MessageKey = keyof typeof messages.de;

function german(key: MessageKey, params: Record<string, string | number>) {
  return messages.de[key].replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? ""));
}

/**
 * A file the portal refuses or cannot find. `status` is the HTTP answer, `messageKey`
 * and `params` the i18n message for the page (`t(error.messageKey, error.params)`),
 * `message` the same text in German for logs and callers without i18n. Domain errors
 * (app/platform/errors.ts): one thrown from a loader or action becomes its status.
 */
export abstract class StorageError extends DomainError {
  abstract readonly status: 404 | 413 | 415;
  declare messageKey: `storage:${MessageKey}`;
  declare params: Record<string, string | number>;
  constructor(key: MessageKey, params: Record<string, string | number> = {}) {
    super(german(key, params));
    this.messageKey = `storage:${key}`;
    this.params = params;
  }
}

/** Larger than the limit: nothing of it is kept. */
export class FileTooLargeError extends StorageError {
  readonly status = 413;
  constructor(readonly maxBytes: number) {
    super("tooLarge", { max: formatMegabytes(maxBytes) });
    this.name = "FileTooLargeError";
  }
}

/** The bytes are not one of the allowed types, or not the type the name claims. */
export class FileTypeNotAllowedError extends StorageError {
  readonly status = 415;
  constructor(
    readonly detected: string | undefined,
    mismatch?: { name: string; actual: string },
  ) {
    super(mismatch ? "typeMismatch" : "typeNotAllowed", mismatch ?? {});
    this.name = "FileTypeNotAllowedError";
  }
}

/** No such file – or one outside the caller's scope: the two are indistinguishable. */
export class StoredFileNotFoundError extends StorageError {
  readonly status = 404;
  constructor() {
    super("notFound");
    this.name = "StoredFileNotFoundError";
  }
}

/** 20 971 520 → "20", 1.5 MiB → "1,5" (German decimal comma). */
export function formatMegabytes(bytes: number) {
  return (Math.round((bytes / 1024 / 1024) * 10) / 10).toLocaleString("de-DE");
}

/**
 * The HTTP answer for a storage error, to throw from a loader or action: the status
 * with the portal's error page (404, 413, 415). Anything else is rethrown unchanged.
 */
export function storageErrorResponse(error: unknown): Response {
  if (error instanceof StorageError) {
    return new Response(error.message, { status: error.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  throw error;
}
