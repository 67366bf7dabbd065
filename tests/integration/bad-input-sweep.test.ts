/**
 * "Bad input gets a clear message and a 4xx, never a 500", swept over every route that
 * takes posts. Each route is opened by someone who may post there; every form on the page
 * is then sent back with each intent it offers and every field filled with the same kind
 * of nonsense (empty, far too long, negative, not a number, markup, an unknown id, an
 * impossible date), plus an unknown intent, an empty body and JSON. Then each form of the
 * page again, ONE field at a time wrong while all others keep a valid value (what the page
 * filled in, or a plausible one) – a body wrong in every field is refused by the first
 * check and never reaches the later ones. And every parameterised route with a malformed
 * id in each of its parameters answers 404. Routes are read from the build, so a route
 * added later is swept too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { client, createUser, PASSWORD } from "../support/accounts";
import { useApp } from "../support/app";
import { createOpenRound } from "../support/fixtures";
import { createPlan, createPlanAttachment } from "../support/plan";
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

/** Undoes the HTML escaping of an attribute value or text. */
function unescape(value: string) {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

const attr = (tag: string, name: string) => {
  const match = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return match ? unescape(match[1]) : undefined;
};

let plausible = 0;
/** A valid-looking value for a field the page leaves empty, by its type and name. */
function plausibleValue(tag: string, name: string) {
  const type = attr(tag, "type") ?? "text";
  if (type === "email" || /mail/i.test(name)) return `sweep-${++plausible}@behoerde.example.de`;
  if (type === "password" || /password/i.test(name)) return PASSWORD;
  if (type === "date") return new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10);
  if (type === "datetime-local") return new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 16);
  if (type === "number") return attr(tag, "min") ?? "1";
  if (type === "url" || /link|url/i.test(name)) return "https://example.org/beleg";
  if (/name/i.test(name)) return "Dana Beispiel";
  return "Ein gültiger Text";
}

type PageForm = { intent: string | null; fields: Record<string, string> };

/**
 * Every post form of a page that posts back to the page itself (not the header's sign-out
 * or language forms), with a valid value for each field: what the page filled in (value,
 * selected option, checked box, text area), otherwise a plausible one. A form whose
 * buttons carry several intents counts once per intent.
 */
function pageForms(html: string, url: string): PageForm[] {
  const forms: PageForm[] = [];
  for (const [, open, body] of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    if ((attr(open, "method") ?? "get").toLowerCase() !== "post") continue;
    const action = attr(open, "action");
    if (action && new URL(action, "http://x").pathname !== new URL(url, "http://x").pathname) continue;
    const fields: Record<string, string> = {};
    const intents = new Set<string>();
    for (const [tag] of body.matchAll(/<(?:input|button)\b[^>]*>/g)) {
      const name = attr(tag, "name");
      if (!name) continue;
      const value = attr(tag, "value");
      if (name === "intent") {
        if (value) intents.add(value);
        continue;
      }
      const type = attr(tag, "type") ?? "text";
      if (type === "checkbox" || type === "radio") {
        if (/\schecked/.test(tag) || !(name in fields)) fields[name] = value ?? "on";
      } else if (!tag.startsWith("<button")) fields[name] = value || plausibleValue(tag, name);
    }
    for (const [, open, options] of body.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attr(open, "name");
      if (!name) continue;
      const all = [...options.matchAll(/<option\b([^>]*)>/g)].map(([, o]) => o);
      const chosen = all.find((o) => /\sselected/.test(o)) ?? all.find((o) => attr(o, "value")) ?? all[0];
      fields[name] = chosen ? (attr(chosen, "value") ?? "") : "";
    }
    for (const [, open, content] of body.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
      const name = attr(open, "name");
      if (name) fields[name] = unescape(content) || plausibleValue(open, name);
    }
    for (const intent of intents.size ? [...intents] : [null]) forms.push({ intent, fields });
  }
  return forms;
}

/** Route ids that are malformed in different ways. */
const MALFORMED_IDS = ["-".repeat(36), "abc", "0".repeat(400), "00000000-0000-0000-0000-0000000000000"];

