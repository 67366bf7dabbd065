import path from "node:path";
import { getConfig } from "~/platform/config.server";
import { createDiskBackend } from "./disk.server";
import { createS3Backend } from "./s3.server";
import { createStorage, type Storage } from "./storage.server";

let storage: Storage | undefined;

/**
 * The portal's storage as configured: an S3-compatible bucket when STORAGE_S3_BUCKET is
 * set, otherwise files under STORAGE_DIR; uploads up to UPLOAD_MAX_MB.
 */
export function getStorage(): Storage {
  if (storage) return storage;
  const config = getConfig();
  const backend = config.STORAGE_S3_BUCKET
    ? createS3Backend({
        bucket: config.STORAGE_S3_BUCKET,
        region: config.STORAGE_S3_REGION,
        endpoint: config.STORAGE_S3_ENDPOINT,
        accessKeyId: config.STORAGE_S3_ACCESS_KEY,
        secretAccessKey: config.STORAGE_S3_SECRET_KEY,
        forcePathStyle: config.STORAGE_S3_FORCE_PATH_STYLE,
      })
    : createDiskBackend(path.resolve(config.STORAGE_DIR));
  storage = createStorage({ backend, maxBytes: Math.round(config.UPLOAD_MAX_MB * 1024 * 1024) });
  return storage;
}
