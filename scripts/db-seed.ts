/** `npm run db:seed`: writes the framework catalogue (and, outside production, the demo network). Idempotent. */
import { ConfigError, parseConfig } from "~/platform/config.server";
import { createPrismaClient } from "~/platform/db.server";
import { seed } from "../prisma/seed/index";
import { openDatabase } from "../server/database/index";
import { migrate } from "../server/database/migrate";

try {
  const config = parseConfig(process.env);
  const database = await openDatabase(config);
  const prisma = createPrismaClient(database.url, { max: 2 });
  try {
    await migrate(database.url);
    await seed(prisma, { demo: config.demoData });
    console.log(config.demoData ? "Orientierungsrahmen und Demo-Netzwerk angelegt." : "Orientierungsrahmen angelegt.");
  } finally {
    await prisma.$disconnect();
    await prisma.pool.end();
    await database.stop();
  }
} catch (error) {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
}
