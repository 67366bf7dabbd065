import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { seedDemoNetwork } from "../../prisma/seed/index";
import { freePort } from "../../server/database/embedded";
import { useTestDatabase } from "../support/database";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Runs the start script as `npm start` does after building, with a clean environment. */
function start(env: Record<string, string>) {
  const { DATABASE_URL: _db, APP_DATABASE_URL: _app, STATS_DATABASE_URL: _stats, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd: ROOT,
    env: { ...inherited, NODE_ENV: "development", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitHealthy(port: number, exited: Promise<unknown>) {
  let done = false;
  void exited.then(() => (done = true));
  for (let i = 0; i < 400 && !done; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (res?.ok) return res.json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("portal did not become healthy");
}

describe("npm start with the embedded PostgreSQL", () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

  it("starts, serves, shuts the database down cleanly on Ctrl-C and keeps the data for the next start", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "abh-start-"));
    dirs.push(dir);
    const dataDir = path.join(dir, "postgres");

    const port = await freePort();
    const first = start({ PORT: String(port), EMBEDDED_PG_DIR: dataDir });
    expect(await waitHealthy(port, first.exited)).toMatchObject({ status: "ok", database: "up" });
    const home = await fetch(`http://127.0.0.1:${port}/`);
    expect(home.status).toBe(200);
    expect(first.output()).toMatch(/"applied":[1-9]/);

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    // The portal closes its connections before stopping the database: no error on the way out.
    expect(first.output()).not.toContain('"level":"error"');
    // PostgreSQL removes its pid file only after a clean shutdown.
    await expect(fs.access(path.join(dataDir, "postmaster.pid"))).rejects.toThrow();

    const port2 = await freePort();
    const second = start({ PORT: String(port2), EMBEDDED_PG_DIR: dataDir });
    await waitHealthy(port2, second.exited);
    // Nothing to migrate the second time: the database persisted.
    expect(second.output()).toMatch(/"applied":0/);
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);
  }, 120_000);
});

describe("npm start in production mode", () => {
  const db = useTestDatabase();

  it("refuses to start with default secrets and names each missing setting", async () => {
    const run = start({ NODE_ENV: "production", PORT: String(await freePort()) });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("ABH-Netz startet nicht.");
    expect(run.output()).toContain("SESSION_SECRET: der Standardwert ist in Produktion nicht erlaubt");
    expect(run.output()).toContain("DATABASE_URL: ist in Produktion erforderlich");
    expect(run.output()).toContain("PUBLIC_URL: ist in Produktion erforderlich");
  });

  it("refuses to start on a database that holds demo data", async () => {
    const version = await db.prisma.frameworkVersion.findFirstOrThrow();
    await seedDemoNetwork(db.prisma, version.id);
    const run = start({
      NODE_ENV: "production",
      PORT: String(await freePort()),
      DATABASE_URL: db.url,
      SESSION_SECRET: "p".repeat(40),
      PUBLIC_URL: "https://abh.example.de",
      RESEND_API_KEY: "re_test123",
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain("Die Datenbank enthält Demodaten");
  });
});
