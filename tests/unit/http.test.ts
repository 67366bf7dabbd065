import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "~/utils/http";

describe("safeRedirectPath", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirectPath("/katalog/x?q=1")).toBe("/katalog/x?q=1");
  });
  it.each(["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", undefined, 42])(
    "sends %s to the start page",
    (target) => {
      expect(safeRedirectPath(target)).toBe("/");
    },
  );
});
