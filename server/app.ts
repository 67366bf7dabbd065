import crypto from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";
import helmet from "helmet";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The HTTP layer around the Remix build: security headers with a per-request CSP nonce,
 * structured request logs, static assets, and a same-origin check on every request
 * that changes something (Remix v2 has no CSRF protection of its own).
 */
export function createApp({ build, logger, mode }: { build: ServerBuild; logger: Logger; mode: string }) {
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

  app.use("/build", express.static(path.join(ROOT, "public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.join(ROOT, "public"), { maxAge: "1h" }));

  app.all(
    "*",
    createRequestHandler({
      build,
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
