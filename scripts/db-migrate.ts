/** `npm run db:migrate`: applies pending SQL migrations to DATABASE_URL or the embedded database. */
import { ConfigError, parseConfig } from "~/platform/config.server";
import { openDatabase } from "../server/database/index";
import { migrate } from "../server/database/migrate";

try {
  const database = await openDatabase(parseConfig(process.env));
  try {
    const { applied } = await migrate(database.url, { log: console.log });
    console.log(applied.length ? `${applied.length} Migration(en) angewendet.` : "Die Datenbank ist aktuell.");
  } finally {
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
