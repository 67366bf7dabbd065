import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe } from "vitest";
import { createS3Backend, type StorageBackend } from "~/platform/storage/index.server";
import { useApp } from "../../support/app";
import { attachmentCases, LIMIT_MB } from "./attachments-cases";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abh-attachments-s3-"));
let s3: S3rver | undefined;
let backend: StorageBackend;

// Before the app's first request: the portal reads its configuration then (this file's own process).
beforeAll(async () => {
  s3 = new S3rver({ port: 0, address: "127.0.0.1", directory: path.join(dir, "s3"), silent: true });
  const { port } = await s3.run();
  const settings = {
    endpoint: `http://127.0.0.1:${port}`,
    region: "eu-central-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
  };
  await new S3Client({
    ...settings,
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
  }).send(new CreateBucketCommand({ Bucket: "abh-anlagen" }));
  Object.assign(process.env, {
    STORAGE_S3_BUCKET: "abh-anlagen",
    STORAGE_S3_ENDPOINT: settings.endpoint,
    STORAGE_S3_REGION: settings.region,
    STORAGE_S3_ACCESS_KEY: "S3RVER",
    STORAGE_S3_SECRET_KEY: "S3RVER",
    STORAGE_S3_FORCE_PATH_STYLE: "true",
    UPLOAD_MAX_MB: String(LIMIT_MB),
  });
  backend = createS3Backend({ ...settings, bucket: "abh-anlagen" });
});
afterAll(async () => {
  await s3?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("plan attachments in an S3-compatible store", () => {
  const app = useApp();
  attachmentCases(app, {
    objects: async () => (await backend.list("offices/")).filter((key) => !key.endsWith(".json")).sort(),
  });
});
