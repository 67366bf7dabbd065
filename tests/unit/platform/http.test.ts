import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/platform/http/responses";

const ORIGIN = "https://abh-netz.example";
/** Where a browser goes with this Location header, sent from a page of the portal. */
const browserTarget = (location: string) => new URL(location, `${ORIGIN}/anmelden`);

describe("safeRedirectPath", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirectPath("/katalog/x?q=1")).toBe("/katalog/x?q=1");
    expect(safeRedirectPath("/behoerden/abc/runden/2026#ziel-3")).toBe("/behoerden/abc/runden/2026#ziel-3");
  });

  it.each(["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, 42])(
    "sends %s to the start page",
    (target) => {
      expect(safeRedirectPath(target)).toBe("/");
    },
  );

  // Each of these reaches another host in a browser, or would break the header.
  it.each([
    ["tab", "/\t/evil.example"],
    ["tab at the start", "\t//evil.example"],
    ["newline", "/\n/evil.example"],
    ["carriage return", "/\r/evil.example"],
    ["CRLF header injection", "/konto\r\nSet-Cookie: abh_session=x"],
    ["newline only in the path", "/konto\nx"],
    ["backslash", "/\\evil.example"],
    ["backslash after slash and tab", "/\t\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["backslash later in the path", "/konto\\..\\..\\evil"],
    ["dot-segment to //", "/.//evil.example"],
    ["dot-dot-segment to //", "/a/..//evil.example"],
    ["encoded dot-segment to //", "/%2e%2e//evil.example"],
    ["half-encoded dot-segment", "/.%2e//evil.example"],
    ["NUL", "/\u0000/evil.example"],
    ["DEL", "/\u007f/evil.example"],
    ["scheme-relative with userinfo", "//user@evil.example"],
    ["scheme", "http:evil.example"],
    ["leading space", " /konto"],
  ])("refuses %s", (_name, target) => {
    expect(safeRedirectPath(target)).toBe("/");
  });

  // Percent-encoded and non-ASCII forms stay a path on this site: encoded, as a browser reads them.
  it.each([
    ["%2F%2F", "/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["%5C", "/%5Cevil.example", "/%5Cevil.example"],
    ["%09", "/%09/evil.example", "/%09/evil.example"],
    ["%0A", "/konto%0ASet-Cookie:x", "/konto%0ASet-Cookie:x"],
    ["umlauts", "/ämter?q=ü#ö", "/%C3%A4mter?q=%C3%BC#%C3%B6"],
    ["full-width solidus", "/／／evil.example", "/%EF%BC%8F%EF%BC%8Fevil.example"],
    ["line separator", "/\u2028/evil.example", "/%E2%80%A8/evil.example"],
    ["dot-segment inside", "/katalog/../konto", "/konto"],
    ["// in the query", "/konto?next=//evil.example", "/konto?next=//evil.example"],
  ])("keeps %s on this site, encoded", (_name, target, expected) => {
    expect(safeRedirectPath(target)).toBe(expected);
  });

  it("returns only values that a browser resolves to this origin and that fit in a header", () => {
    const inputs = [
      "/\t/evil.example",
      "/\\evil.example",
      "/.//evil.example",
      "/%2F%2Fevil.example",
      "/ämter",
      "/／／evil.example",
      "/konto\nx",
      "/a/b/../../..//evil",
      "/konto?x=\u00e9#\u2028",
    ];
    for (const input of inputs) {
      const out = safeRedirectPath(input);
      expect(browserTarget(out).origin, input).toBe(ORIGIN);
      // ASCII without control characters: Node can send it as a header, nothing is stripped on the way.
      expect(out, input).toMatch(/^\/(?!\/)[\x21-\x7e]*$/);
    }
  });

  it("uses the caller's fallback for what it refuses", () => {
    expect(safeRedirectPath("//evil.example", "/konto")).toBe("/konto");
  });
});
