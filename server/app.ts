import crypto from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import { getConfig } from "~/platform/config.server";
import { de } from "~/i18n/de";
import { mapDomainErrors } from "~/platform/errors";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The HTTP layer around the Remix build: security headers with a per-request CSP nonce,
 * structured request logs, static assets, and a same-origin check on every request
 * that changes something (Remix v2 has no CSRF protection of its own).
 */
export function createApp({
  build,
  logger,
  mode,
  bodyLimits = configuredBodyLimits(),
}: {
  build: ServerBuild;
  logger: Logger;
  mode: string;
  bodyLimits?: BodyLimits;
}) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = (req.headers["x-request-id"] as string | undefined) ?? crypto.randomUUID();
        res.setHeader("x-request-id", id);
        return id;
      },
      // Assets are noise; health checks are polled every few seconds.
      autoLogging: { ignore: (req) => req.url?.startsWith("/build/") === true || req.url === "/healthz" },
      serializers: {
        // Never the client's address or user agent; for the anonymous survey not even the code.
        req: (req) => ({ id: req.id, method: req.method, url: loggedUrl(req.url) }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  app.use((_req, res, next) => {
    res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "style-src": ["'self'"],
          "img-src": ["'self'", "data:"],
          "connect-src": ["'self'"],
          "form-action": ["'self'"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: mode === "production",
    }),
  );

  app.use(rejectCrossSiteWrites);
  app.use(acceptOnlyFormWrites);
  app.use(limitBodySize(bodyLimits));

  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));

  app.all(
    "*",
    createRequestHandler({
      // Every loader and action answers a typed domain error with its 4xx (docs/decisions/0014).
      build: mapDomainErrors(build),
      mode,
      // req.ip honours X-Forwarded-For only from a proxy on loopback ("trust proxy").
      getLoadContext: (req, res) => ({ cspNonce: res.locals.cspNonce as string, clientAddress: req.ip ?? "unknown" }),
    }),
  );
  return app;
}

/** The address as logged: survey paths without their code (path segment or ?code=). */
export function loggedUrl(url: string | undefined) {
  // Case-insensitive like the route matching.
  if (url && /^\/umfrage(?:[/?#]|$)/i.test(url)) return url.replace(/^\/umfrage\/[^?#]+/i, "/umfrage/…").replace(/[?#].*$/, "");
  return url;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF defence: browsers send Sec-Fetch-Site (and Origin) with every form post, so a
 * write from another site is recognisable and refused before it reaches a route.
 */
export function rejectCrossSiteWrites(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (SAFE_METHODS.has(req.method)) return next();
  const site = req.get("sec-fetch-site");
  const origin = req.get("origin");
  const host = req.get("host");
  const crossSite = site ? site !== "same-origin" && site !== "none" : origin ? originHost(origin) !== host : false;
  if (crossSite) {
    res.status(403).type("text/plain; charset=utf-8").send("Anfrage von einer fremden Website abgelehnt.");
    return;
  }
  // A form posted without JavaScript carries "Origin: null": Referrer-Policy no-referrer
  // (helmet's default) nulls the Origin of form navigations (Fetch standard). Remix's own
  // check then sees a foreign origin and answers 500. The browser has told us the post is
  // same-origin, so the null Origin says nothing more: drop it.
  if (site === "same-origin" && origin === "null") delete req.headers.origin;
  next();
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * Every write here is a form (with or without JavaScript; the autosave's beacon sends
 * multipart). Anything else – JSON, no body – would make the route's formData() throw, a
 * 500; it gets a 415 with a German message instead, before it reaches a route.
 */
export function acceptOnlyFormWrites(req: express.Request, res: express.Response, next: express.NextFunction) {
  if (SAFE_METHODS.has(req.method) || req.is(FORM_TYPES)) return next();
  res
    .status(415)
    .type("text/plain; charset=utf-8")
    .send("Diese Anfrage wird nicht angenommen: Bitte senden Sie das Formular der Seite ab.");
}

function originHost(origin: string) {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** Bytes: a form without a file, and one file (UPLOAD_MAX_MB); see limitBodySize. */
export type BodyLimits = { formBytes: number; uploadBytes: number };

/** A request may carry this many files of the largest size at most (readUploadForm's default). */
const MAX_FILES_PER_REQUEST = 10;

function configuredBodyLimits(): BodyLimits {
  const config = getConfig();
  return { formBytes: config.FORM_MAX_KB * 1024, uploadBytes: Math.round(config.UPLOAD_MAX_MB * 1024 * 1024) };
}

/**
 * Request bodies are bounded before anything reads them:
 * - A body whose Content-Length is larger than any route accepts (a form: FORM_MAX_KB;
 *   multipart: up to ten files of UPLOAD_MAX_MB) gets a 413 with a German page here,
 *   unread. Bodies sent in chunks without a length are counted while they are read, by
 *   readForm (app/platform/http/forms.ts) and readUploadForm (app/platform/storage).
 * - Whenever an answer goes out while the body is still unread (a 413, a 405 of a page
 *   without an action, a refused sign-in), the connection is closed after it: Node would
 *   otherwise keep reading – and discarding – the rest of a 100 MB body.
 */
export function limitBodySize({ formBytes, uploadBytes }: BodyLimits) {
  return (req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const writeHead = res.writeHead;
    res.writeHead = function (this: express.Response, ...args: Parameters<typeof writeHead>) {
      if (!req.complete) this.setHeader("Connection", "close");
      return writeHead.apply(this, args);
    } as typeof res.writeHead;
    const max = req.is("multipart/form-data") ? MAX_FILES_PER_REQUEST * uploadBytes + formBytes : formBytes;
    if (Number(req.get("content-length") ?? 0) > max) {
      const { tooLargeTitle, tooLargeText, backHome } = de.errors;
      res
        .status(413)
        .set("Connection", "close")
        .type("text/html; charset=utf-8")
        .send(
          `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${tooLargeTitle} – ABH-Netz</title></head>` +
            `<body><main><p>413</p><h1>${tooLargeTitle}</h1><p>${tooLargeText}</p><p><a href="/">${backHome}</a></p></main></body></html>`,
        );
      return;
    }
    next();
  };
}
