import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe } from "vitest";
import { useApp } from "../../support/app";
import { attachmentCases, LIMIT_MB } from "./attachments-cases";

// Read by the portal's configuration at its first request (this file's own process).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abh-attachments-disk-"));
process.env.STORAGE_DIR = dir;
process.env.UPLOAD_MAX_MB = String(LIMIT_MB);
delete process.env.STORAGE_S3_BUCKET;
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("plan attachments with files on disk", () => {
  const app = useApp();
  attachmentCases(app, {
    // Stored files (offices/<id>/<uuid>), not the staging directory.
    objects: async () =>
      fs
        .readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => !f.startsWith(".staging") && /offices\/[^/]+\/[0-9a-f-]{36}$/.test(f))
        .sort(),
  });
});
