import { createHash, randomBytes } from "node:crypto";

/** A random, URL-safe single-use token (invitations, password resets); only its hash is stored. */
export function createToken() {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}
