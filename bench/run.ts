/**
 * `npm run bench`: the office pages under concurrent load, against a bare Node HTTP server
 * that returns the same page's bytes from memory, on this machine in this run.
 *
 * 1. Opens the benchmark database: DATABASE_URL (owner; a database of its own – start-up
 *    sets the password of the role abh_app) or an embedded PostgreSQL in EMBEDDED_PG_DIR,
 *    default .data/bench-postgres. Without synthetic data it runs `npm run db:synthetic`'s
 *    generator first (16 networks × 35 offices × 20 people × 10 rounds).
 * 2. Starts the built portal (`npm run build` first) as `npm start` does, in production
 *    mode, and signs in as the head of a synthetic office.
 * 3. Per page: fetches it once (must be 200) and serves those bytes from bench/bare-server.mjs;
 *    then for the portal and the bare server a warm-up and a measured autocannon run with
 *    50 connections, each sending its next request as soon as the last is answered (closed
 *    loop: the page's throughput limit); for the portal also one connection (the time one
 *    request takes alone) and 50 people who open a page every 10 s on average (open loop,
 *    Poisson arrivals at --rate 5 per second: the latency people would see).
 * 4. Prints a markdown table (and writes it with --out FILE).
 *
 *   npm run bench -- [--duration 20] [--warmup 5] [--connections 50] [--rate 5] [--pages stand,vergleich] [--out FILE]
 *                    [--save DIR (the measured pages' HTML, to see what they weigh)]
 *
 * --profile <page id> instead sends --requests (100) requests one after another to a
 * portal running with --cpu-prof and bench/profile-hook.mjs, and reports where the time
 * goes: database queries (count and time per request, the costliest statements) and the
 * portal's CPU time by package.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { DATABASE_NAME } from "../server/database/index";
import { ensureDatabase, freePort, startEmbeddedPostgres } from "../server/database/embedded";
import {
  DEFAULT_OPTIONS,
  fillSyntheticData,
  STATES,
  SYNTHETIC_PASSWORD,
  SYNTHETIC_SLUG_PREFIX,
  syntheticEmail,
} from "../scripts/synthetic-data";
import { toCalendarDay } from "~/utils/calendar-day";

const ROOT = path.resolve(import.meta.dirname, "..");

type Context = { office: string; frameworkSlug: string };

/**
 * The pages measured, in this order. A page is measured when its route file exists (the
 * dashboard and the comparison are being built); --pages picks by id.
 */
export const PAGES: ReadonlyArray<{ id: string; route: string; path: (c: Context) => string; title: string }> = [
  { id: "stand", route: "behoerden.$office_.stand.tsx", path: (c) => `/behoerden/${c.office}/stand`, title: "Dashboard" },
  {
    id: "vergleich",
    route: "behoerden.$office_.vergleich.tsx",
    path: (c) => `/behoerden/${c.office}/vergleich`,
    title: "Comparison",
  },
  { id: "behoerde", route: "behoerden.$office.tsx", path: (c) => `/behoerden/${c.office}`, title: "Office page" },
  {
    id: "verlauf",
    route: "behoerden.$office_.verlauf.tsx",
    path: (c) => `/behoerden/${c.office}/verlauf`,
    title: "History (10 rounds)",
  },
  { id: "katalog", route: "katalog.$version._index.tsx", path: (c) => `/katalog/${c.frameworkSlug}`, title: "Catalogue" },
  {
    // Office 1's plan is the synthetic data's largest (scripts/synthetic-data.ts): 12 measures × 8 activities.
    id: "plan",
    route: "behoerden.$office.plan._index.tsx",
    path: (c) => `/behoerden/${c.office}/plan`,
    title: "Implementation plan (12 measures, 96 activities)",
  },
];

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    warmup: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    pages: { type: "string" },
    out: { type: "string" },
    profile: { type: "string" },
    save: { type: "string" },
    requests: { type: "string", default: "100" },
    rate: { type: "string", default: "5" },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNECTIONS = Number(args.connections);
const RATE = Number(args.rate);

/** failed: answers other than 200 by status ("error": no answer, e.g. a reset connection). */
type Measurement = {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  ok: number;
  failed: Record<string, number>;
  load: [number, number];
};
const failures = (m: Measurement) =>
  Object.entries(m.failed)
    .map(([status, n]) => `${n}× ${status}`)
    .join(", ") || "0";
const count = (failed: Record<string, number>, status: string | number, n = 1) =>
  void (failed[status] = (failed[status] ?? 0) + n);

