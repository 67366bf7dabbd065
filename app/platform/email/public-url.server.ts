import { getConfig } from "~/platform/config.server";

/**
 * An absolute address of the portal for links in e-mails: PUBLIC_URL (required in
 * production), or http://localhost:PORT during development.
 */
export function publicUrl(path: string) {
  const config = getConfig();
  return new URL(path, config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).href;
}
