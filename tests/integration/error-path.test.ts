/**
 * The one error path (app/platform/errors.ts, docs/decisions/0014): typed errors thrown by
 * domain and platform code behind real routes answer 404 / 403 / 409 / 400 / 413 with the
 * German error page – never a 500 – and none of them is logged as a fault of the portal.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { client, type Client, PASSWORD, text } from "../support/accounts";
import { useApp } from "../support/app";

describe("one error path for typed domain errors", () => {
  const app = useApp();
  const ids = {} as { office: string; round: string };
  const people = {} as Record<"head" | "staff" | "neighbour" | "stranger", Client>;
  const errors = vi.spyOn(console, "error");

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "fehlerpfad", name: "Netz Fehlerpfad", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "fehlerpfad-anders", name: "Netz Anders", state: "HE", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const neighbour = await p.office.create({ data: { networkId: network.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const foreign = await p.office.create({ data: { networkId: other.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const person = async (
      key: keyof typeof people,
      networkId: string,
      officeId: string,
      role: "OFFICE_HEAD" | "OFFICE_STAFF",
    ) => {
      const u = await p.user.create({ data: { email: `${key}@fehlerpfad.example`, name: `Person ${key}`, passwordHash } });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      const c = client(app.baseUrl);
      await c.post("/anmelden", { email: u.email, password: PASSWORD, redirectTo: "/konto" });
      if (!c.cookie) throw new Error(`sign-in failed for ${key}`);
      people[key] = c;
      return u;
    };
    const head = await person("head", network.id, office.id, "OFFICE_HEAD");
    await person("staff", network.id, office.id, "OFFICE_STAFF");
    await person("neighbour", network.id, neighbour.id, "OFFICE_HEAD");
    await person("stranger", other.id, foreign.id, "OFFICE_HEAD");
    // A round that is over: the head can no longer submit.
    const round = await p.assessmentRound.create({
      data: {
        networkId: network.id,
        frameworkVersionId: version.id,
        name: "Frühjahr 2027",
        opensAt: new Date(Date.now() - 30 * 86_400_000),
        deadline: new Date(Date.now() - 2 * 86_400_000),
        closedAt: new Date(Date.now() - 86_400_000),
        createdById: head.id,
      },
    });
    await p.roundParticipant.create({ data: { roundId: round.id, officeId: office.id } });
    await p.assessment.create({ data: { roundId: round.id, officeId: office.id } });
    Object.assign(ids, { office: office.id, round: round.id });
  });

  afterEach(() => {
    // Expected refusals are not faults of the portal: handleError logs none of them.
    expect(errors).not.toHaveBeenCalled();
    errors.mockClear();
  });

  async function page(res: Response) {
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    return text(await res.text());
  }

  it("404 NotFoundError: an outsider to the office – of the network or not – learns nothing, not even 403", async () => {
    for (const who of ["neighbour", "stranger"] as const) {
      const res = await people[who].get(`/behoerden/${ids.office}/stand`);
      expect(res.status).toBe(404);
      const body = await page(res);
      expect(body).toContain("Seite nicht gefunden");
      expect(body).not.toContain("ABH Alpha");
    }
    // The same for a page the member could not use either (sharing is the head's): 404 before 403.
    expect((await people.stranger.get(`/behoerden/${ids.office}/freigabe`)).status).toBe(404);
  });

  it("403 ForbiddenError: staff of the office on the head's sharing page", async () => {
    const res = await people.staff.get(`/behoerden/${ids.office}/freigabe`);
    expect(res.status).toBe(403);
    expect(await page(res)).toContain("Kein Zugriff Für diese Seite fehlen Ihnen die Rechte.");
  });

  it("409 ConflictError: submitting in a closed round says why on the error page", async () => {
    const res = await people.head.post(`/behoerden/${ids.office}/runden/${ids.round}/abgeben`, {
      intent: "submit",
      confirmGaps: "yes",
    });
    expect(res.status).toBe(409);
    const body = await page(res);
    expect(body).toContain("Nicht mehr möglich");
    expect(body).toContain("Die Runde ist abgeschlossen. Es wurde nichts gespeichert.");
    expect(await app.db.prisma.assessment.count({ where: { officeId: ids.office, submittedAt: { not: null } } })).toBe(0);
  });

  it("400 InvalidInputError: a form body that is not one", async () => {
    const res = await fetch(`${app.baseUrl}/anmelden`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "multipart/form-data; boundary=kaputt", "Sec-Fetch-Site": "same-origin" },
      body: "--kaputt\r\nkein Teil\r\n",
    });
    expect(res.status).toBe(400);
    expect(await page(res)).toContain("Ungültige Anfrage");
  });

  it("413 TooLargeError: a form body over the limit", async () => {
    const res = await fetch(`${app.baseUrl}/anmelden`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: `email=${"a".repeat(3 * 1024 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(await page(res)).toContain("Anfrage zu groß Die gesendeten Daten sind zu groß und wurden nicht angenommen.");
  });
});