/** Exact percentiles from every response time (autocannon's histogram has no p95). */
function percentile(sorted: number[], p: number) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function measure(url: string, cookie: string, connections: number, duration: number, warmup: number): Promise<Measurement> {
  const times: number[] = [];
  const failed: Record<string, number> = {};
  const load = os.loadavg()[0];
  const run = autocannon({
    url,
    connections,
    duration,
    timeout: 30,
    headers: cookie ? { cookie } : {},
    ...(warmup > 0 ? { warmup: { connections, duration: warmup } } : {}),
  });
  run.on("response", (_client, status, _bytes, ms) => {
    if (status === 200) times.push(ms);
    else count(failed, status);
  });
  const result = await run;
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: times.length / result.duration,
    ok: times.length,
    failed: Object.assign(
      failed,
      result.timeouts ? { timeout: result.timeouts } : {},
      result.errors - result.timeouts > 0 ? { error: result.errors - result.timeouts } : {},
    ),
    load: [load, os.loadavg()[0]],
  };
}

/** Requests at random (Poisson) times, `rate` per second on average, whatever the answers take. */
async function openLoop(url: string, cookie: string, rate: number, duration: number): Promise<Measurement> {
  const times: number[] = [];
  const failed: Record<string, number> = {};
  const load = os.loadavg()[0];
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let at = started; ;) {
    at += (-Math.log(1 - Math.random()) / rate) * 1000;
    if (at - started > duration * 1000) break;
    const wait = at - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = performance.now();
    pending.push(
      fetch(url, { headers: { cookie }, redirect: "manual" }).then(
        async (res) => {
          await res.arrayBuffer();
          if (res.status === 200) times.push(performance.now() - sent);
          else count(failed, res.status);
        },
        () => count(failed, "error"),
      ),
    );
  }
  await Promise.all(pending);
  times.sort((a, b) => a - b);
  return {
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    rps: times.length / duration,
    ok: times.length,
    failed,
    load: [load, os.loadavg()[0]],
  };
}

// ─── Processes ──────────────────────────────────────────────────────────────

const cleanups: Array<() => Promise<unknown>> = [];
async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error) => console.error(error));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanUp().then(() => process.exit(130)));

async function openBenchDatabase() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const dataDir = process.env.EMBEDDED_PG_DIR || ".data/bench-postgres";
  console.log(`Embedded PostgreSQL in ${dataDir} …`);
  const embedded = await startEmbeddedPostgres({ dataDir });
  cleanups.push(() => embedded.stop());
  await ensureDatabase(embedded.adminUrl, DATABASE_NAME);
  return embedded.urlFor(DATABASE_NAME);
}

async function hasSyntheticData(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query(`SELECT 1 FROM pg_tables WHERE tablename = 'network'`);
    if (!tables.rowCount) return false;
    return Boolean((await client.query(`SELECT 1 FROM network WHERE slug LIKE $1`, [`${SYNTHETIC_SLUG_PREFIX}%`])).rowCount);
  } finally {
    await client.end();
  }
}

/** Synthetic data written before plans existed has none: measuring an empty plan page would say nothing. */
async function requirePlan(url: string, office: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ activities: string }>(
      `SELECT count(a.id) AS activities FROM plan p LEFT JOIN plan_activity a ON a.plan_id = p.id WHERE p.office_id = $1 AND p.closed_at IS NULL`,
      [office],
    );
    if (!Number(rows[0]?.activities))
      throw new Error(
        "The bench office has no plan: its synthetic data predates plans. Start from an empty database (delete EMBEDDED_PG_DIR, default .data/bench-postgres).",
      );
  } finally {
    await client.end();
  }
}

async function benchContext(url: string, email: string): Promise<Context & { officeName: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ office: string; name: string; slug: string }>(
      `SELECT o.id AS office, o.name, v.slug FROM user_account u
       JOIN membership m ON m.user_id = u.id AND m.role = 'OFFICE_HEAD'
       JOIN office o ON o.id = m.office_id JOIN network n ON n.id = o.network_id JOIN framework_version v ON v.id = n.framework_version_id
       WHERE u.email = $1`,
      [email],
    );
    if (!rows.length) throw new Error(`No office head ${email} in the database.`);
    return { office: rows[0].office, officeName: rows[0].name, frameworkSlug: rows[0].slug };
  } finally {
    await client.end();
  }
}

type Profiling = { dir: string; statsFile: string };

