/**
 * Marker sweep (issue 19, item 3): what an office wrote never reaches anyone outside it –
 * not the ministry (network admins), not consultants, not network members, not another
 * office – through any page, export or log entry (with every filter of the log).
 *
 * How it works: in an unreleased assessment of office A, the head and a staff member write a
 * unique marker into every free-text field and a distinctive value into every rating field
 * (table WRITES), over HTTP as the forms send it, including an earlier draft that is then
 * overwritten. Then every route of the built app (tests/support/routes.ts, so a new route is
 * swept by itself; a route parameter this file does not know fails the sweep until someone
 * adds a sample) is opened with GET, for every identifier sample and every export format, as
 * each role in OUTSIDERS, and no response may show a marker or a trace of a rating (TRACES).
 * The sweep runs twice: on the draft, and after the head submitted it (submitted ≠ released).
 *
 * TO EXTEND (the plan, good practice and consulting add office-only fields later):
 * 1. add a step to WRITES that writes your field as the office would (over HTTP), with a
 *    marker from `marker("your-field")` for free text, or a distinctive value plus an entry
 *    in TRACES saying how that value would show if it leaked (e.g. the log's "Label: … → …");
 * 2. if your routes take a new parameter, give it samples in `samples()`;
 * 3. if outsiders should see a new kind of file, teach `readable()` to read it (DOCX: every part of the zip).
 * The sanity test at the end proves the markers are really stored and shown to the office,
 * so the sweep can fail.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inflateSync } from "node:zlib";
import ExcelJS from "exceljs";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../support/accounts";
import { useApp } from "../support/app";
import { createOpenRound } from "../support/fixtures";
import { appRoutes } from "../support/routes";

/** A unique, searchable marker for one field (ASCII, so no escaping can hide it). */
const marker = (field: string) => `qxmrk-${field}-7c1e`;

type Insider = "head" | "staff";
type Outsider = "admin" | "consultant" | "member" | "headB" | "staffB";
/** Everyone outside office A who has an account in its network. */
const OUTSIDERS: Outsider[] = ["admin", "consultant", "member", "headB", "staffB"];

/**
 * page: the assessment of office A's open round; phases: its plan's phases page; finishedMeasure: a
 * finished plan measure; base: the portal's address; planMeasure: a measure of the open plan (attachments).
 */
type Ctx = {
  page: string;
  phases: string;
  finishedMeasure: string;
  ownMeasure: () => Promise<string>;
  base: string;
  office: string;
  planMeasure: string;
};

// Uploaded files of this file's portal (read at its first request; not the working directory).
const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "abh-marker-files-"));
process.env.STORAGE_DIR = filesDir;
delete process.env.STORAGE_S3_BUCKET;
afterAll(() => fs.rmSync(filesDir, { recursive: true, force: true }));
type Write = { field: string; as: Insider; markers: string[]; send: (c: Client, ctx: Ctx) => Promise<Response> };

const goalForm = (over: Record<string, string>) => ({
  intent: "goal",
  version: "0",
  comment: "",
  evidence: "",
  links: "",
  "base.answer": "",
  "base.comment": "",
  "base.evidence": "",
  "base.links": "",
  ...over,
});
const measureForm = (over: Record<string, string>) => ({
  intent: "measure",
  version: "0",
  need: "",
  effort: "",
  override: "",
  reason: "",
  "base.need": "",
  "base.effort": "",
  "base.override": "",
  "base.reason": "",
  ...over,
});

