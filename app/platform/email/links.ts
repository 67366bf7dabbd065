/**
 * http(s) addresses in an e-mail's plain text. Shared by the local transport (logs them
 * so a developer can click them) and the local mailbox page (renders them as links).
 * Trailing punctuation that ends a sentence is not part of the address.
 */
const LINK = /https?:\/\/[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/g;

export function findLinks(text: string): string[] {
  return [...new Set(text.match(LINK) ?? [])];
}

/** The text cut into plain pieces and links, in order, for rendering. */
export function splitLinks(text: string): { text: string; href?: string }[] {
  const parts: { text: string; href?: string }[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    if (match.index > last) parts.push({ text: text.slice(last, match.index) });
    parts.push({ text: match[0], href: match[0] });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}
