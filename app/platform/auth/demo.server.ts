/**
 * The demo's shortcut: the sign-in page offers the demo's people (demo-people.ts) with one
 * shared password, and the demo network admin works without a second factor.
 *
 * Two guards, each enough on its own:
 *  1. Configuration: demo data is refused in production (config.server.ts fails the start
 *     with DEMO_DATA in production; server/start.ts also refuses a database that holds a
 *     demo network), so in production nothing seeds the demo people.
 *  2. Here, at every request: the shortcut works only when the portal runs outside
 *     production with demo data, for an address of the demo's domain, whose every role lies
 *     in a network flagged as demo. A demo account found in a production database (or in a
 *     real network) is neither listed nor signed in nor spared its second factor.
 */
import { getConfig } from "~/platform/config.server";
import { getPrisma, withUser } from "~/platform/db.server";
import { DEMO_PEOPLE, type DemoPerson, isDemoEmail } from "./demo-people";

/** Outside production, with demo data: the only setting in which the demo shortcut exists. */
export function demoEnabled() {
  const config = getConfig();
  return !config.isProduction && config.demoData;
}

/** The roles of a person, with whether their network is a demo network (RLS: their own rows). */
async function rolesOf(userId: string) {
  return withUser(userId, (tx) =>
    tx.membership.findMany({
      where: { userId },
      select: { role: true, network: { select: { isDemo: true } }, office: { select: { name: true } } },
    }),
  );
}

/** Is this account one of the demo's people, here and now? (Both guards above.) */
export async function isDemoAccount(user: { id: string; email: string }) {
  if (!demoEnabled() || !isDemoEmail(user.email)) return false;
  const roles = await rolesOf(user.id);
  return roles.length > 0 && roles.every((r) => r.network.isDemo);
}

export type DemoSignInPerson = Pick<DemoPerson, "email" | "name" | "role"> & { officeName: string | null };

/** The demo's people the sign-in page offers: none in production or without demo data. */
export async function demoPeopleForSignIn(): Promise<DemoSignInPerson[]> {
  if (!demoEnabled()) return [];
  const users = await getPrisma().user.findMany({
    where: { email: { in: DEMO_PEOPLE.map((p) => p.email) } },
    select: { id: true, email: true },
  });
  const people: DemoSignInPerson[] = [];
  for (const person of DEMO_PEOPLE) {
    const user = users.find((u) => u.email === person.email);
    if (!user) continue;
    const roles = await rolesOf(user.id);
    const role = roles.find((r) => r.role === person.role);
    if (!role || !roles.every((r) => r.network.isDemo)) continue;
    people.push({ email: person.email, name: person.name, role: person.role, officeName: role.office?.name ?? null });
  }
  return people;
}
