/**
 * The portal's typed domain errors and the one place that turns them into HTTP answers
 * (docs/decisions/0014-errors-and-authorisation.md).
 *
 * Domain code throws these; it never builds a Response. Every loader and action of the
 * build goes through `withDomainErrors` (server/app.ts wraps the build once), which
 * turns a domain error into a thrown Response with its status, so Remix renders the
 * German error page of the route's error boundary (root.tsx → ErrorPage) with 404, 403,
 * 409, 400 or 413 instead of a 500. Everything else stays unexpected: a 500, logged once
 * by `handleError` in entry.server.tsx.
 *
 * The check is by a brand (`Symbol.for`), not `instanceof`: server/app.ts and the built
 * app load this file as two module copies.
 */
import type { FieldErrors } from "~/platform/http/forms";

const BRAND = Symbol.for("abh-netz.domain-error");

export type DomainStatus = 400 | 403 | 404 | 409 | 413 | 415;

/**
 * A refusal the portal expects. `messageKey` (an i18n key, "namespace:key") and `params`,
 * when given, say on the error page what exactly is not possible; without, the page
 * shows the general text for the status.
 */
export abstract class DomainError extends Error {
  abstract readonly status: DomainStatus;
  readonly [BRAND] = true;
  messageKey?: string;
  params?: Record<string, string | number>;
}

/** No such thing – or one outside the actor's tenant: the two are indistinguishable (404). */
export class NotFoundError extends DomainError {
  readonly status = 404;
  constructor(message = "Not Found") {
    super(message);
    this.name = "NotFoundError";
  }
}

/** The actor belongs to the tenant but may not do this (403). Outsiders get NotFoundError. */
export class ForbiddenError extends DomainError {
  readonly status = 403;
  constructor(message = "Forbidden") {
    super(message);
    this.name = "ForbiddenError";
  }
}

/** The object's state does not allow it (already submitted, closed, taken): 409. */
export class ConflictError extends DomainError {
  readonly status = 409;
  constructor(messageKey?: string) {
    super(messageKey ?? "Conflict");
    this.name = "ConflictError";
    this.messageKey = messageKey;
  }
}

/** Input the domain refuses, with i18n keys per field (400). */
export class InvalidInputError extends DomainError {
  readonly status = 400;
  constructor(
    readonly fieldErrors: FieldErrors = {},
    message = "Invalid input",
  ) {
    super(message);
    this.name = "InvalidInputError";
  }
}

/** A body or file larger than its limit (413). */
export class TooLargeError extends DomainError {
  readonly status = 413;
  constructor(message = "Payload Too Large") {
    super(message);
    this.name = "TooLargeError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return typeof error === "object" && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** What the error boundary receives as the thrown response's data. */
export type DomainErrorBody = { messageKey: string | null; params: Record<string, string | number>; fieldErrors: FieldErrors };

/** The message key of a caught route error response, if the portal put one there (else null). */
export function errorMessageOf(data: unknown): { key: string; params: Record<string, string | number> } | null {
  if (typeof data !== "object" || data === null) return null;
  const { messageKey, params } = data as Partial<DomainErrorBody>;
  if (typeof messageKey !== "string" || !/^[a-z]+:[\w.]+$/i.test(messageKey)) return null;
  return { key: messageKey, params: typeof params === "object" && params !== null ? params : {} };
}

/** The HTTP answer for a domain error (thrown from a loader/action it renders the error page). */
export function domainErrorResponse(error: DomainError): Response {
  const headers: Record<string, string> = { "Content-Type": "application/json; charset=utf-8" };
  // A refused large body: let Node close the connection rather than read the rest (utils/forms.ts).
  if (error.status === 413) headers.Connection = "close";
  const body: DomainErrorBody = {
    messageKey: error.messageKey ?? null,
    params: error.params ?? {},
    fieldErrors: "fieldErrors" in error ? (error as InvalidInputError).fieldErrors : {},
  };
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

type Handler = (args: never) => unknown;

/** A loader or action whose domain errors become their HTTP answer. */
export function withDomainErrors<F extends Handler>(handler: F): F {
  const wrapped = async (...args: Parameters<F>) => {
    try {
      return await handler(...(args as [never]));
    } catch (error) {
      if (isDomainError(error)) throw domainErrorResponse(error);
      throw error;
    }
  };
  return wrapped as unknown as F;
}

type BuildLike = { routes: Record<string, { module: { loader?: unknown; action?: unknown } } & Record<string, unknown>> };

/**
 * The build with every route's loader and action wrapped by `withDomainErrors`: the one
 * place domain errors become 4xx answers, whatever route they come through.
 */
export function mapDomainErrors<B extends BuildLike>(build: B): B {
  const routes: BuildLike["routes"] = {};
  for (const [id, route] of Object.entries(build.routes)) {
    const { loader, action } = route.module;
    routes[id] = {
      ...route,
      module: {
        ...route.module,
        ...(typeof loader === "function" ? { loader: withDomainErrors(loader as Handler) } : {}),
        ...(typeof action === "function" ? { action: withDomainErrors(action as Handler) } : {}),
      },
    };
  }
  return { ...build, routes } as B;
}
