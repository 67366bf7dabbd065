import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { getConfig } from "~/platform/config.server";

/**
 * Two-factor secrets are kept encrypted (AES-256-GCM) with a key derived from
 * SESSION_SECRET, so a copy of the database alone does not let anyone make codes.
 * Stored form: version byte 1, 12-byte nonce, ciphertext, 16-byte tag.
 * Changing SESSION_SECRET makes stored secrets unreadable: those people sign in with a
 * recovery code and set up two-factor again.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

let cachedKey: { secret: string; key: Buffer } | undefined;
function key() {
  const secret = getConfig().SESSION_SECRET;
  if (cachedKey?.secret !== secret) {
    cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "abh-netz", "two-factor secret v1", 32)) };
  }
  return cachedKey.key;
}

export function sealSecret(plain: Uint8Array): Uint8Array<ArrayBuffer> {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key(), nonce);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return new Uint8Array(Buffer.concat([Buffer.from([VERSION]), nonce, body, cipher.getAuthTag()]));
}

/**
 * The plain secret, or null when it cannot be read (another key, altered bytes). A value
 * of exactly `plainLength` bytes was stored before encryption and is returned as it is.
 */
export function openSecret(stored: Uint8Array, plainLength: number): Uint8Array | null {
  if (stored.length === plainLength) return stored;
  if (stored[0] !== VERSION || stored.length <= 1 + NONCE_BYTES + TAG_BYTES) return null;
  const bytes = Buffer.from(stored);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key(), bytes.subarray(1, 1 + NONCE_BYTES));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    return new Uint8Array(
      Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES, bytes.length - TAG_BYTES)), decipher.final()]),
    );
  } catch {
    return null;
  }
}
