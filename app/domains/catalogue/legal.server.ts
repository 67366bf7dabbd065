import fs from "node:fs/promises";
import path from "node:path";
import { marked } from "marked";
import { getConfig } from "~/platform/config.server";

export const LEGAL_PAGES = {
  impressum: "impressum.md",
  datenschutz: "datenschutz.md",
  barrierefreiheit: "barrierefreiheit.md",
} as const;
export type LegalPage = keyof typeof LEGAL_PAGES;

/**
 * The operator's legal texts (Markdown files in LEGAL_DIR). The shipped defaults say
 * what the operator has to fill in. The files are the operator's own, hence trusted HTML.
 */
export async function getLegalPage(page: LegalPage) {
  const file = path.resolve(getConfig().LEGAL_DIR, LEGAL_PAGES[page]);
  const markdown = await fs.readFile(file, "utf8").catch(() => null);
  return { file: path.relative(process.cwd(), file), html: markdown ? await marked.parse(markdown) : null };
}
