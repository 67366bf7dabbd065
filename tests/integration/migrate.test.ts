import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, migrate, MigrationError } from "../../server/database/migrate";
import { createTestDatabase } from "../support/database";

async function tempMigrations(extra: Record<string, string>) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "abh-migrations-"));
  await fs.cp(MIGRATIONS_DIR, dir, { recursive: true });
  for (const [name, sql] of Object.entries(extra)) {
    await fs.mkdir(path.join(dir, name));
    await fs.writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

async function query(url: string, sql: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("npm run db:migrate", () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(() => Promise.all(cleanups.map((c) => c())));

  it("applies nothing twice: the template is already migrated", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    expect(await migrate(db.url)).toEqual({ applied: [] });
    const rows = await query(db.url, `SELECT migration_name FROM _prisma_migrations ORDER BY migration_name`);
    const files = (await fs.readdir(MIGRATIONS_DIR, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    expect(rows.map((r) => r.migration_name)).toEqual(files);
  });

  it("applies new migrations in name order, each once", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dir = await tempMigrations({
      "29990102000000_second": `INSERT INTO probe VALUES ('second');`,
      "29990101000000_first": `CREATE TABLE probe (step TEXT); INSERT INTO probe VALUES ('first');`,
    });
    expect(await migrate(db.url, { dir })).toEqual({ applied: ["29990101000000_first", "29990102000000_second"] });
    expect(await migrate(db.url, { dir })).toEqual({ applied: [] });
    expect((await query(db.url, `SELECT step FROM probe`)).map((r) => r.step)).toEqual(["first", "second"]);
  });

  it("rolls a failing migration back completely and names its file", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dir = await tempMigrations({
      "29990101000000_half_broken": `CREATE TABLE half (id INT); INSERT INTO nowhere VALUES (1);`,
    });
    const error = await migrate(db.url, { dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).message).toContain("29990101000000_half_broken");
    expect((error as MigrationError).message).toContain(path.join("29990101000000_half_broken", "migration.sql"));
    expect((error as MigrationError).message).toMatch(/nowhere/);
    // The table created before the error is gone and the migration is not recorded.
    expect(await query(db.url, `SELECT to_regclass('half') AS t`)).toEqual([{ t: null }]);
    expect(await query(db.url, `SELECT count(*)::int AS n FROM _prisma_migrations WHERE migration_name LIKE '2999%'`)).toEqual([
      { n: 0 },
    ]);
  });

  it("refuses to continue when an applied migration file was edited afterwards", async () => {
    const db = await createTestDatabase();
    cleanups.push(db.drop);
    const dir = await tempMigrations({ "29990101000000_once": `CREATE TABLE once (id INT);` });
    await migrate(db.url, { dir });
    await fs.writeFile(path.join(dir, "29990101000000_once", "migration.sql"), `CREATE TABLE once (id BIGINT);`);
    await expect(migrate(db.url, { dir })).rejects.toThrow(/29990101000000_once.*geändert/);
  });
});
