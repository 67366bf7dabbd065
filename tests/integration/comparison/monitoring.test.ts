/**
 * The ministry's monitoring (issue #5, item 6): uptake and participation figures, the
 * one-click reminder, the exports and the printable round summary – and that no single
 * office's ratings or comments reach any of them.
 */
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const DAY = 86_400_000;
const PASSWORD = "monitoring-passwort-fuer-tests";
/** Written into office Alpha's answers in every round; must never appear in any monitoring output. */
const SECRET = "Vertraulich-Kommentar-Q7X";
const ago = (days: number) => new Date(Date.now() - days * DAY);

describe("monitoring: the network admin's uptake dashboard, exports and round summary", () => {
  const app = useApp();
  const ids = {} as Record<"network" | "r2025" | "r2026" | "r2027" | "r2028" | "foreignRound" | "alpha" | "gamma", string>;
  const emails = {} as Record<"gammaHead" | "alphaHead", string>;
  const cookies = {} as Record<"admin" | "head" | "foreignAdmin", string>;
  const base = "/netzwerke/monitoring-netz";

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const goals = new Map((await p.goal.findMany({ where: { frameworkVersionId: version.id } })).map((g) => [g.number, g.id]));
    const network = await p.network.create({
      data: {
        slug: "monitoring-netz",
        name: "Netz Monitoring",
        state: "RP",
        frameworkVersionId: version.id,
        anonymityThreshold: 3,
      },
    });
    const foreign = await p.network.create({
      data: { slug: "anderes-netz", name: "Anderes Netz", state: "HE", frameworkVersionId: version.id },
    });
    const names = ["Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta"];
    const offices: Record<string, string> = {};
    for (const [i, name] of names.entries()) {
      offices[name] = (
        await p.office.create({
          data: {
            networkId: network.id,
            slug: name.toLowerCase(),
            name: `ABH ${name}`,
            kind: i % 2 ? "LANDKREIS" : "KREISFREIE_STADT",
          },
        })
      ).id;
    }
    const foreignOffice = await p.office.create({
      data: { networkId: foreign.id, slug: "x", name: "ABH Fremd", kind: "LANDKREIS" },
    });
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (label: string, totp = false) =>
      p.user.create({
        data: {
          email: `${label}-${randomBytes(3).toString("hex")}@monitoring.example`,
          name: label,
          passwordHash,
          totpEnabledAt: totp ? new Date() : null,
        },
      });

    const admin = await person("admin", true);
    await p.membership.create({ data: { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" } });
    const foreignAdmin = await person("fremd-admin", true);
    await p.membership.create({ data: { userId: foreignAdmin.id, networkId: foreign.id, role: "NETWORK_ADMIN" } });
    const foreignHead = await person("fremd-leitung");
    await p.membership.create({
      data: {
        userId: foreignHead.id,
        networkId: foreign.id,
        officeId: foreignOffice.id,
        role: "OFFICE_HEAD",
        createdAt: ago(300),
      },
    });

    // Heads of Alpha–Zeta (onboarded); Eta has an open invitation; Theta only an expired one.
    const heads: Record<string, { id: string; email: string }> = {};
    for (const name of names.slice(0, 6)) {
      const head = await person(`leitung-${name.toLowerCase()}`);
      // Epsilon's head joined five days ago: an earlier sign-in was not for this office.
      const joined = name === "Epsilon" ? ago(5) : ago(200);
      await p.membership.create({
        data: { userId: head.id, networkId: network.id, officeId: offices[name], role: "OFFICE_HEAD", createdAt: joined },
      });
      heads[name] = head;
    }
    const staffBeta = await person("mitarbeit-beta");
    await p.membership.create({
      data: { userId: staffBeta.id, networkId: network.id, officeId: offices.Beta, role: "OFFICE_STAFF", createdAt: ago(200) },
    });
    for (const [office, expiresAt] of [
      [offices.Eta, new Date(Date.now() + 7 * DAY)],
      [offices.Theta, ago(1)],
    ] as const) {
      await p.invitation.create({
        data: {
          tokenHash: randomBytes(16).toString("hex"),
          email: `einladung-${randomBytes(3).toString("hex")}@monitoring.example`,
          networkId: network.id,
          officeId: office,
          role: "OFFICE_HEAD",
          expiresAt,
        },
      });
    }

    // Sign-ins, as the audit log records them (Zeta's head signs in for real below).
    const signIns: Array<[string, string, Date]> = [
      [heads.Alpha.id, "auth.sign_in", ago(5)], // active 30 and 90
      [heads.Beta.id, "auth.sign_in", ago(120)],
      [staffBeta.id, "auth.sign_in", ago(60)], // Beta: active 90 only, through its staff
      [heads.Gamma.id, "auth.sign_in", ago(120)], // inactive
      [heads.Delta.id, "invitation.accepted", ago(20)], // a first sign-in by accepting the invitation
      [heads.Epsilon.id, "auth.sign_in", ago(10)], // before joining: does not count
      [foreignHead.id, "auth.sign_in", ago(1)],
    ];
    await p.auditEvent.createMany({ data: signIns.map(([actorId, action, createdAt]) => ({ actorId, action, createdAt })) });

    const round = async (networkId: string, name: string, opensAt: Date, deadline: Date) =>
      (
        await p.assessmentRound.create({
          data: { networkId, frameworkVersionId: version.id, name, opensAt, deadline, createdById: admin.id },
        })
      ).id;
    const participate = async (
      roundId: string,
      name: string,
      data: { submittedAt?: Date; lastEditedAt?: Date; goalsDone?: number; deadlineOverride?: Date } = {},
    ) => {
      const { deadlineOverride, ...assessment } = data;
      await p.roundParticipant.create({ data: { roundId, officeId: offices[name], deadlineOverride } });
      return (
        await p.assessment.create({
          data: {
            roundId,
            officeId: offices[name],
            submittedById: assessment.submittedAt ? heads[name]?.id : null,
            ...assessment,
          },
        })
      ).id;
    };
    const rate = (assessmentId: string, ratings: Record<number, number>, comment = "") =>
      p.goalAssessment.createMany({
        data: Object.entries(ratings).map(([goal, rating]) => ({
          assessmentId,
          goalId: goals.get(Number(goal))!,
          rating,
          comment,
        })),
      });

    // Two closed rounds with ratings (the profile and its change); goal 2 has too few ratings.
    const closedRound = async (name: string, opened: number, goal1: number[], goal3: number[]) => {
      const id = await round(network.id, name, ago(opened), ago(opened - 60));
      for (const [i, office] of names.slice(0, 6).entries()) {
        // Zeta submits after the deadline.
        const assessment = await participate(id, office, {
          submittedAt: office === "Zeta" ? ago(opened - 65) : ago(opened - 30),
          lastEditedAt: ago(opened - 30),
        });
        // Goal 1: everyone; goal 2: two offices (too few); goal 3: three offices (k, but no quartiles).
        const ratings: Record<number, number> = { 1: goal1[i] };
        if (i < 2) ratings[2] = 4;
        if (i < 3) ratings[3] = goal3[i];
        await rate(assessment, ratings, office === "Alpha" ? SECRET : "");
        if (office === "Zeta") {
          await p.assessmentReminder.createMany({
            data: [
              { assessmentId: assessment, daysBefore: 14, sentAt: ago(opened - 46) },
              { assessmentId: assessment, daysBefore: 3, sentAt: ago(opened - 57) },
            ],
          });
        }
      }
      await p.assessmentRound.update({ where: { id }, data: { closedAt: ago(opened - 70) } });
      return id;
    };
    ids.r2025 = await closedRound("2025", 400, [1, 2, 3, 3, 4, 5], [2, 2, 4]);
    ids.r2026 = await closedRound("2026", 200, [2, 3, 3, 4, 4, 5], [3, 3, 3]);

    // The open round: on time, late, in progress, not started (one of them past its own deadline), no head.
    ids.r2027 = await round(network.id, "2027", ago(10), new Date(Date.now() + 20 * DAY));
    const alpha = await participate(ids.r2027, "Alpha", { submittedAt: ago(2), lastEditedAt: ago(2), goalsDone: 12 });
    await rate(alpha, { 1: 5 }, SECRET);
    const beta = await participate(ids.r2027, "Beta", { lastEditedAt: ago(1), goalsDone: 3 });
    await participate(ids.r2027, "Gamma", { deadlineOverride: ago(1) });
    const delta = await participate(ids.r2027, "Delta");
    await participate(ids.r2027, "Epsilon", { deadlineOverride: ago(3), submittedAt: ago(1), lastEditedAt: ago(1) });
    await participate(ids.r2027, "Eta");
    await p.assessmentReminder.createMany({
      data: [
        { assessmentId: delta, daysBefore: 14, sentAt: ago(4) },
        { assessmentId: beta, daysBefore: null, sentById: admin.id, sentAt: ago(2) },
      ],
    });
    // Not begun yet: in no table.
    ids.r2028 = await round(network.id, "2028", new Date(Date.now() + 10 * DAY), new Date(Date.now() + 70 * DAY));
    await participate(ids.r2028, "Alpha");
    ids.foreignRound = await round(foreign.id, "Fremd 2027", ago(5), new Date(Date.now() + 30 * DAY));

    Object.assign(ids, { network: network.id, alpha: offices.Alpha, gamma: offices.Gamma });
    Object.assign(emails, { gammaHead: heads.Gamma.email, alphaHead: heads.Alpha.email });
    cookies.admin = await sessionCookie(app.baseUrl, admin.email, PASSWORD);
    cookies.foreignAdmin = await sessionCookie(app.baseUrl, foreignAdmin.email, PASSWORD);
    await p.session.updateMany({ where: { userId: { in: [admin.id, foreignAdmin.id] } }, data: { twoFactorVerified: true } });
    // A real sign-in through the portal: Zeta becomes active.
    cookies.head = await sessionCookie(app.baseUrl, heads.Zeta.email, PASSWORD);
  });

  const get = (path: string, cookie = cookies.admin) => fetch(app.baseUrl + path, { headers: { cookie }, redirect: "manual" });
  const post = (path: string, form: Record<string, string>, cookie = cookies.admin) =>
    fetch(app.baseUrl + path, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams(form),
    });
  /** The visible text of the element that carries `attribute` (a table row or cell). */
  const marked = (html: string, attribute: string) => {
    const match = new RegExp(`<(tr|td|p|table)[^>]*${attribute}[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
    return match ? text(match[2]).trim() : undefined;
  };
  const rowText = (html: string, start: string) =>
    [...html.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]).trim()).find((r) => r.startsWith(start));
  const section = (html: string, id: string) =>
    html.slice(html.indexOf(`id="${id}"`), html.indexOf("</section>", html.indexOf(`id="${id}"`)));

  it("counts offices on board and active within 30 and 90 days", async () => {
    const res = await get(`${base}/monitoring`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(marked(html, 'data-figure="offices"')).toBe("Behörden im Netzwerk 8");
    // Alpha–Zeta have a head; Eta's invitation is open; Theta's expired.
    expect(marked(html, 'data-figure="onboarded"')).toBe("Eingebunden: mindestens eine Leitung hat ein Konto 6 75 %");
    expect(marked(html, 'data-figure="invited"')).toBe("Eingeladen: die Leitung hat die Einladung noch nicht angenommen 1 13 %");
    // 30 days: Alpha (sign-in), Delta (accepted invitation), Zeta (signed in just now). Epsilon's sign-in predates joining.
    expect(marked(html, 'data-figure="active30"')).toBe("Aktiv in den letzten 30 Tagen 3 38 %");
    // 90 days: and Beta, through its staff member's sign-in 60 days ago.
    expect(marked(html, 'data-figure="active90"')).toBe("Aktiv in den letzten 90 Tagen 4 50 %");
    expect(html).toContain(`href="${base}/monitoring"`); // in the admin navigation
  });

  it("shows participation per begun round: on time, late, in progress, not started, overdue, reminders", async () => {
    const html = await (await get(`${base}/monitoring`)).text();
    const open = (c: string) => marked(html.slice(html.indexOf(`data-round="${ids.r2027}"`)), `data-column="${c}"`);
    expect(rowText(html, "2027 ")).toMatch(/^2027 läuft, Frist \d+\. \S+ \d{4} 6 /);
    expect(open("submittedOnTime")).toBe("1 (17 %)"); // Alpha
    expect(open("submittedLate")).toBe("1 (17 %)"); // Epsilon, after its own (earlier) deadline
    expect(open("inProgress")).toBe("1 (17 %)"); // Beta
    expect(open("notStarted")).toBe("3 (50 %)"); // Gamma, Delta, Eta
    expect(open("overdue")).toBe("1 (17 %)"); // Gamma, past its own deadline
    expect(rowText(html, "2027 ")).toContain("1 automatisch, 1 von Hand");
    expect(rowText(html, "2025 ")).toMatch(
      /^2025 abgeschlossen am .* 6 5 \(83 %\) 1 \(17 %\) 0 \(0 %\) 0 \(0 %\) 0 \(0 %\) 2 automatisch, 0 von Hand/,
    );
    expect(html).not.toContain(`data-round="${ids.r2028}"`);
    expect(html).toContain(`href="${base}/runden/${ids.r2027}/zusammenfassung"`);
    expect(html).not.toContain(SECRET);
  });

  it("lists the offices that have not started, with a reminder button where there is a head", async () => {
    const html = await (await get(`${base}/monitoring`)).text();
    const table = html.slice(html.indexOf(`data-not-started="${ids.r2027}"`));
    expect(rowText(table, "ABH Gamma")).toMatch(/^ABH Gamma \d+\. \S+ \d{4} noch keine Erinnerung schicken – ABH Gamma$/);
    expect(rowText(table, "ABH Delta")).toMatch(/^ABH Delta .* 1, zuletzt am .* Erinnerung schicken – ABH Delta$/);
    expect(rowText(table, "ABH Eta")).toMatch(/Keine Leitung mit Konto – eine Erinnerung ist nicht möglich\.$/);
    expect(rowText(table, "ABH Alpha")).toBeUndefined();
    expect(rowText(table, "ABH Beta")).toBeUndefined();
  });

  it("shows the network's goal profile for closed rounds only, with suppression and the change across rounds", async () => {
    const html = await (await get(`${base}/monitoring`)).text();
    const profile = section(html, "profile-heading");
    expect(text(marked(profile, 'data-summary="profile"') ?? "")).toBe(
      "In der Runde 2026 gibt es für 2 von 12 Zielen einen Median des Netzwerks. Bei 10 Zielen sind es zu wenige Behörden für einen anonymen Vergleich. Gegenüber der Runde 2025 ist der Median bei 2 Zielen gestiegen, bei 0 gesunken und bei 0 gleich geblieben.",
    );
    const table = profile.slice(profile.indexOf('data-table="profile"'));
    expect(rowText(table, "1. ")).toMatch(/^1\. .* 3,5 3 bis 4 6 gestiegen um 0,5$/);
    expect(rowText(table, "2. ")).toMatch(/^2\. .* Zu wenige Behörden für einen anonymen Vergleich nicht vergleichbar$/);
    expect(rowText(table, "3. ")).toMatch(/^3\. .* 3 nicht ausgewiesen \(weniger als 5 Werte\) 3 gestiegen um 1$/);
    const trend = profile.slice(profile.indexOf('data-table="trend"'));
    expect(rowText(trend, "1. ")).toMatch(/^1\. .* 3 \(2,25 bis 3,75\) 3,5 \(3 bis 4\)$/);
    expect(profile).toContain("Runde 2027: erscheint nach Abschluss der Runde.");
    expect(profile).toContain('aria-hidden="true"'); // the chart; the table carries the data
    expect(profile).toContain("recharts-surface");
    // Aggregates only: no office appears in the profile.
    expect(profile).not.toMatch(/ABH (Alpha|Beta|Gamma|Delta|Epsilon|Zeta)/);
    expect(html).not.toContain(SECRET);
  });

  it("leaves out of the ministry's figures every office that released its results of the round, withdrawn or not", async () => {
    // 2026, goal 1: 2, 3, 3, 4, 4, 5. The ministry sees a released office's ratings one by
    // one; counting them would let it subtract them from the median and quartiles.
    const p = app.db.prisma;
    const ratedGoal1 = await p.goalAssessment.findMany({
      where: { assessment: { roundId: ids.r2026 }, goal: { number: 1 }, rating: { not: null } },
      select: { assessmentId: true, rating: true },
    });
    const withRating = (r: number) => ratedGoal1.find((a) => a.rating === r)!.assessmentId;
    const profileRow = async () => {
      const html = await (await get(`${base}/runden/${ids.r2026}/zusammenfassung`)).text();
      return rowText(html.slice(html.indexOf('data-table="profile"')), "1. ");
    };
    const grantedById = "00000000-0000-4000-8000-000000000001";
    const first = await p.assessmentShare.create({ data: { assessmentId: withRating(5), grantedById } });
    // Five offices kept their results: 2, 3, 3, 4, 4.
    expect(await profileRow()).toMatch(/^1\. .* 3 3 bis 4 5 /);
    const ministry = await p.roundFigureSet.findFirstOrThrow({ where: { roundId: ids.r2026, audience: "ministry" } });
    expect(ministry.knownOffices).toBe(1);
    // Withdrawn: the ministry has seen it all the same.
    await p.assessmentShare.update({ where: { id: first.id }, data: { withdrawnById: grantedById } });
    expect(await profileRow()).toMatch(/^1\. .* 3 3 bis 4 5 /);
    // A second release leaves four unknown ratings (3, 3, 4, 4): with k = 3 a median, but no
    // quartiles – they need 5 unknown ratings.
    await p.assessmentShare.create({ data: { assessmentId: withRating(2), grantedById } });
    expect(await profileRow()).toMatch(/^1\. .* 3,5 nicht ausgewiesen \(weniger als 5 Werte\) 4 /);
    // A third: three left, still k.
    await p.assessmentShare.create({ data: { assessmentId: withRating(3), grantedById } });
    expect(await profileRow()).toMatch(/^1\. .* 4 nicht ausgewiesen \(weniger als 5 Werte\) 3 /);
    // A fourth: two left – hidden.
    await p.assessmentShare.create({ data: { assessmentId: withRating(4), grantedById } });
    expect(await profileRow()).toMatch(/Zu wenige Behörden für einen anonymen Vergleich/);

    await p.assessmentShare.deleteMany({ where: { assessment: { roundId: ids.r2026 } } });
    expect(await profileRow()).toMatch(/^1\. .* 3,5 3 bis 4 6 gestiegen um 0,5$/);
  });

  it("prints one round's summary: participation, reminders, and the profile once the round is closed", async () => {
    const open = await get(`${base}/runden/${ids.r2027}/zusammenfassung`);
    expect(open.status).toBe(200);
    const html = await open.text();
    expect(html).toContain('class="print-summary"');
    expect(text(html)).toContain("Runde 2027");
    expect(marked(html, 'data-figure="submittedOnTime"')).toBe("Fristgerecht abgegeben 1 (17 %)");
    expect(marked(html, 'data-figure="submittedLate"')).toBe("Verspätet abgegeben 1 (17 %)");
    expect(marked(html, 'data-figure="inProgress"')).toBe("In Bearbeitung 1 (17 %)");
    expect(marked(html, 'data-figure="notStarted"')).toBe("Nicht begonnen 3 (50 %)");
    expect(marked(html, 'data-figure="overdue"')).toBe("Frist verstrichen, nicht abgegeben 1 (17 %)");
    expect(marked(html, 'data-figure="reminders"')).toBe("Verschickt: 1 automatische und 1 von Hand ausgelöste Erinnerungen.");
    expect(text(html)).toContain("Das Zielprofil erscheint nach Abschluss der Runde.");
    expect(html).not.toMatch(/ABH (Alpha|Beta|Gamma|Delta|Epsilon|Zeta|Eta|Theta)/);

    const closed = await (await get(`${base}/runden/${ids.r2026}/zusammenfassung`)).text();
    expect(marked(closed, 'data-figure="submittedLate"')).toBe("Verspätet abgegeben 1 (17 %)");
    const table = closed.slice(closed.indexOf('data-table="profile"'));
    expect(rowText(table, "1. ")).toMatch(/^1\. .* 3,5 3 bis 4 6 gestiegen um 0,5$/);
    expect(rowText(table, "2. ")).toMatch(/Zu wenige Behörden für einen anonymen Vergleich/);
    expect(closed).not.toMatch(/ABH (Alpha|Beta|Gamma|Delta|Epsilon|Zeta|Eta|Theta)/);
    expect(closed).not.toContain(SECRET);
    // The first closed round has nothing to compare with.
    const first = await (await get(`${base}/runden/${ids.r2025}/zusammenfassung`)).text();
    expect(rowText(first.slice(first.indexOf('data-table="profile"')), "1. ")).toMatch(/^1\. .* 3 2,25 bis 3,75 6$/);
  });

  it("exports CSV for German Excel with one row per office and its status in every begun round, without ratings", async () => {
    const res = await get(`${base}/monitoring/export/csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="Monitoring-Netz-Monitoring-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const raw = bytes.subarray(3).toString("utf8");
    expect(raw).not.toContain(SECRET);
    const sheet = await new ExcelJS.Workbook().csv.read(Readable.from([raw]), {
      map: (v: string) => v,
      parserOptions: { delimiter: ";" },
    });
    const raws = (sheet.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
    // Empty cells read back as holes (or not at all at the end of a row): pad with "".
    const rows = raws.map((r) => Array.from({ length: 24 }, (_, i) => r[i] ?? ""));
    const find = (first: string) => rows.find((r) => r[0] === first);
    expect(find("Netzwerk")?.slice(0, 3)).toEqual(["Netzwerk", "Netz Monitoring", ""]);
    const header = raws.find((r) => r[0] === "Behörde")!;
    expect(header.slice(0, 6)).toEqual(["Behörde", "Art", "Eingebunden", "Eingeladen", "Aktiv (30 Tage)", "Aktiv (90 Tage)"]);
    // Begun rounds, oldest first; the coming one is not there.
    expect(header.slice(6, 12)).toEqual([
      "2025: Stand",
      "2025: Ziele bearbeitet",
      "2025: Maßnahmen bearbeitet",
      "2025: Abgegeben am",
      "2025: Verspätet",
      "2025: Erinnerungen",
    ]);
    expect(header).toHaveLength(6 + 3 * 6);
    expect(header.some((h) => String(h).startsWith("2028"))).toBe(false);
    const office = (name: string) => find(`ABH ${name}`)!;
    expect(rows.filter((r) => String(r[0]).startsWith("ABH "))).toHaveLength(8);
    expect(office("Alpha").slice(0, 6)).toEqual(["ABH Alpha", "Kreisfreie Stadt", "ja", "nein", "ja", "ja"]);
    expect(office("Alpha").slice(18)).toEqual([
      "abgegeben",
      "12",
      "0",
      expect.stringMatching(/^\d{2}\.\d{2}\.\d{4}$/),
      "nein",
      "0",
    ]);
    expect(office("Beta").slice(2, 6)).toEqual(["ja", "nein", "nein", "ja"]);
    expect(office("Beta").slice(18)).toEqual(["in Bearbeitung", "3", "0", "", "", "1"]);
    expect(office("Gamma").slice(18)).toEqual(["nicht begonnen", "0", "0", "", "", "0"]);
    expect(office("Epsilon").slice(4, 6)).toEqual(["nein", "nein"]);
    expect(office("Epsilon").slice(18, 23)).toEqual(["abgegeben", "0", "0", expect.any(String), "ja"]);
    expect(office("Zeta").slice(6, 12)).toEqual(["abgegeben", "0", "0", expect.any(String), "ja", "2"]);
    expect(office("Zeta").slice(18)).toEqual(["nimmt nicht teil", "", "", "", "", ""]);
    expect(office("Eta").slice(2, 4)).toEqual(["nein", "ja"]);
    expect(office("Theta").slice(2, 4)).toEqual(["nein", "nein"]);
    expect(find("Runde")?.slice(0, 12)).toEqual([
      "Runde",
      "Beginn",
      "Frist",
      "Abgeschlossen am",
      "Teilnehmende Behörden",
      "Fristgerecht abgegeben",
      "Verspätet abgegeben",
      "In Bearbeitung",
      "Nicht begonnen",
      "Frist verstrichen, nicht abgegeben",
      "Erinnerungen automatisch",
      "Erinnerungen von Hand",
    ]);
    expect(find("2027")?.slice(0, 12)).toEqual([
      "2027",
      expect.any(String),
      expect.any(String),
      "",
      "6",
      "1",
      "1",
      "1",
      "3",
      "1",
      "1",
      "1",
    ]);
  });

  it("exports XLSX with an offices sheet and a rounds sheet, numbers and dates as cells", async () => {
    const res = await get(`${base}/monitoring/export/xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    expect(workbook.worksheets.map((w) => w.name)).toEqual(["Behörden", "Runden", "Umsetzungspläne"]);
    const offices = workbook.getWorksheet("Behörden")!;
    expect(offices.getCell("A1").value).toBe("Netzwerk");
    expect(offices.getCell("B1").value).toBe("Netz Monitoring");
    expect(offices.getRow(5).getCell(1).value).toBe("Behörde");
    expect(offices.getCell("A5").font?.bold).toBe(true);
    expect(offices.views[0]).toMatchObject({ state: "frozen", ySplit: 5 });
    const byName = new Map<string, unknown[]>();
    offices.eachRow((r, n) => n > 5 && byName.set(String(r.getCell(1).value), (r.values as unknown[]).slice(1)));
    expect(byName.size).toBe(8);
    const alpha = byName.get("ABH Alpha")!;
    expect(alpha.slice(18, 21)).toEqual(["abgegeben", 12, 0]);
    expect(alpha[21]).toBeInstanceOf(Date);
    expect(byName.get("ABH Beta")!.slice(18, 21)).toEqual(["in Bearbeitung", 3, 0]);
    const cells = JSON.stringify([...byName.values()]);
    expect(cells).not.toContain(SECRET);
    const rounds = workbook.getWorksheet("Runden")!;
    const round2027 = (rounds.getRow(8).values as unknown[]).slice(1);
    expect(round2027[0]).toBe("2027");
    expect(round2027.slice(4)).toEqual([6, 1, 1, 1, 3, 1, 1, 1]);
  });

  it("reminds a not-started office with one click, and refuses an office that has submitted", async () => {
    const p = app.db.prisma;
    const mails = (to: string) => p.emailMessage.count({ where: { to, template: "round-reminder" } });
    expect(await mails(emails.gammaHead)).toBe(0);
    const res = await post(`${base}/monitoring`, { intent: "remind", roundId: ids.r2027, officeId: ids.gamma });
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Die Erinnerung an ABH Gamma ist unterwegs (1 E-Mail an die Leitung).");
    expect(await mails(emails.gammaHead)).toBe(1);
    const reminder = await p.assessmentReminder.findFirstOrThrow({
      where: { assessment: { roundId: ids.r2027, officeId: ids.gamma } },
    });
    expect(reminder.daysBefore).toBeNull();
    expect(await p.auditEvent.count({ where: { action: "round.reminder_sent", officeId: ids.gamma } })).toBe(1);

    const submitted = await post(`${base}/monitoring`, { intent: "remind", roundId: ids.r2027, officeId: ids.alpha });
    expect(submitted.status).toBe(409);
    expect(text(await submitted.text())).toContain("Diese Behörde hat ihre Selbsteinschätzung schon abgegeben.");
    expect(await mails(emails.alphaHead)).toBe(0);

    // A round of another network is not this page's to remind for; an unknown intent is refused.
    expect((await post(`${base}/monitoring`, { intent: "remind", roundId: ids.foreignRound, officeId: ids.gamma })).status).toBe(
      404,
    );
    expect((await post(`${base}/monitoring`, { intent: "loeschen" })).status).toBe(400);

    const html = await (await get(`${base}/monitoring`)).text();
    expect(rowText(html.slice(html.indexOf(`data-not-started="${ids.r2027}"`)), "ABH Gamma")).toMatch(/ 1, zuletzt am /);
    expect(rowText(html, "2027 ")).toContain("1 automatisch, 2 von Hand");
  });

  it("is for the network's admins only: an office head gets 403, another network's admin 404", async () => {
    const paths = [
      `${base}/monitoring`,
      `${base}/monitoring/export/csv`,
      `${base}/monitoring/export/xlsx`,
      `${base}/runden/${ids.r2027}/zusammenfassung`,
    ];
    for (const path of paths) {
      expect((await get(path, cookies.head)).status, path).toBe(403);
      expect((await get(path, cookies.foreignAdmin)).status, path).toBe(404);
      expect((await get(path, "")).status, path).toBe(302);
    }
    expect(
      (await post(`${base}/monitoring`, { intent: "remind", roundId: ids.r2027, officeId: ids.gamma }, cookies.head)).status,
    ).toBe(403);
    expect((await get(`${base}/monitoring/export/pdf`)).status).toBe(404);
    expect((await get(`${base}/runden/${ids.foreignRound}/zusammenfassung`)).status).toBe(404);
    expect((await get(`${base}/runden/kein-uuid/zusammenfassung`)).status).toBe(404);
  });
});
