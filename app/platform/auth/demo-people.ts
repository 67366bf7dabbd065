import type { Role } from "./permissions";

/**
 * The demo network's people, one per role, so that a newcomer can look at the portal
 * through each role's eyes (prisma/seed seeds them with the demo network; the sign-in page
 * offers them). Invented names; the addresses end in `.invalid` (RFC 2606), so no e-mail
 * to them can ever be delivered.
 */
export const DEMO_EMAIL_DOMAIN = "rlp-demo.invalid";

/** One shared password, shown on the sign-in page; meets the policy for new passwords (≥ 12 characters). */
export const DEMO_PASSWORD = "demo-demo-demo";

/** The demo office the office head and the staff member belong to (prisma/seed/demo-network.ts). */
export const DEMO_OFFICE_SLUG = "stadt-koblenz";

export type DemoPerson = { email: string; name: string; role: Role; inDemoOffice: boolean };

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { email: `admin@${DEMO_EMAIL_DOMAIN}`, name: "Katrin Neumann", role: "NETWORK_ADMIN", inDemoOffice: false },
  { email: `leitung@${DEMO_EMAIL_DOMAIN}`, name: "Thomas Becker", role: "OFFICE_HEAD", inDemoOffice: true },
  { email: `sachbearbeitung@${DEMO_EMAIL_DOMAIN}`, name: "Aylin Yıldız", role: "OFFICE_STAFF", inDemoOffice: true },
  { email: `beratung@${DEMO_EMAIL_DOMAIN}`, name: "Jonas Hoffmann", role: "CONSULTANT", inDemoOffice: false },
  { email: `mitglied@${DEMO_EMAIL_DOMAIN}`, name: "Sabine Krüger", role: "NETWORK_MEMBER", inDemoOffice: false },
];

/** An address of the demo's people (the whole domain: nothing else may sign in through the demo). */
export const isDemoEmail = (email: string) => email.toLowerCase().endsWith(`@${DEMO_EMAIL_DOMAIN}`);
