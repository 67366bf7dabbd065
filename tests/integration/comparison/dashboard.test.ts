/**
 * The office dashboard (/behoerden/:office/stand) and the council report
 * (/behoerden/:office/bericht) against a real database and the built portal: own profile
 * against the frozen cohort of the latest closed round, suppression, "where to look",
 * priorities, next steps, and who may see the pages.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { endOfDay, toCalendarDay } from "~/utils/calendar-day";

const DAY = 86_400_000;
const SUPPRESSED = "Zu wenige Behörden für einen anonymen Vergleich";

/**
 * Ratings of the closed round "2025", goal 1–12 (null: not assessed). Our office is a
 * Landkreis among ten; five kreisfreie Städte make the network fifteen.
 * Every figure our office sees leaves it out (issue 19): the other nine Landkreise' medians
 * are goal 1 → 3 (ours 1), goal 2 → 4 (ours 2), goal 3 → 3 (ours 2), goal 4 → 4 (ours 3),
 * goal 7 → 5 (ours 2). Goal 12 has four ratings only, three of them other offices'.
 */
const OURS = [1, 2, 2, 3, 5, 3, 2, 3, 3, 3, 3, 4];
const district = (d: number) => [3, 4, 3, 4, 3, 3, d < 4 ? 2 : 5, 3, 3, 3, 3, d < 3 ? 3 : null];
const CITY = [5, 2, 5, 5, 5, 5, 5, 4, 4, 4, 4, null];

