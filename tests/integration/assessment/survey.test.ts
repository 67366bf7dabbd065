/**
 * The anonymous staff survey (issue #4, items 6 and 7): a head starts it, staff answer
 * with one-time codes and no account, results appear only from the network's threshold
 * k on, and nothing about an answer leads back to a person – proven through the real
 * pages and through SQL as the portal's own role.
 */
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pg from "pg";
import { pino } from "pino";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { hashToken } from "~/platform/auth/tokens.server";
import { findLinks } from "~/platform/email/links";
import { toCalendarDay } from "~/utils/calendar-day";
import { createApp } from "../../../server/app";
import { sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "umfrage-passwort-fuer-tests";
const CODE = /\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b/g;

describe("anonymous staff survey", () => {
  const app = useApp();
  const ids = {} as {
    a: string;
    b: string;
    d: string;
    network: string;
    round: string;
    upcoming: string;
    headA: string;
    headB: string;
    headD: string;
    staffA: string;
    outsider: string;
  };
  const cookies = {} as Record<"headA" | "staffA" | "headB" | "headD" | "outsider", string>;
  let keys: string[] = [];
  let k = 0;
  /** Office A's staff members (staff-a first); all but the last get a personal code at the start. */
  let staffOfA: Array<{ id: string; email: string }> = [];
  /** The personal codes e-mailed to office A's staff, in the order of staffOfA. */
  let mailedA: string[] = [];
  /** Printed codes of office A, shown to its head. */
  let printedA: string[] = [];

  const day = (days: number) => toCalendarDay(new Date(Date.now() + days * 86_400_000));
  const page = (office: string, round = ids.round) => `/behoerden/${office}/runden/${round}/umfrage`;
  const get = (path: string, cookie?: string) =>
    fetch(app.baseUrl + path, { redirect: "manual", headers: cookie ? { cookie } : {} });
  const post = (path: string, body: Record<string, string> | URLSearchParams, cookie?: string) =>
    fetch(app.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: {
        ...(cookie ? { cookie } : {}),
        "Content-Type": "application/x-www-form-urlencoded",
        "Sec-Fetch-Site": "same-origin",
      },
      body: body instanceof URLSearchParams ? body : new URLSearchParams(body),
    });
  /** A form with repeated "staff" checkboxes. */
  const form = (fields: Record<string, string>, staff: string[] = []) => {
    const body = new URLSearchParams(fields);
    for (const id of staff) body.append("staff", id);
    return body;
  };
  /** A complete answer: every statement "sehr wichtig" (4) unless given otherwise; optionally from a signed-in browser. */
  const answer = (code: string, over: Record<string, string> = {}, cookie?: string) =>
    post(`/umfrage/${code}`, Object.fromEntries(keys.map((key) => [`a.${key}`, over[key] ?? "4"])), cookie);
  const responses = (surveyId: string) => app.db.prisma.surveyResponse.count({ where: { surveyId } });
  const surveyOf = (officeId: string, roundId = ids.round) =>
    app.db.prisma.survey.findFirstOrThrow({ where: { assessment: { officeId, roundId } }, select: { id: true } });
  /**
   * The personal code in the survey e-mail to `email`: the path of its link, as the recipient
   * reads it (here from the outbox row, which the test app's missing worker leaves undelivered).
   */
  const mailedCode = async (email: string) => {
    const mails = await app.db.prisma.emailMessage.findMany({ where: { to: email, template: "survey-invitation" } });
    expect(mails).toHaveLength(1);
    const links = findLinks(mails[0].text).filter((l) => l.includes("/umfrage/"));
    expect(links).toHaveLength(1);
    const code = new URL(links[0]).pathname.replace("/umfrage/", "");
    expect(code).toMatch(CODE);
    return code;
  };

  /** SQL as abh_app (the portal's role, row-level security applies), as the given person. */
  async function asApp<T>(userId: string | null, work: (client: pg.Client) => Promise<T>) {
    const client = new pg.Client({ connectionString: app.db.appUrl });
    await client.connect();
    try {
      await client.query("BEGIN");
      if (userId) await client.query("SELECT set_config('app.user_id', $1, true)", [userId]);
      return await work(client);
    } finally {
      await client.query("ROLLBACK").catch(() => {});
      await client.end();
    }
  }

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "umfrage", name: "Netz Umfrage", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "fremd", name: "Fremdes Netz", state: "HE", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const d = await p.office.create({ data: { networkId: network.id, slug: "d", name: "ABH Delta", kind: "LANDKREIS" } });
    const c = await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (
      email: string,
      networkId: string,
      officeId: string | null,
      role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN",
    ) => {
      const u = await p.user.create({ data: { email, name: email, passwordHash } });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      return u.id;
    };
    ids.headA = await person("head-a@umfrage.example", network.id, a.id, "OFFICE_HEAD");
    ids.staffA = await person("staff-a@umfrage.example", network.id, a.id, "OFFICE_STAFF");
    ids.headB = await person("head-b@umfrage.example", network.id, b.id, "OFFICE_HEAD");
    ids.headD = await person("head-d@umfrage.example", network.id, d.id, "OFFICE_HEAD");
    ids.outsider = await person("head-c@umfrage.example", other.id, c.id, "OFFICE_HEAD");
    k = network.surveyThreshold;
    staffOfA = [{ id: ids.staffA, email: "staff-a@umfrage.example" }];
    for (let i = 1; i <= k + 1; i++) {
      const email = `kollegin-${i}@umfrage.example`;
      staffOfA.push({ id: await person(email, network.id, a.id, "OFFICE_STAFF"), email });
    }
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(Date.now() - 86_400_000),
        deadline: new Date(Date.now() + 60 * 86_400_000),
        createdById: ids.headA,
      },
    });
    const upcoming = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "2027",
        opensAt: new Date(Date.now() + 30 * 86_400_000),
        deadline: new Date(Date.now() + 90 * 86_400_000),
        createdById: ids.headA,
      },
    });
    for (const r of [round, upcoming]) {
      await p.roundParticipant.createMany({
        data: [
          { roundId: r.id, officeId: a.id },
          { roundId: r.id, officeId: b.id },
          { roundId: r.id, officeId: d.id },
        ],
      });
      await p.assessment.createMany({
        data: [
          { roundId: r.id, officeId: a.id },
          { roundId: r.id, officeId: b.id },
          { roundId: r.id, officeId: d.id },
        ],
      });
    }
    // Office A's own consensus on goal 1 (the goal of work field "1"): level 2.
    const assessmentA = await p.assessment.findFirstOrThrow({ where: { roundId: round.id, officeId: a.id } });
    const goal1 = await p.goal.findFirstOrThrow({ where: { frameworkVersionId: version.id, number: 1 } });
    await p.goalAssessment.create({ data: { assessmentId: assessmentA.id, goalId: goal1.id, rating: 2 } });
    keys = (
      await p.workField.findMany({
        where: { frameworkVersionId: version.id },
        orderBy: { position: "asc" },
        select: { code: true },
      })
    ).map((w) => w.code);
    Object.assign(ids, { a: a.id, b: b.id, d: d.id, network: network.id, round: round.id, upcoming: upcoming.id });
    cookies.headA = await sessionCookie(app.baseUrl, "head-a@umfrage.example", PASSWORD);
    cookies.staffA = await sessionCookie(app.baseUrl, "staff-a@umfrage.example", PASSWORD);
    cookies.headB = await sessionCookie(app.baseUrl, "head-b@umfrage.example", PASSWORD);
    cookies.headD = await sessionCookie(app.baseUrl, "head-d@umfrage.example", PASSWORD);
    cookies.outsider = await sessionCookie(app.baseUrl, "head-c@umfrage.example", PASSWORD);
  });

  it("asks one question per work field of the framework, with the demo default k = 5", () => {
    expect(keys).toHaveLength(18);
    expect(k).toBe(5);
  });

  it("lets only the office's head open the page: staff 403, other offices and networks 404, anonymous to sign-in", async () => {
    expect((await get(page(ids.a), cookies.headA)).status).toBe(200);
    expect((await get(page(ids.a), cookies.staffA)).status).toBe(403);
    expect((await post(page(ids.a), form({ intent: "start", closesOn: day(10), codes: "5" }), cookies.staffA)).status).toBe(403);
    expect((await get(page(ids.a), cookies.headB)).status).toBe(404);
    expect((await get(page(ids.a), cookies.outsider)).status).toBe(404);
    const anonymous = await get(page(ids.a));
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/anmelden/);
    expect(await app.db.prisma.survey.count()).toBe(0);
  });

  it("offers the office's staff for personal codes, never its head", async () => {
    const html = await (await get(page(ids.a), cookies.headA)).text();
    for (const s of staffOfA) expect(html).toMatch(new RegExp(`name="staff"[^>]*value="${s.id}"`));
    expect(html).not.toContain(`value="${ids.headA}"`);
    expect(text(html)).toContain("Gedruckte Codes (freiwillig)");
  });

  it("refuses a bad start with 4xx and German messages, keeping the input and saving nothing", async () => {
    const past = await post(page(ids.a), form({ intent: "start", closesOn: day(-1), codes: "12" }), cookies.headA);
    expect(past.status).toBe(400);
    const html = await past.text();
    expect(text(html)).toContain("Das Datum darf nicht in der Vergangenheit liegen.");
    expect(html).toContain('value="12"');
    const many = await post(page(ids.a), form({ intent: "start", closesOn: day(10), codes: "201" }), cookies.headA);
    expect(many.status).toBe(400);
    expect(text(await many.text())).toContain("Bitte geben Sie eine ganze Zahl von 0 bis 200 ein.");
    const nobody = await post(page(ids.a), form({ intent: "start", closesOn: day(10), codes: "" }), cookies.headA);
    expect(nobody.status).toBe(400);
    expect(text(await nobody.text())).toContain(
      "Bitte wählen Sie mindestens eine Person aus oder geben Sie eine Zahl gedruckter Codes an.",
    );
    // A tampered form: an id that is no uuid, and the head himself as "staff" (he sees the results).
    for (const staff of [["abc"], [ids.staffA, ids.headA], [ids.headB]]) {
      const bad = await post(page(ids.a), form({ intent: "start", closesOn: day(10), codes: "" }, staff), cookies.headA);
      expect(bad.status).toBe(400);
      expect(text(await bad.text())).toContain("Bitte wählen Sie nur Mitarbeitende Ihrer Behörde aus der Liste.");
    }
    // A round that has not begun: no survey yet.
    const upcoming = await post(
      page(ids.a, ids.upcoming),
      form({ intent: "start", closesOn: day(10), codes: "5" }),
      cookies.headA,
    );
    expect(upcoming.status).toBe(409);
    expect(await app.db.prisma.survey.count()).toBe(0);
    expect(await app.db.prisma.surveyCode.count()).toBe(0);
    expect(await app.db.prisma.surveyInvitee.count()).toBe(0);
    expect(await app.db.prisma.emailMessage.count({ where: { template: "survey-invitation" } })).toBe(0);
  });

  it("starts a survey: each chosen colleague gets a personal code by e-mail that the head never sees; printed codes are shown once", async () => {
    const chosen = staffOfA.slice(0, -1);
    const res = await post(
      page(ids.a),
      form(
        { intent: "start", closesOn: day(14), codes: "2" },
        chosen.map((s) => s.id),
      ),
      cookies.headA,
    );
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toContain(`Die Befragung ist gestartet. ${chosen.length} persönliche Codes sind per E-Mail unterwegs.`);
    printedA = [...new Set(html.match(CODE))];
    expect(printedA).toHaveLength(2);
    expect(text(html)).toContain("nur dieses eine Mal angezeigt");
    expect(html).toMatch(/<svg[^>]*viewBox/);

    mailedA = [];
    for (const s of chosen) mailedA.push(await mailedCode(s.email));
    expect(new Set([...mailedA, ...printedA]).size).toBe(chosen.length + 2);
    // The head's answer page shows none of the personal codes.
    for (const code of mailedA) expect(html).not.toContain(code);
    const mail = await app.db.prisma.emailMessage.findFirstOrThrow({ where: { to: chosen[0].email } });
    expect(mail.subject).toBe("Anonyme Mitarbeitendenbefragung – ABH Alpha");
    expect(mail.text).toContain(`/umfrage/${mailedA[0]}`);
    expect(mail.text).toContain("Ihre Behördenleitung kennt ihn nicht");
    // Nobody else got an e-mail: not the head, not the colleague left out.
    expect(await app.db.prisma.emailMessage.count({ where: { template: "survey-invitation" } })).toBe(chosen.length);

    const survey = await surveyOf(ids.a);
    const stored = await app.db.prisma.surveyCode.findMany({ where: { surveyId: survey.id } });
    expect(stored).toHaveLength(chosen.length + 2);
    expect(stored.filter((c) => c.counts)).toHaveLength(chosen.length);
    const storedText = JSON.stringify(stored);
    for (const code of [...mailedA, ...printedA]) expect(storedText).not.toContain(code.replace(/-/g, ""));
    const invitees = await app.db.prisma.surveyInvitee.findMany({ where: { surveyId: survey.id } });
    expect(invitees.map((i) => i.userId).sort()).toEqual(chosen.map((s) => s.id).sort());
    // Never again: the page no longer shows any code, nor does the audit entry.
    const again = await (await get(page(ids.a), cookies.headA)).text();
    expect(again.match(CODE)).toBeNull();
    expect(text(again)).toContain(`Persönliche Codes verschickt: ${k + 1} (Mindestzahl ${k}).`);
    const audit = await app.db.prisma.auditEvent.findFirstOrThrow({ where: { action: "survey.started", targetId: survey.id } });
    expect(audit.details).toMatchObject({ codes: 2, invited: chosen.length });
    expect(JSON.stringify(audit.details).match(CODE)).toBeNull();
    // A second start for the same round is refused.
    expect((await post(page(ids.a), form({ intent: "start", closesOn: day(14), codes: "3" }), cookies.headA)).status).toBe(409);
  });

  it("shows the answer form to anyone with a code, without an account; refuses bad input with 400 and keeps it", async () => {
    const code = mailedA[0];
    const formPage = await get(`/umfrage/${code.toLowerCase()}`);
    expect(formPage.status).toBe(200);
    const html = await formPage.text();
    expect(text(html)).toContain("ABH Alpha");
    expect(text(html)).toContain("kann ich nicht beurteilen");
    expect(html.match(/<fieldset/g)).toHaveLength(keys.length);

    const empty = await post(`/umfrage/${code}`, {});
    expect(empty.status).toBe(400);
    expect(text(await empty.text())).toContain("Bitte beantworten Sie mindestens eine Frage.");
    const wrong = await post(`/umfrage/${code}`, { [`a.${keys[0]}`]: "7", [`a.${keys[1]}`]: "3" });
    expect(wrong.status).toBe(400);
    const wrongHtml = await wrong.text();
    expect(text(wrongHtml)).toContain("Bitte wählen Sie eine der angebotenen Antworten.");
    expect(wrongHtml).toMatch(new RegExp(`name="a\\.${keys[1]}" checked="" value="3"`));
    expect(await responses((await surveyOf(ids.a)).id)).toBe(0);
  });

  it("with k−1 answers from personal codes shows no distribution but how many are still needed, and the SQL function returns nothing", async () => {
    const survey = await surveyOf(ids.a);
    // Colleagues 1 … k−1 (not staff-a, who answers later while signed in).
    for (const code of mailedA.slice(1, k)) {
      const res = await answer(code, { [keys[1]]: "na", [keys[2]]: "1" });
      expect(res.status).toBe(200);
      expect(text(await res.text())).toContain("Vielen Dank!");
    }
    expect(await responses(survey.id)).toBe(k - 1);
    const html = text(await (await get(page(ids.a), cookies.headA)).text());
    expect(html).toContain(`${k - 1} Antworten bei ${k + 3} ausgegebenen Codes.`);
    expect(html).toContain(`${k - 1} davon mit persönlichem Code`);
    expect(html).toContain("noch 1 Antwort nötig");
    expect(html).not.toContain("Ergebnis aus");

    await asApp(ids.headA, async (db) => {
      expect((await db.query("SELECT * FROM survey_results($1)", [survey.id])).rows).toEqual([]);
      expect((await db.query("SELECT survey_response_count($1) AS n, survey_counted_count($1) AS c", [survey.id])).rows).toEqual([
        { n: k - 1, c: k - 1 },
      ]);
    });
  });

  it("does not count a personal code answered from a browser signed in as the office's head, nor a printed code", async () => {
    const survey = await surveyOf(ids.a);
    // The head gets hold of a colleague's code (k-th colleague) and answers it himself while signed in.
    const fromHead = await answer(mailedA[k], { [keys[2]]: "3" }, cookies.headA);
    expect(fromHead.status).toBe(200);
    expect(fromHead.headers.getSetCookie().filter((c) => c.includes("abh_session"))).toEqual([]);
    // And answers one of his printed codes, without signing in.
    expect((await answer(printedA[0], { [keys[2]]: "3" })).status).toBe(200);
    expect(await responses(survey.id)).toBe(k + 1);
    const html = text(await (await get(page(ids.a), cookies.headA)).text());
    expect(html).toContain(`${k + 1} Antworten bei`);
    expect(html).toContain(`${k - 1} davon mit persönlichem Code`);
    expect(html).toContain("noch 1 Antwort nötig");
    expect(await app.db.prisma.surveyCode.count({ where: { surveyId: survey.id, used: true, counts: true } })).toBe(k - 1);
  });

  it("takes one answer per code: a second one is refused with 409 and changes nothing", async () => {
    const survey = await surveyOf(ids.a);
    const before = await responses(survey.id);
    const again = await answer(mailedA[1], { [keys[0]]: "1" });
    expect(again.status).toBe(409);
    expect(text(await again.text())).toContain("Mit diesem Code wurde schon geantwortet");
    expect((await get(`/umfrage/${mailedA[1]}`)).status).toBe(409);
    expect(await responses(survey.id)).toBe(before);
  });

  it("answers an unknown code with a German 404 page and a malformed one with 400; a typed code leads to its form", async () => {
    const unknown = await get("/umfrage/ABCD-EFGH-JKLM");
    expect(unknown.status).toBe(404);
    expect(text(await unknown.text())).toContain("Zu diesem Code gibt es keine Befragung.");
    expect((await post("/umfrage/ABCD-EFGH-JKLM", { [`a.${keys[0]}`]: "4" })).status).toBe(404);
    const malformed = await get("/umfrage?code=hallo");
    expect(malformed.status).toBe(400);
    expect(text(await malformed.text())).toContain("Das ist kein gültiger Code.");
    const typed = await get(`/umfrage?code=${encodeURIComponent(` ${printedA[1].replace(/-/g, " ").toLowerCase()} `)}`);
    expect(typed.status).toBe(302);
    expect(typed.headers.get("location")).toBe(`/umfrage/${printedA[1]}`);
    expect((await get("/umfrage")).status).toBe(200);
  });

  it("invites a colleague who joined later by e-mail; refuses the head and repeated invitations", async () => {
    const late = staffOfA[staffOfA.length - 1];
    const head = await post(page(ids.a), form({ intent: "invite" }, [ids.headA]), cookies.headA);
    expect(head.status).toBe(400);
    expect(text(await head.text())).toContain("Bitte wählen Sie nur Mitarbeitende Ihrer Behörde aus der Liste.");
    const none = await post(page(ids.a), form({ intent: "invite" }), cookies.headA);
    expect(none.status).toBe(400);
    expect(text(await none.text())).toContain("Bitte wählen Sie mindestens eine Person aus.");

    const res = await post(page(ids.a), form({ intent: "invite" }, [late.id]), cookies.headA);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toContain("1 weiterer persönlicher Code ist per E-Mail unterwegs.");
    expect(html.match(CODE)).toBeNull();
    const code = await mailedCode(late.email);
    expect((await get(`/umfrage/${code}`)).status).toBe(200);
    // Asking again sends nothing: one personal code per person and survey.
    const again = await post(page(ids.a), form({ intent: "invite" }, [late.id, staffOfA[0].id]), cookies.headA);
    expect(again.status).toBe(200);
    expect(await app.db.prisma.emailMessage.count({ where: { template: "survey-invitation" } })).toBe(staffOfA.length);
    expect(text(await (await get(page(ids.a), cookies.headA)).text())).toContain(
      "Alle Mitarbeitenden mit Konto haben einen persönlichen Code.",
    );
  });

  it("adds more printed codes to a running survey, shown once and not counting", async () => {
    const res = await post(page(ids.a), { intent: "addCodes", codes: "2" }, cookies.headA);
    expect(res.status).toBe(200);
    const added = [...new Set((await res.text()).match(CODE))];
    expect(added).toHaveLength(2);
    const surveyId = (await surveyOf(ids.a)).id;
    expect(await app.db.prisma.surveyCode.count({ where: { surveyId } })).toBe(staffOfA.length + 4);
    // Every personal code counts – but the one the head answered himself.
    expect(await app.db.prisma.surveyCode.count({ where: { surveyId, counts: true } })).toBe(staffOfA.length - 1);
    expect((await get(`/umfrage/${added[0]}`)).status).toBe(200);
  });

  it("keeps nothing in an answer or code row that identifies a person or a time", async () => {
    const columns = async (table: string) =>
      (
        await app.db.prisma.$queryRaw<Array<{ column_name: string; data_type: string }>>`
        SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ${table} ORDER BY column_name`
      ).map((c) => `${c.column_name}:${c.data_type}`);
    expect(await columns("survey_response")).toEqual(["answers:jsonb", "id:uuid", "survey_id:uuid"]);
    expect(await columns("survey_code")).toEqual(["code_hash:text", "counts:boolean", "survey_id:uuid", "used:boolean"]);
    // Who got a personal code, not which one: no code, no time.
    expect(await columns("survey_invitee")).toEqual(["survey_id:uuid", "user_id:uuid"]);
    // The only reference out of an answer is to its survey (not to a code or a person).
    const references = await app.db.prisma.$queryRaw<Array<{ target: string }>>`
      SELECT confrelid::regclass::text AS target FROM pg_constraint WHERE conrelid = 'survey_response'::regclass AND contype = 'f'`;
    expect(references).toEqual([{ target: "survey" }]);
    const codeReferences = await app.db.prisma.$queryRaw<Array<{ target: string }>>`
      SELECT confrelid::regclass::text AS target FROM pg_constraint WHERE conrelid = 'survey_code'::regclass AND contype = 'f'`;
    expect(codeReferences).toEqual([{ target: "survey" }]);
    // The answers hold the statements' values and nothing else.
    const stored = await app.db.prisma.surveyResponse.findMany({ where: { surveyId: (await surveyOf(ids.a)).id } });
    for (const row of stored) {
      expect(Object.keys(row.answers as object).sort()).toEqual([...keys].sort());
      expect(Object.values(row.answers as object).every((v) => v === null || [1, 2, 3, 4].includes(v as number))).toBe(true);
    }
  });

  it("gives the portal's role no way to read answer or code rows directly, nor to make a code count", async () => {
    const survey = await surveyOf(ids.a);
    for (const sql of [
      "SELECT * FROM survey_response",
      "SELECT count(*) FROM survey_response",
      "SELECT * FROM survey_code",
      "INSERT INTO survey_response (survey_id, answers) VALUES ($1, '{}')",
      "UPDATE survey_code SET used = false WHERE survey_id = $1",
      "UPDATE survey_code SET counts = true WHERE survey_id = $1",
      "INSERT INTO survey_invitee (survey_id, user_id) VALUES ($1, gen_random_uuid())",
    ]) {
      await asApp(ids.headA, async (db) => {
        await expect(db.query(sql, sql.includes("$1") ? [survey.id] : [])).rejects.toThrow(/permission denied/);
      });
    }
    // A code inserted by the portal never counts; a counting one comes only from survey_invite_member.
    await asApp(ids.headA, async (db) => {
      await expect(
        db.query("INSERT INTO survey_code (code_hash, survey_id, counts) VALUES ('x', $1, true)", [survey.id]),
      ).rejects.toThrow(/row-level security/);
    });
    await asApp(ids.headA, async (db) =>
      expect((await db.query("SELECT survey_invite_member($1, $2, 'y') AS r", [survey.id, ids.headA])).rows).toEqual([
        { r: "not_staff" },
      ]),
    );
    await asApp(ids.headB, async (db) => {
      await expect(db.query("SELECT survey_invite_member($1, $2, 'z')", [survey.id, ids.staffA])).rejects.toThrow(/not a head/);
    });
  });

  it("accepts an answer in SQL only through survey_submit, for a known code and with exactly the statements' values", async () => {
    const asCode = <T>(code: string, work: (db: pg.Client) => Promise<T>) =>
      asApp(null, async (db) => {
        await db.query("SELECT set_config('app.survey_code_hash', $1, true)", [hashToken(code.replace(/-/g, ""))]);
        return work(db);
      });
    const fresh = mailedA[0];
    const full = JSON.stringify(Object.fromEntries(keys.map((key) => [key, 3])));
    for (const bad of [
      JSON.stringify({ [keys[0]]: 3 }),
      JSON.stringify({ ...JSON.parse(full), extra: 1 }),
      JSON.stringify({ ...JSON.parse(full), [keys[0]]: 5 }),
      "[]",
    ]) {
      await asCode(fresh, async (db) => {
        await expect(db.query("SELECT survey_submit($1::jsonb, false)", [bad])).rejects.toThrow(/do not match the statements/);
      });
    }
    await asCode("ZZZZ-ZZZZ-ZZZZ", async (db) =>
      expect((await db.query("SELECT survey_submit($1::jsonb, false) AS r", [full])).rows).toEqual([{ r: "unknown" }]),
    );
    await asCode(mailedA[1], async (db) =>
      expect((await db.query("SELECT survey_submit($1::jsonb, false) AS r", [full])).rows).toEqual([{ r: "used" }]),
    );
    // A valid one works (and is rolled back by asApp); from a head it stops counting.
    await asCode(fresh, async (db) => {
      expect((await db.query("SELECT survey_submit($1::jsonb, true) AS r", [full])).rows).toEqual([{ r: "ok" }]);
      await db.query("SELECT set_config('app.user_id', $1, true)", [ids.headA]);
      expect((await db.query("SELECT survey_counted_count($1) AS c", [(await surveyOf(ids.a)).id])).rows).toEqual([{ c: k - 1 }]);
    });
    expect(
      await app.db.prisma.surveyCode.count({ where: { used: true, counts: true, surveyId: (await surveyOf(ids.a)).id } }),
    ).toBe(k - 1);
  });

  it("with k answers from personal codes shows the distribution beside the office's own rating, once the head has ended the survey", async () => {
    const survey = await surveyOf(ids.a);
    // staff-a answers with the own code while signed in (as staff: it counts).
    expect((await answer(mailedA[0], { [keys[1]]: "na", [keys[2]]: "2" }, cookies.staffA)).status).toBe(200);
    const answers = k + 2;
    expect(await responses(survey.id)).toBe(answers);
    // While it runs, nothing: results growing answer by answer would reveal the latest answer.
    const running = text(await (await get(page(ids.a), cookies.headA)).text());
    expect(running).toContain("Die Ergebnisse erscheinen nach dem Ende der Befragung am");
    expect(running).not.toContain("Ergebnis aus");
    await asApp(ids.headA, async (db) =>
      expect((await db.query("SELECT * FROM survey_results($1)", [survey.id])).rows).toEqual([]),
    );
    expect((await post(page(ids.a), { intent: "close" }, cookies.headA)).status).toBe(200);
    const raw = await (await get(page(ids.a), cookies.headA)).text();
    const html = text(raw);
    expect(html).toContain(`Ergebnis aus ${answers} Antworten`);
    expect(html).not.toContain("nötig");
    expect(raw).toContain("<caption>");
    // Work field 1: all "sehr wichtig"; beside it the office's consensus on goal 1.
    const row1 = text(/<tr><th scope="row">1 <span[\s\S]*?<\/tr>/.exec(raw)![0]);
    expect(row1).toContain(`${answers} (100 %)`);
    expect(row1).toContain("Stufe 2 von 5: Erste Ansätze");
    // The third statement: k−1 "unwichtig", one "eher unwichtig", two "eher wichtig" (head and printed code).
    const row3 = text(new RegExp(`<tr><th scope="row">${keys[2]} <span[\\s\\S]*?</tr>`).exec(raw)![0]);
    expect(row3).toContain(`${k - 1} (57 %)`);
    expect(row3).toContain("1 (14 %)");
    expect(row3).toContain("2 (29 %)");

    await asApp(ids.headA, async (db) => {
      const rows = (await db.query("SELECT statement, answer, responses FROM survey_results($1)", [survey.id])).rows;
      expect(rows).toEqual(
        expect.arrayContaining([
          { statement: keys[2], answer: 1, responses: k - 1 },
          { statement: keys[2], answer: 2, responses: 1 },
          { statement: keys[2], answer: 3, responses: 2 },
        ]),
      );
      expect(rows.reduce((sum, r) => sum + r.responses, 0)).toBe(answers * keys.length);
    });
    // Staff of the office may read the counts too (the function allows members).
    await asApp(ids.staffA, async (db) =>
      expect((await db.query("SELECT survey_response_count($1) AS n", [survey.id])).rows).toEqual([{ n: answers }]),
    );
  });

  it("does not let anyone reopen an ended survey or move an end date later – in the database, as the portal's role", async () => {
    const survey = await surveyOf(ids.a);
    const { closesAt } = await app.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } });
    expect(closesAt.getTime()).toBeLessThanOrEqual(Date.now());
    // As the head, through the portal's role: the ended survey is out of reach of survey_update.
    await asApp(ids.headA, async (db) => {
      const reopened = await db.query("UPDATE survey SET closes_at = now() + interval '7 days' WHERE id = $1", [survey.id]);
      expect(reopened.rowCount).toBe(0);
    });
    // Even the tables' owner is stopped by the trigger.
    await expect(
      app.db.prisma.survey.update({ where: { id: survey.id }, data: { closesAt: new Date(Date.now() + 86_400_000) } }),
    ).rejects.toThrow(/cannot be reopened/);
    expect((await app.db.prisma.survey.findUniqueOrThrow({ where: { id: survey.id } })).closesAt).toEqual(closesAt);
    // The page offers no way back and takes no more answers.
    expect((await post(page(ids.a), { intent: "close" }, cookies.headA)).status).toBe(409);
    expect((await answer(printedA[1])).status).toBe(410);

    // A running survey (office B's): its end may come earlier, never later.
    const started = await post(page(ids.b), form({ intent: "start", closesOn: day(7), codes: "3" }), cookies.headB);
    expect(started.status).toBe(200);
    const b = await surveyOf(ids.b);
    await asApp(ids.headB, async (db) => {
      await expect(
        db.query("UPDATE survey SET closes_at = closes_at + interval '30 days' WHERE id = $1", [b.id]),
      ).rejects.toThrow(/can only be brought forward/);
    });
    await asApp(ids.headB, async (db) => {
      const earlier = await db.query("UPDATE survey SET closes_at = closes_at - interval '1 day' WHERE id = $1", [b.id]);
      expect(earlier.rowCount).toBe(1);
    });
  });

  it("a head who holds k codes, answers k − 1 of them and ends the survey early does not get the last person's answers", async () => {
    // The attack of issue #19 item 8: every code the head can see (printed) is his.
    const started = await post(page(ids.d), form({ intent: "start", closesOn: day(14), codes: String(k) }), cookies.headD);
    expect(started.status).toBe(200);
    const codes = [...new Set((await started.text()).match(CODE))];
    expect(codes).toHaveLength(k);
    const survey = await surveyOf(ids.d);
    // The head answers k − 1 codes from a private window (no session) …
    for (const code of codes.slice(0, k - 1)) expect((await answer(code, { [keys[0]]: "1" })).status).toBe(200);
    // … hands the last one to a colleague, who answers …
    expect((await answer(codes[k - 1], { [keys[0]]: "3" })).status).toBe(200);
    expect(await responses(survey.id)).toBe(k);
    // … and ends the survey at once.
    expect((await post(page(ids.d), { intent: "close" }, cookies.headD)).status).toBe(200);
    const html = text(await (await get(page(ids.d), cookies.headD)).text());
    expect(html).not.toContain("Ergebnis aus");
    expect(html).toContain(`Es haben weniger als ${k} Mitarbeitende mit persönlichem Code geantwortet.`);
    await asApp(ids.headD, async (db) =>
      expect((await db.query("SELECT * FROM survey_results($1)", [survey.id])).rows).toEqual([]),
    );
  });

  it("after the end date answers 410 with a German message and stores nothing", async () => {
    const started = await post(page(ids.b), form({ intent: "addCodes", codes: "2" }), cookies.headB);
    expect(started.status).toBe(200);
    const [first, second] = [...new Set((await started.text()).match(CODE))];
    const survey = await surveyOf(ids.b);
    expect((await answer(first)).status).toBe(200);
    // The head ends it early; then the end date has passed for everyone.
    expect((await post(page(ids.b), { intent: "close" }, cookies.headB)).status).toBe(200);
    const late = await answer(second);
    expect(late.status).toBe(410);
    expect(text(await late.text())).toContain("Antworten sind nicht mehr möglich; es wurde nichts gespeichert.");
    expect((await get(`/umfrage/${second}`)).status).toBe(410);
    expect(await responses(survey.id)).toBe(1);
    expect(text(await (await get(page(ids.b), cookies.headB)).text())).toContain(
      "Es haben weniger als 5 Mitarbeitende mit persönlichem Code geantwortet.",
    );
    expect(await app.db.prisma.surveyCode.count({ where: { surveyId: survey.id, used: true } })).toBe(1);
    // No more codes or invitations for a finished survey.
    expect((await post(page(ids.b), { intent: "addCodes", codes: "2" }, cookies.headB)).status).toBe(409);
    expect((await post(page(ids.b), form({ intent: "invite" }, [ids.staffA]), cookies.headB)).status).toBe(409);
  });

  it("does not let a head of another office read office A's results or counts through the SQL functions", async () => {
    const survey = await surveyOf(ids.a);
    for (const userId of [ids.headB, ids.outsider, null]) {
      await asApp(userId, async (db) => {
        expect((await db.query("SELECT * FROM survey_results($1)", [survey.id])).rows).toEqual([]);
        expect(
          (
            await db.query("SELECT survey_response_count($1) AS n, survey_code_count($1) AS c, survey_counted_count($1) AS k", [
              survey.id,
            ])
          ).rows,
        ).toEqual([{ n: null, c: null, k: null }]);
        expect((await db.query("SELECT count(*)::int AS n FROM survey WHERE id = $1", [survey.id])).rows).toEqual([{ n: 0 }]);
        expect((await db.query("SELECT count(*)::int AS n FROM survey_invitee WHERE survey_id = $1", [survey.id])).rows).toEqual([
          { n: 0 },
        ]);
      });
    }
    // Nor can a head start a survey or add codes for another office in SQL.
    await asApp(ids.headB, async (db) => {
      const assessmentA = await app.db.prisma.assessment.findFirstOrThrow({ where: { officeId: ids.a, roundId: ids.upcoming } });
      await expect(
        db.query(
          "INSERT INTO survey (id, assessment_id, closes_at, created_by_id) VALUES (gen_random_uuid(), $1, now() + interval '1 day', $2)",
          [assessmentA.id, ids.headB],
        ),
      ).rejects.toThrow(/row-level security/);
    });
    await asApp(ids.headB, async (db) => {
      await expect(db.query("INSERT INTO survey_code (code_hash, survey_id) VALUES ('x', $1)", [survey.id])).rejects.toThrow(
        /row-level security/,
      );
    });
  });

  it("never writes the code, the client's address or user agent into the request log", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const build = (await import(pathToFileURL(path.resolve(import.meta.dirname, "../../../build/index.js")).href)) as ServerBuild;
    const logged = createApp({ build, logger: pino({ level: "info" }, sink), mode: "production" });
    const server = logged.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const code = mailedA[1];
      const headers = { "User-Agent": "Testbrowser/1.0 (Umfrage)" };
      await fetch(`${base}/umfrage/${code}`, { headers });
      await fetch(`${base}/umfrage?code=${code}`, { headers, redirect: "manual" });
      await fetch(`${base}/UMFRAGE/${code.toLowerCase()}`, { headers });
    } finally {
      server.close();
    }
    const log = lines.join("\n");
    expect(log).toContain("/umfrage/…");
    expect(log.toUpperCase()).not.toContain(mailedA[1]);
    expect(log.toUpperCase()).not.toContain(mailedA[1].replace(/-/g, ""));
    expect(log).not.toContain("127.0.0.1");
    expect(log).not.toContain("Testbrowser");
  });

  it("does not touch a signed-in person's session on the survey pages (no refresh to line up with an answer)", async () => {
    const survey = await get("/umfrage", cookies.staffA);
    expect(survey.status).toBe(200);
    expect(survey.headers.getSetCookie().filter((c) => c.includes("abh_session"))).toEqual([]);
    expect(text(await survey.text())).not.toContain("Abmelden");
    // Elsewhere the same cookie signs the person in, so the check above can fail.
    expect(text(await (await get(`/behoerden/${ids.a}`, cookies.staffA)).text())).toContain("Abmelden");
  });
});