/** The built portal as `npm start` runs it, in production mode (React's production build). */
async function startPortal(databaseUrl: string, profiling?: Profiling) {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) throw new Error("No build: run `npm run build` first.");
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const profile = profiling ? ["--cpu-prof", `--cpu-prof-dir=${profiling.dir}`, "--import", "./bench/profile-hook.mjs"] : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, "--import", "tsx", "server/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      PUBLIC_URL: baseUrl,
      SESSION_SECRET: "benchmark-only-session-secret-not-for-real-use",
      // Required in production; nothing is e-mailed in the benchmark (the outbox stays empty).
      RESEND_API_KEY: "re_benchmark_never_used",
      DEMO_DATA: "false",
      // Request logs would measure the terminal; warnings and errors still show.
      LOG_LEVEL: "warn",
      ...(profiling ? { BENCH_QUERY_STATS: profiling.statsFile } : {}),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const stop = async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  };
  cleanups.push(stop);
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The portal exited (${child.exitCode}):\n${output}`);
    if (
      await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) throw new Error(`The portal did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { baseUrl, stop, signal: (name: NodeJS.Signals) => child.kill(name), output: () => output };
}

async function signIn(baseUrl: string, email: string) {
  const res = await fetch(`${baseUrl}/anmelden`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
    body: new URLSearchParams({ email, password: SYNTHETIC_PASSWORD, redirectTo: "/" }),
  });
  const cookie = res.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .find((pair) => /abh_session=./.test(pair));
  if (res.status !== 302 || !cookie) throw new Error(`Sign-in as ${email} failed: ${res.status}`);
  return cookie;
}

async function startBareServer(pages: Record<string, Buffer>) {
  const port = await freePort();
  const child = fork(path.join(import.meta.dirname, "bare-server.mjs"), [], { stdio: "inherit" });
  cleanups.push(async () => {
    if (child.exitCode !== null) return;
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("message", () => resolve());
    child.once("exit", (code) => reject(new Error(`bare-server exited (${code})`)));
  });
  child.send({ port, pages: Object.fromEntries(Object.entries(pages).map(([p, body]) => [p, body.toString("base64")])) });
  await ready;
  return { baseUrl: `http://127.0.0.1:${port}`, pid: child.pid };
}

// ─── Report ─────────────────────────────────────────────────────────────────

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(1) : Math.round(value)} ms` : "–");

function report(
  rows: Array<{
    title: string;
    path: string;
    bytes: number;
    portal: Measurement;
    single: Measurement;
    bare: Measurement;
    people: Measurement;
  }>,
  machine: string,
) {
  const lines = [
    machine,
    "",
    `| Page | Bytes | Server | Median | p95 | p99 | Requests/s | Failed | Load (before → after) |`,
    `| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |`,
  ];
  for (const row of rows) {
    const line = (server: string, m: Measurement, first: boolean) =>
      `| ${first ? `${row.title} \`${row.path}\`` : ""} | ${first ? row.bytes.toLocaleString("en-GB") : ""} | ${server} | ${ms(m.p50)} | ${ms(m.p95)} | ${ms(m.p99)} | ${m.rps.toFixed(0)} | ${failures(m)} | ${m.load[0].toFixed(1)} → ${m.load[1].toFixed(1)} |`;
    lines.push(line(`Portal, ${CONNECTIONS} conn.`, row.portal, true));
    lines.push(line(`bare Node, ${CONNECTIONS} conn.`, row.bare, false));
    lines.push(line("Portal, 1 conn.", row.single, false));
    lines.push(line(`Portal, ${RATE}/s open`, row.people, false));
  }
  return lines.join("\n");
}

// ─── Profile ────────────────────────────────────────────────────────────────

type CpuProfile = {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
};
type QueryStats = { queries: number; ms: number; bySql: Record<string, { count: number; ms: number }> };

/** Where a sampled function lives: an npm package, node itself, the portal's bundle, or V8's own bucket. */
function area(frame: { functionName: string; url: string }) {
  if (!frame.url) return frame.functionName || "(anonymous)";
  const modules = frame.url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const [scope, name] = frame.url.slice(modules + "node_modules/".length).split("/");
    return scope.startsWith("@") ? `${scope}/${name}` : scope;
  }
  if (frame.url.startsWith("node:")) return "node (intern)";
  return path.relative(ROOT, frame.url.replace(/^file:\/\//, ""));
}

/** Self time per area and per function of the samples taken between `from` and `to` (µs, monotonic clock). */
function cpuBreakdown(profile: CpuProfile, from: number, to: number) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let at = profile.startTime;
  let inWindow = 0;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i];
    if (at < from || at > to) return;
    const frame = nodes.get(id)!;
    const delta = profile.timeDeltas[i] / 1000;
    inWindow++;
    byArea.set(area(frame), (byArea.get(area(frame)) ?? 0) + delta);
    const name = `${frame.functionName || "(anonymous)"} ${area(frame)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
  });
  return { byArea, byFunction, inWindow };
}

