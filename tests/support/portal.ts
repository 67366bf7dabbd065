import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { freePort } from "../../server/database/embedded";
import { createTestDatabase } from "./database";
import { CHROMIUM } from "./global-browser";

const ROOT = path.resolve(import.meta.dirname, "../..");

type TestDatabase = Awaited<ReturnType<typeof createTestDatabase>>;

/**
 * Starts the built portal exactly as `npm start` does, on a free port and its own database –
 * or, with `database`, on one shared with other portals (several app servers; the caller
 * drops it).
 */
export async function startPortal(env: Record<string, string> = {}, { database }: { database?: TestDatabase } = {}) {
  const db = database ?? (await createTestDatabase());
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "development",
      DATABASE_URL: db.url,
      // The role abh_app is shared by every test database of the cluster: never let a
      // portal under test re-provision it with another password (start.test.ts covers that).
      APP_DATABASE_URL: db.appUrl,
      STATS_DATABASE_URL: db.statsUrl,
      PORT: String(port),
      // Links in e-mails must point where the browser goes (cookies are per host).
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Portal exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${baseUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`Portal did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 150));
  }
  return {
    baseUrl,
    /** The portal's database as its owner, for arranging test data. */
    databaseUrl: db.url,
    output: () => output,
    async stop() {
      child.kill("SIGTERM");
      if (child.exitCode === null) await new Promise((r) => child.once("exit", r));
      if (!database) await db.drop();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** For an e2e file: one portal and one browser shared by its tests. */
export function usePortal(env?: Record<string, string>) {
  const state = {} as { baseUrl: string; databaseUrl: string; browser: Browser };
  let portal: Awaited<ReturnType<typeof startPortal>> | undefined;
  beforeAll(async () => {
    [portal, state.browser] = await Promise.all([startPortal(env), launchBrowser()]);
    state.baseUrl = portal.baseUrl;
    state.databaseUrl = portal.databaseUrl;
  });
  // A failed test shows what the portal logged (warnings and errors), e.g. a 500's cause.
  afterEach((ctx) => {
    if (ctx.task.result?.state === "fail" && portal)
      console.error(`Portal output (last 6000 characters):\n${portal.output().slice(-6000)}`);
  });
  afterAll(async () => {
    await state.browser?.close();
    await portal?.stop();
  });
  return state;
}

/** Every page an end-to-end test visits passes axe-core without serious or critical findings. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const severe = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(severe, `axe-core findings on ${page.url()}`).toEqual([]);
}

/**
 * Pages for an e2e file whose every visited address is checked with axe-core after each
 * test, in a fresh page that carries the cookies the test had at that moment (so pages
 * behind sign-in are checked as the signed-in person saw them, not as the sign-in page).
 */
export function useCheckedPages(portal: { baseUrl: string; browser: Browser }) {
  type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
  const visited = new Map<string, Promise<StorageState>>();
  const checked = new Set<string>();
  const contexts: BrowserContext[] = [];

  async function open(path: string, options: { javaScriptEnabled?: boolean } = {}) {
    const context = await portal.browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, locale: "de-DE" });
    contexts.push(context);
    const page = await context.newPage();
    page.on("framenavigated", (frame) => {
      const url = frame.url();
      if (frame === page.mainFrame() && !visited.has(url))
        visited.set(
          url,
          context.storageState().catch(() => ({ cookies: [], origins: [] })),
        );
    });
    const response = await page.goto(portal.baseUrl + path);
    return { page, response, close: () => context.close() };
  }

  afterEach(async () => {
    const snapshots = [...visited.entries()];
    visited.clear();
    const states = await Promise.all(snapshots.map(([, state]) => state));
    await Promise.all(contexts.splice(0).map((c) => c.close().catch(() => {})));
    for (const [index, [url]] of snapshots.entries()) {
      if (checked.has(url) || !url.startsWith(portal.baseUrl)) continue;
      checked.add(url);
      const context = await portal.browser.newContext({ storageState: states[index] });
      try {
        const page = await context.newPage();
        await page.goto(url);
        await expectAccessible(page);
      } finally {
        await context.close();
      }
    }
  });
  return { open };
}