describe("every form answers nonsense with a 4xx, never a 500", () => {
  const app = useApp();
  const sample = {} as {
    network: string;
    networkSlug: string;
    office: string;
    round: string;
    planMeasure: string;
    activity: string;
  };

  /**
   * A network with one office, an open round and its assessment. Each sweep gets its own: a
   * valid post (closing the round, submitting) changes what the next pages offer.
   */
  async function freshSample(slug: string) {
    const { network, offices, round } = await createOpenRound(app.db.prisma, { slug });
    const office = offices[0];
    Object.assign(sample, { network: network.id, networkSlug: network.slug, office: office.id, round: round.id });
    // An implementation plan, so the plan's forms are on their pages (the Excel import, the
    // measure's and the activity's), with a finished measure (the phases page's consolidation form) and a submitted
    // earlier round to start a follow-up cycle from (its form).
    const p = app.db.prisma;
    const head = await createUser(p, { name: "Leitung Plan" });
    // The office's open plan (a catalogue and an own measure) with an attachment: the plan's
    // forms (upload, delete) are swept too; its catalogue measure finished.
    const { plan, measures } = await createPlan(p, { networkId: network.id, officeId: office.id, startedById: head.id });
    await createPlanAttachment(p, { measure: measures[0], uploadedById: head.id });
    // Every measure finished, so the plan is essentially done and the follow-up cycle's form shows.
    await p.planMeasure.updateMany({ where: { planId: plan.id }, data: { completedAt: new Date() } });
    const earlier = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: round.frameworkVersionId,
        name: "2025",
        opensAt: new Date(Date.now() - 400 * 86_400_000),
        deadline: new Date(Date.now() - 300 * 86_400_000),
        closedAt: new Date(Date.now() - 300 * 86_400_000),
        createdById: head.id,
      },
    });
    await p.roundParticipant.create({ data: { roundId: earlier.id, officeId: office.id } });
    await p.assessment.create({
      data: {
        roundId: earlier.id,
        officeId: office.id,
        submittedAt: new Date(Date.now() - 320 * 86_400_000),
        submittedById: head.id,
      },
    });
    // An open measure with an activity (the measure's and the activity's forms).
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    const second = await p.measure.findMany({ orderBy: { code: "asc" }, take: 2 });
    const planMeasure = await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: office.id,
        measureId: second[1].id,
        origin: "priority",
        completedAt: new Date(),
        addedById: head.id,
      },
    });
    const activity = await p.planActivity.create({
      data: {
        planMeasureId: planMeasure.id,
        planId: plan.id,
        officeId: office.id,
        title: "Flyer",
        status: "DONE",
        createdById: head.id,
      },
    });
    Object.assign(sample, { planMeasure: planMeasure.id, activity: activity.id });
    // Two consultants of the network, one assigned to the office: the network's office page
    // offers both the assign and the unassign form (issue 21).
    for (const [i, name] of ["Beratung Eins", "Beratung Zwei"].entries()) {
      const consultant = await createUser(app.db.prisma, { name });
      await app.db.prisma.membership.create({
        data: { userId: consultant.id, networkId: network.id, officeId: null, role: "CONSULTANT" },
      });
      if (i === 0)
        await app.db.prisma.consultantAssignment.create({
          data: { networkId: network.id, officeId: office.id, consultantId: consultant.id, assignedById: consultant.id },
        });
    }
  }

  beforeAll(() => freshSample("unsinn"));

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
          cycle: "1",
          format: "csv",
          version: "rlp-2015",
          goal: "1",
          measure: "1.1",
          planMeasure: sample.planMeasure,
          activity: sample.activity,
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
        "reminders",
        "phase",
        "tick",
        "review",
        "consolidate",
        "followUp",
        "assignConsultant",
        "unassignConsultant",
      ]),
    );
  }, 600_000);

  it("never answers 500 when just one field is wrong and every other one is valid", async () => {
    await freshSample("unsinn-einzeln");
    const routes = (await appRoutes()).filter((r) => r.hasAction);
    const failures: string[] = [];
    let posts = 0;
    let forms = 0;
    const intentsSeen = new Set<string>();
    for (const route of routes) {
      const url = urlFor(route.path);
      const person = await personFor(route.path);
      const page = await person.get(url);
      // Forms of the same shape (one per member, per measure …) are checked once per page.
      const shapes = new Set<string>();
      for (const form of pageForms(page.status === 200 ? await page.text() : "", url)) {
        const shape = `${form.intent}:${Object.keys(form.fields).sort().join(",")}`;
        if (shapes.has(shape)) continue;
        shapes.add(shape);
        forms++;
        if (form.intent) intentsSeen.add(form.intent);
        for (const field of Object.keys(form.fields)) {
          for (const value of NONSENSE) {
            const body = { ...form.fields, [field]: value, ...(form.intent ? { intent: form.intent } : {}) };
            const res = await person.post(url, body);
            posts++;
            if (res.status >= 500)
              failures.push(
                `POST ${url} (intent=${form.intent ?? "–"}, only ${field}=${JSON.stringify(value.slice(0, 12))}): ${res.status}`,
              );
          }
        }
      }
      await app.db.prisma.$executeRaw`DELETE FROM rate_limit`;
    }
    expect(failures).toEqual([]);
    // It reached the forms that matter, with valid companions for the wrong field.
    expect(forms).toBeGreaterThan(10);
    expect(posts).toBeGreaterThan(300);
    expect([...intentsSeen]).toEqual(
      expect.arrayContaining(["goal", "measure", "submit", "start", "invite", "extend", "close", "grant", "profile", "password"]),
    );
  }, 900_000);

  it("answers 404, never 500, for a malformed id in any parameter of any parameterised route", async () => {
    const routes = (await appRoutes()).filter((r) => r.path.includes(":"));
    expect(routes.length).toBeGreaterThan(15);
    const failures: string[] = [];
    for (const route of routes) {
      const person = await personFor(route.path);
      const params = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => name);
      for (const param of params) {
        for (const bad of MALFORMED_IDS) {
          const url = urlFor(route.path.replace(new RegExp(`:${param}\\b\\??`), encodeURIComponent(bad)));
          const got = await person.get(url);
          if (got.status !== 404) failures.push(`GET ${url.slice(0, 90)}: ${got.status}`);
          if (route.hasAction) {
            const posted = await person.post(url, { intent: "x" });
            if (posted.status !== 404) failures.push(`POST ${url.slice(0, 90)}: ${posted.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
