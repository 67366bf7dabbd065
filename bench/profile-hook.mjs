// Preloaded into the portal by `npm run bench -- --profile <page>` (node --import): times
// every query node-postgres sends (call to result, so network and PostgreSQL included) and
// writes the totals to BENCH_QUERY_STATS when the process exits. SIGUSR2 starts counting
// afresh (the bench sends it after the warm-up).
import fs from "node:fs";
import { createRequire } from "node:module";

const pg = createRequire(import.meta.url)("pg");
let stats = { queries: 0, ms: 0, bySql: {} };
process.on("SIGUSR2", () => (stats = { queries: 0, ms: 0, bySql: {} }));
const original = pg.Client.prototype.query;

pg.Client.prototype.query = function timedQuery(config, values, callback) {
  const result = original.call(this, config, values, callback);
  if (!result || typeof result.then !== "function") return result;
  const started = performance.now();
  const text = String(typeof config === "string" ? config : (config?.text ?? ""))
    .replace(/\s+/g, " ")
    .slice(0, 160);
  const done = () => {
    const ms = performance.now() - started;
    stats.queries++;
    stats.ms += ms;
    const entry = (stats.bySql[text] ??= { count: 0, ms: 0 });
    entry.count++;
    entry.ms += ms;
  };
  result.then(done, done);
  return result;
};

process.once("exit", () => {
  if (process.env.BENCH_QUERY_STATS) fs.writeFileSync(process.env.BENCH_QUERY_STATS, JSON.stringify(stats));
});
