import { describe, expect, it } from "vitest";
import { isKeyInScope, sanitizeFilename, scopePrefix } from "~/platform/storage/index.server";

describe("file names as stored and offered for download", () => {
  it.each([
    // Umlauts, ß, typographic quotes and dashes stay; decomposed umlauts (macOS) are composed.
    ["Prüfbericht „Entwurf“ – Straße.pdf", "Prüfbericht „Entwurf“ – Straße.pdf"],
    ["Pru\u0308fung.pdf", "Prüfung.pdf"],
    // Only the last path segment: no directory from the sender's machine, no way up.
    ["C:\\Users\\mueller\\Desktop\\Bericht.docx", "Bericht.docx"],
    ["../../etc/passwd", "passwd"],
    ["/var/www/public/index.html", "index.html"],
    // Control and format characters: a right-to-left override would show "Rechnung‮fdp.exe" as "Rechnungexe.pdf".
    ["Rechnung\u202Efdp.exe", "Rechnungfdp.exe"],
    ["Zeile\r\nzwei\u0000.pdf", "Zeilezwei.pdf"],
    // Characters Windows forbids; spaces collapsed; no hidden or dot-trailing names.
    ['a<b>c:d"e|f?g*h.pdf', "a_b_c_d_e_f_g_h.pdf"],
    ["  viele   Leerzeichen  .pdf ", "viele Leerzeichen.pdf"],
    [".htaccess", "htaccess"],
    ["Bericht.pdf...", "Bericht.pdf"],
    // Reserved device names, with or without an extension.
    ["CON", "_CON"],
    ["nul.pdf", "_nul.pdf"],
    ["com1.docx", "_com1.docx"],
    ["Console.pdf", "Console.pdf"],
    // Nothing left.
    ["..", ""],
    ["\u0007", ""],
  ])("%j → %j", (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  it("shortens a long name to 200 bytes and keeps its extension", () => {
    const name = sanitizeFilename(`${"Ä".repeat(300)}.xlsx`);
    expect(name.endsWith("Ä.xlsx")).toBe(true);
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
  });
});

describe("keys carry the owner's scope", () => {
  const office = { kind: "office", officeId: "0b6f0c1e-4bd8-4f4e-9a37-0d1f8e3c2a11" } as const;
  const key = `offices/${office.officeId}/6f1d1c8e-7a0b-4c9e-8d2f-3b4a5c6d7e8f`;
  it("a key is in scope only below the scope's own prefix and in the storage's own form", () => {
    expect(scopePrefix(office)).toBe(`offices/${office.officeId}/`);
    expect(isKeyInScope(key, office)).toBe(true);
    expect(isKeyInScope(key, { kind: "office", officeId: "0b6f0c1e-4bd8-4f4e-9a37-0d1f8e3c2a12" })).toBe(false);
    expect(isKeyInScope(key, { kind: "network", networkId: office.officeId })).toBe(false);
    expect(isKeyInScope(`${key}/../x`, office)).toBe(false);
    expect(isKeyInScope(`offices/${office.officeId}/../other/6f1d1c8e-7a0b-4c9e-8d2f-3b4a5c6d7e8f`, office)).toBe(false);
  });
  it("refuses an id that could change the prefix", () => {
    expect(() => scopePrefix({ kind: "office", officeId: "../x" })).toThrow(/Ungültige Kennung/);
    expect(() => scopePrefix({ kind: "office", officeId: "" })).toThrow(/Ungültige Kennung/);
  });
});
