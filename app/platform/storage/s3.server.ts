import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { StorageBackend, StoredObject } from "./backend";

export type S3Settings = {
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle?: boolean;
};

/**
 * Any S3-compatible store (MinIO, Ceph, AWS S3). The file's name travels URL-encoded in
 * the object's metadata (S3 metadata is ASCII only), its checked type as Content-Type.
 * Uploads are staged in the system's temporary directory and sent with their length.
 */
export function createS3Backend(settings: S3Settings): StorageBackend {
  const client = new S3Client({
    region: settings.region,
    endpoint: settings.endpoint,
    // MinIO and Ceph are usually addressed by path (http://host:9000/bucket/key).
    forcePathStyle: settings.forcePathStyle ?? settings.endpoint !== undefined,
    credentials:
      settings.accessKeyId && settings.secretAccessKey
        ? { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey }
        : undefined,
    // The SDK's default since 2025 (CRC32 trailers in aws-chunked bodies) is not understood
    // by many S3-compatible stores; checksums only where S3 requires them.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const Bucket = settings.bucket;
  return {
    kind: "s3",
    stagingDir: path.join(os.tmpdir(), "abh-netz-uploads"),
    async write(key, sourcePath, meta) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key: key,
          Body: fs.createReadStream(sourcePath),
          ContentLength: meta.size,
          ContentType: meta.contentType,
          Metadata: { filename: encodeURIComponent(meta.filename) },
        }),
      );
    },
    async read(key): Promise<StoredObject | null> {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        const encoded = object.Metadata?.filename;
        return {
          key,
          filename: encoded ? decodeURIComponent(encoded) : key.split("/").pop()!,
          contentType: object.ContentType ?? "application/octet-stream",
          size: object.ContentLength ?? 0,
          body: object.Body as Readable,
        };
      } catch (error) {
        if (error instanceof NoSuchKey || (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) {
          return null;
        }
        throw error;
      }
    },
    async remove(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async list(prefix) {
      const keys: string[] = [];
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, ContinuationToken }));
        keys.push(...(page.Contents ?? []).map((object) => object.Key!));
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
      return keys.sort();
    },
  };
}
