import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { fileTypeFromFile } from "file-type";
import { attachment } from "~/platform/exports/download.server";
import type { StorageBackend, StoredObject } from "./backend";
import { FileTooLargeError, FileTypeNotAllowedError, StoredFileNotFoundError } from "./errors";
import { extensionOf, sanitizeFilename } from "./names";
import { isKeyInScope, scopePrefix, type StorageScope } from "./scope";
import { ALLOWED_MIME_TYPES, ALLOWED_TYPES, allowedType } from "./types";

/** What put() accepts: a Node stream, a web stream, any (async) iterable of bytes (a multipart part's data). */
export type UploadSource = Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** A stored, checked file as the caller records it (e.g. an attachment row). */
export type StoredFile = { key: string; filename: string; contentType: string; size: number };

export type Storage = ReturnType<typeof createStorage>;

/**
 * The one way files enter and leave the portal. Every call names the acting scope (an
 * office or a network); keys are made here, below that scope's prefix.
 *
 * put(): streams the upload to a staging file while counting (more than `maxBytes` →
 * FileTooLargeError, 413, and the staged bytes are deleted), recognises the type from
 * the bytes against the allowlist (else FileTypeNotAllowedError, 415; also when the
 * name's extension claims another type), sanitises the name, and only then stores it.
 * Nothing of a refused upload remains anywhere.
 */
export function createStorage({ backend, maxBytes }: { backend: StorageBackend; maxBytes: number }) {
  async function open(scope: StorageScope, key: string): Promise<StoredObject> {
    if (!isKeyInScope(key, scope)) throw new StoredFileNotFoundError();
    const object = await backend.read(key);
    if (!object) throw new StoredFileNotFoundError();
    return object;
  }

  return {
    backend,
    maxBytes,

    async put(
      scope: StorageScope,
      { filename, data, maxBytes: limit = maxBytes }: { filename: string; data: UploadSource; maxBytes?: number },
    ): Promise<StoredFile> {
      const key = scopePrefix(scope) + crypto.randomUUID();
      await fsp.mkdir(backend.stagingDir, { recursive: true });
      const staged = path.join(backend.stagingDir, `${crypto.randomUUID()}.upload`);
      try {
        const size = await stage(data, staged, limit);
        const detected = await fileTypeFromFile(staged);
        const type = allowedType(detected?.ext);
        if (!type) throw new FileTypeNotAllowedError(detected?.mime);
        const allowed = ALLOWED_TYPES[type];
        const cleaned = sanitizeFilename(filename);
        const ext = extensionOf(cleaned);
        let name = cleaned;
        if ((allowed.extensions as readonly string[]).includes(ext)) {
          // The name says what the bytes are.
        } else if (allowedType(ext === "jpeg" ? "jpg" : ext)) {
          // The name claims another allowed type (a .pdf that is a PNG): refused, not renamed.
          throw new FileTypeNotAllowedError(detected?.mime, { name: cleaned, actual: allowed.label });
        } else {
          // No or an unrelated extension ("Protokoll v1.2"): the detected one is added.
          name = `${cleaned || "Datei"}.${allowed.extensions[0]}`;
        }
        const file = { filename: name, contentType: allowed.mime, size };
        await backend.write(key, staged, file);
        return { key, ...file };
      } finally {
        await fsp.rm(staged, { force: true });
      }
    },

    /** The file, if it exists and belongs to the scope; otherwise StoredFileNotFoundError (404). */
    get: open,

    /** Deletes a file of the scope; a key outside it is a 404 as in get(). */
    async delete(scope: StorageScope, key: string) {
      if (!isKeyInScope(key, scope)) throw new StoredFileNotFoundError();
      await backend.remove(key);
    },

    /**
     * The download response for a file of the scope – call it after the route has
     * authorised the download. A foreign or missing key throws a 404 Response (the
     * portal's error page).
     */
    async download(scope: StorageScope, key: string): Promise<Response> {
      try {
        return downloadResponse(await open(scope, key));
      } catch (error) {
        if (error instanceof StoredFileNotFoundError) throw new Response(null, { status: 404 });
        throw error;
      }
    },
  };
}

/**
 * A stored file as a download: always an attachment (never shown inline, RFC 6266 name
 * with the exact UTF-8 spelling), the checked type with nosniff, no caching by shared
 * caches, and a sandboxing CSP in case a browser renders it anyway.
 */
export function downloadResponse(file: StoredObject): Response {
  const contentType = ALLOWED_MIME_TYPES.has(file.contentType) ? file.contentType : "application/octet-stream";
  return new Response(createReadableStreamFromReadable(file.body), {
    status: 200,
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": attachment(sanitizeFilename(file.filename) || "Datei"),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}

/** Writes the upload to `target`, counting; stops reading and deletes it past the limit. */
async function stage(data: UploadSource, target: string, limit: number) {
  let size = 0;
  const source = data instanceof Readable ? data : Readable.from(data as AsyncIterable<Uint8Array> | Iterable<Uint8Array>);
  try {
    await pipeline(
      source,
      async function* count(chunks: AsyncIterable<Uint8Array>) {
        for await (const chunk of chunks) {
          size += chunk.byteLength;
          if (size > limit) throw new FileTooLargeError(limit);
          yield chunk;
        }
      },
      fs.createWriteStream(target, { flags: "wx" }),
    );
  } catch (error) {
    await fsp.rm(target, { force: true });
    throw error;
  }
  return size;
}
