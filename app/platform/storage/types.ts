/**
 * The file types the portal accepts, recognised from the bytes (file-type), never from
 * the name or the browser's claim. DOCX and XLSX are zip containers told apart by their
 * [Content_Types].xml, ODT and ODS by their "mimetype" entry.
 */
export const ALLOWED_TYPES = {
  pdf: { mime: "application/pdf", label: "PDF", extensions: ["pdf"] },
  docx: {
    mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    label: "DOCX",
    extensions: ["docx"],
  },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "XLSX", extensions: ["xlsx"] },
  odt: { mime: "application/vnd.oasis.opendocument.text", label: "ODT", extensions: ["odt"] },
  ods: { mime: "application/vnd.oasis.opendocument.spreadsheet", label: "ODS", extensions: ["ods"] },
  png: { mime: "image/png", label: "PNG", extensions: ["png"] },
  jpg: { mime: "image/jpeg", label: "JPEG", extensions: ["jpg", "jpeg"] },
} as const;

export type AllowedType = keyof typeof ALLOWED_TYPES;

export function allowedType(ext: string | undefined): AllowedType | undefined {
  return ext && Object.hasOwn(ALLOWED_TYPES, ext) ? (ext as AllowedType) : undefined;
}

/** Every allowed MIME type: a stored file's recorded type must be one of these to be served. */
export const ALLOWED_MIME_TYPES: ReadonlySet<string> = new Set(Object.values(ALLOWED_TYPES).map((t) => t.mime));