/** Every field of the self-assessment an office writes, with the marker or value it gets. */
const WRITES: Write[] = [
  {
    field: "plan attachment: its file name and its content – uploaded by a staff member to the (unreleased) plan",
    as: "staff",
    markers: [marker("attachment-name"), marker("attachment-content")],
    send: (c, { base, office, planMeasure }) => {
      const form = new FormData();
      form.set("measure", planMeasure);
      const pdf = `%PDF-1.4\n% ${marker("attachment-content")}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
      form.set("file", new Blob([pdf]), `${marker("attachment-name")}.pdf`);
      return fetch(`${base}/behoerden/${office}/plan/anlagen`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: c.cookie, "Sec-Fetch-Site": "same-origin" },
        body: form,
      });
    },
  },
  {
    field: "goal 1: rating 4, comment (first draft), evidence, link – by the head",
    as: "head",
    markers: [marker("goal-comment-draft"), marker("goal-evidence"), marker("goal-link")],
    send: (c, { page }) =>
      c.post(
        `${page}/ziele/1`,
        goalForm({
          answer: "4",
          comment: marker("goal-comment-draft"),
          evidence: marker("goal-evidence"),
          links: `https://${marker("goal-link")}.example.org/beleg`,
        }),
      ),
  },
  {
    field: "goal 1: comment rewritten (the draft above is now an earlier version) – by the head",
    as: "head",
    markers: [marker("goal-comment")],
    send: (c, { page }) =>
      c.post(
        `${page}/ziele/1`,
        goalForm({
          version: "1",
          answer: "4",
          comment: marker("goal-comment"),
          evidence: marker("goal-evidence"),
          links: `https://${marker("goal-link")}.example.org/beleg`,
          "base.answer": "4",
          "base.comment": marker("goal-comment-draft"),
          "base.evidence": marker("goal-evidence"),
          "base.links": `https://${marker("goal-link")}.example.org/beleg`,
        }),
      ),
  },
  {
    field: "goal 2: comment, evidence, link – by a staff member",
    as: "staff",
    markers: [marker("staff-comment"), marker("staff-evidence"), marker("staff-link")],
    send: (c, { page }) =>
      c.post(
        `${page}/ziele/2`,
        goalForm({
          comment: marker("staff-comment"),
          evidence: marker("staff-evidence"),
          links: `https://${marker("staff-link")}.example.org/`,
        }),
      ),
  },
  {
    field: "own rating 2 and reasons – the head",
    as: "head",
    markers: [marker("head-own-reasons")],
    send: (c, { page }) => c.post(`${page}/ziele/1`, { intent: "individual", answer: "2", reasons: marker("head-own-reasons") }),
  },
  {
    field: "own rating 5 and reasons, first draft – a staff member",
    as: "staff",
    markers: [marker("staff-own-reasons-draft")],
    send: (c, { page }) =>
      c.post(`${page}/ziele/1`, { intent: "individual", answer: "5", reasons: marker("staff-own-reasons-draft") }),
  },
  {
    field: "own rating 1 and reasons, rewritten – a staff member",
    as: "staff",
    markers: [marker("staff-own-reasons")],
    send: (c, { page }) => c.post(`${page}/ziele/1`, { intent: "individual", answer: "1", reasons: marker("staff-own-reasons") }),
  },
  {
    field: "measure 1.1: need high, effort low, override low with reason – by the head",
    as: "head",
    markers: [marker("head-override-reason")],
    send: (c, { page }) =>
      c.post(
        `${page}/massnahmen`,
        measureForm({ code: "1.1", need: "HIGH", effort: "LOW", override: "LOW", reason: marker("head-override-reason") }),
      ),
  },
  {
    field: "measure 1.2: need low, effort high, override high with reason – by a staff member",
    as: "staff",
    markers: [marker("staff-override-reason")],
    send: (c, { page }) =>
      c.post(
        `${page}/massnahmen`,
        measureForm({ code: "1.2", need: "LOW", effort: "HIGH", override: "HIGH", reason: marker("staff-override-reason") }),
      ),
  },
  {
    field: "plan: Gesamtkonzept – guiding idea, goal 1 reworded, need for change, successes – by the head",
    as: "head",
    markers: [marker("strategy-idea"), marker("strategy-goal"), marker("strategy-need"), marker("strategy-successes")],
    send: (c, { page }) => {
      const form: Record<string, string> = {
        version: "0",
        guidingIdea: marker("strategy-idea"),
        needForChange: marker("strategy-need"),
        successes: marker("strategy-successes"),
      };
      for (let n = 1; n <= 12; n++) Object.assign(form, { [`goal-${n}-mode`]: "asIs", [`goal-${n}-wording`]: "" });
      Object.assign(form, { "goal-1-mode": "reworded", "goal-1-wording": marker("strategy-goal") });
      return c.post(`${page.split("/runden/")[0]}/plan/gesamtkonzept`, form);
    },
  },
  {
    field: "team workshop: note on question 1 – by a staff member",
    as: "staff",
    markers: [marker("workshop-note")],
    send: (c, { page }) => c.post(`${page}/workshop`, { question: "survey", version: "0", body: marker("workshop-note") }),
  },
  // The five phases of the plan (issue 21, item 3): checklist notes, review meetings, the consolidation check.
  {
    field: "plan phases: a ticked task's note – by a staff member",
    as: "staff",
    markers: [marker("phase-task-note")],
    send: (c, { phases }) => c.post(phases, { intent: "tick", task: "team_informed", note: marker("phase-task-note") }),
  },
  {
    field: "plan phases: a review meeting's answer and notes – by a staff member",
    as: "staff",
    markers: [marker("review-answer"), marker("review-notes")],
    send: (c, { phases }) =>
      c.post(phases, {
        intent: "review",
        heldOn: "2026-01-15",
        answer_obstacles: marker("review-answer"),
        notes: marker("review-notes"),
      }),
  },
  {
    field: "plan phases: the consolidation check's results and notes – by the head",
    as: "head",
    markers: [marker("consolidation-results"), marker("consolidation-notes")],
    send: (c, { phases, finishedMeasure }) =>
      c.post(phases, {
        intent: "consolidate",
        planMeasureId: finishedMeasure,
        successful: "no",
        results: marker("consolidation-results"),
        decision: "ADJUST",
        notes: marker("consolidation-notes"),
      }),
  },
  // The implementation plan (issue 21): the head adds an own measure to the open plan, staff
  // add an activity with every free-text field, a Sachstand and a milestone – unreleased.
  {
    field: "plan: own measure title and intended result – by the head",
    as: "head",
    markers: [marker("plan-own-title"), marker("plan-intended-result")],
    send: async (c, { page }) => {
      const office = /\/behoerden\/([^/]+)/.exec(page)![1];
      const own = await c.post(`/behoerden/${office}/plan?index`, {
        intent: "addOwn",
        title: marker("plan-own-title"),
        intendedResult: marker("plan-intended-result"),
      });
      return own.status === 302 ? c.get(`/behoerden/${office}/plan`) : own;
    },
  },
  {
    field: "plan: activity with title, responsible name, participants, resources, remarks – by a staff member",
    as: "staff",
    markers: ["activity-title", "activity-responsible", "activity-participants", "activity-resources", "activity-remarks"].map(
      marker,
    ),
    send: async (c, { page, ownMeasure }) => {
      const office = /\/behoerden\/([^/]+)/.exec(page)![1];
      const measure = `/plan/massnahmen/${await ownMeasure()}`;
      const res = await c.post(`/behoerden/${office}${measure}`, {
        intent: "activity",
        title: marker("activity-title"),
        status: "IN_PROGRESS",
        responsibleName: marker("activity-responsible"),
        participants: marker("activity-participants"),
        resources: marker("activity-resources"),
        remarks: marker("activity-remarks"),
      });
      if (res.status !== 302) return res;
      const milestone = await c.post(`/behoerden/${office}${measure}`, {
        intent: "milestone",
        milestoneTitle: marker("milestone-title"),
        dueOn: "2027-06-30",
      });
      return milestone.status === 302 ? c.get(`/behoerden/${office}${measure}`) : milestone;
    },
  },
  {
    field: "plan: a Sachstand entry and the milestone's title – by a staff member",
    as: "staff",
    markers: [marker("sachstand"), marker("milestone-title")],
    send: async (c, { page, ownMeasure }) => {
      const office = /\/behoerden\/([^/]+)/.exec(page)![1];
      const measure = `/plan/massnahmen/${await ownMeasure()}`;
      const measurePage = await (await c.get(`/behoerden/${office}${measure}`)).text();
      const activity = /\/plan\/aktivitaeten\/([0-9a-f-]{36})/.exec(measurePage)![0];
      const res = await c.post(`/behoerden/${office}${activity}`, {
        intent: "sachstand",
        notedOn: "2027-01-15",
        body: marker("sachstand"),
      });
      return res.status === 302 ? c.get(`/behoerden/${office}${activity}`) : res;
    },
  },
  {
    field:
      "implementation plan via the Excel import (upload, preview, confirm): own measure, intended result, activity, responsible name, participants, resources, remarks, Sachstand – by the head",
    as: "head",
    markers: [
      marker("plan-measure"),
      marker("plan-result"),
      marker("plan-activity"),
      marker("plan-responsible"),
      marker("plan-participants"),
      marker("plan-resources"),
      marker("plan-remarks"),
      marker("plan-state"),
    ],
    send: async (c, { page }) => {
      const plan = page.replace(/\/runden\/.*$/, "/plan");
      const book = new ExcelJS.Workbook();
      const ws = book.addWorksheet("Umsetzungsplan");
      ws.addRow([
        "",
        "",
        "Arbeitsschritte",
        "Status",
        "Zeitrahmen",
        "Verantwortliche",
        "Mitwirkende",
        "Inputs/Ressourcen",
        "Bemerkungen",
        "Aktueller Sachstand",
      ]);
      ws.addRow([`Maßnahme: ${marker("plan-measure")}`]);
      ws.addRow([`Angestrebtes Ergebnis: ${marker("plan-result")}`]);
      ws.addRow([
        1,
        "!",
        marker("plan-activity"),
        "in Arbeit",
        "01.03.2026 – 30.06.2026",
        marker("plan-responsible"),
        marker("plan-participants"),
        marker("plan-resources"),
        marker("plan-remarks"),
        `05.02.2026: ${marker("plan-state")}`,
      ]);
      const form = new FormData();
      form.set("intent", "upload");
      form.set("file", new Blob([new Uint8Array(await book.xlsx.writeBuffer())]), "Plan.xlsx");
      const headers = { Cookie: c.cookie, "Sec-Fetch-Site": "same-origin" };
      const preview = await fetch(new URL(`${plan}/import`, BASE.url), {
        method: "POST",
        headers,
        body: form,
        redirect: "manual",
      });
      const html = await preview.text();
      const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
      if (preview.status !== 200 || !hidden("token"))
        return new Response(html, { status: preview.status === 200 ? 500 : preview.status });
      const confirm = await c.post(`${plan}/import`, { intent: "confirm", token: hidden("token"), digest: hidden("digest") });
      return confirm.status === 303 ? c.get(confirm.headers.get("location")!) : confirm;
    },
  },
];

