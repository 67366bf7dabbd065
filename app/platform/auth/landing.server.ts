import { membershipsOf } from "./auth.server";
import { can } from "./permissions";

/**
 * Where a person lands after signing in when no page asked for one: straight to their own
 * work. Someone in one office sees where it stands; the admin of one network sees its
 * monitoring; a consultant (in no office, administering nothing) sees the offices assigned
 * to them (/beratung); anyone with several places (or none yet) chooses on the start page.
 */
export async function landingPath(userId: string): Promise<string> {
  const memberships = await membershipsOf(userId);
  const offices = [...new Set(memberships.flatMap((m) => (m.officeId ? [`${m.networkId}/${m.officeId}`] : [])))];
  const adminOf = memberships.filter((m) => m.officeId === null && can([m], "network.monitor", { networkId: m.networkId }));
  if (offices.length === 1 && adminOf.length === 0) {
    const [networkId, officeId] = offices[0].split("/");
    if (can(memberships, "office.compare", { networkId, officeId })) return `/behoerden/${officeId}/stand`;
  }
  if (offices.length === 0 && adminOf.length === 1) return `/netzwerke/${adminOf[0].networkSlug}/monitoring`;
  if (offices.length === 0 && adminOf.length === 0 && memberships.some((m) => m.role === "CONSULTANT")) return "/beratung";
  return "/";
}
