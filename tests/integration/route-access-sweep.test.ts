/**
 * Tenant isolation, swept over every route that takes an identifier. Routes are read
 * from the built app's manifest, so a route added later is covered without anyone
 * remembering; a route with a parameter this file does not know fails the sweep until
 * someone says which sample identifier it takes and who may open it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "~/platform/auth/password.server";
import { sessionCookie } from "../support/accounts";
import { useApp } from "../support/app";
import { appRoutes } from "../support/routes";

const PASSWORD = "ein-sicheres-testpasswort";

type Sample = { network: string; office: string; round: string; planMeasure: string; activity: string };
/** Public routes: the identifier names catalogue content, which everyone may read. */
const PUBLIC_PARAMS = new Set(["version", "goal", "measure"]);
/**
 * People of office A itself whose role lacks a right: what each may open. Everything not
 * listed here must be refused to them too – so a new route starts out closed in this test.
 */
const INSIDER_ACCESS: Record<string, Record<string, Array<"GET" | "POST">>> = {
  headA: {
    "behoerden/:office": ["GET", "POST"],
    "behoerden/:office/protokoll": ["GET"],
    "behoerden/:office/runden/:round": ["GET", "POST"],
    "behoerden/:office/runden/:round/ziele/:goalNo": ["GET", "POST"],
    "behoerden/:office/runden/:round/massnahmen": ["GET", "POST"],
    "behoerden/:office/runden/:round/abgeben": ["GET", "POST"],
    "behoerden/:office/runden/:round/umfrage": ["GET", "POST"],
    "behoerden/:office/runden/:round/export/:format": ["GET"],
    "behoerden/:office/verlauf": ["GET"],
    "behoerden/:office/stand": ["GET"],
    "behoerden/:office/vergleich": ["GET"],
    "behoerden/:office/bericht": ["GET"],
    "behoerden/:office/freigabe": ["GET", "POST"],
    "behoerden/:office/plan": ["GET", "POST"],
    "behoerden/:office/plan/zeitplan": ["GET"],
    "behoerden/:office/plan/gesamtkonzept": ["GET", "POST"],
    "behoerden/:office/plan/gesamtkonzept/:format": ["GET"],
    "behoerden/:office/runden/:round/workshop": ["GET", "POST"],
    "behoerden/:office/plan/phasen": ["GET", "POST"],
    "behoerden/:office/plan/zyklen/:cycle": ["GET"],
    "behoerden/:office/plan/export/:format": ["GET"],
    "behoerden/:office/plan/import": ["GET", "POST"],
    "behoerden/:office/plan/massnahmen/:planMeasure": ["GET", "POST"],
    "behoerden/:office/plan/aktivitaeten/:activity": ["GET", "POST"],
    "behoerden/:office/plan/anlagen": ["GET"],
  },
  staffA: {
    "behoerden/:office": ["GET"],
    "behoerden/:office/runden/:round": ["GET", "POST"],
    "behoerden/:office/runden/:round/ziele/:goalNo": ["GET", "POST"],
    "behoerden/:office/runden/:round/massnahmen": ["GET", "POST"],
    "behoerden/:office/runden/:round/abgeben": ["GET"],
    "behoerden/:office/runden/:round/export/:format": ["GET"],
    "behoerden/:office/verlauf": ["GET"],
    "behoerden/:office/stand": ["GET"],
    "behoerden/:office/vergleich": ["GET"],
    "behoerden/:office/bericht": ["GET"],
    "behoerden/:office/plan": ["GET"],
    "behoerden/:office/plan/zeitplan": ["GET"],
    // The team reads the Gesamtkonzept and its files (a save is the head's: 403).
    "behoerden/:office/plan/gesamtkonzept": ["GET"],
    "behoerden/:office/plan/gesamtkonzept/:format": ["GET"],
    "behoerden/:office/runden/:round/workshop": ["GET", "POST"],
    "behoerden/:office/plan/phasen": ["GET", "POST"],
    "behoerden/:office/plan/zyklen/:cycle": ["GET"],
    "behoerden/:office/plan/export/:format": ["GET"],
    "behoerden/:office/plan/import": ["GET", "POST"],
    "behoerden/:office/plan/massnahmen/:planMeasure": ["GET", "POST"],
    "behoerden/:office/plan/aktivitaeten/:activity": ["GET", "POST"],
    "behoerden/:office/plan/anlagen": ["GET"],
  },
};
const routesWithIdentifiers = async () => (await appRoutes()).filter((r) => r.path.includes(":"));

