/**
 * "Bad input gets a clear message and a 4xx, never a 500", swept over every route that
 * takes posts. Each route is opened by someone who may post there; every form on the page
 * is then sent back with each intent it offers and every field filled with the same kind
 * of nonsense (empty, far too long, negative, not a number, markup, an unknown id, an
 * impossible date), plus an unknown intent, an empty body and JSON. Routes are read from
 * the build, so a route added later is swept too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { client, createUser } from "../support/accounts";
import { useApp } from "../support/app";
import { appRoutes } from "../support/routes";

const NONSENSE = [
  "",
  "x".repeat(20_001),
  "-1",
  "abc",
  "1e309",
  "<script>alert(1)</script>",
  "00000000-0000-0000-0000-000000000000",
  "2026-02-30",
];

/** Intents and field names of every form in a page (buttons may carry the intent, too). */
function formsOf(html: string) {
  const intents = new Set<string>();
  const fields = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:input|select|textarea|button)\b[^>]*>/g)) {
    const name = /\sname="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    if (name === "intent") {
      const value = /\svalue="([^"]*)"/.exec(tag)?.[1];
      if (value) intents.add(value);
    } else fields.add(name);
  }
  return { intents: [...intents], fields: [...fields] };
}

describe("every form answers nonsense with a 4xx, never a 500", () => {
  const app = useApp();
  const sample = {} as { network: string; networkSlug: string; office: string; round: string };

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "unsinn", name: "Netz Unsinn", state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(Date.now() - 86_400_000),
        deadline: new Date(Date.now() + 30 * 86_400_000),
        createdById: office.id,
      },
    });
    await p.roundParticipant.create({ data: { roundId: round.id, officeId: office.id } });
    await p.assessment.create({ data: { roundId: round.id, officeId: office.id } });
    Object.assign(sample, { network: network.id, networkSlug: network.slug, office: office.id, round: round.id });
  });

  /** A new person for each route, so that a form that signs out or changes the account cannot spoil the next. */
  async function personFor(routePath: string) {
    const p = app.db.prisma;
    const admin = routePath.startsWith("netzwerke/");
    const user = await createUser(p, { name: admin ? "Referat Unsinn" : "Leitung Unsinn" });
    await p.membership.create({
      data: {
        userId: user.id,
        networkId: sample.network,
        officeId: admin ? null : sample.office,
        role: admin ? "NETWORK_ADMIN" : "OFFICE_HEAD",
      },
    });
    if (admin) await p.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
    const c = client(app.baseUrl);
    await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/konto" });
    if (admin) await p.session.updateMany({ where: { userId: user.id }, data: { twoFactorVerified: true } });
    return c;
  }

  function urlFor(routePath: string) {
    return (
      "/" +
      routePath.replace(/:(\w+)\??/g, (_, name: string) => {
        const known: Record<string, string> = {
          network: sample.networkSlug,
          office: sample.office,
          round: sample.round,
          goalNo: "1",
          format: "csv",
          version: "rlp-2015",
          goal: "1",
          measure: "1.1",
        };
        return known[name] ?? "ein-token-das-es-nicht-gibt";
      })
    );
  }

  it("never answers 500, whatever a form sends", async () => {
    const routes = (await appRoutes()).filter((r) => r.hasAction);
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let posts = 0;
    const intentsSeen = new Set<string>();
    for (const route of routes) {
      const url = urlFor(route.path);
      const person = await personFor(route.path);
      const page = await person.get(url);
      const { intents, fields } = formsOf(page.status === 200 ? await page.text() : "");
      for (const intent of intents) intentsSeen.add(intent);
      const bodies: Array<[label: string, body: Record<string, string>]> = [
        ["empty", {}],
        ["unknown intent", { intent: "gibt-es-nicht" }],
      ];
      for (const intent of [...intents, null]) {
        for (const value of NONSENSE) {
          const body = Object.fromEntries(fields.map((f) => [f, value]));
          if (intent) body.intent = intent;
          bodies.push([`intent=${intent ?? "–"}, fields=${JSON.stringify(value.slice(0, 12))}`, body]);
        }
      }
      for (const [label, body] of bodies) {
        const res = await person.post(url, body);
        posts++;
        if (res.status >= 500) failures.push(`POST ${url} (${label}): ${res.status}`);
      }
      const json = await fetch(app.baseUrl + url, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: person.cookie, "Content-Type": "application/json", "Sec-Fetch-Site": "same-origin" },
        body: JSON.stringify({ intent: intents[0] ?? "x" }),
      });
      if (json.status !== 415 || !(await json.text()).includes("Bitte senden Sie das Formular"))
        failures.push(`POST ${url} (JSON body): ${json.status}`);
      for (const contentType of ["multipart/form-data; boundary=grenze", "multipart/form-data"]) {
        const broken = await fetch(app.baseUrl + url, {
          method: "POST",
          redirect: "manual",
          headers: { Cookie: person.cookie, "Content-Type": contentType, "Sec-Fetch-Site": "same-origin" },
          body: "--grenze\r\nkein richtiges Formular",
        });
        if (broken.status >= 500) failures.push(`POST ${url} (broken ${contentType}): ${broken.status}`);
      }
      // Failed sign-ins above count against this address; the next route's person must get in.
      await app.db.prisma.$executeRaw`DELETE FROM rate_limit`;
    }
    expect(failures).toEqual([]);
    // The sweep reached the forms it is about, not just sign-in redirects.
    expect(posts).toBeGreaterThan(200);
    expect([...intentsSeen]).toEqual(
      expect.arrayContaining([
        "goal",
        "individual",
        "measure",
        "submit",
        "start",
        "invite",
        "extend",
        "close",
        "grant",
        "profile",
        "password",
      ]),
    );
  });
});
