import type { Config } from "~/platform/config.server";
import { ensureDatabase, startEmbeddedPostgres } from "./embedded";

export const DATABASE_NAME = "abh_netz";

/**
 * The database the portal and its commands use: the server named by DATABASE_URL, or
 * else an embedded PostgreSQL whose data lives in EMBEDDED_PG_DIR across restarts.
 */
export async function openDatabase(config: Config, log: (message: string) => void = () => {}) {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  const embedded = await startEmbeddedPostgres({ dataDir: config.EMBEDDED_PG_DIR, log });
  await ensureDatabase(embedded.adminUrl, DATABASE_NAME);
  return { url: embedded.urlFor(DATABASE_NAME), embedded: true, stop: embedded.stop };
}