describe("every route with an identifier refuses people from elsewhere", () => {
  const app = useApp();
  const sample = {} as Sample & { headAEmail: string };
  const cookies = {} as Record<string, string>;

  beforeAll(async () => {
    const p = app.db.prisma;
    const version = await p.frameworkVersion.findFirstOrThrow();
    const n1 = await p.network.create({
      data: { slug: "netz-eins", name: "Netz Eins", state: "RP", frameworkVersionId: version.id },
    });
    const n2 = await p.network.create({
      data: { slug: "netz-zwei", name: "Netz Zwei", state: "HE", frameworkVersionId: version.id },
    });
    const a = await p.office.create({ data: { networkId: n1.id, slug: "a", name: "ABH Alpha", kind: "LANDKREIS" } });
    const b = await p.office.create({ data: { networkId: n1.id, slug: "b", name: "ABH Beta", kind: "LANDKREIS" } });
    const c = await p.office.create({ data: { networkId: n2.id, slug: "c", name: "ABH Gamma", kind: "LANDKREIS" } });
    const passwordHash = await hashPassword(PASSWORD);
    const people: Array<
      [
        key: string,
        role: "OFFICE_HEAD" | "OFFICE_STAFF" | "NETWORK_ADMIN" | "CONSULTANT" | "NETWORK_MEMBER",
        networkId: string,
        officeId: string | null,
      ]
    > = [
      ["headA", "OFFICE_HEAD", n1.id, a.id],
      ["staffA", "OFFICE_STAFF", n1.id, a.id],
      ["headB", "OFFICE_HEAD", n1.id, b.id],
      ["staffB", "OFFICE_STAFF", n1.id, b.id],
      ["consultant", "CONSULTANT", n1.id, null],
      ["member", "NETWORK_MEMBER", n1.id, null],
      ["headC", "OFFICE_HEAD", n2.id, c.id],
    ];
    for (const [key, role, networkId, officeId] of people) {
      const user = await p.user.create({ data: { email: `${key.toLowerCase()}@sweep.example`, name: key, passwordHash } });
      await p.membership.create({ data: { userId: user.id, networkId, officeId, role } });
      cookies[key] = await signIn(user.email);
    }
    // An admin of the *other* network (with two-factor done, so only the tenant check can stop them).
    const adminC = await p.user.create({ data: { email: "adminc@sweep.example", name: "Admin C", passwordHash } });
    await p.membership.create({ data: { userId: adminC.id, networkId: n2.id, role: "NETWORK_ADMIN" } });
    await p.user.update({ where: { id: adminC.id }, data: { totpEnabledAt: new Date() } });
    cookies.adminC = await signIn(adminC.email);
    await p.session.updateMany({ where: { userId: adminC.id }, data: { twoFactorVerified: true } });
    // A round of office A's network that office A takes part in.
    const round = await p.assessmentRound.create({
      data: {
        networkId: n1.id,
        frameworkVersionId: version.id,
        name: "2026",
        opensAt: new Date(),
        deadline: new Date(Date.now() + 30 * 86_400_000),
        createdById: adminC.id,
      },
    });
    await p.roundParticipant.create({ data: { roundId: round.id, officeId: a.id } });
    await p.assessment.create({ data: { roundId: round.id, officeId: a.id } });
    // Office A's plan: cycle 1 closed (the read-only view), cycle 2 open, each with a measure;
    // the open one with an activity (the plan pages' samples).
    const headA = await p.user.findUniqueOrThrow({ where: { email: "heada@sweep.example" } });
    const measure = await p.measure.findFirstOrThrow({ orderBy: { code: "asc" } });
    const planSample = { planMeasure: "", activity: "" };
    for (const cycle of [1, 2]) {
      const plan = await p.plan.create({
        data: { networkId: n1.id, officeId: a.id, cycle, startedById: headA.id, closedAt: cycle === 1 ? new Date() : null },
      });
      const planMeasure = await p.planMeasure.create({
        data: {
          planId: plan.id,
          officeId: a.id,
          measureId: measure.id,
          origin: "priority",
          completedAt: cycle === 1 ? new Date() : null,
          addedById: headA.id,
        },
      });
      if (cycle === 2) {
        const activity = await p.planActivity.create({
          data: { planMeasureId: planMeasure.id, planId: plan.id, officeId: a.id, title: "Flyer", createdById: headA.id },
        });
        Object.assign(planSample, { planMeasure: planMeasure.id, activity: activity.id });
      }
    }
    Object.assign(sample, { network: n1.slug, office: a.id, round: round.id, ...planSample, headAEmail: "heada@sweep.example" });
  });

  const signIn = (email: string) => sessionCookie(app.baseUrl, email, PASSWORD);

  function urlFor(routePath: string) {
    return (
      "/" +
      routePath.replace(/:(\w+)\??/g, (_, name: string) => {
        if (name === "network") return sample.network;
        if (name === "office") return sample.office;
        if (name === "round") return sample.round;
        if (name === "planMeasure") return sample.planMeasure;
        if (name === "activity") return sample.activity;
        if (name === "token" || name === "code") return "ein-fremdes-token-das-es-nicht-gibt";
        if (name === "goalNo") return "1";
        if (name === "format") return routePath.includes("gesamtkonzept") ? "docx" : "csv";
        if (name === "cycle") return "1";
        if (name === "format") return "csv";
        // A well-formed id of an attachment (none exists in this database: everyone gets 404).
        if (name === "attachment") return "6f1c2a9e-3b4d-4e5f-8a7b-1c2d3e4f5a6b";
        if (PUBLIC_PARAMS.has(name)) return `__public__${name}`;
        throw new Error(`Route parameter :${name} (${routePath}) has no sample identifier in the access sweep – add one.`);
      })
    );
  }

  it("finds the tenant routes by itself", async () => {
    const paths = (await routesWithIdentifiers()).map((r) => r.path);
    expect(paths).toEqual(expect.arrayContaining(["behoerden/:office", "netzwerke/:network/personen", "einladung/:token"]));
  });

  it("gives the rightful people access (so the sweep below can fail)", async () => {
    const office = await fetch(`${app.baseUrl}/behoerden/${sample.office}`, { headers: { cookie: cookies.headA } });
    expect(office.status).toBe(200);
    expect(await office.text()).toContain(sample.headAEmail);
  });

  it("answers 403/404 (never the data) to every other office, role and network, for GET and POST", async () => {
    const routes = (await routesWithIdentifiers()).filter((r) => !r.path.split("/").some((s) => PUBLIC_PARAMS.has(s.slice(1))));
    const outsiders = ["headB", "staffB", "consultant", "member", "headC", "adminC", "headA", "staffA"];
    const failures: string[] = [];
    for (const route of routes) {
      const url = urlFor(route.path);
      for (const who of [...outsiders, "anonymous"]) {
        const headers: Record<string, string> = { "Sec-Fetch-Site": "same-origin" };
        if (who !== "anonymous") headers.cookie = cookies[who];
        const requests: Array<[string, RequestInit]> = [["GET", { headers }]];
        if (route.hasAction) {
          requests.push([
            "POST",
            {
              method: "POST",
              headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
              body: new URLSearchParams({
                intent: "invite",
                email: "eindringling@example.org",
                role: "OFFICE_STAFF",
                officeId: sample.office,
              }),
            },
          ]);
        }
        for (const [method, init] of requests) {
          if (INSIDER_ACCESS[who]?.[route.path]?.includes(method as "GET" | "POST")) continue;
          const res = await fetch(app.baseUrl + url, { redirect: "manual", ...init });
          const body = await res.text();
          const toSignIn = res.status === 302 && (res.headers.get("location") ?? "").startsWith("/anmelden");
          const ok = who === "anonymous" ? toSignIn || res.status === 404 : res.status === 403 || res.status === 404;
          if (!ok || body.includes(sample.headAEmail) || body.includes("ABH Alpha")) {
            failures.push(`${method} ${url} as ${who}: ${res.status}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
    // Nothing was created by the attempts.
    expect(await app.db.prisma.invitation.count({ where: { email: "eindringling@example.org" } })).toBe(0);
    // Every route × nine people × GET and POST: more than the default 30 s on a busy machine.
  }, 300_000);
});
