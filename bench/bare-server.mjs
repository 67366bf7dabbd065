// The baseline for bench/run.ts: a bare Node HTTP server that answers with bytes held in
// memory – the floor for this machine, Node and the load generator. Started with an IPC
// channel: receives { port, pages: { [path]: base64 body } }, answers { ready: true }.
import http from "node:http";

process.once("message", ({ port, pages }) => {
  const bodies = new Map(Object.entries(pages).map(([path, body]) => [path, Buffer.from(body, "base64")]));
  const server = http.createServer((req, res) => {
    const body = bodies.get(req.url ?? "");
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8", "Content-Length": body.length }).end(body);
  });
  server.listen(port, "127.0.0.1", () => process.send?.({ ready: true }));
  process.once("disconnect", () => server.close(() => process.exit(0)));
});
