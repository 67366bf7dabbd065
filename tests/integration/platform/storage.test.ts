import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createDiskBackend,
  createS3Backend,
  createStorage,
  FileTooLargeError,
  FileTypeNotAllowedError,
  readUploadForm,
  type Storage,
  type StorageBackend,
  type StorageScope,
  StoredFileNotFoundError,
} from "~/platform/storage/index.server";
import { files, largeUpload } from "./storage-files";

const MB = 1024 * 1024;
const officeA: StorageScope = { kind: "office", officeId: crypto.randomUUID() };
const officeB: StorageScope = { kind: "office", officeId: crypto.randomUUID() };
const network: StorageScope = { kind: "network", networkId: crypto.randomUUID() };

/** Everything a backend holds, plus what is left in its staging directory. */
async function leftovers(backend: StorageBackend) {
  const staged = fs.existsSync(backend.stagingDir) ? fs.readdirSync(backend.stagingDir) : [];
  const stored = (await backend.list("")).filter((key) => !key.startsWith(".staging/"));
  return { stored, staged };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "abh-storage-test-"));
let s3server: S3rver | undefined;

const backends: Record<string, () => Promise<StorageBackend>> = {
  disk: async () => createDiskBackend(path.join(tmp, "files")),
  /** A fake S3 (s3rver) on a free port, as MinIO or Ceph would be configured. */
  s3: async () => {
    s3server = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(tmp, "s3"), silent: true });
    const { port } = await s3server.run();
    const endpoint = `http://127.0.0.1:${port}`;
    const settings = { endpoint, region: "eu-central-1", accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };
    const admin = new S3Client({
      ...settings,
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    await admin.send(new CreateBucketCommand({ Bucket: "abh-netz-test" }));
    const backend = createS3Backend({ ...settings, bucket: "abh-netz-test" });
    // Staged uploads of this test only (the system's temp directory is shared).
    return { ...backend, stagingDir: path.join(tmp, "s3-staging") };
  },
};

