import { NotFoundError } from "~/platform/errors";

/** Stand-in origin for resolving a target; `.invalid` can never be a real host. */
const HERE = "https://portal.invalid";

/**
 * A same-site path to send a person on to (after sign-in, the second factor, a language
 * switch), or `fallback`. The target is resolved the way a browser resolves a `Location`
 * header (WHATWG URL parser) and accepted only if it stays on this origin; what comes
 * back is the parser's own serialisation (path, query, fragment: ASCII, percent-encoded),
 * checked once more, so the value that goes out is safe too, not only the one that came in.
 *
 * Refused: `//evil`, `/\evil`, `/\t/evil` (a browser drops tab and newline and reads
 * `//evil`), control characters and backslashes anywhere (never in a path this portal
 * builds; a newline in a header would also end in a 500), and dot-segments that resolve
 * to `//evil` (`/.//evil`). Percent-encoded forms (`/%2F%2Fevil`) stay encoded and so stay
 * a path on this site.
 */
export function safeRedirectPath(target: unknown, fallback = "/") {
  if (typeof target !== "string" || !target.startsWith("/") || target.length > 2000) return fallback;
  if (/[\u0000-\u001f\u007f\\]/.test(target)) return fallback;
  let url: URL;
  try {
    url = new URL(target, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE) return fallback;
  const out = url.pathname + url.search + url.hash;
  // The outgoing value itself: path-absolute (one slash, never "//"), and read back the same way.
  if (!out.startsWith("/") || out.startsWith("//") || !isSameOrigin(out)) return fallback;
  return out;
}

function isSameOrigin(path: string) {
  try {
    const again = new URL(path, HERE);
    return again.origin === HERE && again.pathname + again.search + again.hash === path;
  } catch {
    return false;
  }
}

export function notFound(): never {
  throw new NotFoundError();
}
