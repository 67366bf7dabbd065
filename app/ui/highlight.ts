/**
 * Markers the search puts around matched words (ts_headline). They come from the Unicode
 * private-use area, so they never occur in catalogue text; shared by server and browser.
 */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";
