/**
 * The Prisma CLI's configuration: the schema is the folder prisma/schema (one file per domain,
 * decision 0013). Migrations are plain SQL applied by server/database/migrate.ts (decision
 * 0002), so no datasource URL or migrate settings are needed here.
 */
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema",
});