async function profilePage(databaseUrl: string, email: string, context: Context) {
  const page = PAGES.find((p) => p.id === args.profile);
  if (!page) throw new Error(`Unknown page ${args.profile} (known: ${PAGES.map((p) => p.id).join(", ")}).`);
  const requests = Number(args.requests);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "abh-bench-profile-"));
  const statsFile = path.join(dir, "queries.json");
  console.log("Starting the portal (production mode, --cpu-prof) …");
  const portal = await startPortal(databaseUrl, { dir, statsFile });
  const cookie = await signIn(portal.baseUrl, email);
  const url = portal.baseUrl + page.path(context);
  const get = async () => {
    const started = performance.now();
    const res = await fetch(url, { headers: { cookie }, redirect: "manual" });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${page.path(context)} answered ${res.status}.`);
    return performance.now() - started;
  };
  for (let i = 0; i < 10; i++) await get();
  portal.signal("SIGUSR2");
  await new Promise((r) => setTimeout(r, 200));
  const from = Number(process.hrtime.bigint() / 1000n);
  const times: number[] = [];
  for (let i = 0; i < requests; i++) times.push(await get());
  const to = Number(process.hrtime.bigint() / 1000n);
  await portal.stop();

  const stats = JSON.parse(fs.readFileSync(statsFile, "utf8")) as QueryStats;
  const profileFile = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!profileFile) throw new Error(`No CPU profile in ${dir}.`);
  const { byArea, byFunction, inWindow } = cpuBreakdown(
    JSON.parse(fs.readFileSync(path.join(dir, profileFile), "utf8")) as CpuProfile,
    from,
    to,
  );
  if (!inWindow) throw new Error("No sample in the measured window (the profile's and the bench's clocks disagree).");
  times.sort((a, b) => a - b);
  const perRequest = (value: number) => (value / requests).toFixed(1);
  const busy = [...byArea].filter(([name]) => name !== "(idle)").reduce((sum, [, v]) => sum + v, 0);
  const top = <K>(map: Map<K, number>, n: number) =>
    [...map]
      .filter(([name]) => name !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, n);
  const lines = [
    `Profile: ${page.title} \`${page.path(context).replace(context.office, ":office")}\`, ${requests} requests one after another (1 connection), production mode, load ${os.loadavg()[0].toFixed(1)}.`,
    "",
    `- Response time: median ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))}, mean ${ms(times.reduce((a, b) => a + b, 0) / requests)}.`,
    `- Database: ${perRequest(stats.queries)} queries and ${perRequest(stats.ms)} ms per request (sum of the query times as node-postgres sees them: network and PostgreSQL).`,
    `- CPU of the portal process: ${perRequest(busy)} ms per request, of which:`,
    "",
    "| Where | ms per request | Share |",
    "| --- | ---: | ---: |",
    ...top(byArea, 12).map(([name, v]) => `| ${name} | ${perRequest(v)} | ${((100 * v) / busy).toFixed(0)} % |`),
    "",
    "| Function (self time) | ms per request |",
    "| --- | ---: |",
    ...top(byFunction, 15).map(([name, v]) => `| \`${name}\` | ${perRequest(v)} |`),
    "",
    "| Query (shortened) | Count per request | ms per request |",
    "| --- | ---: | ---: |",
    ...Object.entries(stats.bySql)
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 10)
      .map(([sql, v]) => `| \`${sql.replaceAll("|", "\\|").slice(0, 120)}\` | ${perRequest(v.count)} | ${perRequest(v.ms)} |`),
  ];
  fs.rmSync(dir, { recursive: true, force: true });
  return lines.join("\n");
}

// ─── Main ───────────────────────────────────────────────────────────────────

