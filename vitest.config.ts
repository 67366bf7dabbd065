import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "~": path.resolve(import.meta.dirname, "app") };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: "unit", include: ["tests/unit/**/*.test.{ts,tsx}"], environment: "node", sequence: { groupOrder: 0 } },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/support/global-postgres.ts"],
          setupFiles: ["tests/support/setup-msw.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.{ts,tsx}"],
          globalSetup: ["tests/support/global-postgres.ts", "tests/support/global-browser.ts"],
          setupFiles: ["tests/support/setup-msw.ts"],
          // The longest test (two people editing one assessment, tab closed mid-pause) takes
          // 100–160 s on 2 busy cores; a slower CI machine must not fail it on time alone.
          testTimeout: 300_000,
          // The after-each accessibility sweep runs axe on every visited page (2–5 s each).
          hookTimeout: 240_000,
          // Each file starts its own portal; two at once is what 2 cores carry well.
          maxWorkers: 2,
          // Runs after the other projects, so the browser does not compete with them for the cores.
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
