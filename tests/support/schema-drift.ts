/**
 * Compares schema.prisma (the typed model) with a migrated database, so that the SQL
 * migrations and the schema cannot drift apart unnoticed. Checks every model's table,
 * every column's type and nullability, primary keys, unique constraints, foreign keys
 * (with their ON DELETE rule), declared indexes and enums – in both directions.
 */
import { getDMMF } from "@prisma/get-dmmf";
import pg from "pg";

type Column = { type: string; nullable: boolean };
type Table = {
  columns: Record<string, Column>;
  primaryKey: string;
  uniques: string[];
  foreignKeys: string[];
  indexes: string[];
};
export type SchemaShape = { tables: Record<string, Table>; enums: Record<string, string> };

const SCALAR_TYPES: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Boolean: "boolean",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Json: "jsonb",
  Bytes: "bytea",
  DateTime: "timestamp(3) without time zone",
};

const NATIVE_TYPES: Record<string, (args: string[]) => string> = {
  Uuid: () => "uuid",
  Text: () => "text",
  VarChar: ([n]) => `character varying(${n})`,
  Char: ([n]) => `character(${n})`,
  Timestamptz: ([p = "3"]) => `timestamp(${p}) with time zone`,
  Timestamp: ([p = "3"]) => `timestamp(${p}) without time zone`,
  Date: () => "date",
  Integer: () => "integer",
  SmallInt: () => "smallint",
  JsonB: () => "jsonb",
};

const list = (cols: string[]) => cols.join(",");
const ON_DELETE: Record<string, string> = {
  Cascade: "CASCADE",
  Restrict: "RESTRICT",
  SetNull: "SET NULL",
  NoAction: "NO ACTION",
  SetDefault: "SET DEFAULT",
};

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  nativeType?: [string, string[]] | null;
  isRequired: boolean;
  isList: boolean;
  isId: boolean;
  isUnique: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type DmmfModel = {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueIndexes: Array<{ fields: string[] }>;
};

export function describeSchema(schema: string): SchemaShape {
  const dmmf = getDMMF({ datamodel: schema });
  if ("error" in dmmf) throw new Error(`schema.prisma is invalid: ${dmmf.reason}`);
  const models = dmmf.datamodel.models as unknown as DmmfModel[];
  const enums = dmmf.datamodel.enums as unknown as Array<{
    name: string;
    dbName?: string | null;
    values: Array<{ name: string; dbName?: string | null }>;
  }>;
  const enumNames = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const tableOf = new Map(models.map((m) => [m.name, m.dbName ?? m.name]));
  const columnOf = (model: DmmfModel, field: string) => {
    const f = model.fields.find((x) => x.name === field)!;
    return f.dbName ?? f.name;
  };

  const tables: Record<string, Table> = {};
  for (const model of models) {
    const table: Table = { columns: {}, primaryKey: "", uniques: [], foreignKeys: [], indexes: [] };
    for (const field of model.fields) {
      if (field.kind === "object") continue;
      let type =
        field.kind === "enum"
          ? enumNames.get(field.type)!
          : field.nativeType
            ? (NATIVE_TYPES[field.nativeType[0]]?.(field.nativeType[1]) ?? field.nativeType[0].toLowerCase())
            : SCALAR_TYPES[field.type];
      if (field.isList) type += "[]";
      // Prisma creates list columns without NOT NULL.
      table.columns[field.dbName ?? field.name] = { type, nullable: field.isList || !field.isRequired };
      if (field.isId) table.primaryKey = list([field.dbName ?? field.name]);
      if (field.isUnique) table.uniques.push(list([field.dbName ?? field.name]));
    }
    if (model.primaryKey) table.primaryKey = list(model.primaryKey.fields.map((f) => columnOf(model, f)));
    for (const unique of model.uniqueIndexes) table.uniques.push(list(unique.fields.map((f) => columnOf(model, f))));
    for (const field of model.fields) {
      if (field.kind !== "object" || !field.relationFromFields?.length) continue;
      const target = models.find((m) => m.name === field.type)!;
      table.foreignKeys.push(
        `(${list(field.relationFromFields.map((f) => columnOf(model, f)))}) -> ${tableOf.get(field.type)}(${list(
          field.relationToFields!.map((f) => columnOf(target, f)),
        )}) ON DELETE ${ON_DELETE[field.relationOnDelete ?? ""] ?? (field.isRequired ? "RESTRICT" : "SET NULL")}`,
      );
    }
    tables[model.dbName ?? model.name] = table;
  }
  for (const index of dmmf.datamodel.indexes as unknown as Array<{
    model: string;
    type: string;
    fields: Array<{ name: string }>;
  }>) {
    if (index.type !== "normal") continue;
    const model = models.find((m) => m.name === index.model)!;
    tables[tableOf.get(index.model)!].indexes.push(list(index.fields.map((f) => columnOf(model, f.name))));
  }
  // Columns Prisma cannot type (Unsupported("…")) are absent from the DMMF; read them from the text.
  for (const match of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    for (const line of match[2].split("\n")) {
      const column = /^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?/.exec(line);
      if (!column) continue;
      const mapped = /@map\("(\w+)"\)/.exec(line)?.[1];
      tables[tableOf.get(match[1])!].columns[mapped ?? column[1]] = { type: column[2], nullable: column[3] === "?" };
    }
  }
  for (const t of Object.values(tables)) {
    t.uniques.sort();
    t.foreignKeys.sort();
    t.indexes.sort();
  }
  return {
    tables,
    enums: Object.fromEntries(enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name).join(",")])),
  };
}

