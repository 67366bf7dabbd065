/**
 * The plan's files (issue 21, item 5) over HTTP: the export in the layout of the aid
 * "Umsetzungsplan", the import with its preview and confirmation, and who may do either.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { client, type Client, createUser, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { createOpenRound } from "../../support/fixtures";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const TITLE = "Stärkung der Serviceorientierung und der Willkommenskultur der Ausländerbehörde – Umsetzungsplan";

describe("the implementation plan as the Excel aid, out and back in", () => {
  const app = useApp();
  const ids = {} as {
    office: string;
    officeB: string;
    plan: string;
    staff: string;
    head: string;
    m11: string;
    m12: string;
    networkSlug: string;
  };
  const people = {} as Record<"head" | "staff" | "headB" | "admin", Client>;
  const base = () => `/behoerden/${ids.office}/plan`;

  beforeAll(async () => {
    const p = app.db.prisma;
    const { network, offices } = await createOpenRound(p, { slug: "excel", offices: ["a", "b"] });
    const [a, b] = offices;
    const make = async (
      key: keyof typeof people,
      name: string,
      role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN",
      officeId: string | null,
    ) => {
      const user = await createUser(p, { name });
      await p.membership.create({ data: { userId: user.id, networkId: network.id, officeId, role } });
      if (role === "NETWORK_ADMIN") await p.user.update({ where: { id: user.id }, data: { totpEnabledAt: new Date() } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: user.email, password: user.password, redirectTo: "/konto" });
      if (role === "NETWORK_ADMIN") await p.session.updateMany({ where: { userId: user.id }, data: { twoFactorVerified: true } });
      people[key] = c;
      return user;
    };
    const head = await make("head", "Hanna Leitung", "OFFICE_HEAD", a.id);
    const staff = await make("staff", "Sami Team", "OFFICE_STAFF", a.id);
    await make("headB", "Bea Beta", "OFFICE_HEAD", b.id);
    await make("admin", "Referat Integration", "NETWORK_ADMIN", null);
    const m11 = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: network.frameworkVersionId, code: "1.1" } });
    const m12 = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: network.frameworkVersionId, code: "1.2" } });
    const plan = await p.plan.create({ data: { networkId: network.id, officeId: a.id, startedById: head.id } });
    const ref = { planId: plan.id, officeId: a.id };
    const pm = await p.planMeasure.create({
      data: {
        ...ref,
        measureId: m11.id,
        origin: "priority",
        intendedResult: "Alle Berechtigten werden beraten.",
        addedById: head.id,
        position: 1,
      },
    });
    const own = await p.planMeasure.create({
      data: { ...ref, ownTitle: "Wartebereich freundlicher gestalten", origin: "own", addedById: head.id, position: 2 },
    });
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    const done = await p.planActivity.create({
      data: {
        ...ref,
        planMeasureId: pm.id,
        position: 1,
        title: "Beratungsleitfaden schreiben",
        status: "DONE",
        doneAt: new Date(),
        startsOn: day("2026-01-15"),
        endsOn: day("2026-02-28"),
        responsibleUserId: staff.id,
        participants: "Team Aufenthalt",
        resources: "2 Tage",
        remarks: "mit Migrationsberatung abstimmen",
        createdById: head.id,
      },
    });
    await p.planActivityUpdate.createMany({
      data: [
        { ...ref, activityId: done.id, notedOn: day("2026-02-01"), body: "Entwurf steht" },
        { ...ref, activityId: done.id, notedOn: day("2026-02-27"), body: "Abgestimmt\nund verteilt" },
      ],
    });
    await p.planActivity.create({
      data: {
        ...ref,
        planMeasureId: pm.id,
        position: 2,
        title: "Team schulen",
        status: "IN_PROGRESS",
        endsOn: day("2026-06-30"),
        responsibleName: "Frau Extern",
        createdById: staff.id,
      },
    });
    await p.planActivity.create({
      data: { ...ref, planMeasureId: own.id, position: 1, title: "Pflanzen aufstellen", createdById: head.id },
    });
    Object.assign(ids, {
      office: a.id,
      officeB: b.id,
      plan: plan.id,
      staff: staff.id,
      head: head.id,
      m11: m11.id,
      m12: m12.id,
      networkSlug: network.slug,
    });
  });

  const upload = (who: Client, file: Buffer | Uint8Array, name = "Umsetzungsplan.xlsx") => {
    const form = new FormData();
    form.set("intent", "upload");
    form.set("file", new Blob([new Uint8Array(file)], { type: XLSX }), name);
    return fetch(app.baseUrl + `${base()}/import`, {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: who.cookie, "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
  };
  const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? "";
  const exported = async () => {
    const res = await people.head.get(`${base()}/export/xlsx`);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  /** Everything the import could change, to compare before and after. */
  const planState = async () => {
    const p = app.db.prisma;
    return {
      measures: await p.planMeasure.findMany({ where: { planId: ids.plan }, orderBy: { id: "asc" } }),
      activities: await p.planActivity.findMany({ where: { planId: ids.plan }, orderBy: { id: "asc" } }),
      updates: await p.planActivityUpdate.findMany({ where: { planId: ids.plan }, orderBy: { id: "asc" } }),
      plan: await p.plan.findUniqueOrThrow({ where: { id: ids.plan } }),
    };
  };
  const findRow = (ws: ExcelJS.Worksheet, title: string) => {
    let found = 0;
    ws.eachRow((row, n) => {
      if (row.getCell(3).value === title) found = n;
    });
    return found;
  };

  it("exports the plan in the aid's layout: title, blocks per measure, status drop-down and symbols, German dates", async () => {
    const res = await people.head.get(`${base()}/export/xlsx`);
    expect(res.headers.get("content-type")).toBe(XLSX);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="Umsetzungsplan-ABH-Alpha-/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const ws = book.worksheets[0];
    expect(ws.getCell("A1").value).toBe(TITLE);
    expect(["A5", "C5", "D5", "E6", "F6", "G6", "H6", "I5", "J5"].map((a) => ws.getCell(a).value)).toEqual([
      "Nr.",
      "Arbeitsschritte",
      "Status",
      "Zeitrahmen",
      "Verantwortliche",
      "Mitwirkende",
      "Inputs/Ressourcen",
      "Bemerkungen",
      "Aktueller Sachstand",
    ]);
    expect(ws.getCell("A7").value).toBe("Maßnahme 1.1: Beratung über eine mögliche Verbesserung des Aufenthaltsstatus");
    expect(ws.getCell("A8").value).toBe("Angestrebtes Ergebnis: Alle Berechtigten werden beraten.");
    const r = findRow(ws, "Beratungsleitfaden schreiben");
    expect(r).toBe(9);
    const row = ws.getRow(r);
    expect((row.getCell(2).value as { result: string }).result).toBe("✓");
    expect((row.getCell(2).value as { formula: string }).formula).toContain(`D${r}="erledigt"`);
    expect([4, 5, 6, 7, 8, 9, 10].map((c) => row.getCell(c).value)).toEqual([
      "erledigt",
      "15.01.2026 – 28.02.2026",
      "Sami Team",
      "Team Aufenthalt",
      "2 Tage",
      "mit Migrationsberatung abstimmen",
      "01.02.2026: Entwurf steht\n27.02.2026: Abgestimmt\nund verteilt",
    ]);
    expect(ws.getRow(r + 1).getCell(5).value).toBe("bis 30.06.2026");
    expect((ws.getRow(r + 1).getCell(2).value as { result: string }).result).toBe("!");
    const validation = ws.getCell(`D${r}`).dataValidation;
    expect(validation).toMatchObject({ type: "list", formulae: ['"nicht begonnen,in Arbeit,erledigt"'] });
    expect(ws.getColumn(3).width).toBeGreaterThanOrEqual(30);
    expect(ws.getCell("A12").value).toBe("Maßnahme: Wartebereich freundlicher gestalten");
  });

  it("reads its own export back without any change ('Keine Änderungen'), and nothing is written", async () => {
    const before = await planState();
    const res = await upload(people.head, await exported());
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(text(html)).toContain("Keine Änderungen");
    expect(html).not.toContain('name="token"');
    expect(await planState()).toEqual(before);
  });

  it("refuses a sheet with a wrong date and an unknown status: 400, both rows named in German, nothing saved", async () => {
    const before = await planState();
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await exported()) as unknown as ExcelJS.Buffer);
    const ws = book.worksheets[0];
    const first = findRow(ws, "Beratungsleitfaden schreiben");
    const second = findRow(ws, "Team schulen");
    const third = findRow(ws, "Pflanzen aufstellen");
    ws.getCell(`E${first}`).value = "31.02.2026";
    ws.getCell(`D${second}`).value = "fertig";
    ws.getCell(`I${third}`).value = "Diese gültige Änderung darf nicht gespeichert werden";
    const res = await upload(people.head, Buffer.from(await book.xlsx.writeBuffer()));
    expect(res.status).toBe(400);
    const page = text(await res.text());
    expect(page).toContain(`Zeile ${first}: Das Datum „31.02.2026“ gibt es nicht.`);
    expect(page).toContain(
      `Zeile ${second}: Unbekannter Status „fertig“ – erlaubt sind ✗ nicht begonnen, ! in Arbeit, ✓ erledigt.`,
    );
    expect(await planState()).toEqual(before);
  });

  it("imports a sheet an office filled in by hand from the aid: preview, confirm, saved in one go, logged without content", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("Tabelle1");
    ws.addRow(["Stärkung der Serviceorientierung und der Willkommenskultur der Ausländerbehörde"]);
    ws.addRow(["Umsetzungsplan"]);
    ws.addRow([]);
    ws.addRow(["", "", "Arbeitsschritte", "Status", "Planung", "", "", "", "Bemerkungen", "Aktueller Sachstand"]); // row 4
    ws.addRow(["", "", "", "", "Zeitraumen", "Verantwortliche", "Mitwirkende", "Inputs, Ressourcen"]); // row 5
    ws.addRow(["Maßnahme 1:", "", "Nutzung von Beurteilungs- und Handlungsspielräumen"]); // row 6: catalogue 1.2 by title
    ws.addRow([1, "✓", "Fälle sammeln", "", "1.3.26 - 30.6.26", "Sami Team", "Sachgebiet 2", "", "", "05.02.2026: 12 Fälle"]); // row 7
    ws.addRow([2, "!", "Leitlinie entwerfen", "in Arbeit", "März 2026", "Herr Neu"]); // row 8
    ws.addRow([]); // row 9
    ws.addRow([3, "✗", "", "nicht begonnen"]); // row 10: the aid's template row
    ws.addRow(["Maßnahme 2: Wegeleitsystem"]); // row 11: an own measure
    ws.addRow([1, "", "Schilder bestellen", "erledigt", new Date(Date.UTC(2026, 3, 15))]); // row 12: a date cell
    ws.addRow(["Maßnahme 3:"]); // row 13: an empty template block
    ws.addRow([1, "✓", "", "erledigt"]);
    ws.addRow(["Maßnahme 1.1:"]); // row 15: an existing measure by its code, one new activity
    ws.addRow([1, "", "Aushang im Wartebereich", "✓ erledigt", "bis 31.3.2026"]);
    const before = await app.db.prisma.planActivity.count({ where: { planId: ids.plan } });

    const res = await upload(people.head, Buffer.from(await book.xlsx.writeBuffer()), "Handausgefüllt.xlsx");
    const html = await res.text();
    expect(res.status, text(html).slice(0, 600)).toBe(200);
    const preview = text(html);
    expect(preview).toContain("2 neue Maßnahmen");
    expect(preview).toContain("4 neue Arbeitsschritte");
    expect(preview).toContain("neuer Arbeitsschritt");
    expect(preview).toContain("Wegeleitsystem");
    // Nothing is saved by the preview.
    expect(await app.db.prisma.planActivity.count({ where: { planId: ids.plan } })).toBe(before);

    const confirm = await people.head.post(`${base()}/import`, {
      intent: "confirm",
      token: hidden(html, "token"),
      digest: hidden(html, "digest"),
      file: "Handausgefüllt.xlsx",
    });
    expect(confirm.status).toBe(303);
    expect(confirm.headers.get("location")).toBe(`${base()}/import?uebernommen=1`);

    const p = app.db.prisma;
    const m12 = await p.planMeasure.findFirstOrThrow({ where: { planId: ids.plan, measureId: ids.m12 } });
    expect(m12).toMatchObject({ origin: "catalogue", intendedResult: expect.any(String) });
    const acts = await p.planActivity.findMany({ where: { planMeasureId: m12.id }, orderBy: { position: "asc" } });
    expect(
      acts.map((a) => [
        a.title,
        a.status,
        a.startsOn?.toISOString().slice(0, 10),
        a.endsOn?.toISOString().slice(0, 10),
        a.responsibleUserId,
        a.responsibleName,
      ]),
    ).toEqual([
      ["Fälle sammeln", "DONE", "2026-03-01", "2026-06-30", ids.staff, null],
      ["Leitlinie entwerfen", "IN_PROGRESS", "2026-03-01", "2026-03-31", null, "Herr Neu"],
    ]);
    expect(acts[0].doneAt).not.toBeNull();
    expect(
      await p.planActivityUpdate.findMany({ where: { activityId: acts[0].id }, select: { body: true, notedOn: true } }),
    ).toEqual([{ body: "12 Fälle", notedOn: new Date("2026-02-05T00:00:00Z") }]);
    const own = await p.planMeasure.findFirstOrThrow({ where: { planId: ids.plan, ownTitle: "Wegeleitsystem" } });
    expect(own.origin).toBe("own");
    const sign = await p.planActivity.findFirstOrThrow({ where: { planMeasureId: own.id } });
    expect([sign.title, sign.status, sign.startsOn?.toISOString().slice(0, 10)]).toEqual([
      "Schilder bestellen",
      "DONE",
      "2026-04-15",
    ]);
    // Existing measure 1.1 got one more activity; its others are untouched (the import never deletes).
    const m11 = await p.planActivity.findMany({
      where: { planId: ids.plan, measure: { measureId: ids.m11 } },
      orderBy: { position: "asc" },
    });
    expect(m11.map((a) => a.title)).toEqual(["Beratungsleitfaden schreiben", "Team schulen", "Aushang im Wartebereich"]);
    expect(await p.planMeasure.count({ where: { planId: ids.plan } })).toBe(4);

    const events = await p.auditEvent.findMany({ where: { action: "plan.imported", officeId: ids.office } });
    expect(events).toHaveLength(1);
    expect(events[0].details).toEqual({
      cycle: 1,
      measuresAdded: 2,
      measuresChanged: 0,
      activitiesAdded: 4,
      activitiesChanged: 0,
      statesAdded: 1,
    });
    expect(JSON.stringify(events[0].details)).not.toMatch(/Wegeleitsystem|Fälle/);

    // The stored upload is gone: the same confirmation cannot be sent twice.
    const again = await people.head.post(`${base()}/import`, {
      intent: "confirm",
      token: hidden(html, "token"),
      digest: hidden(html, "digest"),
    });
    expect(again.status).toBe(400);
    expect(text(await again.text())).toContain("Die hochgeladene Datei ist nicht mehr da");
    // And the same sheet once more: nothing new.
    const twice = await upload(people.head, Buffer.from(await book.xlsx.writeBuffer()));
    expect(text(await twice.text())).toContain("Keine Änderungen");
  });

  it("leaves new measures to the head: a staff member's sheet with one is refused, row named", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("Plan");
    ws.addRow(["", "", "Arbeitsschritte", "Status"]);
    ws.addRow(["Maßnahme: Etwas ganz Neues"]);
    ws.addRow(["", "", "Erster Schritt", "✗"]);
    const res = await upload(people.staff, Buffer.from(await book.xlsx.writeBuffer()));
    expect(res.status).toBe(403);
    expect(text(await res.text())).toContain("Zeile 2: Die Maßnahme „Etwas ganz Neues“ ist noch nicht im Plan.");
    expect(await app.db.prisma.planMeasure.count({ where: { planId: ids.plan, ownTitle: "Etwas ganz Neues" } })).toBe(0);
  });

  it("answers CSV and PDF with their types as attachments", async () => {
    const csv = await people.staff.get(`${base()}/export/csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toMatch(/^attachment;.*\.csv/);
    const body = await csv.text();
    expect(body).toContain("Beratungsleitfaden schreiben");
    expect(body).toContain("✓ erledigt");
    const pdf = await people.head.get(`${base()}/export/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/^attachment;.*\.pdf/);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString(),
    ).toBe("%PDF-");
    expect((await people.head.get(`${base()}/export/docx`)).status).toBe(404);
  });

  it("answers a file that is no spreadsheet, a broken upload and a forged token with a 4xx, never a 500", async () => {
    const pdf = Buffer.from(await (await people.head.get(`${base()}/export/pdf`)).arrayBuffer());
    const notXlsx = await upload(people.head, pdf, "Plan.pdf");
    expect(notXlsx.status).toBe(415);
    expect(text(await notXlsx.text())).toContain("Bitte eine Excel-Datei im Format XLSX hochladen.");
    for (const contentType of ["multipart/form-data; boundary=grenze", "multipart/form-data"]) {
      const broken = await fetch(app.baseUrl + `${base()}/import`, {
        method: "POST",
        headers: { Cookie: people.head.cookie, "Content-Type": contentType, "Sec-Fetch-Site": "same-origin" },
        body: "--grenze\r\nkein richtiges Formular",
      });
      expect(broken.status, contentType).toBeGreaterThanOrEqual(400);
      expect(broken.status, contentType).toBeLessThan(500);
    }
    const forged = await people.head.post(`${base()}/import`, {
      intent: "confirm",
      token: `offices/${ids.officeB}/00000000-0000-4000-8000-000000000000`,
      digest: "0".repeat(64),
    });
    expect(forged.status).toBe(400);
  });

  it("gives outsiders 404 and the ministry nothing of an unreleased plan", async () => {
    for (const format of ["xlsx", "csv", "pdf"]) {
      const outsider = await people.headB.get(`${base()}/export/${format}`);
      expect(outsider.status).toBe(404);
      expect(await outsider.text()).not.toContain("Beratungsleitfaden");
      const admin = await people.admin.get(`${base()}/export/${format}`);
      expect([403, 404]).toContain(admin.status);
      expect(await admin.text()).not.toContain("Beratungsleitfaden");
    }
    expect((await people.headB.get(`${base()}/import`)).status).toBe(404);
    const sheet = await exported();
    expect((await upload(people.headB, sheet)).status).toBe(404);
  });
});
