/**
 * Sessions. Lucia (v3, deprecated upstream in 2025) stays behind this one module so it
 * can be swapped for a small own implementation without touching routes.
 * Gaps closed against OWASP ASVS: an absolute lifetime besides the idle timeout, a
 * `__Host-` cookie in production, CSRF via the same-origin check in server/app.ts.
 *
 * Session ids are stored hashed (Lucia's guidance after its deprecation): the cookie holds
 * a random token (Lucia's id, 200 bits), the session table only its SHA-256 (hex). Lucia
 * itself only ever sees the token; the adapter below hashes it at every database access,
 * so a copy of the table (a backup, a read-only leak) holds no id that signs anyone in.
 * After the second factor the session is replaced by a new one (rotateAfterSecondFactor):
 * the id that existed before the second factor no longer works.
 */
import { redirect } from "@remix-run/node";
import { type Adapter, type DatabaseSession, Lucia, TimeSpan } from "lucia";
import { getConfig } from "~/platform/config.server";
import { getPrisma, withUser } from "~/platform/db.server";
import { isDemoAccount } from "./demo.server";
import { type MembershipScope, requiresTwoFactor, type Role } from "./permissions";
import { hashToken } from "./tokens.server";

/** What the session table keeps of a session token (the cookie value): its SHA-256, hex. */
export const sessionKey = (token: string) => hashToken(token);

/** Idle timeout (Lucia extends the session while it is used) … */
const IDLE_TIMEOUT = new TimeSpan(4, "h");
/** … and absolute lifetime: after this, sign in again however active you were. */
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;

type SessionAttributes = { createdAt: Date; twoFactorVerified: boolean };
type UserAttributes = { email: string; name: string; language: string; totpEnabled: boolean; passwordChangedAt: Date };

const toDatabaseSession = (
  token: string,
  s: { userId: string; expiresAt: Date; createdAt: Date; twoFactorVerified: boolean },
): DatabaseSession => ({
  id: token,
  userId: s.userId,
  expiresAt: s.expiresAt,
  attributes: { createdAt: s.createdAt, twoFactorVerified: s.twoFactorVerified },
});

/**
 * Sessions and users are identity tables (no tenant rows), read without a tenant scope.
 * Every `sessionId` Lucia passes in is the token from the cookie; the table row is found
 * by its hash.
 */
const adapter: Adapter = {
  async getSessionAndUser(token) {
    const row = await getPrisma().session.findUnique({ where: { id: sessionKey(token) }, include: { user: true } });
    if (!row) return [null, null];
    const { user } = row;
    return [
      toDatabaseSession(token, row),
      {
        id: user.id,
        attributes: {
          email: user.email,
          name: user.name,
          language: user.language,
          totpEnabled: user.totpEnabledAt !== null,
          passwordChangedAt: user.passwordChangedAt,
        },
      },
    ];
  },
  async getUserSessions(userId) {
    // Only hashes are stored: these sessions carry their hash as id (nothing here uses them).
    return (await getPrisma().session.findMany({ where: { userId } })).map((row) => toDatabaseSession(row.id, row));
  },
  async setSession(session) {
    const attributes = session.attributes as Partial<SessionAttributes>;
    await getPrisma().session.create({
      data: {
        id: sessionKey(session.id),
        userId: session.userId,
        expiresAt: session.expiresAt,
        twoFactorVerified: attributes.twoFactorVerified ?? false,
      },
    });
  },
  async updateSessionExpiration(token, expiresAt) {
    await getPrisma().session.updateMany({ where: { id: sessionKey(token) }, data: { expiresAt } });
  },
  async deleteSession(token) {
    await getPrisma().session.deleteMany({ where: { id: sessionKey(token) } });
  },
  async deleteUserSessions(userId) {
    await getPrisma().session.deleteMany({ where: { userId } });
  },
  async deleteExpiredSessions() {
    await getPrisma().session.deleteMany({ where: { expiresAt: { lte: new Date() } } });
  },
};

let lucia: Lucia<SessionAttributes, UserAttributes> | undefined;
function getLucia() {
  const secure = getConfig().isProduction;
  lucia ??= new Lucia(adapter, {
    sessionExpiresIn: IDLE_TIMEOUT,
    sessionCookie: {
      // __Host- pins the cookie to this host, path / and HTTPS (production only: needs Secure).
      name: secure ? "__Host-abh_session" : "abh_session",
      expires: false,
      attributes: { secure, sameSite: "lax" },
    },
    getSessionAttributes: (a) => a as unknown as SessionAttributes,
    getUserAttributes: (a) => a as unknown as UserAttributes,
  });
  return lucia;
}

declare module "lucia" {
  interface Register {
    DatabaseSessionAttributes: SessionAttributes;
    DatabaseUserAttributes: UserAttributes;
    UserId: string;
  }
}

export type SessionUser = { id: string } & UserAttributes;