async function main() {
  const started = performance.now();
  const routes = new Set(fs.readdirSync(path.join(ROOT, "app/routes")));
  const wanted = args.pages?.split(",").map((p) => p.trim());
  const pages = PAGES.filter((p) => (wanted ? wanted.includes(p.id) : routes.has(p.route)));
  if (!pages.length) throw new Error(`No page chosen (known: ${PAGES.map((p) => p.id).join(", ")}).`);
  const skipped = PAGES.filter((p) => !pages.includes(p)).map((p) => p.id);

  const databaseUrl = await openBenchDatabase();
  if (!(await hasSyntheticData(databaseUrl))) {
    console.log("No synthetic data – generating it (once, about a minute) …");
    const { seconds } = await fillSyntheticData(databaseUrl, { ...DEFAULT_OPTIONS, today: toCalendarDay(new Date()) });
    console.log(`Synthetic data generated in ${seconds.toFixed(0)} s.`);
  }
  const email = syntheticEmail(STATES[0][0], 1, 1);
  const context = await benchContext(databaseUrl, email);
  if (pages.some((p) => p.id === "plan")) await requirePlan(databaseUrl, context.office);
  if (args.profile) {
    const profile = await profilePage(databaseUrl, email, context);
    console.log(`\n${profile}`);
    if (args.out) fs.writeFileSync(args.out, `${profile}\n`);
    return;
  }

  console.log("Starting the portal (production mode) …");
  const portal = await startPortal(databaseUrl);
  const cookie = await signIn(portal.baseUrl, email);

  const bodies: Record<string, Buffer> = {};
  for (const page of pages) {
    const res = await fetch(portal.baseUrl + page.path(context), { headers: { cookie }, redirect: "manual" });
    if (res.status !== 200) throw new Error(`${page.path(context)} answered ${res.status}, not 200.`);
    bodies[page.path(context)] = Buffer.from(await res.arrayBuffer());
    if (args.save) {
      fs.mkdirSync(args.save, { recursive: true });
      fs.writeFileSync(path.join(args.save, `${page.id}.html`), bodies[page.path(context)]);
    }
  }
  const bare = await startBareServer(bodies);

  const rows = [];
  for (const page of pages) {
    const p = page.path(context);
    console.log(`${page.title} (${p}): Portal …`);
    const portalRun = await measure(portal.baseUrl + p, cookie, CONNECTIONS, DURATION, WARMUP);
    console.log(`  p50 ${ms(portalRun.p50)}, p95 ${ms(portalRun.p95)}, ${portalRun.rps.toFixed(0)}/s; bare Node …`);
    const bareRun = await measure(bare.baseUrl + p, "", CONNECTIONS, DURATION, WARMUP);
    console.log(`  p50 ${ms(bareRun.p50)}, p95 ${ms(bareRun.p95)}, ${bareRun.rps.toFixed(0)}/s; Portal, 1 connection …`);
    const single = await measure(portal.baseUrl + p, cookie, 1, Math.max(3, Math.round(DURATION / 4)), 1);
    console.log(`  p50 ${ms(single.p50)}, p95 ${ms(single.p95)}; Portal, ${RATE}/s open loop …`);
    const people = await openLoop(portal.baseUrl + p, cookie, RATE, DURATION);
    console.log(`  p50 ${ms(people.p50)}, p95 ${ms(people.p95)}`);
    rows.push({
      title: page.title,
      path: p.replace(context.office, ":office"),
      bytes: bodies[p].length,
      portal: portalRun,
      single,
      bare: bareRun,
      people,
    });
  }

  const cpus = os.cpus();
  const machine = [
    `Run finished ${new Date().toISOString()}: ${os.availableParallelism()} cores (${cpus[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.type()} ${os.release()}.`,
    `Each measurement: ${WARMUP} s warm-up, ${DURATION} s measured. "${CONNECTIONS} conn.": autocannon, ${CONNECTIONS} connections, each sends its next request as soon as the last is answered (closed loop). "1 conn.": one connection, ${Math.max(3, Math.round(DURATION / 4))} s. "${RATE}/s open": requests at random (Poisson) times, ${RATE} per second on average, however long the answers take (${CONNECTIONS} people opening a page every ${Math.round(CONNECTIONS / RATE)} s). Signed in as the head of "${context.officeName}" (${email}).`,
    skipped.length ? `Not measured (no route yet, or not chosen): ${skipped.join(", ")}.` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const table = report(rows, machine);
  console.log(`\n${table}\n\nTotal: ${((performance.now() - started) / 1000).toFixed(0)} s`);
  // Why answers failed: the portal's own log (warnings and errors only), one line per message.
  const messages = new Map<string, number>();
  for (const line of portal.output().split("\n")) {
    const msg = line.match(/"msg":"([^"]{0,200})/)?.[1] ?? line.trim().slice(0, 200);
    if (msg) messages.set(msg, (messages.get(msg) ?? 0) + 1);
  }
  if (messages.size)
    console.log(`\nThe portal's log (warnings and errors):\n${[...messages].map(([m, n]) => `  ${n}× ${m}`).join("\n")}`);
  if (args.out) fs.writeFileSync(args.out, `${table}\n`);
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
