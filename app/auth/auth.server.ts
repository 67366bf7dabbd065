/**
 * Sessions. Lucia (v3, deprecated upstream in 2025) stays behind this one module so it
 * can be swapped for a small own implementation without touching routes.
 * Gaps closed against OWASP ASVS: an absolute lifetime besides the idle timeout, a
 * `__Host-` cookie in production, CSRF via the same-origin check in server/app.ts.
 */
import { redirect } from "@remix-run/node";
import { type Adapter, type DatabaseSession, Lucia, TimeSpan } from "lucia";
import { getConfig } from "~/config.server";
import { getPrisma, withUser } from "~/db.server";
import { type MembershipScope, requiresTwoFactor, type Role } from "./permissions";

/** Idle timeout (Lucia extends the session while it is used) … */
const IDLE_TIMEOUT = new TimeSpan(4, "h");
/** … and absolute lifetime: after this, sign in again however active you were. */
export const ABSOLUTE_LIFETIME_MS = 12 * 60 * 60 * 1000;

type SessionAttributes = { createdAt: Date; twoFactorVerified: boolean };
type UserAttributes = { email: string; name: string; language: string; totpEnabled: boolean; passwordChangedAt: Date };

const toDatabaseSession = (s: {
  id: string;
  userId: string;
  expiresAt: Date;
  createdAt: Date;
  twoFactorVerified: boolean;
}): DatabaseSession => ({
  id: s.id,
  userId: s.userId,
  expiresAt: s.expiresAt,
  attributes: { createdAt: s.createdAt, twoFactorVerified: s.twoFactorVerified },
});

/** Sessions and users are identity tables (no tenant rows), read without a tenant scope. */
const adapter: Adapter = {
  async getSessionAndUser(sessionId) {
    const row = await getPrisma().session.findUnique({ where: { id: sessionId }, include: { user: true } });
    if (!row) return [null, null];
    const { user } = row;
    return [
      toDatabaseSession(row),
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
    return (await getPrisma().session.findMany({ where: { userId } })).map(toDatabaseSession);
  },
  async setSession(session) {
    const attributes = session.attributes as Partial<SessionAttributes>;
    await getPrisma().session.create({
      data: {
        id: session.id,
        userId: session.userId,
        expiresAt: session.expiresAt,
        twoFactorVerified: attributes.twoFactorVerified ?? false,
      },
    });
  },
  async updateSessionExpiration(sessionId, expiresAt) {
    await getPrisma().session.updateMany({ where: { id: sessionId }, data: { expiresAt } });
  },
  async deleteSession(sessionId) {
    await getPrisma().session.deleteMany({ where: { id: sessionId } });
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

export async function markTwoFactorVerified(sessionId: string) {
  await getPrisma().session.updateMany({ where: { id: sessionId }, data: { twoFactorVerified: true } });
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
  await getPrisma().session.deleteMany({ where: { userId, id: { not: keepSessionId } } });
}

export type Actor = SessionUser & {
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
  if (!user.totpEnabled && url.pathname !== TWO_FACTOR_SETUP_PATH && requiresTwoFactor(memberships)) {
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
