import { describe, expect, it } from "vitest";
import { ConfigError, DEV_SESSION_SECRET, parseConfig } from "~/platform/config.server";

const problems = (env: Record<string, string>) => {
  try {
    parseConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
};

describe("configuration", () => {
  it("runs locally with no settings at all: port 3000, embedded database, demo data", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({ PORT: 3000, EMBEDDED_PG_DIR: ".data/postgres", demoData: true, isProduction: false });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("names every malformed setting with a German explanation", () => {
    expect(problems({ PORT: "dreitausend", DATABASE_URL: "mysql://x", LOG_LEVEL: "loud", DEMO_DATA: "ja" })).toEqual([
      "PORT: muss eine Zahl sein",
      "DATABASE_URL: muss mit postgres:// oder postgresql:// beginnen",
      expect.stringMatching(/^DEMO_DATA: muss true oder false sein/),
      expect.stringMatching(/^LOG_LEVEL: /),
    ]);
    expect(problems({ SESSION_SECRET: "short" })).toEqual(["SESSION_SECRET: muss mindestens 32 Zeichen lang sein"]);
  });

  it("treats an empty setting like a missing one", () => {
    const config = parseConfig({ PORT: "", DATABASE_URL: "" });
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("refuses production with default secrets, demo data or without a database server", () => {
    expect(problems({ NODE_ENV: "production" })).toEqual([
      "SESSION_SECRET: der Standardwert ist in Produktion nicht erlaubt",
      "DATABASE_URL: ist in Produktion erforderlich",
      "PUBLIC_URL: ist in Produktion erforderlich",
      "RESEND_API_KEY: ist in Produktion erforderlich, sonst geht keine E-Mail hinaus",
    ]);
    expect(
      problems({
        NODE_ENV: "production",
        SESSION_SECRET: DEV_SESSION_SECRET,
        DEMO_DATA: "true",
        DATABASE_URL: "postgresql://db/abh",
        PUBLIC_URL: "https://abh.example.de",
        RESEND_API_KEY: "re_test123",
      }),
    ).toEqual([
      "SESSION_SECRET: der Standardwert ist in Produktion nicht erlaubt",
      "DEMO_DATA: Demodaten sind in Produktion nicht erlaubt",
    ]);
  });

  it("accepts a complete production configuration, without demo data", () => {
    const config = parseConfig({
      NODE_ENV: "production",
      SESSION_SECRET: "x".repeat(48),
      DATABASE_URL: "postgresql://abh@db.internal/abh",
      PUBLIC_URL: "https://abh.example.de",
      RESEND_API_KEY: "re_live_abc",
    });
    expect(config).toMatchObject({ isProduction: true, demoData: false });
  });

  it("runs the job worker inline by default; WORKER=off runs none; anything else is refused in German", () => {
    expect(parseConfig({})).toMatchObject({ WORKER: "inline", WORKER_CONCURRENCY: 2 });
    expect(parseConfig({ WORKER: "off", WORKER_CONCURRENCY: "4" })).toMatchObject({ WORKER: "off", WORKER_CONCURRENCY: 4 });
    expect(problems({ WORKER: "sometimes", WORKER_CONCURRENCY: "0" })).toEqual([
      "WORKER: muss inline oder off sein",
      "WORKER_CONCURRENCY: muss zwischen 1 und 20 liegen",
    ]);
  });
});
