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
    .map((id) => ({
      id,
      path: fullPath(id),
      hasAction: typeof build.routes[id].module.action === "function",
      /** Renders a page (a resource route – a download, an endpoint – has no component). */
      hasPage: typeof build.routes[id].module.default === "function",
    }))
    .filter((r) => r.id !== "root" && !DEV_ONLY.test(r.path));
}

/**
 * The address of a route with every parameter filled by `sample(name, routePath)`. A
 * parameter the sweep has no sample for throws, naming the route, so that a route added
 * later cannot slip through a sweep unopened.
 */
export function routeUrl(routePath: string, sample: (name: string, routePath: string) => string | undefined, sweep: string) {
  return (
    "/" +
    routePath.replace(/:(\w+)\??|^\*$/g, (whole, name: string | undefined) => {
      const value = sample(name ?? "*", routePath);
      if (value === undefined)
        throw new Error(`Route parameter ${whole} (${routePath}) has no sample in the ${sweep} – add one.`);
      return value;
    })
  );
}
