/** app/platform/storage: every file the portal keeps (see docs/decisions/0009-file-storage.md). */
export { getStorage } from "./configured.server";
export { createDiskBackend } from "./disk.server";
export { createS3Backend, type S3Settings } from "./s3.server";
export { createStorage, downloadResponse, type Storage, type StoredFile, type UploadSource } from "./storage.server";
export type { StorageBackend, StoredObject } from "./backend";
export * from "./errors";
export { sanitizeFilename } from "./names";
export { isKeyInScope, scopePrefix, type StorageScope } from "./scope";
export { ALLOWED_TYPES } from "./types";
export { readUploadForm, type UploadForm } from "./upload.server";
