import { namespace } from "../namespace";

/** Uploaded files: what is refused and why (app/platform/storage). */
export const storage = namespace(
  {
    tooLarge: "Die Datei ist zu groß. Erlaubt sind höchstens {{max}} MB.",
    typeNotAllowed:
      "Diese Art von Datei wird nicht angenommen. Erlaubt sind PDF, Word (DOCX), Excel (XLSX), OpenDocument-Text (ODT), OpenDocument-Tabelle (ODS), PNG und JPEG.",
    typeMismatch:
      "Der Inhalt der Datei „{{name}}“ passt nicht zu ihrer Endung: Es ist eine {{actual}}-Datei. Bitte laden Sie sie mit der richtigen Endung hoch.",
    notFound: "Diese Datei gibt es nicht (mehr).",
    unnamed: "Datei",
  },
  {
    tooLarge: "The file is too large. At most {{max}} MB are allowed.",
    typeNotAllowed:
      "This kind of file is not accepted. Allowed are PDF, Word (DOCX), Excel (XLSX), OpenDocument text (ODT), OpenDocument spreadsheet (ODS), PNG and JPEG.",
    typeMismatch:
      "The content of the file “{{name}}” does not match its extension: it is a {{actual}} file. Please upload it with the right extension.",
    notFound: "This file does not exist (any more).",
    unnamed: "File",
  },
);
