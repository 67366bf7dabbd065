import { describe, expect, it } from "vitest";
import { readFramework } from "../../../prisma/seed/framework";
import { readGoalLevelExamples } from "../../../prisma/seed/goal-level-examples";
import { useApp } from "../../support/app";

const V = "/katalog/orientierungsrahmen-rlp-2015";

describe("catalogue pages (no sign-in)", () => {
  const app = useApp();
  const get = (path: string, init?: RequestInit) => fetch(app.baseUrl + path, { redirect: "manual", ...init });

  it("the start page links the framework with its real counts", async () => {
    const res = await get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="de"');
    expect(html).toContain("12 Ziele, 18 Arbeitsfelder und 56 Maßnahmen");
    expect(html).toContain(`href="${V}"`);
    expect(html).toContain("<title>ABH-Netz</title>");
  });

  it("/katalog leads to the only framework version", async () => {
    const res = await get("/katalog");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(V);
  });

  it("the overview lists all 12 goals and the six design areas", async () => {
    const html = await (await get(V)).text();
    const data = await readFramework();
    for (const goal of data.goals) expect(html).toContain(`href="${V}/ziele/${goal.number}"`);
    for (const area of data.designAreas) expect(html).toContain(area.title);
  });

  it("every goal page shows its wording, explanation and measures", async () => {
    const data = await readFramework();
    for (const goal of data.goals) {
      const res = await get(`${V}/ziele/${goal.number}`);
      expect(res.status, `goal ${goal.number}`).toBe(200);
      const html = await res.text();
      expect(html).toContain(escape(goal.title));
      for (const m of data.measures.filter((x) => x.code.split(".")[0] === String(goal.number))) {
        expect(html).toContain(`href="${V}/massnahmen/${m.code}"`);
      }
    }
  });

  it("every goal page shows the rating scale as a table with that goal's own example for each level", async () => {
    const examples = (await readGoalLevelExamples("orientierungsrahmen-rlp-2015"))!;
    for (const goal of examples.goals) {
      const html = await (await get(`${V}/ziele/${goal.number}`)).text();
      expect(html, `goal ${goal.number}`).toContain(
        `<caption>Die fünf Stufen für Ziel ${goal.number}, jeweils mit einem Beispiel aus der Praxis</caption>`,
      );
      expect(html, `goal ${goal.number}`).toContain(`<td lang="de">${escape(goal.levels["3"])}</td>`);
      // Another goal's example would mean the table mixed up the goals.
      const other = examples.goals.find((g) => g.number !== goal.number)!;
      expect(html).not.toContain(escape(other.levels["3"]));
    }
    const html = await (await get(`${V}/ziele/5`)).text();
    expect(html).toContain('<th scope="col">Beispiel für dieses Ziel</th>');
    expect(html).toMatch(/<th scope="row">3(<!-- -->)? – <span lang="de">Teilweise umgesetzt<\/span><\/th>/);
  });

  it("every one of the 56 measure pages shows result, activities, explanation, links and working aids", async () => {
    const data = await readFramework();
    expect(data.measures).toHaveLength(56);
    for (const m of data.measures) {
      const res = await get(`${V}/massnahmen/${m.code}`);
      expect(res.status, `measure ${m.code}`).toBe(200);
      const html = await res.text();
      expect(html).toContain(`<title>Maßnahme ${m.code}: ${escape(m.title)} – ABH-Netz</title>`);
      expect(html).toContain(escape(m.result));
      for (const activity of m.activities) expect(html).toContain(escape(activity));
      if (m.explanation) expect(html).toContain(escape(m.explanation.split("\n\n")[0]));
      for (const code of m.relatedMeasureCodes) expect(html).toContain(`href="${V}/massnahmen/${code}"`);
      for (const code of m.workingAidCodes) expect(html).toContain(`Arbeitshilfe ${code}`);
    }
  });

  it("search finds measures by German word forms, fragments and codes, with the match highlighted", async () => {
    const hits = async (q: string) => {
      const html = await (await get(`${V}/suche?q=${encodeURIComponent(q)}`)).text();
      return { html, measures: [...html.matchAll(/href="[^"]*\/massnahmen\/([\d.]+)"/g)].map((m) => m[1]) };
    };
    // The text says "Wartezeiten"; the German stemmer matches the singular too.
    const waiting = await hits("Wartezeit");
    expect(waiting.measures).toContain("5.1");
    expect(waiting.html).toContain("<mark>Wartezeiten</mark>");
    // A word fragment still finds "mehrsprachige …" by substring.
    expect((await hits("mehrsprach")).measures.length).toBeGreaterThan(0);
    expect((await hits("5.1")).measures[0]).toBe("5.1");
    const none = await hits("Quantenphysik");
    expect(none.measures).toEqual([]);
    expect(none.html).toContain("Keine Treffer für „Quantenphysik“");
  });

  it("an over-long search term is a 400 with a German message next to the field, and the input is kept", async () => {
    const long = "Termin".repeat(40);
    const res = await get(`${V}/suche?q=${long}`);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("höchstens 200 Zeichen");
    expect(html).toContain(`value="${long}"`);
    expect(html).toMatch(/aria-invalid="true"/);
  });

  it("unknown goals, measures and versions are a friendly German 404, never a 500", async () => {
    for (const path of [
      `${V}/ziele/13`,
      `${V}/ziele/abc`,
      `${V}/massnahmen/99.9`,
      `${V}/massnahmen/x`,
      "/katalog/gibt-es-nicht",
      "/irgendwo",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("Seite nicht gefunden");
    }
  });

  it("switches to English with a plain form post and keeps the page", async () => {
    const res = await get("/sprache", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.baseUrl, "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ lng: "en", redirectTo: `${V}/ziele/3?lng=de` }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${V}/ziele/3`);
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    const html = await (await get(`${V}/ziele/3`, { headers: { cookie } })).text();
    expect(html).toContain('<html lang="en"');
    expect(html).toContain("Measures for this goal");
    expect(html).toMatch(/<title>Goal 3: [^<]+ – ABH-Netz<\/title>/);
    // The framework's own text stays German and is marked as such.
    expect(html).toMatch(/lang="de"[^>]*>Die Ausländerbehörde legt Wert/);
  });

  it("refuses a form post from another site (CSRF) before it reaches the portal", async () => {
    const res = await get("/sprache", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://evil.example",
        "Sec-Fetch-Site": "cross-site",
      },
      body: new URLSearchParams({ lng: "en", redirectTo: "/" }),
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("never redirects off-site after the language switch", async () => {
    const res = await get("/sprache", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams({ lng: "de", redirectTo: "//evil.example/phish" }),
    });
    expect(res.headers.get("location")).toBe("/");
  });

  it("sends security headers with a per-request script nonce", async () => {
    const [a, b] = await Promise.all([get("/"), get("/")]);
    const csp = a.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toBe(b.headers.get("content-security-policy"));
    expect(a.headers.get("x-content-type-options")).toBe("nosniff");
    expect(a.headers.get("x-powered-by")).toBeNull();
  });

  it("the legal pages show the operator's text, by default saying what to fill in", async () => {
    for (const [path, heading] of [
      ["/impressum", "Impressum"],
      ["/datenschutz", "Datenschutzerklärung"],
      ["/barrierefreiheit", "Erklärung zur Barrierefreiheit"],
    ]) {
      const html = await (await get(path)).text();
      expect(html, path).toContain(`<h1>${heading}</h1>`);
      expect(html, path).toContain("Bitte ergänzen");
    }
  });
});

describe("GET /healthz", () => {
  const app = useApp();

  it("answers 200 with JSON when the database is reachable", async () => {
    const res = await fetch(`${app.baseUrl}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", database: "up" });
  });

  it("answers 503 when the database is not reachable, and recovers", async () => {
    const g = globalThis as { __prisma?: unknown };
    const working = g.__prisma;
    const { createPrismaClient } = await import("~/platform/db.server");
    const broken = createPrismaClient("postgresql://nobody:nothing@127.0.0.1:1/none", { max: 1 });
    g.__prisma = broken;
    try {
      const res = await fetch(`${app.baseUrl}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: "error", database: "down" });
    } finally {
      g.__prisma = working;
      await broken.pool.end();
    }
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
  });
});

function escape(text: string) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#x27;");
}
