import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "~/platform/auth/secret-box.server";

describe("two-factor secrets at rest", () => {
  it("opens what it sealed, and seals the same secret differently each time", () => {
    const secret = new Uint8Array(randomBytes(20));
    const a = sealSecret(secret);
    const b = sealSecret(secret);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(openSecret(a, 20)).toEqual(secret);
    expect(openSecret(b, 20)).toEqual(secret);
  });

  it("reads a secret stored before encryption as it is, and refuses anything else it cannot open", () => {
    const legacy = new Uint8Array(20).fill(7);
    expect(openSecret(legacy, 20)).toEqual(legacy);
    expect(openSecret(new Uint8Array(30).fill(1), 20)).toBeNull();
    const truncated = sealSecret(legacy).subarray(0, 40);
    expect(openSecret(truncated, 20)).toBeNull();
  });
});