afterAll(async () => {
  await s3server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe.each(Object.keys(backends))("file storage on %s", (kind) => {
  let storage: Storage;
  let backend: StorageBackend;
  beforeAll(async () => {
    backend = await backends[kind]();
    storage = createStorage({ backend, maxBytes: MB });
  });

  it("stores a file below the office's prefix and gives it back byte for byte", async () => {
    const pdf = files.pdf();
    const file = await storage.put(officeA, { filename: "Prüfbericht „Entwurf“ 2026.pdf", data: [pdf] });
    expect(file.key).toMatch(new RegExp(`^offices/${officeA.kind === "office" && officeA.officeId}/[0-9a-f-]{36}$`));
    expect(file).toMatchObject({ filename: "Prüfbericht „Entwurf“ 2026.pdf", contentType: "application/pdf", size: pdf.length });
    const object = await storage.get(officeA, file.key);
    expect(object).toMatchObject({ filename: file.filename, contentType: "application/pdf", size: pdf.length });
    expect(await buffer(object.body)).toEqual(pdf);
  });

  it("a download is an attachment with the exact UTF-8 name, the checked type and nosniff", async () => {
    const png = files.png();
    const file = await storage.put(officeA, { filename: "Übersicht Öffnungszeiten.png", data: [png] });
    const response = await storage.download(officeA, file.key);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-length")).toBe(String(png.length));
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("content-disposition")).toBe(
      "attachment; filename=\"Uebersicht-Oeffnungszeiten.png\"; filename*=UTF-8''%C3%9Cbersicht%20%C3%96ffnungszeiten.png",
    );
    expect(Buffer.from(await response.arrayBuffer())).toEqual(png);
  });

  it("accepts each allowed type, recognised from the bytes – the zip-based office formats told apart", async () => {
    const expected = {
      pdf: "application/pdf",
      docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      odt: "application/vnd.oasis.opendocument.text",
      ods: "application/vnd.oasis.opendocument.spreadsheet",
      png: "image/png",
      jpg: "image/jpeg",
    };
    for (const [ext, mime] of Object.entries(expected)) {
      const bytes = await files[ext as keyof typeof expected]();
      // Without an extension, the detected one is added.
      const file = await storage.put(officeA, { filename: "Anlage", data: [bytes] });
      expect(file, ext).toMatchObject({ contentType: mime, filename: `Anlage.${ext}` });
    }
    // Each office format under another office format's name is refused: they are distinguished.
    for (const [ext, wrong] of [
      ["docx", "xlsx"],
      ["xlsx", "docx"],
      ["odt", "ods"],
      ["ods", "odt"],
      ["docx", "odt"],
    ] as const) {
      await expect(
        storage.put(officeA, { filename: `Anlage.${wrong}`, data: [await files[ext]()] }),
        `${ext} as .${wrong}`,
      ).rejects.toThrow(FileTypeNotAllowedError);
    }
    expect((await storage.put(officeA, { filename: "Foto.JPEG", data: [files.jpg()] })).filename).toBe("Foto.JPEG");
  });

  it("refuses a file by its bytes: PNG bytes named .pdf, a program, a plain zip, text – and keeps nothing", async () => {
    const before = await leftovers(backend);
    const mismatch = await storage.put(officeA, { filename: "Bericht.pdf", data: [files.png()] }).catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(FileTypeNotAllowedError);
    expect(mismatch).toMatchObject({
      status: 415,
      messageKey: "storage:typeMismatch",
      message:
        "Der Inhalt der Datei „Bericht.pdf“ passt nicht zu ihrer Endung: Es ist eine PNG-Datei. Bitte laden Sie sie mit der richtigen Endung hoch.",
    });
    for (const [name, bytes] of [
      ["Bericht.pdf", files.exe()],
      ["setup.exe", files.exe()],
      ["Anlagen.zip", files.zip()],
      ["notiz.txt", files.text()],
      ["leer.pdf", Buffer.alloc(0)],
    ] as const) {
      const error = await storage.put(officeA, { filename: name, data: [bytes] }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(FileTypeNotAllowedError);
      expect(error, name).toMatchObject({
        status: 415,
        message: expect.stringMatching(/^Diese Art von Datei wird nicht angenommen\. Erlaubt sind PDF/),
      });
    }
    expect(await leftovers(backend)).toEqual(before);
  });

  it("a file over the limit: 413 with a German message, reading stops, nothing is left behind", async () => {
    const before = await leftovers(backend);
    const upload = largeUpload(50 * MB);
    const error = await storage.put(officeA, { filename: "zu-groß.pdf", data: upload.data }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(error).toMatchObject({
      status: 413,
      messageKey: "storage:tooLarge",
      message: "Die Datei ist zu groß. Erlaubt sind höchstens 1 MB.",
    });
    // The upload was not read to its end.
    expect(upload.pulled()).toBeLessThan(2 * MB);
    expect(await leftovers(backend)).toEqual(before);
    // Exactly the limit is fine.
    const exact = Buffer.concat([files.pdf(), Buffer.alloc(MB - files.pdf().length, 0x20)]);
    expect((await storage.put(officeA, { filename: "genau.pdf", data: [exact] })).size).toBe(MB);
  });

  it("a foreign tenant gets 404 for a file that exists – the same as for one that does not", async () => {
    const file = await storage.put(officeA, { filename: "intern.pdf", data: [files.pdf()] });
    for (const scope of [officeB, network]) {
      await expect(storage.get(scope, file.key)).rejects.toThrow(StoredFileNotFoundError);
      await expect(storage.delete(scope, file.key)).rejects.toThrow(StoredFileNotFoundError);
      const response = await storage.download(scope, file.key).catch((e: unknown) => e);
      expect(response).toBeInstanceOf(Response);
      expect((response as Response).status).toBe(404);
    }
    const missing = `offices/${officeA.kind === "office" && officeA.officeId}/${crypto.randomUUID()}`;
    expect(((await storage.download(officeA, missing).catch((e: unknown) => e)) as Response).status).toBe(404);
    // Keys that try to leave the prefix are never looked up.
    for (const key of [
      `${file.key}/../../${officeB.kind === "office" && officeB.officeId}`,
      "../../etc/passwd",
      `${file.key}.json`,
    ]) {
      await expect(storage.get(officeA, key), key).rejects.toThrow(StoredFileNotFoundError);
    }
    // Still there for its own office.
    expect((await storage.get(officeA, file.key)).filename).toBe("intern.pdf");
    await storage.delete(officeA, file.key);
    await expect(storage.get(officeA, file.key)).rejects.toThrow(StoredFileNotFoundError);
  });

  it("readUploadForm streams a multipart form's file into storage and reads the other fields", async () => {
    const form = new FormData();
    form.append("title", "Handreichung für die Servicestelle");
    form.append("file", new Blob([files.pdf()], { type: "application/octet-stream" }), "Handreichung.pdf");
    const request = new Request("http://localhost/upload", { method: "POST", body: form });
    const upload = await readUploadForm(request, { scope: network, fileFields: ["file"], storage });
    expect(upload.form.get("title")).toBe("Handreichung für die Servicestelle");
    const [file] = upload.files.file;
    expect(upload.form.get("file")).toBe(file.key);
    expect(file).toMatchObject({ filename: "Handreichung.pdf", contentType: "application/pdf" });
    expect(file.key.startsWith(`networks/${network.kind === "network" && network.networkId}/`)).toBe(true);
    await upload.discard();
    await expect(storage.get(network, file.key)).rejects.toThrow(StoredFileNotFoundError);
  });

  it("readUploadForm: a second file over the limit removes the first one too", async () => {
    const before = await leftovers(backend);
    const form = new FormData();
    form.append("file", new Blob([files.pdf()]), "erste.pdf");
    form.append("file", new Blob([files.pdf(), Buffer.alloc(2 * MB)]), "zweite.pdf");
    const request = new Request("http://localhost/upload", { method: "POST", body: form });
    const error = await readUploadForm(request, { scope: officeA, fileFields: ["file"], storage }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FileTooLargeError);
    expect(await leftovers(backend)).toEqual(before);
    // A file in a field that takes none is a bad request.
    const other = new FormData();
    other.append("avatar", new Blob([files.png()]), "bild.png");
    const refused = await readUploadForm(new Request("http://localhost/upload", { method: "POST", body: other }), {
      scope: officeA,
      fileFields: ["file"],
      storage,
    }).catch((e: unknown) => e);
    expect((refused as Response).status).toBe(400);
    // The other fields together are limited like any form (FORM_MAX_KB): 413, the error page.
    const long = new FormData();
    long.append("beschreibung", "Maßnahme ".repeat(200_000));
    long.append("file", new Blob([files.pdf()]), "spät.pdf");
    const tooLong = await readUploadForm(new Request("http://localhost/upload", { method: "POST", body: long }), {
      scope: officeA,
      fileFields: ["file"],
      storage,
    }).catch((e: unknown) => e);
    expect((tooLong as Response).status).toBe(413);
    expect(await leftovers(backend)).toEqual(before);
  });
});