describe("office dashboard and council report", () => {
  const app = useApp();
  const ids = {} as {
    office: string;
    otherOffice: string;
    closed: string;
    older: string;
    open: string;
    slug: string;
    cityNames: string[];
  };
  const cookies = {} as Record<"head" | "staff" | "otherStaff" | "admin", string>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "stand", name: "Netz Stand", state: "RP", frameworkVersionId: version.id },
    });
    // Ours is the only large office: its size groups stay below k.
    const office = await p.office.create({
      data: { networkId: network.id, slug: "unser", name: "ABH Unser Kreis", kind: "LANDKREIS", clientsServed: 40_000 },
    });
    const districts = [];
    for (let d = 0; d < 9; d++)
      districts.push(
        await p.office.create({
          data: { networkId: network.id, slug: `lk-${d}`, name: `ABH Kreis Nummer ${d}`, kind: "LANDKREIS" },
        }),
      );
    const cities = [];
    for (let c = 0; c < 5; c++)
      cities.push(
        await p.office.create({
          data: { networkId: network.id, slug: `st-${c}`, name: `ABH Stadt Nummer ${c}`, kind: "KREISFREIE_STADT" },
        }),
      );

    const head = await createUser(p, { name: "Hanna Leitung" });
    const staff = await createUser(p, { name: "Sven Team" });
    const otherStaff = await createUser(p, { name: "Olga Andere" });
    const admin = await createUser(p, { name: "Ada Ministerium" });
    await p.membership.createMany({
      data: [
        { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" },
        { userId: staff.id, networkId: network.id, officeId: office.id, role: "OFFICE_STAFF" },
        { userId: otherStaff.id, networkId: network.id, officeId: districts[0].id, role: "OFFICE_STAFF" },
        { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" },
      ],
    });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });

    const goals = new Map((await p.goal.findMany({ where: { frameworkVersionId: version.id } })).map((g) => [g.number, g.id]));
    const measures = new Map(
      (await p.measure.findMany({ where: { frameworkVersionId: version.id } })).map((m) => [m.code, m.id]),
    );
    const round = (name: string, opensAt: Date, deadline: Date) =>
      p.assessmentRound.create({
        data: { networkId: network.id, frameworkVersionId: version.id, name, opensAt, deadline, createdById: admin.id },
      });
    /** A submitted assessment with the given ratings (goal 1 first). */
    const submitted = async (roundId: string, officeId: string, ratings: Array<number | null>) => {
      await p.roundParticipant.create({ data: { roundId, officeId } });
      const a = await p.assessment.create({ data: { roundId, officeId, submittedAt: new Date(), submittedById: head.id } });
      await p.goalAssessment.createMany({
        data: ratings.map((rating, i) => ({
          assessmentId: a.id,
          goalId: goals.get(i + 1)!,
          rating,
          notAssessed: rating === null,
        })),
      });
      return a.id;
    };

    // 2024: only our office submitted (its comparison is all suppressed; it feeds the trend).
    const older = await round("2024", new Date("2024-01-10T00:00:00+01:00"), new Date("2024-03-31T23:59:59+02:00"));
    await submitted(older.id, office.id, [2, 2, 2, 3, 4, 3, 3, 3, 3, 3, 3, 4]);
    await p.assessmentRound.update({ where: { id: older.id }, data: { closedAt: new Date("2024-05-02T12:00:00+02:00") } });

    // 2025: fifteen offices; closing freezes the cohort.
    const closed = await round("2025", new Date("2025-01-10T00:00:00+01:00"), new Date("2025-03-31T23:59:59+02:00"));
    await submitted(closed.id, office.id, OURS);
    for (const [d, o] of districts.entries()) await submitted(closed.id, o.id, district(d));
    for (const o of cities) await submitted(closed.id, o.id, CITY);
    await p.assessmentRound.update({ where: { id: closed.id }, data: { closedAt: new Date("2025-05-02T12:00:00+02:00") } });

    // 2026: open, our draft is behind with five days to go.
    const open = await round("2026", new Date(Date.now() - 10 * DAY), endOfDay(toCalendarDay(new Date(Date.now() + 5 * DAY))));
    await p.roundParticipant.create({ data: { roundId: open.id, officeId: office.id } });
    const draft = await p.assessment.create({ data: { roundId: open.id, officeId: office.id, goalsDone: 4, measuresDone: 3 } });
    await p.measureAssessment.createMany({
      data: [
        { assessmentId: draft.id, measureId: measures.get("1.1")!, need: "HIGH", effort: "LOW" }, // → high
        { assessmentId: draft.id, measureId: measures.get("1.2")!, need: "MEDIUM", effort: "MEDIUM" }, // → medium
        {
          assessmentId: draft.id,
          measureId: measures.get("2.1")!,
          need: "LOW",
          effort: "LOW",
          priorityOverride: "HIGH",
          overrideReason: "Leitung",
        },
      ],
    });

    Object.assign(ids, {
      office: office.id,
      otherOffice: districts[0].id,
      closed: closed.id,
      older: older.id,
      open: open.id,
      slug: version.slug,
      cityNames: cities.map((c) => c.name),
    });
    cookies.head = await sessionCookie(app.baseUrl, head.email);
    cookies.staff = await sessionCookie(app.baseUrl, staff.email);
    cookies.otherStaff = await sessionCookie(app.baseUrl, otherStaff.email);
    cookies.admin = await sessionCookie(app.baseUrl, admin.email);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
  });

  const get = (path: string, cookie: string) => fetch(app.baseUrl + path, { headers: { cookie }, redirect: "manual" });
  const dashboard = (query = "", cookie = cookies.staff) => get(`/behoerden/${ids.office}/stand${query}`, cookie);
  const report = (query = "", cookie = cookies.staff) => get(`/behoerden/${ids.office}/bericht${query}`, cookie);
  /** The visible text of each table row, by its first cell's start. */
  const row = (html: string, start: string) =>
    [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]).trim()).find((r) => r.startsWith(start));
  /** The HTML of one section, from its heading id to the next section. */
  const section = (html: string, headingId: string) => {
    const from = html.indexOf(`id="${headingId}"`);
    expect(from).toBeGreaterThan(-1);
    const to = html.indexOf("<section", from);
    return html.slice(from, to === -1 ? undefined : to);
  };

  it("shows the office's profile against the network median and spread of the latest closed round", async () => {
    const res = await dashboard();
    expect(res.status).toBe(200);
    const html = await res.text();
    const profile = section(html, "profile-heading");
    expect(text(profile)).toContain("Vergleich aus der Runde „2025“, abgeschlossen am 2. Mai 2025");
    expect(profile).toContain("<caption>Ihre Bewertung und Median (andere Behörden des Netzwerks) je Ziel, Runde 2025</caption>");
    // Ours 1; the other offices 3×9, 5×5 (ours is in no figure) → median 3, middle half 3 to 5, 14 offices.
    expect(row(profile, "1. ")).toMatch(/^1\. .+ 1 3 3 bis 5 14$/);
    expect(row(profile, "7. ")).toMatch(/^7\. .+ 2 5 .+ 14$/);
    expect(text(profile)).toContain("Ihre eigene Bewertung steckt in keiner dieser Zahlen");
    // Four ratings only: the message, no figure.
    expect(row(profile, "12. ")).toMatch(new RegExp(`^12\\. .+ 4 ${SUPPRESSED}$`));
    expect(text(profile)).toContain("Bei 1 Ziel gibt es keinen Vergleich");
    expect(text(profile)).toMatch(
      /Bei \d+ von 11 vergleichbaren Zielen liegt Ihre Behörde unter dem Median \(andere Behörden des Netzwerks\)\./,
    );
    // The chart is decorative and drawn only in the browser; the server sends the table, open.
    expect(profile).toMatch(/<div class="chart-canvas" aria-hidden="true">/);
    expect(profile).not.toMatch(/<div class="chart-canvas" aria-hidden="true">[\s\S]*<svg class="recharts/);
    // No office names in comparisons.
    for (const name of ids.cityNames) expect(html).not.toContain(name);
  });

  it("offers the office's own peer groups; one below k shows only the suppression message, no numbers", async () => {
    const html = await (await dashboard()).text();
    expect(html).toContain('<option value="kind:LANDKREIS">Landkreise</option>');
    expect(html).toContain('<option value="size:large">über 30 000 Kundinnen und Kunden</option>');
    expect(html).not.toContain('value="kind:KREISFREIE_STADT"');

    const districts = section(await (await dashboard("?gruppe=kind%3ALANDKREIS")).text(), "profile-heading");
    // The other nine Landkreise: 2×4, 5×5 → median 5.
    expect(row(districts, "7. ")).toMatch(/^7\. .+ 2 5 .+ 9$/);

    const res = await dashboard("?gruppe=size%3Alarge");
    expect(res.status).toBe(200);
    const large = section(await res.text(), "profile-heading");
    expect(text(large)).toContain(SUPPRESSED);
    expect(text(large)).toContain("Für die Gruppe „über 30 000 Kundinnen und Kunden“ gibt es bei keinem Ziel einen Vergleich");
    expect(large).not.toContain("<table");
    expect(large).not.toContain("<svg");
    expect(text(large)).not.toMatch(/Median \(über 30 000/);
  });

  it("points to the goals furthest below the closest shown peer group, at most three, with their catalogue measures", async () => {
    const look = section(await (await dashboard()).text(), "wo-ansetzen");
    const goalLinks = [...look.matchAll(/href="\/katalog\/[^/]+\/ziele\/(\d+)"/g)].map((m) => Number(m[1]));
    // The other Landkreise (the narrowest shown group): gaps 3, 2, 2, 1, 1 → goals 7, 1, 2.
    expect(goalLinks).toEqual([7, 1, 2]);
    expect(text(look)).toContain("Ihre Bewertung: 2, Median (Landkreise): 5.");
    expect(look).toContain(`href="/katalog/${ids.slug}/ziele/1"`);
    expect(look).toContain(`href="/katalog/${ids.slug}/massnahmen/1.1"`);
    expect(look).toContain(`href="/katalog/${ids.slug}/massnahmen/2.1"`);
    expect(look).not.toMatch(/massnahmen\/3\.\d/);
  });

  it("shows the current round's status, the top priorities, the trend and what to do next", async () => {
    const html = await (await dashboard()).text();
    const rounds = section(html, "rounds-heading");
    expect(row(rounds, "2026")).toMatch(/^2026 Entwurf: 4 von 12 Zielen, 3 von \d+ Maßnahmen \d+\. \S+ \d{4}$/);
    const next = text(section(html, "next-heading"));
    expect(next).toMatch(
      /Noch 5 Tage bis zur Frist am .+: In „2026“ sind 8 Ziele und \d+ Maßnahmen offen\. Zur Selbsteinschätzung/,
    );
    expect(html).toContain(`href="/behoerden/${ids.office}/runden/${ids.open}"`);
    expect(next).toContain("Bei 3 Zielen liegt Ihre Behörde unter ihren Vergleichsbehörden.");
    expect(html).toContain(`href="/behoerden/${ids.office}/bericht"`);
    // Only the head may start the team survey.
    expect(next).not.toContain("Befragung starten");
    expect(text(section(await (await dashboard("", cookies.head)).text(), "next-heading"))).toContain("Befragung starten");

    const priorities = section(html, "priorities-heading");
    expect(text(priorities)).toContain("In „2026“ haben 2 Maßnahmen hohe Priorität");
    expect(priorities).toContain(`/massnahmen/1.1"`);
    expect(priorities).toContain(`/massnahmen/2.1"`);
    expect(priorities).not.toContain(`/massnahmen/1.2"`);

    const trend = section(html, "trend-heading");
    expect(text(trend)).toContain(
      "Von 2024 bis 2025 ist Ihre Bewertung bei 1 von 12 Zielen gestiegen, bei 2 gesunken und bei 9 gleich geblieben.",
    );
    expect(row(trend, "1. ")).toMatch(/^1\. .+ 2 1$/);
  });

  it("the council report shows the office's own figure and the network median only", async () => {
    const res = await report();
    expect(res.status).toBe(200);
    const html = await res.text();
    const page = text(html);
    expect(page).toContain("ABH Unser Kreis: Selbsteinschätzung 2025");
    expect(page).toContain("Runde „2025“, abgeschlossen am 2. Mai 2025.");
    expect(page).toContain("mindestens 5 andere Behörden");
    expect(row(html, "1. ")).toMatch(/^1\. .+ 1 3 unter dem Median$/);
    expect(row(html, "5. ")).toMatch(/^5\. .+ 5 3 über dem Median$/);
    expect(row(html, "7. ")).toMatch(/^7\. .+ 2 5 unter dem Median$/);
    expect(row(html, "12. ")).toMatch(new RegExp(`^12\\. .+ 4 ${SUPPRESSED} —$`));
    // No quartiles, no peer groups, no counts of offices: each row is goal, own, median, position.
    expect(page).not.toMatch(/Mittlere Hälfte|Quartil|Landkreise|kreisfreie|Anzahl Behörden|Kundinnen/);
    expect(html.match(/<th scope="col">/g)).toHaveLength(4);
    expect(html).toContain("Drucken Sie diese Seite über die Druckfunktion Ihres Browsers");
  });

  it("the council report picks an earlier closed round with ?runde= and refuses an open or unknown one with 404", async () => {
    const older = await report(`?runde=${ids.older}`);
    expect(older.status).toBe(200);
    const html = await older.text();
    expect(text(html)).toContain("Selbsteinschätzung 2024");
    expect(row(html, "1. ")).toMatch(new RegExp(`^1\\. .+ 2 ${SUPPRESSED} —$`));
    expect((await report(`?runde=${ids.open}`)).status).toBe(404);
    expect((await report("?runde=keine-runde")).status).toBe(404);
  });

  it("is for the office's own members: staff of another office get 404, the network admin 403", async () => {
    for (const path of [`/behoerden/${ids.office}/stand`, `/behoerden/${ids.office}/bericht`]) {
      expect((await get(path, cookies.otherStaff)).status).toBe(404);
      expect((await get(path, cookies.admin)).status).toBe(403);
    }
    // Their own office's dashboard works and shows their own figures only.
    const own = await get(`/behoerden/${ids.otherOffice}/stand`, cookies.otherStaff);
    expect(own.status).toBe(200);
    expect(row(section(await own.text(), "profile-heading"), "1. ")).toMatch(/^1\. .+ 3 3 3 bis 5 14$/);
  });
});
