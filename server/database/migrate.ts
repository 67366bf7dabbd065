import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";
import { migrateJobQueue } from "~/platform/jobs/schema.server";

export const MIGRATIONS_DIR = path.resolve(import.meta.dirname, "../../prisma/migrations");

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    readonly file: string,
    cause: unknown,
  ) {
    super(`Migration ${migration} ist fehlgeschlagen (${file}): ${cause instanceof Error ? cause.message : String(cause)}`, {
      cause,
    });
    this.name = "MigrationError";
  }
}

type Migration = { name: string; file: string; sql: string; checksum: string };

async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const file = path.join(dir, name, "migration.sql");
      const sql = await fs.readFile(file, "utf8");
      // Same checksum Prisma records, so `prisma migrate` could take over one day.
      return { name, file, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies every migration in `prisma/migrations` that has not run yet, in name order,
 * each in its own transaction, and records it in Prisma's `_prisma_migrations` table.
 * A failing migration is rolled back completely and reported with its file.
 * An advisory lock keeps two portals starting at once from racing.
 * graphile-worker's own schema (the job queue) is created or upgraded first, so that the
 * SQL migrations can grant the portal's role its rights on it.
 */
export async function migrate(databaseUrl: string, { dir = MIGRATIONS_DIR, log = (_: string) => {} } = {}) {
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(727274)");
    await migrateJobQueue(databaseUrl, log);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id" VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum" VARCHAR(64) NOT NULL,
        "finished_at" TIMESTAMPTZ,
        "migration_name" VARCHAR(255) NOT NULL,
        "logs" TEXT,
        "rolled_back_at" TIMESTAMPTZ,
        "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((r) => [r.migration_name, r.checksum]));

    for (const migration of migrations) {
      const recorded = done.get(migration.name);
      if (recorded) {
        if (recorded !== migration.checksum) {
          throw new MigrationError(
            migration.name,
            migration.file,
            new Error("die Datei wurde geändert, nachdem sie angewendet wurde; Änderungen gehören in eine neue Migration"),
          );
        }
        continue;
      }
      try {
        await client.query("BEGIN");
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw new MigrationError(migration.name, migration.file, error);
      }
      applied.push(migration.name);
      log(`Migration angewendet: ${migration.name}`);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(727274)").catch(() => {});
    await client.end();
  }
  return { applied };
}
