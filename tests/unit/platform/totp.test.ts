import { generateHOTP } from "@oslojs/otp";
import { describe, expect, it } from "vitest";
import { acceptTotpStep, TOTP_PERIOD_SECONDS, totpStep } from "~/platform/auth/two-factor.server";

const key = new Uint8Array(20).map((_, i) => (i * 37 + 11) % 256);
const now = Date.UTC(2026, 10, 23, 12, 0, 10); // 10 s into a time step
const current = totpStep(now);
const code = (step: bigint) => generateHOTP(key, step, 6);

describe("TOTP: a code works once (replay rule)", () => {
  it("the current code is accepted and returns its time step", () => {
    expect(acceptTotpStep(key, code(current), { now })).toBe(current);
  });

  it("the same code is refused once its step is stored as the last one", () => {
    const step = acceptTotpStep(key, code(current), { now })!;
    expect(acceptTotpStep(key, code(current), { now, lastStep: step })).toBeNull();
    // Also later in the same 30 seconds, when a phone would still show it.
    expect(acceptTotpStep(key, code(current), { now: now + 15_000, lastStep: step })).toBeNull();
  });

  it("the previous and the next step are accepted (clock drift), older and later ones are not", () => {
    expect(acceptTotpStep(key, code(current - 1n), { now })).toBe(current - 1n);
    expect(acceptTotpStep(key, code(current + 1n), { now })).toBe(current + 1n);
    expect(acceptTotpStep(key, code(current - 2n), { now })).toBeNull();
    expect(acceptTotpStep(key, code(current + 2n), { now })).toBeNull();
  });

  it("after a code of the next step was used, the current step's code is refused too", () => {
    expect(acceptTotpStep(key, code(current), { now, lastStep: current + 1n })).toBeNull();
    expect(acceptTotpStep(key, code(current - 1n), { now, lastStep: current - 2n })).toBe(current - 1n);
  });

  it("anything but six digits is refused", () => {
    for (const input of ["", "12345", "1234567", "12a456", " 123456"]) expect(acceptTotpStep(key, input, { now })).toBeNull();
  });

  it("exhaustively: a code is accepted exactly when its step is within one step of now and later than the last accepted one", () => {
    for (const offset of [-3, -2, -1, 0, 1, 2, 3]) {
      for (const lastOffset of [null, -4, -3, -2, -1, 0, 1, 2, 3, 4]) {
        for (const within of [0, 1, 14_999, 29_999]) {
          const at = Number(current) * TOTP_PERIOD_SECONDS * 1000 + within;
          const step = current + BigInt(offset);
          const lastStep = lastOffset === null ? null : current + BigInt(lastOffset);
          const expected = Math.abs(offset) <= 1 && (lastStep === null || step > lastStep) ? step : null;
          expect(
            acceptTotpStep(key, code(step), { now: at, lastStep }),
            `offset ${offset}, last ${lastOffset}, +${within} ms`,
          ).toBe(expected);
        }
      }
    }
  });
});