/** The running portal's address, for the writes that post files (multipart) with fetch. */
const BASE = { url: "" };

/**
 * How a rating would show if it leaked: the log's "Label: before → after" lines (German
 * labels of app/i18n/namespaces/audit.ts) and the raw change records in a page's data.
 */
const TRACES: Array<[what: string, pattern: RegExp]> = [
  ["a change record in the page data", /"changes"\s*:\s*\{/],
  ["a rating's old → new value", /(Bewertung|Rating)\s*:[^→<]{0,60}→/],
  [
    "a measure's need, effort or priority old → new",
    /(Veränderungsbedarf|Aufwand|Geänderte Priorität|Need|Effort|Changed priority)\s*:[^→<]{0,60}→/,
  ],
  ["a text's old → new value", /(Kommentar|Belege|Links zu Belegen|Begründung|Comment|Evidence|Reasons?)\s*:[^→<]{0,200}→/],
];
const ALL_MARKERS = WRITES.flatMap((w) => w.markers);
/**
 * What the ministry's view shows once the head released the submitted results: the final
 * joint content. Never shown to anyone outside, released or not: earlier drafts, and each
 * team member's own rating and reasons (and the log's old → new values, see TRACES).
 */
const SHOWN_WHEN_RELEASED = new Set(
  [
    "goal-comment",
    "goal-evidence",
    "goal-link",
    "staff-comment",
    "staff-evidence",
    "staff-link",
    "head-override-reason",
    "staff-override-reason",
  ].map(marker),
);

describe("what an office wrote stays in the office (marker sweep over every page and export)", () => {
  const app = useApp();
  const ids = {} as {
    network: string;
    networkSlug: string;
    office: string;
    officeB: string;
    round: string;
    planMeasure: string;
    activity: string;
    attachment: string;
  };
  const people = {} as Record<Insider | Outsider, Client>;
  const page = () => `/behoerden/${ids.office}/runden/${ids.round}`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices, round } = await createOpenRound(p, { slug: "marker", offices: ["a", "b"] });
    const [a, b] = offices;
    Object.assign(ids, { network: network.id, networkSlug: network.slug, office: a.id, officeB: b.id, round: round.id });
    const members: Array<
      [
        Insider | Outsider,
        string,
        "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN" | "CONSULTANT" | "NETWORK_MEMBER",
        string | null,
      ]
    > = [
      ["head", "Hanna Leitung", "OFFICE_HEAD", a.id],
      ["staff", "Sami Team", "OFFICE_STAFF", a.id],
      ["admin", "Referat Integration", "NETWORK_ADMIN", null],
      ["consultant", "Bera Tung", "CONSULTANT", null],
      ["member", "Netz Mitglied", "NETWORK_MEMBER", null],
      ["headB", "Bea Beta", "OFFICE_HEAD", b.id],
      ["staffB", "Bo Beta", "OFFICE_STAFF", b.id],
    ];
    for (const [key, name, role, officeId] of members) {
      const user = await createUser(p, { name });
      await p.membership.create({ data: { userId: user.id, networkId: network.id, officeId, role } });
      if (role === "NETWORK_ADMIN") await p.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/konto" });
      if (role === "NETWORK_ADMIN") await p.session.updateMany({ where: { userId: user.id }, data: { twoFactorVerified: true } });
      people[key] = c;
    }
    // Office A's plan (unreleased) with one finished measure, for the phases' fields.
    const head = await p.membership.findFirstOrThrow({ where: { officeId: a.id, role: "OFFICE_HEAD" } });
    const plan = await p.plan.create({
      data: { networkId: network.id, officeId: a.id, sourceRoundId: round.id, startedById: head.userId },
    });
    const measure = await p.measure.findFirstOrThrow({ orderBy: { code: "asc" } });
    const finished = await p.planMeasure.create({
      data: {
        planId: plan.id,
        officeId: a.id,
        measureId: measure.id,
        origin: "priority",
        completedAt: new Date(),
        addedById: head.userId,
      },
    });
    const ctx = {
      page: page(),
      phases: `/behoerden/${a.id}/plan/phasen`,
      finishedMeasure: finished.id,
      base: app.baseUrl,
      office: ids.office,
      planMeasure: finished.id,
      // The office's own measure, once the head has added it (the plan's first writes).
      ownMeasure: async () => (await p.planMeasure.findFirstOrThrow({ where: { officeId: a.id, ownTitle: { not: null } } })).id,
    };
    BASE.url = app.baseUrl;
    for (const write of WRITES) {
      const res = await write.send(people[write.as], ctx);
      // The assessment's forms answer 200, the plan's redirect after saving (302).
      if (res.status !== 200 && res.status !== 302)
        throw new Error(`${write.field}: ${res.status} ${text(await res.text()).slice(0, 300)}`);
    }
    const activity = await p.planActivity.findFirstOrThrow({ where: { officeId: a.id, title: marker("activity-title") } });
    Object.assign(ids, { planMeasure: activity.planMeasureId, activity: activity.id });
    ids.attachment = (await p.planAttachment.findFirstOrThrow({ where: { officeId: a.id } })).id;
  });

  /** Sample values for every route parameter: each office, each export format, a goal of each writer. */
  function samples(name: string, routePath: string): string[] {
    switch (name) {
      case "network":
        return [ids.networkSlug];
      case "office":
        return [ids.office, ids.officeB];
      case "round":
        return [ids.round];
      case "goalNo":
        return ["1", "2"];
      case "cycle":
        return ["1"];
      case "planMeasure":
        return [ids.planMeasure];
      case "activity":
        return [ids.activity];
      case "format":
        return ["csv", "xlsx", "pdf", "docx"];
      case "attachment":
        return [ids.attachment];
      case "token":
      case "code":
        return ["ein-fremdes-token-das-es-nicht-gibt"];
      // The public catalogue: reference data of the framework, no office writes there.
      case "version":
      case "goal":
      case "measure":
        return [`__public__${name}`];
      default:
        throw new Error(`Route parameter :${name} (${routePath}) has no sample in the marker sweep – add one.`);
    }
  }

  async function urls() {
    const out: string[] = [];
    for (const route of await appRoutes()) {
      let paths = ["/" + route.path];
      for (const [, name] of route.path.matchAll(/:(\w+)\??/g)) {
        paths = paths.flatMap((path) => samples(name, route.path).map((v) => path.replace(new RegExp(`:${name}\\??`), v)));
      }
      out.push(...paths.map((path) => path.replace(/\/$/, "") || "/"));
    }
    return [...new Set(out)];
  }

  /**
   * The text of a PDF written by pdfkit with the standard fonts: each content stream
   * inflated, its hex strings decoded as WinAnsi and joined (a marker broken over two lines
   * or split for kerning reads whole again).
   */
  function pdfText(pdf: Buffer) {
    let out = "";
    for (const [, data] of pdf.toString("latin1").matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
      let content: string;
      try {
        content = inflateSync(Buffer.from(data, "latin1")).toString("latin1");
      } catch {
        content = data;
      }
      for (const [, hex] of content.matchAll(/<([0-9a-fA-F\s]+)>/g))
        out += Buffer.from(hex.replace(/\s/g, ""), "hex").toString("latin1");
    }
    return out;
  }

  /** A response as searchable text: HTML and CSV as they are, spreadsheets cell by cell, PDFs by their text. */
  async function readable(res: Response): Promise<string> {
    const type = res.headers.get("content-type") ?? "";
    if (type.includes("spreadsheetml")) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await res.arrayBuffer());
      const cells: string[] = [];
      book.eachSheet((sheet) =>
        sheet.eachRow((row) =>
          row.eachCell((cell) => cells.push(typeof cell.value === "object" ? JSON.stringify(cell.value) : String(cell.value))),
        ),
      );
      return cells.join("\n");
    }
    if (type.includes("pdf")) return pdfText(Buffer.from(await res.arrayBuffer()));
    if (type.includes("wordprocessingml")) {
      const zip = await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()));
      const parts = await Promise.all(Object.values(zip.files).map((f) => f.async("string")));
      return parts.join("\n");
    }
    return await res.text();
  }

  function leaks(body: string, markers: string[]): string[] {
    const lower = body.toLowerCase();
    const found = markers.filter((m) => lower.includes(m.toLowerCase()));
    const plain = text(body);
    for (const [what, pattern] of TRACES) if (pattern.test(body) || pattern.test(plain)) found.push(what);
    return found;
  }

  /** Reads every URL as every outsider; `hidden` says which markers that person must not see. */
  async function sweep(hidden: (who: Outsider) => string[] = () => ALL_MARKERS) {
    const failures: string[] = [];
    let read = 0;
    for (const url of await urls()) {
      for (const who of OUTSIDERS) {
        const queue = [url];
        for (let i = 0; i < queue.length; i++) {
          const res = await people[who].get(queue[i]);
          const body = await readable(res);
          read++;
          for (const leak of leaks(body, hidden(who))) failures.push(`GET ${queue[i]} as ${who} (${res.status}): ${leak}`);
          // A log page: open it with each of its filters too (every event type, today's dates).
          if (i === 0 && res.status === 200 && /\/protokoll$/.test(url)) {
            for (const [, action] of body.matchAll(/<option value="([a-z_.]+)"/g)) queue.push(`${url}?aktion=${action}`);
            const today = new Date().toISOString().slice(0, 10);
            queue.push(`${url}?von=${today}&bis=${today}`);
          }
        }
      }
    }
    return { failures, read };
  }

  it("keeps every marker and rating of a draft away from every outsider's page, export and log", async () => {
    const { failures, read } = await sweep();
    expect(read).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  }, 300_000);

  it("keeps who did what and when in the ministry's logs, without the content", async () => {
    const network = text(await (await people.admin.get(`/netzwerke/${ids.networkSlug}/protokoll`)).text());
    expect(network).toContain("Selbsteinschätzung: Ziel bearbeitet");
    expect(network).toContain("Selbsteinschätzung: Maßnahme bewertet");
    expect(network).toContain("Hanna Leitung");
    expect(network).toMatch(/Geänderte Felder\s*:[^\n]*Kommentar/);
    const office = text(await (await people.admin.get(`/behoerden/${ids.office}/protokoll`)).text());
    expect(office).toContain("Selbsteinschätzung: eigene Bewertung gespeichert");
    expect(office).toContain("Sami Team");
  });

  it("shows the content to the office itself, but nobody's own earlier drafts (so the sweep can fail)", async () => {
    const log = await (await people.head.get(`/behoerden/${ids.office}/protokoll`)).text();
    expect(log).toContain(marker("goal-comment"));
    expect(log).toContain(marker("goal-comment-draft"));
    expect(log).toContain(marker("head-override-reason"));
    // A team member's own rating and reasons are kept nowhere in the log, not even for the head.
    expect(log).not.toContain(marker("staff-own-reasons-draft"));
    expect(log).not.toContain(marker("staff-own-reasons"));
    const phases = await (await people.head.get(`/behoerden/${ids.office}/plan/phasen`)).text();
    for (const field of ["phase-task-note", "review-answer", "review-notes", "consolidation-results", "consolidation-notes"])
      expect(phases, field).toContain(marker(field));
    expect(log).toContain(marker("review-notes"));
    // The plan's free text is stored and shown to the office (its measure and activity pages, its log).
    const planMeasure = await (await people.head.get(`/behoerden/${ids.office}/plan/massnahmen/${ids.planMeasure}`)).text();
    for (const m of ["plan-own-title", "plan-intended-result", "activity-title", "milestone-title", "sachstand"])
      expect(planMeasure).toContain(marker(m));
    const planActivity = await (await people.head.get(`/behoerden/${ids.office}/plan/aktivitaeten/${ids.activity}`)).text();
    for (const m of ["activity-responsible", "activity-participants", "activity-resources", "activity-remarks", "sachstand"])
      expect(planActivity).toContain(marker(m));
    expect(log).toContain(marker("plan-own-title"));
    // The plan's attachment: its name on the list, its bytes in the download – for the office.
    const attachments = await (await people.staff.get(`/behoerden/${ids.office}/plan/anlagen`)).text();
    expect(attachments).toContain(marker("attachment-name"));
    const download = await people.head.get(`/behoerden/${ids.office}/plan/anlagen/${ids.attachment}`);
    expect(download.status).toBe(200);
    expect(await download.text()).toContain(marker("attachment-content"));
    const goal = await (await people.head.get(`${page()}/ziele/2`)).text();
    expect(goal).toContain(marker("staff-comment"));
    // Every export format is read for real: the office's own files show its markers.
    for (const format of ["csv", "xlsx", "pdf"]) {
      const file = await readable(await people.head.get(`${page()}/export/${format}`));
      expect(file, format).toContain(marker("goal-comment"));
      expect(file, format).toContain(marker("head-override-reason"));
    }
    // The Gesamtkonzept and the workshop notes are there for the office, in the page and both files.
    const strategy = await (await people.staff.get(`/behoerden/${ids.office}/plan/gesamtkonzept`)).text();
    expect(strategy).toContain(marker("strategy-idea"));
    expect(strategy).toContain(marker("strategy-goal"));
    for (const format of ["docx", "pdf"]) {
      const file = await readable(await people.head.get(`/behoerden/${ids.office}/plan/gesamtkonzept/${format}`));
      expect(file, format).toContain(marker("strategy-idea"));
      expect(file, format).toContain(marker("strategy-successes"));
    }
    expect(await (await people.head.get(`${page()}/workshop`)).text()).toContain(marker("workshop-note"));
    // The plan's files, too (what the sweep proves no outsider gets).
    for (const format of ["csv", "xlsx", "pdf"]) {
      const file = await readable(await people.head.get(`/behoerden/${ids.office}/plan/export/${format}`));
      for (const field of ["plan-measure", "plan-result", "plan-activity", "plan-remarks", "plan-state"])
        expect(file, `${format} ${field}`).toContain(marker(field));
    }
    // The database itself holds nothing of an own rating in the log.
    const rows = await app.db.prisma.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM audit_event e LEFT JOIN audit_content c ON c.event_id = e.id
      WHERE e.details::text LIKE '%qxmrk-%' OR c.details::text LIKE '%own-reasons%'`;
    expect(rows[0].n).toBe(0);
  });

  it("still shows nothing to outsiders after the head submitted (submitted is not released)", async () => {
    const res = await people.head.post(`${page()}/abgeben`, { intent: "submit", confirmGaps: "yes" });
    expect([200, 302, 303]).toContain(res.status);
    expect((await app.db.prisma.assessment.findFirstOrThrow({ where: { officeId: ids.office } })).submittedAt).not.toBeNull();
    const { failures } = await sweep();
    expect(failures).toEqual([]);
  }, 300_000);

  it("after the head released the results: the ministry sees the final joint content, never drafts or own ratings", async () => {
    const res = await people.head.post(`/behoerden/${ids.office}/freigabe`, { intent: "grant", roundId: ids.round });
    expect([200, 303]).toContain(res.status);
    // The release really shows the ministry the office's results (so the check below can fail) …
    const shared = await (
      await people.admin.get(`/netzwerke/${ids.networkSlug}/runden/${ids.round}/behoerden/${ids.office}`)
    ).text();
    expect(shared).toContain(marker("goal-comment"));
    // … and nothing else: no earlier draft, no one's own rating or reasons, no old → new value,
    // and to everyone but the ministry still nothing at all.
    const { failures } = await sweep((who) =>
      who === "admin" ? ALL_MARKERS.filter((m) => !SHOWN_WHEN_RELEASED.has(m)) : ALL_MARKERS,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