/** Starts a session and returns the Set-Cookie header value. */
export async function createSession(userId: string, { twoFactorVerified }: { twoFactorVerified: boolean }) {
  const session = await getLucia().createSession(userId, { twoFactorVerified } as unknown as SessionAttributes);
  return getLucia().createSessionCookie(session.id).serialize();
}

/**
 * After the second factor: the half-signed-in session (password only) ends and a new one
 * with a new id begins; whoever saw the old id (before the second factor) holds nothing.
 * Returns the new Set-Cookie value, or null when the old session was gone already (a
 * second request with the same session lost the race).
 */
export async function rotateAfterSecondFactor(token: string, userId: string) {
  const { count } = await getPrisma().session.deleteMany({
    where: { id: sessionKey(token), userId, twoFactorVerified: false },
  });
  if (count !== 1) return null;
  return createSession(userId, { twoFactorVerified: true });
}

/** The signed-in user of this request, or null. Also returns cookie headers to refresh or clear. */
export async function getSession(request: Request) {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return { user: null, session: null, headers: new Headers() };
  const result = await lucia.validateSession(sessionId);
  const session = result.session as (typeof result.session & SessionAttributes) | null;
  const user = result.user;
  const headers = new Headers();
  if (!session || Date.now() - session.createdAt.getTime() > ABSOLUTE_LIFETIME_MS) {
    if (session) await lucia.invalidateSession(session.id);
    headers.append("Set-Cookie", lucia.createBlankSessionCookie().serialize());
    return { user: null, session: null, headers };
  }
  if (session.fresh) headers.append("Set-Cookie", lucia.createSessionCookie(session.id).serialize());
  return { user: { ...user } as SessionUser, session, headers };
}

export async function signOut(request: Request, { everywhere = false } = {}) {
  const { session } = await getSession(request);
  if (session) {
    if (everywhere) await getLucia().invalidateUserSessions(session.userId);
    else await getLucia().invalidateSession(session.id);
  }
  return getLucia().createBlankSessionCookie().serialize();
}

/** After a password change or a revoked membership: every session of the user ends. */
export async function endAllSessions(userId: string) {
  await getLucia().invalidateUserSessions(userId);
}

/** Every session of the user except this one (after switching on two-factor: this device already proved it). */
export async function endOtherSessions(userId: string, keepSessionId: string) {
  // keepSessionId is the token (Actor.sessionId); the table holds its hash.
  await getPrisma().session.deleteMany({ where: { userId, id: { not: sessionKey(keepSessionId) } } });
}

export type Actor = SessionUser & {
  /** The session token from the cookie (never stored; the session table holds its hash). */
  sessionId: string;
  memberships: Array<MembershipScope & { networkName: string; networkSlug: string; officeName: string | null }>;
};

export const TWO_FACTOR_SETUP_PATH = "/konto/zwei-faktor";

/**
 * The signed-in person with their memberships, or a redirect to the sign-in page.
 * A session waiting for its second factor counts as not signed in.
 */
export async function requireActor(request: Request): Promise<Actor> {
  const { user, session } = await getSession(request);
  const url = new URL(request.url);
  if (!user || !session) {
    throw redirect(`/anmelden?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
  }
  if (user.totpEnabled && !session.twoFactorVerified) throw redirect(`/anmelden/zwei-faktor`);
  const memberships = await membershipsOf(user.id);
  // Two-factor is mandatory for network admins: until they have set it up, every page
  // except its setup leads there (signing out, /abmelden, does not call requireActor).
  // Except the demo's admin outside production (demo.server.ts: only with demo data, only
  // roles in a demo network, whose data is invented), so a newcomer sees the admin's pages.
  if (
    !user.totpEnabled &&
    url.pathname !== TWO_FACTOR_SETUP_PATH &&
    requiresTwoFactor(memberships) &&
    !(await isDemoAccount(user))
  ) {
    throw redirect(TWO_FACTOR_SETUP_PATH);
  }
  return { ...user, sessionId: session.id, memberships };
}

/** A person's roles with the names of their network and office (RLS: their own rows). */
export async function membershipsOf(userId: string): Promise<Actor["memberships"]> {
  const rows = await withUser(userId, (tx) =>
    tx.membership.findMany({
      where: { userId },
      select: {
        networkId: true,
        officeId: true,
        role: true,
        network: { select: { name: true, slug: true } },
        office: { select: { name: true } },
      },
    }),
  );
  return rows.map((m) => ({
    networkId: m.networkId,
    officeId: m.officeId,
    role: m.role as Role,
    networkName: m.network.name,
    networkSlug: m.network.slug,
    officeName: m.office?.name ?? null,
  }));
}

export async function getOptionalUser(request: Request) {
  const { user, session } = await getSession(request);
  if (!user || !session || (user.totpEnabled && !session.twoFactorVerified)) return null;
  return user;
}
