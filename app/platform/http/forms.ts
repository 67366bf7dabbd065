import { z } from "zod";
import { getConfig } from "~/platform/config.server";
import { InvalidInputError, TooLargeError } from "~/platform/errors";

export type FieldErrors = Record<string, string>;

/**
 * Validates a submitted form with a zod schema. On failure it returns, per field, the
 * i18n key of the first problem (messages are translated in the page) and the values
 * the user typed, so the form can be shown again with nothing lost.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData, { keep = [] as string[] } = {}) {
  const raw = Object.fromEntries([...formData.keys()].map((key) => [key, formData.get(key)]));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true as const, data: result.data as z.output<S> };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= issue.message;
  }
  const values = Object.fromEntries(keep.map((key) => [key, typeof raw[key] === "string" ? (raw[key] as string) : ""]));
  return { ok: false as const, errors, values };
}

/** Common field rules; messages are i18n keys. */
export const fields = {
  email: z
    .string({ message: "auth:validation.email" })
    .trim()
    .toLowerCase()
    .max(254, "auth:validation.email")
    .pipe(z.email({ message: "auth:validation.email" })),
  name: z
    .string({ message: "auth:validation.required" })
    .trim()
    .min(1, "auth:validation.required")
    .max(120, "auth:validation.nameLength"),
  newPassword: z
    .string({ message: "auth:validation.required" })
    .min(12, "auth:validation.passwordLength")
    .max(200, "auth:validation.passwordTooLong"),
  password: z
    .string({ message: "auth:validation.required" })
    .min(1, "auth:validation.required")
    .max(200, "auth:validation.passwordTooLong"),
};

/** The largest form body without a file that readForm accepts: FORM_MAX_KB (default 1 MB). */
export function formBodyLimit() {
  return getConfig().FORM_MAX_KB * 1024;
}

/**
 * 413 with the portal's error page (a TooLargeError: app/platform/errors.ts answers it
 * with "Connection: close", so Node closes the connection after the answer instead of
 * reading the rest of an unread body to keep it alive).
 */
export function formTooLarge() {
  return new TooLargeError();
}

/**
 * The posted form. A body that is not one (a broken multipart upload, say) is a 400 –
 * the error page says it in the reader's language – instead of the 500 that formData()'s
 * exception would give. A body larger than `maxBytes` is a 413 before it is read: by
 * its Content-Length, or – sent in chunks without one – as soon as the count passes the
 * limit; the rest is never read. (Forms with files: readUploadForm in app/platform/storage.)
 */
export async function readForm(request: Request, { maxBytes = formBodyLimit() } = {}): Promise<FormData> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw formTooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (request.body) {
    const reader = request.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        // Stop reading, but do not cancel: that would destroy the socket before the 413 is sent.
        if (size > maxBytes) throw formTooLarge();
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof TooLargeError) throw error;
      throw new InvalidInputError();
    } finally {
      reader.releaseLock();
    }
  }
  try {
    const body = new Request(request.url, {
      method: "POST",
      headers: { "Content-Type": request.headers.get("content-type") ?? "" },
      body: Buffer.concat(chunks),
    });
    return await body.formData();
  } catch {
    throw new InvalidInputError();
  }
}
