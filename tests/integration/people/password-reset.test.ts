import { describe, expect, it } from "vitest";
import { hashToken } from "~/platform/auth/tokens.server";
import { deliverDueEmails } from "~/platform/email/outbox.server";
import { findLinks } from "~/platform/email/links";
import { RESET_ANSWER_MS } from "~/domains/people/password-reset.server";
import { client, createUser, signIn, text } from "../../support/accounts";
import { useApp } from "../../support/app";
import { recordingOutbox } from "../../support/outbox";

const NEUTRAL = "Wenn es ein Konto für diese Adresse gibt, haben wir eine E-Mail geschickt.";
const NEW_PASSWORD = "ein ganz neues Passwort 2";

describe("password reset by e-mail", () => {
  const app = useApp();
  const db = app.db;

  const requestReset = async (email: string) => {
    const started = performance.now();
    const res = await client(app.baseUrl).post("/passwort-vergessen", { email });
    return Object.assign(res, { ms: performance.now() - started });
  };
  /** The path of the link in the newest reset e-mail to this address, as delivered (the outbox keeps it redacted). */
  const resetPath = (to: string) => recordingOutbox(db.prisma).linkTo(to, "/passwort-neu/");
  const setPassword = (path: string, password = NEW_PASSWORD, repeat = password) =>
    client(app.baseUrl).post(path, { password, passwordRepeat: repeat });
  const withoutNonces = (html: string) => html.replace(/nonce="[^"]*"/g, "");

  it("a known and an unknown address get the identical answer, equally late; only the known one gets an e-mail", async () => {
    const user = await createUser(db.prisma);
    const unknownAddress = "niemand-hier@behoerde.example.de";
    const known = await requestReset(user.email);
    const unknown = await requestReset(unknownAddress);

    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const knownHtml = await known.text();
    expect(withoutNonces(await unknown.text())).toBe(withoutNonces(knownHtml));
    expect(text(knownHtml)).toContain(NEUTRAL);
    // Both answers wait for the same floor, so the work for a real account does not show.
    expect(known.ms).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 5);
    expect(unknown.ms).toBeGreaterThanOrEqual(RESET_ANSWER_MS - 5);

    expect(await db.prisma.emailMessage.count({ where: { to: user.email } })).toBe(1);
    expect(await db.prisma.emailMessage.count({ where: { to: unknownAddress } })).toBe(0);
    // Only the token's hash is stored, and the link is valid for 30 minutes.
    const token = (await resetPath(user.email)).split("/").pop()!;
    const [reset] = await db.prisma.passwordReset.findMany({ where: { userId: user.id } });
    expect(reset.tokenHash).toBe(hashToken(token));
    expect(reset.tokenHash).not.toContain(token);
    expect(reset.expiresAt.getTime() - reset.createdAt.getTime()).toBeCloseTo(30 * 60_000, -4);
    const audited = await db.prisma.auditEvent.findMany({ where: { action: "auth.password_reset_requested" } });
    expect(audited.map((e) => e.actorId)).toEqual(expect.arrayContaining([user.id, null]));
  });

  it("the link sets a new password once, ends every other session, and the old password stops working", async () => {
    const user = await createUser(db.prisma);
    const otherDevice = await signIn(app.baseUrl, user.email);
    expect((await otherDevice.get("/konto")).status).toBe(200);

    await requestReset(user.email);
    const path = await resetPath(user.email);
    const form = await client(app.baseUrl).get(path);
    expect(form.status).toBe(200);
    expect(text(await form.text())).toContain(user.email);

    const done = await setPassword(path);
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/konto?hinweis=passwort-neu");
    const thisDevice = client(app.baseUrl, done.headers.getSetCookie()[0].split(";")[0]);
    const welcome = await thisDevice.get("/konto?hinweis=passwort-neu");
    expect(welcome.status).toBe(200);
    expect(text(await welcome.text())).toContain("Ihr neues Passwort gilt ab sofort.");

    // The other device is signed out; only the fresh session remains.
    const kicked = await otherDevice.get("/konto");
    expect(kicked.status).toBe(302);
    expect(kicked.headers.get("location")).toMatch(/^\/anmelden/);
    expect(await db.prisma.session.count({ where: { userId: user.id } })).toBe(1);

    expect((await signIn(app.baseUrl, user.email, user.password)).response.status).toBe(400);
    expect((await signIn(app.baseUrl, user.email, NEW_PASSWORD)).response.status).toBe(302);
    const stored = await db.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(stored.passwordChangedAt.getTime()).toBeGreaterThan(user.passwordChangedAt.getTime());
    expect(await db.prisma.auditEvent.count({ where: { action: "auth.password_reset", actorId: user.id } })).toBe(1);

    // Used: the page explains, and a second submit changes nothing.
    const again = await client(app.baseUrl).get(path);
    expect(again.status).toBe(404);
    expect(text(await again.text())).toContain("Dieser Link gilt nicht (mehr).");
    const replay = await setPassword(path, "noch ein anderes Passwort 3");
    expect(replay.status).toBe(404);
    expect((await signIn(app.baseUrl, user.email, "noch ein anderes Passwort 3")).response.status).toBe(400);
    expect((await signIn(app.baseUrl, user.email, NEW_PASSWORD)).response.status).toBe(302);
  });

  it("an expired link is refused and changes nothing", async () => {
    const user = await createUser(db.prisma);
    await requestReset(user.email);
    const path = await resetPath(user.email);
    await db.prisma.passwordReset.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    const page = await client(app.baseUrl).get(path);
    expect(page.status).toBe(404);
    expect(text(await page.text())).toContain("Dieser Link gilt nicht (mehr).");
    expect((await setPassword(path)).status).toBe(404);
    expect((await signIn(app.baseUrl, user.email, NEW_PASSWORD)).response.status).toBe(400);
    expect((await signIn(app.baseUrl, user.email, user.password)).response.status).toBe(302);
  });

  it("an unknown token is a 404 with an explanation", async () => {
    const res = await client(app.baseUrl).get("/passwort-neu/gibt-es-nicht");
    expect(res.status).toBe(404);
    expect(text(await res.text())).toContain("Dieser Link gilt nicht (mehr).");
  });

  it("a too short or mismatched new password: 400 with the message at the field, and the link still works", async () => {
    const user = await createUser(db.prisma);
    await requestReset(user.email);
    const path = await resetPath(user.email);

    const short = await setPassword(path, "kurz");
    expect(short.status).toBe(400);
    expect(await short.text()).toMatch(/id="field-password-error"[^>]*>Das Passwort muss mindestens 12 Zeichen lang sein\./);
    const mismatch = await setPassword(path, NEW_PASSWORD, "etwas ganz anderes 4");
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toMatch(/id="field-passwordRepeat-error"[^>]*>Die beiden Passwörter stimmen nicht überein\./);

    expect((await setPassword(path)).status).toBe(302);
  });

  it("an invalid address gets a German message at the field", async () => {
    const res = await requestReset("keine-adresse");
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/id="field-email-error"[^>]*>Bitte geben Sie eine gültige E-Mail-Adresse ein\./);
  });

  it("more than three requests an hour for one address are refused with a clear message (429), without an e-mail", async () => {
    const user = await createUser(db.prisma);
    for (let i = 0; i < 3; i++) expect((await requestReset(user.email)).status).toBe(200);
    const blocked = await requestReset(user.email);
    expect(blocked.status).toBe(429);
    expect(text(await blocked.text())).toMatch(
      /Sie haben in kurzer Zeit zu viele Links angefordert\. Bitte warten Sie \d+ Minuten/,
    );
    expect(await db.prisma.emailMessage.count({ where: { to: user.email } })).toBe(3);
  });

  it("after a reset and an invitation e-mail were delivered (after an outage), no row of any table holds either token", async () => {
    const p = db.prisma;
    await p.$executeRaw`DELETE FROM rate_limit`;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "token-scan", name: "Netz Token", state: "RP", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "t", name: "ABH Token", kind: "LANDKREIS" } });
    const head = await createUser(p, { name: "Leitung Token" });
    await p.membership.create({ data: { userId: head.id, networkId: network.id, officeId: office.id, role: "OFFICE_HEAD" } });
    const invitee = "neu-im-team@behoerde.example.de";
    expect(
      (await (await signIn(app.baseUrl, head.email)).post(`/behoerden/${office.id}`, { intent: "invite", email: invitee }))
        .status,
    ).toBe(200);
    const user = await createUser(p);
    expect((await requestReset(user.email)).status).toBe(200);

    // The provider is down at first; the retry an hour later delivers both.
    const down = { name: "down", send: () => Promise.reject(new Error("provider down")) };
    expect(await deliverDueEmails({ prisma: p, transport: down, batchSize: 100 })).toMatchObject({ sent: 0 });
    const outbox = recordingOutbox(p);
    await deliverDueEmails({ prisma: p, transport: outbox.transport, now: new Date(Date.now() + 3_600_000), batchSize: 100 });
    const tokenOf = (to: string, path: string) => {
      const link = outbox.sent
        .filter((m) => m.to === to)
        .flatMap((m) => findLinks(m.text))
        .find((l) => l.includes(path));
      expect(link, `delivered link to ${to}`).toBeDefined();
      return new URL(link!).pathname.split("/").pop()!;
    };
    const tokens = [tokenOf(invitee, "/einladung/"), tokenOf(user.email, "/passwort-neu/")];

    // Every column of every table, as text (bytea also as its bytes).
    const columns = await p.$queryRaw<Array<{ table: string; column: string; type: string }>>`
      SELECT c.table_name AS table, c.column_name AS column, c.data_type AS type
      FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`;
    expect(columns.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const token of tokens) {
      for (const { table, column, type } of columns) {
        const ref = `"${table}"."${column}"`;
        const condition =
          type === "bytea" ? `position(convert_to($1, 'UTF8') in ${ref}) > 0` : `position($1 in ${ref}::text) > 0`;
        const [{ n }] = await p.$queryRawUnsafe<Array<{ n: number }>>(
          `SELECT count(*)::int AS n FROM "${table}" WHERE ${condition}`,
          token,
        );
        if (n > 0) found.push(`${ref} holds ${token.slice(0, 6)}…`);
      }
    }
    expect(found).toEqual([]);

    // The tokens themselves were live: both links still complete their flow.
    expect((await client(app.baseUrl).get(`/einladung/${tokens[0]}`)).status).toBe(200);
    expect((await setPassword(`/passwort-neu/${tokens[1]}`)).status).toBe(302);
  });
});
