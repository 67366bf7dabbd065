/**
 * The comparison page /behoerden/:office/vergleich through HTTP with real data: figures of
 * a closed round, suppression (too few offices and differencing) without numbers, no
 * names of other offices, the trend over closed rounds, the open round, bad filters, access.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser, sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const DAY = 86_400_000;
const SUPPRESSED = "Zu wenige Behörden für einen anonymen Vergleich";

// Thirteen offices: six Landkreise of 10 000–30 000 clients (the office under test is the
// first), five kreisfreie Städte over 30 000 and two other offices under 10 000. With k = 5
// the network, the Städte and the size class over 30 000 are shown; the two "other" offices
// are too few, and the Landkreise would reveal them as network − Städte − Landkreise.
const OFFICES = [
  { name: "ABH Kreis Ahorn", kind: "LANDKREIS", clientsServed: 15_000, rating: 2 },
  { name: "ABH Kreis Birke", kind: "LANDKREIS", clientsServed: 12_000, rating: 3 },
  { name: "ABH Kreis Eiche", kind: "LANDKREIS", clientsServed: 20_000, rating: 4 },
  { name: "ABH Kreis Buche", kind: "LANDKREIS", clientsServed: 25_000, rating: 4 },
  { name: "ABH Kreis Linde", kind: "LANDKREIS", clientsServed: 30_000, rating: 5 },
  { name: "ABH Kreis Ulme", kind: "LANDKREIS", clientsServed: 10_000, rating: 5 },
  { name: "ABH Stadt Adler", kind: "KREISFREIE_STADT", clientsServed: 40_000, rating: 1 },
  { name: "ABH Stadt Bussard", kind: "KREISFREIE_STADT", clientsServed: 50_000, rating: 1 },
  { name: "ABH Stadt Falke", kind: "KREISFREIE_STADT", clientsServed: 60_000, rating: 2 },
  { name: "ABH Stadt Habicht", kind: "KREISFREIE_STADT", clientsServed: 35_000, rating: 3 },
  { name: "ABH Stadt Milan", kind: "KREISFREIE_STADT", clientsServed: 90_000, rating: 4 },
  { name: "ABH Zentralstelle Nord", kind: "OTHER", clientsServed: 5_000, rating: 3 },
  { name: "ABH Zentralstelle Süd", kind: "OTHER", clientsServed: 4_000, rating: 5 },
] as const;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The inner HTML of the first row with the attribute in the table with this id. */
function row(html: string, tableId: string, attribute: string) {
  const table = html.match(new RegExp(`<table[^>]*id="${tableId}"[\\s\\S]*?</table>`));
  expect(table, `table #${tableId}`).not.toBeNull();
  const tr = table![0].match(new RegExp(`<tr[^>]*${escape(attribute)}[^>]*>([\\s\\S]*?)</tr>`));
  expect(tr, `row ${attribute} in #${tableId}`).not.toBeNull();
  return tr![1];
}

/** Text of the data cells of a row, without the office's own rating. */
const figureCells = (tr: string) =>
  [...tr.matchAll(/<td([^>]*)>([\s\S]*?)<\/td>/g)].filter((m) => !m[1].includes("data-own")).map((m) => text(m[2]).trim());

/** A suppressed row: the message in place of the figures and not one digit in them. */
function expectSuppressed(tr: string) {
  const cells = figureCells(tr);
  expect(cells).toEqual([SUPPRESSED]);
  expect(cells.join(" ")).not.toMatch(/\d/);
}

