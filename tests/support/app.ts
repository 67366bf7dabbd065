import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { pino } from "pino";
import { afterAll, beforeAll } from "vitest";
import { createApp } from "../../server/app";
import { useTestDatabase } from "./database";

const BUILD = path.resolve(import.meta.dirname, "../../build/index.js");

/**
 * The real HTTP stack (express, security headers, CSRF check, the built Remix app) on
 * a free port, in-process, against the file's own test database.
 */
export function useApp() {
  const db = useTestDatabase();
  const state = { db } as { db: typeof db; baseUrl: string };
  let close = () => {};
  beforeAll(async () => {
    if (!fs.existsSync(BUILD)) throw new Error("build/index.js fehlt – `npm test` baut zuerst (oder `npm run build`).");
    const build = (await import(pathToFileURL(BUILD).href)) as ServerBuild;
    const app = createApp({ build, logger: pino({ level: "silent" }), mode: "production" });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => server.close();
  });
  afterAll(() => close());
  return state;
}
