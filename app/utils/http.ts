/** Only same-site paths; "//evil.example" and absolute URLs fall back to the start page. */
export function safeRedirectPath(target: unknown, fallback = "/") {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}

export function notFound(): never {
  throw new Response("Not Found", { status: 404 });
}
