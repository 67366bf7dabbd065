/** Windows refuses these as a file's base name, with any extension (CON.pdf too). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
/** At most this many UTF-8 bytes: file systems allow 255, leave room for copies' suffixes. */
const MAX_BYTES = 200;

/**
 * A file name that is safe to store, show and offer for download: only the last path
 * segment (C:\Users\…\Bericht.pdf → Bericht.pdf), no control or format characters (a
 * right-to-left override could make "exe.pdf" look like "fdp.exe"), none of the
 * characters Windows forbids, no leading dots, no trailing dots or spaces, no reserved
 * device name, and not longer than 200 bytes (the extension kept). Umlauts, ß and other
 * letters stay, in their composed form (NFC). Returns "" when nothing is left.
 */
export function sanitizeFilename(input: string) {
  const last = input.split(/[/\\]/).pop() ?? "";
  let name = last
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, "")
    .replace(/[<>:"|?*]/g, "_")
    .replace(/\s+/gu, " ")
    .replace(/^[\s.]+/u, "")
    .replace(/[\s.]+$/u, "");
  const dot = name.lastIndexOf(".");
  let base = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : "";
  if (RESERVED.test(base.trim())) base = `_${base}`;
  while (Buffer.byteLength(base + ext) > MAX_BYTES && base.length > 0) base = [...base].slice(0, -1).join("");
  name = (base.trimEnd() + ext).slice(0, 255);
  return name;
}

/** The extension in lower case without the dot ("Bericht.PDF" → "pdf"), or "". */
export function extensionOf(filename: string) {
  const dot = filename.lastIndexOf(".");
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : "";
}
