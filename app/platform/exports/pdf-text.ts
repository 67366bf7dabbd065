/** Text for PDFs written with pdfkit's standard fonts (the round export, the plan's Gesamtkonzept). */

/**
 * The standard PDF fonts only know Windows-1252 (WinAnsi): German letters, „ “ ‚ ‘ – — …
 * and € are there. Anything else would print as garbage, so it is replaced by its
 * nearest WinAnsi spelling, or by "?".
 */
const WIN_ANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ");
const REPLACEMENTS: Record<string, string> = {
  "\u2010": "-",
  "\u2011": "-",
  "\u2012": "–",
  "\u2212": "-",
  "\u2015": "—",
  "\u2032": "'",
  "\u2033": '"',
  "\u201B": "'",
  "\u201F": '"',
  "\u2190": "<-",
  "\u2192": "->",
  "\u2191": "^",
  "\u2193": "v",
  "\u21D2": "=>",
  "\u2264": "<=",
  "\u2265": ">=",
  "\u2260": "!=",
  "\u2248": "~",
  "\u2713": "x",
  "\u2714": "x",
  "\u2022": "•",
  "\u2009": " ",
  "\u200A": " ",
  "\u202F": " ",
  "\u2007": " ",
  "\u2002": " ",
  "\u2003": " ",
  "\u00A0": " ",
  "\u200B": "",
  "\u200C": "",
  "\u200D": "",
  "\u2060": "",
  "\uFEFF": "",
};
export function toWinAnsi(text: string) {
  let out = "";
  for (const char of text.replace(/\r\n?/g, "\n").replace(/\t/g, " ")) {
    const code = char.codePointAt(0)!;
    if (char in REPLACEMENTS) out += REPLACEMENTS[char];
    else if (char === "\n" || (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char))
      out += char;
    else if (code < 0x20 || (code >= 0x7f && code < 0xa0)) continue;
    else {
      // Letters with marks that WinAnsi lacks (ł, ő, č …) keep their base letter.
      const base = char.normalize("NFKD").replace(/[\u0300-\u036f]/g, "");
      out += base && [...base].every((c) => c.codePointAt(0)! < 0x7f) ? base : "?";
    }
  }
  return out;
}
