import net from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { useApp } from "../../support/app";

const MB = 1024 * 1024;

type Result = { status: number; html: string; sent: number; ms: number; peakRssDelta: number };

/**
 * Posts `total` bytes of form to the portal as a client that keeps sending until the
 * answer arrives – with a Content-Length, or in chunks without one. A raw socket: MSW
 * (tests/support/setup-msw.ts) intercepts node:http and would buffer the whole body first.
 * Samples the process's memory (the portal runs in this process) meanwhile.
 */
function hugePost(baseUrl: string, path: string, { total, chunked }: { total: number; chunked: boolean }) {
  return new Promise<Result>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl);
    const body = Buffer.alloc(64 * 1024, "x");
    body.write("email=a%40b.de&password=");
    const chunk = chunked ? Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n")]) : body;
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = performance.now();
    let sent = 0;
    let answer = "";
    let answered = false;
    const socket = net.connect(Number(port), hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
          `Sec-Fetch-Site: same-origin\r\n${chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${total}`}\r\n\r\n`,
      );
      pump();
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += body.length;
        if (!socket.write(chunk)) return void socket.once("drain", pump);
      }
      if (!answered && chunked) socket.write("0\r\n\r\n");
    };
    const finish = () => {
      clearInterval(sampler);
      socket.destroy();
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
      if (!status) return reject(new Error(`no answer after ${sent} bytes`));
      resolve({ status, html: answer, sent, ms: performance.now() - started, peakRssDelta: peak - baseline });
    };
    socket.setEncoding("utf8");
    socket.on("data", (part: string) => {
      answered = true;
      answer += part;
      // The page is complete (the portal closes the connection after it, too).
      if (answer.includes("</html>")) finish();
    });
    socket.on("end", finish);
    // Writes after the portal closed the connection fail, as expected.
    socket.on("error", () => (answered ? finish() : reject(new Error("connection failed before an answer"))));
  });
}

describe("a form body has a size limit (FORM_MAX_KB, default 1 MB)", () => {
  const app = useApp();
  // The first rendering of a page loads code and translations: not what is measured here.
  beforeAll(async () => {
    await (await fetch(`${app.baseUrl}/anmelden`)).text();
    await (
      await hugePost(app.baseUrl, "/anmelden", { total: 2 * MB, chunked: true })
    ).html;
  });

  for (const chunked of [false, true]) {
    it(`a 100 MB post to the public sign-in form gets 413 and the German page at once${chunked ? " (chunked, no Content-Length)" : ""}`, async () => {
      const result = await hugePost(app.baseUrl, "/anmelden", { total: 100 * MB, chunked });
      console.info(
        `100 MB post${chunked ? " (chunked)" : ""}: ${result.status} after ${Math.round(result.ms)} ms, ` +
          `${(result.sent / MB).toFixed(1)} MB sent, memory peak +${(result.peakRssDelta / MB).toFixed(1)} MB`,
      );
      expect(result.status).toBe(413);
      expect(result.html).toContain('lang="de"');
      expect(result.html).toContain("Anfrage zu groß");
      expect(result.html).toContain("Die gesendeten Daten sind zu groß und wurden nicht angenommen.");
      // Answered long before the body was through, without holding it in memory.
      expect(result.sent).toBeLessThan(30 * MB);
      expect(result.peakRssDelta).toBeLessThan(64 * MB);
      expect(result.ms).toBeLessThan(5_000);
    });
  }

  it("a form just under the limit is read as before (wrong password: the page again, not 413)", async () => {
    const body = new URLSearchParams({
      email: "niemand@behoerde.example.de",
      password: "falsch",
      padding: "Maßnahme ".repeat(60_000),
    });
    expect(body.toString().length).toBeLessThan(1024 * 1024);
    const res = await fetch(app.baseUrl + "/anmelden", {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body,
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain("Anfrage zu groß");
  });
});
