import { PassThrough } from "node:stream";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import * as entryServer from "~/entry.server";

/**
 * React 18.3 leaves NUL bytes in a streamed document when a multi-byte character would
 * straddle the end of its 2048-byte buffer (react/react#31134). These paragraphs are
 * German text with 2-, 3- and 4-byte characters (ä ß, „ “ —, 😀) of varying lengths, so
 * that the buffer boundary falls inside a character again and again.
 */
const WORDS = ["Ärger", "über", "Öffnungszeiten", "—", "„Willkommensbehörde“", "Maßnahme", "😀", "Straße", "Prüfung", "ß"];
const paragraphs = Array.from(
  { length: 1500 },
  (_, i) =>
    Array.from({ length: 3 + (i % 11) }, (_, j) => WORDS[(i * 7 + j * 3) % WORDS.length]).join(" ") + ` ${"ä".repeat(i % 5)}${i}`,
);

function Page() {
  return (
    <html lang="de">
      <head>
        <title>Prüfseite</title>
      </head>
      <body>
        {paragraphs.map((text, i) => (
          <p key={i}>{text}</p>
        ))}
      </body>
    </html>
  );
}

/** A one-route Remix build whose document goes through the portal's real entry.server. */
const build = {
  mode: "production",
  entry: { module: entryServer },
  routes: { root: { id: "root", path: "", module: { default: Page } } },
  assets: {
    entry: { module: "/build/entry.client.js", imports: [] },
    routes: {
      root: {
        id: "root",
        path: "",
        module: "/build/root.js",
        hasAction: false,
        hasLoader: false,
        hasClientAction: false,
        hasClientLoader: false,
        hasErrorBoundary: false,
        imports: [],
      },
    },
    url: "/build/manifest.js",
    version: "test",
  },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
  isSpaMode: false,
} as unknown as ServerBuild;

const countNul = (bytes: Uint8Array) => bytes.reduce((n, b) => n + (b === 0 ? 1 : 0), 0);

describe("the document stream (entry.server)", () => {
  it("React's own stream has the bug for this page: it is a fair test", async () => {
    const raw = await new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on("data", (c: Buffer) => chunks.push(c));
      sink.on("end", () => resolve(Buffer.concat(chunks)));
      const { pipe } = renderToPipeableStream(<Page />, { onAllReady: () => pipe(sink), onShellError: reject });
    });
    expect(countNul(raw)).toBeGreaterThan(10);
  });

  for (const userAgent of ["Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", "Googlebot/2.1"]) {
    it(`a page full of German text has no NUL byte and every character intact (${userAgent.split("/")[0]})`, async () => {
      const handler = createRequestHandler(build, "production");
      const response = await handler(new Request("http://localhost/", { headers: { "user-agent": userAgent } }));
      expect(response.status).toBe(200);
      const bytes = new Uint8Array(await response.arrayBuffer());
      expect(bytes.length).toBeGreaterThan(40 * 2048); // many buffer boundaries
      expect(countNul(bytes)).toBe(0);
      // Valid UTF-8 throughout, and each paragraph exactly as written, in order.
      const html = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
      expect(html.match(/<p>[^<]*<\/p>/g)).toEqual(paragraphs.map((text) => `<p>${text}</p>`));
    });
  }
});
