import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "~/platform/config.server";

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
};

describe("storage and body-size settings", () => {
  it("default to files under .data/files, 20 MB per file and 1 MB per form", () => {
    expect(parseConfig({})).toMatchObject({ STORAGE_DIR: ".data/files", UPLOAD_MAX_MB: 20, FORM_MAX_KB: 1024 });
    expect(parseConfig({}).STORAGE_S3_BUCKET).toBeUndefined();
  });

  it("take an S3-compatible store with its bucket", () => {
    const config = parseConfig({
      STORAGE_S3_BUCKET: "abh-netz",
      STORAGE_S3_ENDPOINT: "http://minio.intern:9000",
      STORAGE_S3_ACCESS_KEY: "portal",
      STORAGE_S3_SECRET_KEY: "geheim",
      STORAGE_S3_FORCE_PATH_STYLE: "true",
      UPLOAD_MAX_MB: "50",
    });
    expect(config).toMatchObject({
      STORAGE_S3_BUCKET: "abh-netz",
      STORAGE_S3_REGION: "eu-central-1",
      STORAGE_S3_FORCE_PATH_STYLE: true,
      UPLOAD_MAX_MB: 50,
    });
  });

  it("name every bad storage setting in German", () => {
    expect(problems({ UPLOAD_MAX_MB: "viel", FORM_MAX_KB: "0", STORAGE_S3_BUCKET: "AB" })).toEqual([
      "UPLOAD_MAX_MB: muss eine Zahl sein",
      "FORM_MAX_KB: muss mindestens 1 sein",
      "STORAGE_S3_BUCKET: muss 3–63 Zeichen lang sein: Kleinbuchstaben, Ziffern, Punkt, Bindestrich",
    ]);
    expect(problems({ STORAGE_S3_ENDPOINT: "minio:9000" })).toEqual([
      "STORAGE_S3_ENDPOINT: muss eine vollständige URL sein, z. B. https://minio.example.de:9000",
    ]);
    expect(problems({ STORAGE_S3_ENDPOINT: "http://minio:9000", STORAGE_S3_ACCESS_KEY: "portal" })).toEqual([
      "STORAGE_S3_ENDPOINT: wirkt nur zusammen mit STORAGE_S3_BUCKET, das fehlt",
      "STORAGE_S3_ACCESS_KEY: wirkt nur zusammen mit STORAGE_S3_BUCKET, das fehlt",
    ]);
    expect(problems({ STORAGE_S3_BUCKET: "abh-netz", STORAGE_S3_ACCESS_KEY: "portal" })).toEqual([
      "STORAGE_S3_SECRET_KEY: fehlt: Zugangsschlüssel und geheimer Schlüssel gehören zusammen",
    ]);
  });
});
