import { unstable_parseMultipartFormData, type UploadHandlerPart } from "@remix-run/node";
import { formBodyLimit, formTooLarge } from "~/platform/http/forms";
import { getStorage } from "./configured.server";
import type { StorageScope } from "./scope";
import type { Storage, StoredFile } from "./storage.server";

export type UploadForm = {
  /** The form's fields; a file field holds the stored file's key. */
  form: FormData;
  /** The stored files, by field name, in the order they arrived. */
  files: Record<string, StoredFile[]>;
  /** Deletes every file this form stored (when the action refuses the rest of the form). */
  discard(): Promise<void>;
};

/**
 * Reads a multipart form with files for a Remix action, streaming each file straight
 * into storage (nothing is held in memory) below the acting scope.
 *
 * - Only the named `fileFields` may carry files (another file part: 400); an empty file
 *   input (no file chosen) is skipped.
 * - Each file: the storage's checks (size limit → FileTooLargeError 413, type by its
 *   bytes → FileTypeNotAllowedError 415). The typed error is thrown so the action can
 *   show `t(error.messageKey, error.params)` next to the field with `error.status`, or
 *   throw `storageErrorResponse(error)`.
 * - The other fields together: at most FORM_MAX_KB (413, the error page).
 * - Whatever goes wrong, files already stored for this form are deleted first.
 */
export async function readUploadForm(
  request: Request,
  {
    scope,
    fileFields,
    storage = getStorage(),
    maxFiles = 10,
    maxFieldBytes = formBodyLimit(),
  }: { scope: StorageScope; fileFields: string[]; storage?: Storage; maxFiles?: number; maxFieldBytes?: number },
): Promise<UploadForm> {
  const files: Record<string, StoredFile[]> = {};
  const stored: StoredFile[] = [];
  const discard = async () => {
    await Promise.allSettled(stored.splice(0).map((file) => storage.delete(scope, file.key)));
  };
  let fieldBytes = 0;

  async function handle(part: UploadHandlerPart): Promise<string | undefined> {
    if (part.filename !== undefined) {
      if (!fileFields.includes(part.name)) throw new Response(null, { status: 400 });
      if (part.filename === "") {
        // An empty file input: the browser sends no bytes (count them anyway).
        for await (const chunk of part.data) if (chunk.byteLength > 0) throw new Response(null, { status: 400 });
        return undefined;
      }
      if (stored.length >= maxFiles) throw formTooLarge();
      const file = await storage.put(scope, { filename: part.filename, data: part.data });
      stored.push(file);
      (files[part.name] ??= []).push(file);
      return file.key;
    }
    const chunks: Uint8Array[] = [];
    for await (const chunk of part.data) {
      fieldBytes += chunk.byteLength;
      if (fieldBytes > maxFieldBytes) throw formTooLarge();
      chunks.push(chunk);
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  }

  try {
    const form = await unstable_parseMultipartFormData(request, handle);
    return { form, files, discard };
  } catch (error) {
    await discard();
    // Not a multipart body (TypeError), or a broken one: the parser's "malformed multipart-form data: …".
    if (error instanceof TypeError || (error instanceof Error && error.message.startsWith("malformed multipart")))
      throw new Response(null, { status: 400 });
    throw error;
  }
}
