import { Transform } from "node:stream";
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { createInstance } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nConfig } from "./i18n/config";
import { i18next } from "./i18n/i18next.server";
import { isDomainError } from "./platform/errors";
import { NonceProvider } from "./ui/nonce";

const ABORT_DELAY = 5_000;
export const streamTimeout = ABORT_DELAY;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const instance = createInstance();
  const lng = await i18next.getLocale(request);
  await instance.use(initReactI18next).init({ ...i18nConfig, lng });
  const nonce = (loadContext.cspNonce as string | undefined) ?? "";
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const readyEvent = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceProvider>,
      {
        nonce,
        [readyEvent]() {
          shellRendered = true;
          const body = dropUnwrittenBytes();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY + 1000);
  });
}

/** The size of React 18.3's write buffer (VIEW_SIZE in react-dom/server.node). */
const REACT_VIEW_SIZE = 2048;

/**
 * The document stream without the NUL bytes React 18.3 leaves in it (react/react#31134).
 *
 * React encodes the HTML into 2048-byte buffers. When a multi-byte character (ä, „, —,
 * an emoji) does not fit into the rest of a buffer, `encodeInto` stops before it and
 * React then writes out the *whole* buffer – including the 1–3 bytes at its end that
 * were never written and are still zero – instead of `subarray(0, writtenBytes)`
 * (fixed in React 19). So a faulty chunk is exactly 2048 bytes long and ends in one to
 * three zero bytes; this removes exactly those. Every other chunk (shorter ones, full
 * ones that end in text) passes unchanged, and no byte of real text is touched: UTF-8
 * never uses a zero byte inside a character, and the character React could not fit
 * follows, complete, in its next chunk. Each React write arrives here as its own chunk
 * (nothing buffers in between), so the length is React's own.
 */
export function dropUnwrittenBytes() {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (chunk.length === REACT_VIEW_SIZE && chunk[REACT_VIEW_SIZE - 1] === 0) {
        let end = REACT_VIEW_SIZE;
        while (end > REACT_VIEW_SIZE - 3 && chunk[end - 1] === 0) end--;
        callback(null, chunk.subarray(0, end));
      } else {
        callback(null, chunk);
      }
    },
  });
}

/**
 * Remix calls this for every error a loader, action or render throws. Expected answers –
 * a thrown Response (404, 403, 400, 413 …) or a typed domain error (app/platform/errors.ts,
 * mapped to its status before it gets here) – and requests the client gave up on are not
 * errors of the portal: only the unexpected ones, the 500s, are logged.
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  if (error instanceof Response || isRouteErrorResponse(error) || isDomainError(error)) return;
  console.error(error);
}
