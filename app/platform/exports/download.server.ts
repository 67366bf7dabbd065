import { stringify } from "csv-stringify/sync";

const UMLAUTS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", Ä: "Ae", Ö: "Oe", Ü: "Ue", ß: "ss" };

/** Content-Disposition for a download: an ASCII name for old clients and the exact UTF-8 name for the rest (RFC 6266). */
export function attachment(filename: string) {
  const ascii = filename
    .replace(/[äöüÄÖÜß]/g, (c) => UMLAUTS[c])
    .normalize("NFKD")
    .replace(/[^A-Za-z0-9.]+/g, "-")
    .replace(/^-+|-+(?=\.)|-+$/g, "");
  // RFC 5987 leaves ' ( ) * ! out of the plain characters; encodeURIComponent does not escape them.
  const utf8 = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}

/**
 * CSV as German Excel opens it: semicolons, BOM, CRLF; line breaks inside cells quoted
 * (csv-stringify leaves a bare LF unquoted with CRLF records otherwise), and cells that
 * start like a formula (= + - @) made harmless.
 */
export function toCsv(records: unknown[][]) {
  return stringify(records, {
    delimiter: ";",
    bom: true,
    record_delimiter: "windows",
    quote_record_delimiter: true,
    escape_formulas: true,
  });
}