describe("comparison pages: the distribution of a closed round, peer groups, trend, anonymity", () => {
  const app = useApp();
  const ids = { offices: [] as string[] } as {
    network: string;
    offices: string[];
    foreignOffice: string;
    old: string;
    closed: string;
    open: string;
    foreignRound: string;
  };
  const cookies = {} as Record<"staff" | "head" | "foreign" | "admin", string>;
  const page = (query = "", cookie = cookies.staff) =>
    fetch(`${app.baseUrl}/behoerden/${ids.offices[0]}/vergleich${query}`, { headers: { cookie } });
  const html = async (query = "", cookie = cookies.staff) => {
    const res = await page(query, cookie);
    expect(res.status, query).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const goals = new Map((await p.goal.findMany({ where: { frameworkVersionId: version.id } })).map((g) => [g.number, g.id]));
    const network = await p.network.create({
      data: { slug: "vergleich-seiten", name: "Netz Vergleichsseiten", state: "RP", frameworkVersionId: version.id },
    });
    const foreign = await p.network.create({
      data: { slug: "fremd-seiten", name: "Fremdes Netz", state: "HE", frameworkVersionId: version.id },
    });
    for (const [i, o] of OFFICES.entries()) {
      const office = await p.office.create({
        data: { networkId: network.id, slug: `o${i}`, name: o.name, kind: o.kind, clientsServed: o.clientsServed },
      });
      ids.offices.push(office.id);
    }
    const foreignOffice = await p.office.create({
      data: { networkId: foreign.id, slug: "f", name: "ABH Fremdstadt", kind: "KREISFREIE_STADT" },
    });

    const [staff, head, foreignStaff, admin] = await Promise.all([createUser(p), createUser(p), createUser(p), createUser(p)]);
    await p.membership.createMany({
      data: [
        { userId: staff.id, networkId: network.id, officeId: ids.offices[0], role: "OFFICE_STAFF" },
        { userId: head.id, networkId: network.id, officeId: ids.offices[0], role: "OFFICE_HEAD" },
        { userId: foreignStaff.id, networkId: foreign.id, officeId: foreignOffice.id, role: "OFFICE_STAFF" },
        { userId: admin.id, networkId: network.id, role: "NETWORK_ADMIN" },
      ],
    });
    await p.user.update({ where: { id: admin.id }, data: { totpEnabledAt: new Date() } });

    /** A round with every office taking part; `ratings` gives per submitting office index the goal ratings. */
    const round = async (
      name: string,
      opensDaysAgo: number,
      ratings: Map<number, Record<number, number>>,
      networkId = network.id,
    ) => {
      const r = await p.assessmentRound.create({
        data: {
          networkId,
          frameworkVersionId: version.id,
          name,
          opensAt: new Date(Date.now() - opensDaysAgo * DAY),
          deadline: new Date(Date.now() - opensDaysAgo * DAY + 60 * DAY),
          createdById: admin.id,
        },
      });
      if (networkId !== network.id) return r.id;
      for (const [i, officeId] of ids.offices.entries()) {
        await p.roundParticipant.create({ data: { roundId: r.id, officeId } });
        const submitted = ratings.get(i);
        const assessment = await p.assessment.create({
          data: {
            roundId: r.id,
            officeId,
            submittedAt: submitted ? new Date() : null,
            submittedById: submitted ? head.id : null,
          },
        });
        for (const [goal, rating] of Object.entries(submitted ?? {}))
          await p.goalAssessment.create({ data: { assessmentId: assessment.id, goalId: goals.get(Number(goal))!, rating } });
      }
      return r.id;
    };
    const close = (roundId: string) => p.assessmentRound.update({ where: { id: roundId }, data: { closedAt: new Date() } });

    // 2025: only four offices submitted – too few for any figure.
    ids.old = await round("Runde 2025", 400, new Map([0, 1, 6, 7].map((i) => [i, { 1: OFFICES[i].rating }])));
    await close(ids.old);
    // 2026: everyone submitted goal 1; goal 2 only four offices (the office under test among them).
    ids.closed = await round(
      "Runde 2026",
      200,
      new Map(
        OFFICES.map((o, i): [number, Record<number, number>] => [
          i,
          [0, 6, 7, 8].includes(i) ? { 1: o.rating, 2: 3 } : { 1: o.rating },
        ]),
      ),
    );
    await close(ids.closed);
    // 2027: open, everyone submitted already – its figures must not show before it closes.
    ids.open = await round("Runde 2027", 10, new Map(OFFICES.map((_, i) => [i, { 1: 1 }])));
    ids.foreignRound = await round("Fremde Runde", 200, new Map(), foreign.id);
    Object.assign(ids, { network: network.id, foreignOffice: foreignOffice.id });

    cookies.staff = await sessionCookie(app.baseUrl, staff.email);
    cookies.head = await sessionCookie(app.baseUrl, head.email);
    cookies.foreign = await sessionCookie(app.baseUrl, foreignStaff.email);
    cookies.admin = await sessionCookie(app.baseUrl, admin.email);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
  });

  it("shows n, median and quartiles of the latest closed round by default, with the office's own rating and a summary", async () => {
    const body = await html();
    const distribution = row(body, "distribution-table", 'data-goal="1"');
    // The other offices' ratings 1 1 2 3 3 3 4 4 4 5 5 5 (the own 2 is not among them):
    // median 3.5, quartiles 2.75 and 4.25.
    expect(figureCells(distribution)).toEqual(["12", "3,5", "2,75", "4,25"]);
    expect(text(distribution.match(/<td data-own[^>]*>([\s\S]*?)<\/td>/)![1])).toBe("2");
    // Goal 2 has four ratings: hidden, with the message.
    expectSuppressed(row(body, "distribution-table", 'data-goal="2"'));
    const page = text(body);
    expect(page).toContain("Verteilung in der Gruppe „Alle anderen Behörden des Netzwerks“");
    expect(page).toContain("Runde 2026");
    expect(page).toContain("Für 1 von 12 Zielen gibt es in dieser Gruppe einen anonymen Vergleich.");
    expect(page).toContain("Ihre Bewertung liegt bei 1 davon unter dem Median, bei 0 auf dem Median und bei 0 darüber.");
    expect(page).toContain("mindestens 5 Behörden");
    expect(page).toContain("Ihre eigene Bewertung steckt in keiner dieser Zahlen");
    // The round select offers the office's rounds, closed and open; the 2026 round is chosen.
    expect(body).toMatch(new RegExp(`<option value="${ids.closed}" selected="">Runde 2026 \\(abgeschlossen\\)</option>`));
    expect(body).toContain("Runde 2027 (läuft noch)");
    // Labels of the peer groups, with the size class bounds of the anonymity module.
    for (const label of [
      "Kreisfreie Städte",
      "Landkreise",
      "Andere Behörden",
      "Behörden mit unter 10.000 Kundinnen und Kunden",
      "Behörden mit 10.000 bis 30.000 Kundinnen und Kunden",
      "Behörden mit über 30.000 Kundinnen und Kunden",
      "Landkreise mit 10.000 bis 30.000 Kundinnen und Kunden",
    ])
      expect(body).toContain(`>${label}</option>`);
  });

  it("puts the office's groups side by side; the differencing case and the too small group show the message and no numbers", async () => {
    const body = await html("?ziel=1");
    expect(figureCells(row(body, "peers-table", 'data-group="network"'))).toEqual(["12", "3,5", "2,75", "4,25"]);
    // The Landkreise (6) would be shown on their own but give away the two other offices
    // (network − Städte − Landkreise); the same holds for the size class and kind × size.
    for (const group of ["kind:LANDKREIS", "size:medium", "kind:LANDKREIS+size:medium"])
      expectSuppressed(row(body, "peers-table", `data-group="${group}"`));
    // Their figures (Landkreise: median 4, quartiles 3.25 and 4.75) appear nowhere.
    expect(body).not.toContain("3,25");
    expect(body).not.toContain("4,75");
    const page = text(body);
    expect(page).toContain("Alle anderen Behörden des Netzwerks: 12 Behörden, Median 3,5, mittlere Hälfte von 2,75 bis 4,25.");
    expect(page).toContain("Landkreise: Zu wenige Behörden für einen anonymen Vergleich.");
    expect(page).toContain("Ihre Bewertung 2 liegt unter dem Median.");

    // The two other offices are too few on their own.
    const other = await html("?ziel=1&gruppe=kind:other");
    expectSuppressed(row(other, "distribution-table", 'data-goal="1"'));
    expect(text(other)).toContain("Andere Behörden: Zu wenige Behörden für einen anonymen Vergleich.");
    // The Städte are a shown peer group: ratings 1 1 2 3 4.
    const cities = await html(`?runde=${ids.closed}&ziel=1&gruppe=${encodeURIComponent("kind:KREISFREIE_STADT")}`);
    expect(figureCells(row(cities, "distribution-table", 'data-goal="1"'))).toEqual(["5", "2", "1", "3"]);
  });

  it("never puts another office's name or id into the page, whatever the filter", async () => {
    const others = [...OFFICES.slice(1).map((o) => o.name), "ABH Fremdstadt", ...ids.offices.slice(1), ids.foreignOffice];
    for (const query of [
      "",
      "?ziel=1",
      "?ziel=1&gruppe=kind:LANDKREIS",
      "?gruppe=kind:other",
      `?runde=${ids.old}`,
      `?runde=${ids.open}`,
      "?ziel=13",
    ]) {
      const body = await (await page(query)).text();
      expect(body).toContain(OFFICES[0].name);
      for (const value of others) expect(body, `${value} in ${query}`).not.toContain(value);
      expect(text(body)).not.toMatch(/Minimum|Maximum/);
    }
  });

  it("shows the network median per closed round; a round with too few offices says so", async () => {
    const body = await html("?ziel=1");
    expectSuppressed(row(body, "trend-table", `data-round="${ids.old}"`));
    expect(figureCells(row(body, "trend-table", `data-round="${ids.closed}"`))).toEqual(["12", "3,5", "2,75", "4,25"]);
    // The open round is no point of the trend.
    expect(body).not.toContain(`data-round="${ids.open}"`);
    expect(text(body)).toContain("Median der anderen Behörden: Runde 2025 zu wenige Behörden; Runde 2026 3,5.");

    // The overview has one row per goal and one column per closed round.
    const overview = await html();
    const goal1 = row(overview, "trend-table", 'data-goal="1"');
    expect(figureCells(goal1)).toEqual([SUPPRESSED, "Median 3,5 12 Behörden"]);
    expect(goal1).not.toContain(ids.open);

    // The first round alone: its own figure only.
    const first = await html(`?runde=${ids.old}&ziel=1`);
    expectSuppressed(row(first, "trend-table", `data-round="${ids.old}"`));
    expect(first).not.toContain(`data-round="${ids.closed}"`);
    expect(text(first)).toContain("Bisher ist nur diese eine Runde abgeschlossen");
  });

  it("shows for an open round only that the comparison comes when it is closed", async () => {
    for (const query of [`?runde=${ids.open}`, `?runde=${ids.open}&ziel=1&gruppe=kind:KREISFREIE_STADT`]) {
      const body = await html(query);
      expect(text(body)).toContain("Der Vergleich erscheint, sobald die Runde abgeschlossen ist.");
      for (const table of ["distribution-table", "peers-table", "trend-table"]) expect(body).not.toContain(`id="${table}"`);
      expect(body).not.toContain("Anzahl Behörden");
    }
  });

  it("answers bad filters with 400, the message at the field and the rest of the page usable", async () => {
    const cases: Array<[string, string, string]> = [
      ["?runde=00000000-0000-4000-8000-000000000000", "filter-runde", "Diese Runde gibt es für Ihre Behörde nicht."],
      ["?runde=keine-id", "filter-runde", "Diese Runde gibt es für Ihre Behörde nicht."],
      [`?runde=${ids.foreignRound}`, "filter-runde", "Diese Runde gibt es für Ihre Behörde nicht."],
      ["?ziel=13", "filter-ziel", "Dieses Ziel gibt es nicht."],
      ["?ziel=eins", "filter-ziel", "Dieses Ziel gibt es nicht."],
      ["?gruppe=kind:STADTSTAAT", "filter-gruppe", "Diese Vergleichsgruppe gibt es nicht."],
    ];
    for (const [query, field, message] of cases) {
      const res = await page(query);
      expect(res.status, query).toBe(400);
      const body = await res.text();
      expect(body).toContain(`<p id="${field}-error" class="field-error">${message}`);
      expect(body).toMatch(new RegExp(`<select id="${field}"[^>]*aria-invalid="true"`));
      expect(text(body)).toContain("Ein Teil der Auswahl war nicht gültig.");
      // The default selection is shown below the form.
      expect(figureCells(row(body, "distribution-table", 'data-goal="1"'))).toEqual(["12", "3,5", "2,75", "4,25"]);
    }
  });

  it("lets head and staff of the office in; staff of another network get 404, the network admin 403", async () => {
    expect((await page("", cookies.head)).status).toBe(200);
    expect((await page("", cookies.foreign)).status).toBe(404);
    expect((await page("", cookies.admin)).status).toBe(403);
    const anonymous = await fetch(`${app.baseUrl}/behoerden/${ids.offices[0]}/vergleich`, { redirect: "manual" });
    expect([302, 303]).toContain(anonymous.status);
  });
});
