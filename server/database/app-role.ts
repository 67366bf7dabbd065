import { createHmac } from "node:crypto";
import pg from "pg";

export const APP_ROLE = "abh_app";

/** The portal's database password, derived from SESSION_SECRET so nothing extra is stored. */
export function appRolePassword(sessionSecret: string) {
  return createHmac("sha256", sessionSecret).update("abh_app database password").digest("hex");
}

/**
 * Lets the role abh_app (created by the migrations: no superuser, no BYPASSRLS, owns
 * nothing) log in with the derived password, and returns the URL the portal uses.
 * Needs a connection that may alter the role (the owner/superuser of DATABASE_URL).
 */
export async function provisionAppRole(ownerUrl: string, password: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}

/**
 * The role that computes the closed rounds' figures (migration 20261206000100): the only
 * one that may read the frozen cohort's ratings (through the stats_* functions) and write
 * round_figure. Used by app/domains/comparison/round-figures.server.ts alone, never for a request.
 */
export const STATS_ROLE = "abh_stats";

export function statsRolePassword(sessionSecret: string) {
  return createHmac("sha256", sessionSecret).update("abh_stats database password").digest("hex");
}

/** Like provisionAppRole, for abh_stats: lets it log in and returns its URL. */
export async function provisionStatsRole(ownerUrl: string, password: string) {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${STATS_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = STATS_ROLE;
  url.password = password;
  return url.toString();
}
