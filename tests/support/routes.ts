import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";

const BUILD = path.resolve(import.meta.dirname, "../../build/index.js");
/** Routes that exist only outside production (tests/integration/platform/mailbox-routes.test.ts proves they 404 there). */
const DEV_ONLY = /^dev\//;

/**
 * Every route of the built app (its full path, e.g. "behoerden/:office/stand", and whether
 * it takes posts), read from the manifest, so sweeps cover routes added later by themselves.
 */
export async function appRoutes() {
  const build = (await import(pathToFileURL(BUILD).href)) as ServerBuild;
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId ? fullPath(route.parentId) : "";
    return [parent, route.path ?? ""].filter(Boolean).join("/");
  };
  return Object.keys(build.routes)
    .map((id) => ({ id, path: fullPath(id), hasAction: typeof build.routes[id].module.action === "function" }))
    .filter((r) => r.id !== "root" && !DEV_ONLY.test(r.path));
}
