import type { Readable } from "node:stream";

/** What is recorded with a stored file. */
export type FileMeta = { filename: string; contentType: string; size: number };

/** An opened file: its bytes as a stream and what was recorded with it. */
export type StoredObject = FileMeta & { key: string; body: Readable };

/**
 * Where the bytes live. Keys are already checked (well-formed, in scope) when a backend
 * sees them; a backend only stores, reads and deletes.
 */
export interface StorageBackend {
  readonly kind: "disk" | "s3";
  /** Stores the complete, checked file at `sourcePath` under `key` (moves or copies it). */
  write(key: string, sourcePath: string, meta: FileMeta): Promise<void>;
  /** null when there is no such file. */
  read(key: string): Promise<StoredObject | null>;
  /** Deleting a missing file is not an error. */
  remove(key: string): Promise<void>;
  /** Every key below a prefix (for operators and tests: "nothing left behind"). */
  list(prefix: string): Promise<string[]>;
  /** Where uploads are staged while they arrive and are checked. */
  readonly stagingDir: string;
}