export async function describeDatabase(url: string): Promise<SchemaShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const q = async <T extends Record<string, unknown>>(sql: string) => (await client.query<T>(sql)).rows;
    const tables: Record<string, Table> = {};
    for (const { name } of await q<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r','p') AND c.relname <> '_prisma_migrations'`,
    )) {
      tables[name] = { columns: {}, primaryKey: "", uniques: [], foreignKeys: [], indexes: [] };
    }
    for (const row of await q<{ table: string; column: string; type: string; nullable: boolean }>(
      `SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind IN ('r','p') AND a.attnum > 0 AND NOT a.attisdropped`,
    )) {
      if (tables[row.table])
        tables[row.table].columns[row.column] = { type: row.type.replace(/^"|"$/g, ""), nullable: row.nullable };
    }
    // Index and constraint columns in their declared order.
    for (const row of await q<{ table: string; kind: string; cols: string; unique: boolean; primary: boolean; partial: boolean }>(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary, i.indpred IS NOT NULL AS partial,
              am.amname AS kind,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum) AS cols
       FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_am am ON am.oid = ic.relam JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public'`,
    )) {
      const t = tables[row.table];
      if (!t || row.partial) continue;
      if (row.primary) t.primaryKey = row.cols;
      else if (row.unique) t.uniques.push(row.cols);
      else if (row.kind === "btree") t.indexes.push(row.cols);
    }
    for (const row of await q<{ table: string; cols: string; ref: string; refcols: string; ondelete: string }>(
      `SELECT c.relname AS table, rc.relname AS ref,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS cols,
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS refcols,
              CASE con.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'r' THEN 'RESTRICT' WHEN 'n' THEN 'SET NULL'
                                   WHEN 'd' THEN 'SET DEFAULT' ELSE 'NO ACTION' END AS ondelete
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class rc ON rc.oid = con.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace WHERE con.contype = 'f' AND n.nspname = 'public'`,
    )) {
      tables[row.table]?.foreignKeys.push(`(${row.cols}) -> ${row.ref}(${row.refcols}) ON DELETE ${row.ondelete}`);
    }
    for (const t of Object.values(tables)) {
      t.uniques.sort();
      t.foreignKeys.sort();
      t.indexes.sort();
    }
    const enums = Object.fromEntries(
      (
        await q<{ name: string; vals: string }>(
          `SELECT t.typname AS name, string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) AS vals
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE n.nspname = 'public' GROUP BY t.typname`,
        )
      ).map((r) => [r.name, r.vals]),
    );
    return { tables, enums };
  } finally {
    await client.end();
  }
}

/** Human-readable differences; empty when schema and database agree. */
export function diffShapes(expected: SchemaShape, actual: SchemaShape): string[] {
  const problems: string[] = [];
  for (const [name, table] of Object.entries(expected.tables)) {
    const db = actual.tables[name];
    if (!db) {
      problems.push(`table ${name}: in schema.prisma, missing in the migrations`);
      continue;
    }
    for (const [column, spec] of Object.entries(table.columns)) {
      const found = db.columns[column];
      if (!found) problems.push(`column ${name}.${column}: in schema.prisma, missing in the migrations`);
      else {
        if (found.type !== spec.type)
          problems.push(`column ${name}.${column}: type ${found.type} in the database, ${spec.type} in schema.prisma`);
        if (found.nullable !== spec.nullable)
          problems.push(
            `column ${name}.${column}: ${found.nullable ? "nullable" : "NOT NULL"} in the database, ${spec.nullable ? "optional" : "required"} in schema.prisma`,
          );
      }
    }
    for (const column of Object.keys(db.columns)) {
      if (!table.columns[column]) problems.push(`column ${name}.${column}: in the migrations, missing in schema.prisma`);
    }
    if (db.primaryKey !== table.primaryKey)
      problems.push(`table ${name}: primary key (${db.primaryKey}) in the database, (${table.primaryKey}) in schema.prisma`);
    const compare = (what: string, a: string[], b: string[]) => {
      for (const x of a)
        if (!b.includes(x)) problems.push(`table ${name}: ${what} ${x} in schema.prisma, missing in the migrations`);
      for (const x of b)
        if (!a.includes(x)) problems.push(`table ${name}: ${what} ${x} in the migrations, missing in schema.prisma`);
    };
    compare("unique", [...new Set(table.uniques)], [...new Set(db.uniques)]);
    compare("foreign key", table.foreignKeys, db.foreignKeys);
    for (const x of table.indexes)
      if (!db.indexes.includes(x)) problems.push(`table ${name}: index (${x}) in schema.prisma, missing in the migrations`);
  }
  for (const name of Object.keys(actual.tables)) {
    if (!expected.tables[name]) problems.push(`table ${name}: in the migrations, missing in schema.prisma`);
  }
  for (const [name, values] of Object.entries(expected.enums)) {
    if (actual.enums[name] !== values)
      problems.push(`enum ${name}: (${actual.enums[name] ?? "missing"}) in the database, (${values}) in schema.prisma`);
  }
  for (const name of Object.keys(actual.enums))
    if (!expected.enums[name]) problems.push(`enum ${name}: in the migrations, missing in schema.prisma`);
  return problems;
}
