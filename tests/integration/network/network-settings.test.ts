import { beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PRIORITY_RULE, GRADES, type PriorityRule } from "~/domains/assessment/priority";
import { hashPassword } from "~/platform/auth/password.server";
import { sessionCookie, text } from "../../support/accounts";
import { useApp } from "../../support/app";

const PASSWORD = "einstellungs-passwort-fuer-tests";

/** The whole form as the page sends it: 16 rule cells and the two thresholds. */
function form(rule: PriorityRule, over: Record<string, string> = {}) {
  const body: Record<string, string> = { intent: "save", surveyThreshold: "5", anonymityThreshold: "5" };
  for (const need of GRADES) for (const effort of GRADES) body[`rule.${need}.${effort}`] = rule[need][effort];
  return { ...body, ...over };
}

describe("network settings: priority rule and thresholds", () => {
  const app = useApp();
  const ids = {} as { slug: string; networkId: string; otherSlug: string };
  const cookies = {} as { admin: string; head: string; otherAdmin: string };

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const network = await p.network.create({
      data: { slug: "einstellen", name: "Netz Einstellen", state: "RP", frameworkVersionId: version.id },
    });
    const other = await p.network.create({
      data: { slug: "nebenan", name: "Netz Nebenan", state: "HE", frameworkVersionId: version.id },
    });
    const office = await p.office.create({ data: { networkId: network.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const people: Array<[keyof typeof cookies, string, "NETWORK_ADMIN" | "OFFICE_HEAD", string | null]> = [
      ["admin", network.id, "NETWORK_ADMIN", null],
      ["head", network.id, "OFFICE_HEAD", office.id],
      ["otherAdmin", other.id, "NETWORK_ADMIN", null],
    ];
    for (const [key, networkId, role, officeId] of people) {
      const u = await p.user.create({
        data: {
          email: `${key.toLowerCase()}@einstellen.example`,
          name: key,
          passwordHash,
          totpEnabledAt: role === "NETWORK_ADMIN" ? new Date() : null,
        },
      });
      await p.membership.create({ data: { userId: u.id, networkId, officeId, role } });
      cookies[key] = await sessionCookie(app.baseUrl, u.email, PASSWORD);
      await p.session.updateMany({ where: { userId: u.id }, data: { twoFactorVerified: true } });
    }
    Object.assign(ids, { slug: network.slug, networkId: network.id, otherSlug: other.slug });
  });

  const path = () => `/netzwerke/${ids.slug}/einstellungen`;
  const post = (cookie: string, body: Record<string, string>, to = path()) =>
    fetch(app.baseUrl + to, {
      method: "POST",
      redirect: "manual",
      headers: { cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin" },
      body: new URLSearchParams(body),
    });
  const stored = () =>
    app.db.prisma.network.findUniqueOrThrow({
      where: { id: ids.networkId },
      select: { priorityRule: true, surveyThreshold: true, anonymityThreshold: true },
    });

  it("shows the framework's rule, the thresholds and the hint on what the anonymity threshold does", async () => {
    const res = await fetch(app.baseUrl + path(), { headers: { cookie: cookies.admin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(text(html)).toContain("Zurzeit gilt die Regel des Orientierungsrahmens.");
    expect(text(html)).toContain("Mindestzahl Behörden hinter jeder Vergleichszahl");
    // Need high, effort high: medium by default.
    expect(html).toMatch(/<select[^>]*name="rule\.HIGH\.HIGH"[^>]*>(?:(?!<\/select>).)*<option value="MEDIUM" selected=""/s);
    expect(html).toContain('href="/netzwerke/einstellen/einstellungen"');
  });

  it("stores a changed rule and thresholds, audits old and new, and shows them", async () => {
    const rule = structuredClone(DEFAULT_PRIORITY_RULE);
    rule.HIGH.HIGH = "HIGH";
    rule.LOW.NONE = "MEDIUM";
    const res = await post(cookies.admin, form(rule, { surveyThreshold: "8", anonymityThreshold: "6" }));
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Die Einstellungen sind gespeichert.");
    expect(await stored()).toEqual({ priorityRule: rule, surveyThreshold: 8, anonymityThreshold: 6 });

    const audit = await app.db.prisma.auditEvent.findFirstOrThrow({
      where: { action: "network.settings_changed", networkId: ids.networkId },
    });
    expect(audit.details).toEqual({
      old: { priorityRule: null, surveyThreshold: 5, anonymityThreshold: 5 },
      new: { priorityRule: rule, surveyThreshold: 8, anonymityThreshold: 6 },
    });

    const html = await (await fetch(app.baseUrl + path(), { headers: { cookie: cookies.admin } })).text();
    expect(text(html)).toContain("Zurzeit gilt eine eigene Regel dieses Netzwerks.");
    expect(html).toMatch(/<select[^>]*name="rule\.HIGH\.HIGH"[^>]*>(?:(?!<\/select>).)*<option value="HIGH" selected=""/s);
    expect(html).toMatch(/<select[^>]*name="rule\.LOW\.NONE"[^>]*>(?:(?!<\/select>).)*<option value="MEDIUM" selected=""/s);
    expect(html).toMatch(/name="surveyThreshold"[^>]*value="8"|value="8"[^>]*name="surveyThreshold"/);
  });

  it("refuses bad values with 400 and a German message at the field, keeps the input and changes nothing", async () => {
    const before = await stored();
    const events = await app.db.prisma.auditEvent.count({ where: { action: "network.settings_changed" } });
    const cases: Array<[Record<string, string>, string, string]> = [
      [
        { "rule.MEDIUM.LOW": "SEHR_HOCH" },
        "Bitte wählen Sie hoch, mittel, gering oder keine Priorität.",
        "field-rule-MEDIUM-LOW-error",
      ],
      [{ surveyThreshold: "4" }, "Bitte geben Sie eine ganze Zahl von 5 bis 1000 ein.", "field-surveyThreshold-error"],
      [{ surveyThreshold: "5,5" }, "Bitte geben Sie eine ganze Zahl von 5 bis 1000 ein.", "field-surveyThreshold-error"],
      [{ anonymityThreshold: "2" }, "Bitte geben Sie eine ganze Zahl von 3 bis 1000 ein.", "field-anonymityThreshold-error"],
      [{ anonymityThreshold: "" }, "Bitte geben Sie eine ganze Zahl von 3 bis 1000 ein.", "field-anonymityThreshold-error"],
    ];
    for (const [over, message, errorId] of cases) {
      // The other fields carry a change that must not be saved either.
      const res = await post(cookies.admin, form(DEFAULT_PRIORITY_RULE, { surveyThreshold: "12", ...over }));
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(text(html)).toContain(message);
      expect(html).toContain(`id="${errorId}"`);
      const [field, value] = Object.entries(over)[0];
      if (!field.startsWith("rule."))
        expect(html).toMatch(new RegExp(`name="${field}"[^>]*value="${value}"|value="${value}"[^>]*name="${field}"`));
    }
    // A missing cell is refused the same way.
    const missing = form(DEFAULT_PRIORITY_RULE);
    delete missing["rule.NONE.NONE"];
    expect((await post(cookies.admin, missing)).status).toBe(400);
    expect(await stored()).toEqual(before);
    expect(await app.db.prisma.auditEvent.count({ where: { action: "network.settings_changed" } })).toBe(events);
  });

  it("resets the rule to the framework's and stores it as no rule of its own", async () => {
    const res = await post(cookies.admin, { intent: "reset" });
    expect(res.status).toBe(200);
    expect(text(await res.text())).toContain("Es gilt wieder die Regel des Orientierungsrahmens.");
    expect(await stored()).toMatchObject({ priorityRule: null, surveyThreshold: 8, anonymityThreshold: 6 });
    // Saving a table equal to the framework's rule also keeps following the framework.
    const again = await post(cookies.admin, form(DEFAULT_PRIORITY_RULE, { surveyThreshold: "8", anonymityThreshold: "6" }));
    expect(text(await again.text())).toContain("Sie haben nichts geändert.");
    expect((await stored()).priorityRule).toBeNull();
  });

  it("is the network admin's alone: an admin of another network gets 404, an office head 403", async () => {
    const before = await stored();
    const rule = structuredClone(DEFAULT_PRIORITY_RULE);
    rule.NONE.NONE = "HIGH";
    expect((await fetch(app.baseUrl + path(), { headers: { cookie: cookies.otherAdmin } })).status).toBe(404);
    expect((await post(cookies.otherAdmin, form(rule))).status).toBe(404);
    expect((await fetch(app.baseUrl + path(), { headers: { cookie: cookies.head } })).status).toBe(403);
    expect((await post(cookies.head, form(rule))).status).toBe(403);
    expect((await post(cookies.head, { intent: "reset" })).status).toBe(403);
    expect(await stored()).toEqual(before);
  });
});
