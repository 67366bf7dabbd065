import fs from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "../support/database";
import { describeDatabase, describeSchema, diffShapes } from "../support/schema-drift";

/** The schema folder (one file per domain, prisma.config.ts), read as the one model Prisma sees. */
const SCHEMA = path.resolve(import.meta.dirname, "../../prisma/schema");
async function readSchema() {
  const files = (await fs.readdir(SCHEMA)).filter((f) => f.endsWith(".prisma")).sort();
  const texts = await Promise.all(files.map((f) => fs.readFile(path.join(SCHEMA, f), "utf8")));
  return texts.join("\n");
}

describe("schema.prisma and the SQL migrations", () => {
  const db = useTestDatabase();

  it("describe the same database", async () => {
    const expected = describeSchema(await readSchema());
    const problems = diffShapes(expected, await describeDatabase(db.url));
    expect(problems).toEqual([]);
    // Guard against a checker that compares nothing.
    expect(Object.keys(expected.tables).length).toBeGreaterThanOrEqual(12);
  });

  it("are reported as drifted when schema.prisma has a column the migrations lack", async () => {
    const schema = (await readSchema()).replace(/(model Office \{\n)/, "$1  website       String?\n");
    const problems = diffShapes(describeSchema(schema), await describeDatabase(db.url));
    expect(problems).toEqual(["column office.website: in schema.prisma, missing in the migrations"]);
  });

  it("are reported as drifted when a column's type, nullability or foreign-key rule differ", async () => {
    const schema = (await readSchema())
      .replace("staffCount    Int?", "staffCount    Int")
      .replace(
        "code               String\n  title              String\n  description        String\n",
        "code               String @db.VarChar(2)\n  title              String\n  description        String\n",
      )
      .replace(
        "network       Network    @relation(fields: [networkId], references: [id], onDelete: Restrict)",
        "network       Network    @relation(fields: [networkId], references: [id], onDelete: Cascade)",
      );
    const problems = diffShapes(describeSchema(schema), await describeDatabase(db.url));
    expect(problems).toEqual(
      expect.arrayContaining([
        "column office.staff_count: nullable in the database, required in schema.prisma",
        "column design_area.code: type text in the database, character varying(2) in schema.prisma",
        expect.stringMatching(/^table office: foreign key \(network_id\) -> network\(id\) ON DELETE CASCADE in schema.prisma/),
      ]),
    );
  });

  it("are reported as drifted when a migration adds a table schema.prisma does not know", async () => {
    await db.prisma.$executeRawUnsafe(`CREATE TABLE "stray" ("id" INTEGER PRIMARY KEY)`);
    const problems = diffShapes(describeSchema(await readSchema()), await describeDatabase(db.url));
    expect(problems).toEqual(["table stray: in the migrations, missing in schema.prisma"]);
    await db.prisma.$executeRawUnsafe(`DROP TABLE "stray"`);
  });
});
