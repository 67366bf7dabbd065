import { getPrisma } from "~/platform/db.server";

/** For load balancers and monitoring: 200 when the database answers, 503 when not. */
export async function loader() {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      getPrisma().$queryRaw`SELECT 1`,
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error("timeout")), 2_000))),
    ]);
    clearTimeout(timer);
    return Response.json(
      { status: "ok", database: "up", latencyMs: Math.round(performance.now() - started) },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    clearTimeout(timer);
    return Response.json({ status: "error", database: "down" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
