/**
 * The plan's attachments through the real HTTP stack (express, CSRF check, the built app),
 * run once per storage backend: attachments.test.ts (files on disk) and
 * attachments-s3.test.ts (a fake S3, s3rver). Upload, list, download byte for byte,
 * tenants and the ministry kept out, size limit (413) and type by the bytes (400), deletion.
 */
import { beforeAll, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { PASSWORD, sessionCookie, text } from "../../support/accounts";
import type { useApp } from "../../support/app";
import { createPlan } from "../../support/plan";
import { files } from "../platform/storage-files";

export const LIMIT_MB = 0.1;

export function attachmentCases(app: ReturnType<typeof useApp>, backend: { objects(): Promise<string[]> }) {
  const ids = {} as Record<"network" | "a" | "b" | "plan" | "measure" | "ownMeasure" | "staff" | "headB", string>;
  const cookies = {} as Record<"head" | "staff" | "staff2" | "headB" | "stranger" | "admin", string>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "anlagen", name: "Netz Anlagen", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "anlagen-anders", name: "Netz Anders", state: "HE", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const c = await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (email: string, networkId: string, officeId: string | null, role: string) => {
      const u = await p.user.create({
        data: {
          email,
          name: email.split("@")[0],
          passwordHash,
          ...(role === "NETWORK_ADMIN" ? { totpEnabledAt: new Date() } : {}),
        },
      });
      await p.membership.create({
        data: { userId: u.id, networkId, officeId, role: role as "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN" },
      });
      return u;
    };
    const head = await person("head@anlagen.example", network.id, a.id, "OFFICE_HEAD");
    const staff = await person("staff@anlagen.example", network.id, a.id, "OFFICE_STAFF");
    await person("staff2@anlagen.example", network.id, a.id, "OFFICE_STAFF");
    const headB = await person("head-b@anlagen.example", network.id, b.id, "OFFICE_HEAD");
    await person("stranger@anlagen.example", other.id, c.id, "OFFICE_HEAD");
    const admin = await person("admin@anlagen.example", network.id, null, "NETWORK_ADMIN");
    const { plan, measures } = await createPlan(p, { networkId: network.id, officeId: a.id, startedById: head.id });
    Object.assign(ids, {
      network: network.id,
      a: a.id,
      b: b.id,
      plan: plan.id,
      measure: measures[0].id,
      ownMeasure: measures[1].id,
      staff: staff.id,
      headB: headB.id,
    });
    for (const who of ["head", "staff", "staff2", "headB", "stranger", "admin"] as const)
      cookies[who] = await sessionCookie(app.baseUrl, `${who === "headB" ? "head-b" : who}@anlagen.example`);
    await p.session.updateMany({ where: { userId: admin.id }, data: { twoFactorVerified: true } });
  });

  const page = (officeId = ids.a) => `/behoerden/${officeId}/plan/anlagen`;
  const get = (path: string, who: keyof typeof cookies) =>
    fetch(app.baseUrl + path, { redirect: "manual", headers: { Cookie: cookies[who] } });
  const upload = (who: keyof typeof cookies, bytes: Buffer, name: string, measure = ids.measure, officeId = ids.a) => {
    const form = new FormData();
    form.set("measure", measure);
    form.set("file", new Blob([new Uint8Array(bytes)]), name);
    return fetch(app.baseUrl + page(officeId), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies[who], "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
  };
  const remove = (who: keyof typeof cookies, attachment: string) =>
    fetch(app.baseUrl + page(), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies[who], "Sec-Fetch-Site": "same-origin", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "delete", attachment }),
    });
  const rows = () => app.db.prisma.planAttachment.findMany({ where: { planId: ids.plan }, orderBy: { uploadedAt: "asc" } });

  it("stores an upload of the team for its measure, lists it there and gives it back byte for byte as a download", async () => {
    const pdf = files.pdf();
    const res = await upload("staff", pdf, "Protokoll Auftakt „Terminvergabe“.pdf");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`${page()}?gespeichert=1#${ids.measure}`);
    const [row] = await rows();
    expect(row).toMatchObject({
      planMeasureId: ids.measure,
      officeId: ids.a,
      fileName: "Protokoll Auftakt „Terminvergabe“.pdf",
      contentType: "application/pdf",
      sizeBytes: pdf.length,
      uploadedById: ids.staff,
    });
    expect(await backend.objects()).toContain(row.storageKey);

    const listing = await get(page(), "head");
    expect(listing.status).toBe(200);
    const html = await listing.text();
    expect(html).toContain(`id="${ids.measure}"`);
    expect(text(html)).toContain("Protokoll Auftakt „Terminvergabe“.pdf");

    const download = await get(`${page()}/${row.id}`, "head");
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    // helmet sends nosniff for every answer and the download once more ("nosniff, nosniff").
    expect(download.headers.get("x-content-type-options")).toMatch(/^nosniff(, nosniff)?$/);
    expect(download.headers.get("content-type")).toBe("application/pdf");
    expect(Buffer.from(await download.arrayBuffer())).toEqual(pdf);

    // The log names who, the type and the size – the file's name only in the office's own content.
    const event = await app.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "plan.attachment_added", targetId: row.id },
    });
    expect(event.details).toEqual({ fileType: "application/pdf", bytes: pdf.length });
    expect(JSON.stringify(event.details)).not.toContain("Protokoll");
  });

  it("answers 404 to another office, another network and the ministry while the plan is not released", async () => {
    const [row] = await rows();
    for (const who of ["headB", "stranger", "admin"] as const) {
      expect((await get(`${page()}/${row.id}`, who)).status, who).toBe(404);
    }
    // An id of office A's attachment below office B's address: not there either.
    expect((await get(`${page(ids.b)}/${row.id}`, "headB")).status).toBe(404);
    expect((await get(`${page()}/not-an-id`, "head")).status).toBe(404);
    // Nobody outside the office uploads to it.
    expect((await upload("headB", files.pdf(), "x.pdf")).status).toBe(404);
    expect((await upload("stranger", files.pdf(), "x.pdf")).status).toBe(404);
    expect(await rows()).toHaveLength(1);
    // The admins' page says only released plans are shown, and lists nothing.
    const adminPage = await get(page(), "admin");
    expect(adminPage.status).toBe(200);
    expect(await adminPage.text()).not.toContain("Protokoll Auftakt");
  });

  it("lets the ministry download once the office released its plan", async () => {
    const [row] = await rows();
    await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { releasedAt: new Date() } });
    try {
      const res = await get(`${page()}/${row.id}`, "admin");
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(files.pdf());
    } finally {
      await app.db.prisma.plan.update({ where: { id: ids.plan }, data: { releasedAt: null } });
    }
  });

  it("refuses a file over the limit with 413 and a German message at the field, keeping nothing", async () => {
    const before = await backend.objects();
    const big = Buffer.concat([files.pdf(), Buffer.alloc(Math.round(LIMIT_MB * 1024 * 1024) + 10_000, 0x41)]);
    const res = await upload("staff", big, "Großes Konzept.pdf");
    expect(res.status).toBe(413);
    const body = text(await res.text());
    expect(body).toContain("Die Datei ist zu groß. Erlaubt sind höchstens 0,1 MB je Datei.");
    expect(await rows()).toHaveLength(1);
    expect(await backend.objects()).toEqual(before);
  });

  it("refuses a file whose bytes are no allowed type (or not what its name says) with 400, keeping nothing", async () => {
    const before = await backend.objects();
    for (const [bytes, name] of [
      [files.exe(), "Programm.pdf"],
      [files.text(), "Notiz.docx"],
      [files.png(), "Bild.pdf"],
    ] as const) {
      const res = await upload("staff", bytes, name);
      expect(res.status, name).toBe(400);
      expect(await res.text()).toContain('id="field-file-error"');
    }
    expect(await rows()).toHaveLength(1);
    expect(await backend.objects()).toEqual(before);
  });

  it("refuses a measure outside the plan or no file with 400 and deletes what was stored", async () => {
    const before = await backend.objects();
    const foreign = await upload("staff", files.pdf(), "a.pdf", "00000000-0000-4000-8000-000000000000");
    expect(foreign.status).toBe(400);
    expect(await foreign.text()).toContain('id="field-measure-error"');
    const form = new FormData();
    form.set("measure", ids.measure);
    const empty = await fetch(app.baseUrl + page(), {
      method: "POST",
      redirect: "manual",
      headers: { Cookie: cookies.staff, "Sec-Fetch-Site": "same-origin" },
      body: form,
    });
    expect(empty.status).toBe(400);
    // A broken multipart body (cut off mid-part) is bad input too, not a 500.
    const broken = await fetch(app.baseUrl + page(), {
      method: "POST",
      redirect: "manual",
      headers: {
        Cookie: cookies.staff,
        "Sec-Fetch-Site": "same-origin",
        "Content-Type": "multipart/form-data; boundary=grenze",
      },
      body: "--grenze\r\nkein richtiges Formular",
    });
    expect(broken.status).toBe(400);
    expect(await rows()).toHaveLength(1);
    expect(await backend.objects()).toEqual(before);
  });

  it("lets the uploader and the head delete an attachment, not other staff; the file is gone", async () => {
    const [row] = await rows();
    expect((await remove("staff2", row.id)).status).toBe(403);
    expect((await remove("headB", row.id)).status).toBe(404);
    const res = await remove("staff", row.id);
    expect(res.status).toBe(302);
    expect(await rows()).toHaveLength(0);
    expect(await backend.objects()).not.toContain(row.storageKey);
    expect((await get(`${page()}/${row.id}`, "head")).status).toBe(404);

    const again = await upload("staff2", files.png(), "Aushang.png", ids.ownMeasure);
    expect(again.status).toBe(302);
    const [second] = await rows();
    expect((await remove("head", second.id)).status).toBe(302);
    expect(await rows()).toHaveLength(0);
  });
}
