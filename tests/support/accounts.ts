import { randomBytes } from "node:crypto";
import { generateHOTP } from "@oslojs/otp";
import { hashPassword } from "~/platform/auth/password.server";
import type { Role } from "~/platform/auth/permissions";
import { totpStep } from "~/platform/auth/two-factor.server";
import type { createPrismaClient } from "~/platform/db.server";

type Prisma = ReturnType<typeof createPrismaClient>;

export const PASSWORD = "ein langes Test-Passwort 1";

/** A person with an account (arranged as the owner), optionally with a network role. */
export async function createUser(
  prisma: Prisma,
  { name = "Dana Beispiel", password = PASSWORD, role }: { name?: string; password?: string; role?: Role } = {},
) {
  const email = `person-${randomBytes(5).toString("hex")}@behoerde.example.de`;
  const user = await prisma.user.create({ data: { email, name, passwordHash: await hashPassword(password) } });
  if (role) {
    const version = await prisma.frameworkVersion.findFirstOrThrow();
    const slug = `netz-${randomBytes(4).toString("hex")}`;
    const network = await prisma.network.create({
      data: { slug, name: `Netz ${slug}`, state: "RP", frameworkVersionId: version.id },
    });
    await prisma.membership.create({ data: { userId: user.id, networkId: network.id, role } });
  }
  return { ...user, password };
}

/** A client for the running portal: same-origin form posts, manual redirects, one session cookie. */
export function client(baseUrl: string, cookie = "") {
  const state = { cookie };
  const headers = () => (state.cookie ? { Cookie: state.cookie } : ({} as Record<string, string>));
  /** Keeps the session cookie the portal sets (a blank one signs out). */
  const remember = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair.split("=");
      if (name.endsWith("abh_session")) state.cookie = value ? `${name}=${value}` : "";
    }
    return res;
  };
  return {
    get cookie() {
      return state.cookie;
    },
    get: async (path: string) => remember(await fetch(baseUrl + path, { redirect: "manual", headers: headers() })),
    post: async (path: string, form: Record<string, string>) =>
      remember(
        await fetch(baseUrl + path, {
          method: "POST",
          redirect: "manual",
          headers: { ...headers(), "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
          body: new URLSearchParams(form),
        }),
      ),
  };
}

export type Client = ReturnType<typeof client>;

/** Signs in with e-mail and password (step one); returns the client holding the session. */
export async function signIn(baseUrl: string, email: string, password = PASSWORD) {
  const c = client(baseUrl);
  const res = await c.post("/anmelden", { email, password, redirectTo: "/konto" });
  return Object.assign(c, { response: res });
}

/** Signs in and returns just the session cookie ("name=value") for plain fetch calls. */
export async function sessionCookie(baseUrl: string, email: string, password = PASSWORD) {
  const c = await signIn(baseUrl, email, password);
  if (!c.cookie) throw new Error(`sign-in failed for ${email}: ${c.response.status}`);
  return c.cookie;
}

/** The 6-digit code of a time step relative to now (0: the current one, 1: the next). */
export function codeAt(key: Uint8Array, offsetSteps = 0) {
  return generateHOTP(key, totpStep(Date.now()) + BigInt(offsetSteps), 6);
}

/** The visible text of a page, without tags (for asserting messages). */
export function text(html: string) {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ");
}
