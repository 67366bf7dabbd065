/**
 * WCAG 2.1 A/AA, swept over every page of the portal, beside the route-access and
 * bad-input sweeps. Routes are read from the build (tests/support/routes.ts), so a page
 * added later is checked without anyone remembering; a route parameter this file has no
 * sample for fails the sweep. Each page is opened, in one Chromium, by every role that may
 * see it (network admin, office head, office staff, consultant, member) – or, when it is
 * public, by an anonymous visitor – and axe-core's findings of any impact fail the test,
 * naming page, role, rule and element. Downloads and other resource routes are skipped
 * with the reason.
 */
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "~/platform/auth/tokens.server";
import { createPrismaClient } from "~/platform/db.server";
import { createUser, sessionCookie } from "../support/accounts";
import { usePortal } from "../support/portal";
import { createPlan, createPlanAttachment } from "../support/plan";
import { appRoutes, routeUrl } from "../support/routes";

const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
/** A survey code (alphabet without 0/O/1/I), stored as its hash like a real one. */
const SURVEY_CODE = "ABCD-EFGH-JKLM";
const ROLES = ["admin", "head", "staff", "consultant", "member"] as const;
type Who = (typeof ROLES)[number] | "anonymous" | "adminBeforeTwoFactor";

describe("every page passes axe-core (WCAG 2.1 A/AA) for every role that may see it", () => {
  const portal = usePortal();
  const samples = {} as Record<string, string>;
  const cookies = {} as Record<Who, string>;

  beforeAll(async () => {
    const p = createPrismaClient(portal.databaseUrl, { max: 1 });
    try {
      const network = await p.network.findUniqueOrThrow({ where: { slug: "rlp-demo" } });
      const version = await p.frameworkVersion.findUniqueOrThrow({ where: { id: network.frameworkVersionId } });
      const offices = await p.office.findMany({ where: { networkId: network.id } });
      const mainz = offices.find((o) => o.slug === "stadt-mainz")!;
      const people = {} as Record<(typeof ROLES)[number], { id: string; email: string; password: string }>;
      for (const role of ROLES) {
        people[role] = await createUser(p, { name: `Barrierefrei ${role}` });
        const officeId = role === "head" || role === "staff" ? mainz.id : null;
        const membershipRole = {
          admin: "NETWORK_ADMIN",
          head: "OFFICE_HEAD",
          staff: "OFFICE_STAFF",
          consultant: "CONSULTANT",
          member: "NETWORK_MEMBER",
        } as const;
        await p.membership.create({
          data: { userId: people[role].id, networkId: network.id, officeId, role: membershipRole[role] },
        });
      }
      await p.user.update({ where: { id: people.admin.id }, data: { totpEnabledAt: new Date() } });

      // A closed round every office submitted (figures on the comparison, history and monitoring pages) …
      const goals = await p.goal.findMany({ where: { frameworkVersionId: version.id } });
      const closed = await p.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: version.id,
          name: "2025",
          opensAt: new Date("2025-01-10T00:00:00+01:00"),
          deadline: new Date("2025-03-31T23:59:59+02:00"),
          createdById: people.admin.id,
        },
      });
      await p.roundParticipant.createMany({ data: offices.map((o) => ({ roundId: closed.id, officeId: o.id })) });
      const submittedAt = new Date("2025-03-20T10:00:00+01:00");
      await p.assessment.createMany({
        data: offices.map((o) => ({ roundId: closed.id, officeId: o.id, submittedAt, submittedById: people.head.id })),
      });
      const submitted = await p.assessment.findMany({ where: { roundId: closed.id }, select: { id: true } });
      await p.goalAssessment.createMany({
        data: submitted.flatMap((a, i) => goals.map((g, j) => ({ assessmentId: a.id, goalId: g.id, rating: ((i + j) % 5) + 1 }))),
      });
      // Mainz shares its results of that round with the network's admins.
      const mainzClosed = await p.assessment.findUniqueOrThrow({
        where: { roundId_officeId: { roundId: closed.id, officeId: mainz.id } },
      });
      await p.assessmentShare.create({ data: { assessmentId: mainzClosed.id, grantedById: people.head.id } });
      await p.assessmentRound.update({ where: { id: closed.id }, data: { closedAt: new Date("2025-05-02T12:00:00+02:00") } });

      // … and an open one in which Mainz has a draft and a running staff survey.
      const open = await p.assessmentRound.create({
        data: {
          networkId: network.id,
          frameworkVersionId: version.id,
          name: "2026",
          opensAt: new Date(Date.now() - 86_400_000),
          deadline: new Date(Date.now() + 30 * 86_400_000),
          createdById: people.admin.id,
        },
      });
      await p.roundParticipant.createMany({ data: offices.map((o) => ({ roundId: open.id, officeId: o.id })) });
      const draft = await p.assessment.create({ data: { roundId: open.id, officeId: mainz.id } });
      const survey = await p.survey.create({
        data: { assessmentId: draft.id, closesAt: new Date(Date.now() + 14 * 86_400_000), createdById: people.head.id },
      });
      await p.surveyCode.create({ data: { surveyId: survey.id, codeHash: hashToken(SURVEY_CODE.replace(/-/g, "")) } });

      // Whatever plans the demo data gave Mainz make way for a fixed history (the one open plan
      // per office): Mainz's implementation plan: cycle 1 closed (the read-only view, every status of the aid),
      // cycle 2 open from the 2025 priorities with a finished measure, a ticked task and a review meeting.
      await p.plan.deleteMany({ where: { officeId: mainz.id } });
      const cycleMeasures = await p.measure.findMany({
        where: { frameworkVersionId: version.id },
        orderBy: { code: "asc" },
        take: 2,
      });
      for (const cycle of [1, 2]) {
        const plan = await p.plan.create({
          data: {
            networkId: network.id,
            officeId: mainz.id,
            cycle,
            sourceRoundId: cycle === 2 ? closed.id : null,
            phase: cycle === 1 ? "KONSOLIDIERUNG" : "UMSETZUNG",
            startedById: people.head.id,
            startedAt: new Date(cycle === 1 ? "2024-02-01T09:00:00+01:00" : "2025-06-01T09:00:00+02:00"),
            closedAt: cycle === 1 ? new Date("2025-06-01T09:00:00+02:00") : null,
          },
        });
        for (const [i, m] of cycleMeasures.entries()) {
          const finished = i === 0;
          const pm = await p.planMeasure.create({
            data: {
              planId: plan.id,
              officeId: mainz.id,
              measureId: m.id,
              origin: "priority",
              intendedResult: m.result,
              position: i,
              completedAt: finished ? new Date("2025-04-01T09:00:00+02:00") : null,
              ...(finished && cycle === 1
                ? {
                    consolidationSuccessful: true,
                    consolidationResults: "Erreicht.",
                    consolidationDecision: "KEEP" as const,
                    consolidatedAt: new Date(),
                  }
                : {}),
              addedById: people.head.id,
            },
          });
          const statuses = finished ? (["DONE"] as const) : (["IN_PROGRESS", "NOT_STARTED"] as const);
          for (const [j, status] of statuses.entries())
            await p.planActivity.create({
              data: {
                planMeasureId: pm.id,
                planId: plan.id,
                officeId: mainz.id,
                position: j,
                title: `Arbeitsschritt ${j + 1}`,
                status,
                startsOn: new Date("2025-01-01"),
                endsOn: new Date("2025-09-30"),
                responsibleUserId: people.staff.id,
                createdById: people.head.id,
              },
            });
        }
        if (cycle === 2) {
          await p.planPhaseTask.create({
            data: {
              planId: plan.id,
              officeId: mainz.id,
              taskKey: "team_informed",
              doneById: people.staff.id,
              note: "Teamsitzung",
            },
          });
          await p.planReview.create({
            data: {
              planId: plan.id,
              officeId: mainz.id,
              heldOn: new Date("2025-09-01"),
              answers: { obstacles: "Urlaubszeit" },
              notes: "Nächste Besprechung im Oktober.",
              createdById: people.staff.id,
            },
          });
        }
      }
      // Mainz's open implementation plan (unless the demo data brings one) with a measure and
      // a Gesamtkonzept, so the plan's pages show their forms and tables, and a workshop note.
      const plan =
        (await p.plan.findFirst({ where: { officeId: mainz.id, closedAt: null } })) ??
        (await p.plan.create({
          data: { networkId: network.id, officeId: mainz.id, sourceRoundId: closed.id, startedById: people.head.id },
        }));
      const firstMeasure = await p.measure.findFirstOrThrow({
        where: { frameworkVersionId: version.id },
        orderBy: { code: "asc" },
      });
      if ((await p.planMeasure.count({ where: { planId: plan.id } })) === 0)
        await p.planMeasure.create({
          data: {
            planId: plan.id,
            officeId: mainz.id,
            measureId: firstMeasure.id,
            origin: "priority",
            addedById: people.head.id,
          },
        });
      if (!(await p.planStrategy.findUnique({ where: { planId: plan.id } })))
        await p.planStrategy.create({
          data: {
            planId: plan.id,
            officeId: mainz.id,
            guidingIdea: "Wir wollen eine Willkommensbehörde sein.",
            goals: goals.map((g) => ({
              goalId: g.id,
              adopted: g.number !== 9,
              wording: g.number === 2 ? "Wir beraten verständlich." : "",
            })),
            successes: "Online-Terminvergabe",
          },
        });
      await p.workshopNote.create({
        data: {
          roundId: open.id,
          officeId: mainz.id,
          questionKey: "survey",
          body: "Das Team sieht Bedarf bei der Beschilderung.",
        },
      });

      // Links from e-mails: an open invitation and an open password reset.
      await p.invitation.create({
        data: {
          tokenHash: hashToken("einladung-barrierefrei"),
          email: "neu@mainz.example",
          name: "Nora Neu",
          role: "OFFICE_STAFF",
          networkId: network.id,
          officeId: mainz.id,
          invitedById: people.head.id,
          expiresAt: new Date(Date.now() + 86_400_000),
        },
      });
      await p.passwordReset.create({
        data: {
          tokenHash: hashToken("passwort-barrierefrei"),
          userId: people.staff.id,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
      // Mainz's open plan (the demo's, or one made here) with an attachment on its attachments page.
      const existing = await p.plan.findFirst({ where: { officeId: mainz.id, closedAt: null }, include: { measures: true } });
      const attachedMeasure =
        existing?.measures[0] ??
        (await createPlan(p, { networkId: network.id, officeId: mainz.id, startedById: people.head.id })).measures[0];
      const attachment = await createPlanAttachment(p, {
        measure: attachedMeasure,
        uploadedById: people.staff.id,
        fileName: "Protokoll Auftakt.pdf",
      });
      const measure = await p.measure.findFirstOrThrow({ where: { frameworkVersionId: version.id }, orderBy: { code: "asc" } });
      // Mainz's implementation plan (issue 21): a catalogue and an own measure, activities in
      // every status, one overdue, one without dates, one with an end date only (the timeline,
      // the dashboard's panel). The demo data may already give Mainz an open plan.
      // (the plan itself is found or created above)
      const day = (offset: number) =>
        new Date(`${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10)}T00:00:00Z`);
      const planMeasures = [
        (await p.planMeasure.findFirst({ where: { planId: plan.id, measureId: measure.id } })) ??
          (await p.planMeasure.create({
            data: { planId: plan.id, officeId: mainz.id, measureId: measure.id, origin: "priority", addedById: people.head.id },
          })),
        await p.planMeasure.create({
          data: {
            planId: plan.id,
            officeId: mainz.id,
            ownTitle: "Wartebereich neu gestalten",
            origin: "own",
            addedById: people.head.id,
          },
        }),
      ];
      const activity = (i: number, title: string, data: Record<string, unknown>) => ({
        planMeasureId: planMeasures[i].id,
        planId: plan.id,
        officeId: mainz.id,
        title,
        createdById: people.head.id,
        ...data,
      });
      await p.planActivity.createMany({
        data: [
          activity(0, "Ist-Analyse der Terminvergabe", {
            status: "DONE",
            startsOn: day(-90),
            endsOn: day(-30),
            responsibleUserId: people.staff.id,
          }),
          activity(0, "Online-Terminbuchung einführen", {
            status: "IN_PROGRESS",
            startsOn: day(-20),
            endsOn: day(-2),
            responsibleUserId: people.staff.id,
          }),
          activity(0, "Schulung des Teams", {
            status: "NOT_STARTED",
            startsOn: day(10),
            endsOn: day(60),
            responsibleName: "Frau Extern",
          }),
          activity(1, "Beschilderung prüfen", { status: "NOT_STARTED", endsOn: day(5) }),
          activity(1, "Ideen sammeln", { status: "NOT_STARTED" }),
        ],
      });
      // Mainz's implementation plan (the demo data's, or one made here) with a measure, an
      // activity with a Sachstand and a milestone: the plan pages' samples.
      const planMeasure = await p.planMeasure.create({
        data: {
          planId: plan.id,
          officeId: mainz.id,
          ownTitle: "Wartebereich freundlicher gestalten",
          origin: "own",
          addedById: people.head.id,
        },
      });
      const sampleActivity = await p.planActivity.create({
        data: {
          planMeasureId: planMeasure.id,
          planId: plan.id,
          officeId: mainz.id,
          title: "Sitzplätze und Beschilderung planen",
          status: "IN_PROGRESS",
          startsOn: new Date("2027-01-10T00:00:00Z"),
          endsOn: new Date("2027-03-31T00:00:00Z"),
          responsibleUserId: people.staff.id,
          createdById: people.head.id,
        },
      });
      await p.planActivityUpdate.create({
        data: {
          activityId: sampleActivity.id,
          planId: plan.id,
          officeId: mainz.id,
          notedOn: new Date("2027-01-20T00:00:00Z"),
          body: "Angebote liegen vor.",
          authorId: people.staff.id,
        },
      });
      await p.planMilestone.create({
        data: {
          planMeasureId: planMeasure.id,
          planId: plan.id,
          officeId: mainz.id,
          title: "Umbau abgeschlossen",
          dueOn: new Date("2027-04-30T00:00:00Z"),
        },
      });
      Object.assign(samples, {
        planMeasure: planMeasure.id,
        activity: sampleActivity.id,
        network: network.slug,
        office: mainz.id,
        round: open.id,
        closedRound: closed.id,
        goalNo: "1",
        cycle: "1",
        version: version.slug,
        goal: "1",
        format: "csv",
        measure: measure.code,
        invitation: "einladung-barrierefrei",
        passwordReset: "passwort-barrierefrei",
        code: SURVEY_CODE,
        attachment: attachment.id,
        "*": "gibt-es-nicht",
      });

      // Signed in once per role (network admins with two-factor done, as the access sweep does).
      for (const role of ROLES) cookies[role] = await sessionCookie(portal.baseUrl, people[role].email, people[role].password);
      await p.session.updateMany({ where: { userId: people.admin.id }, data: { twoFactorVerified: true } });
      cookies.adminBeforeTwoFactor = await sessionCookie(portal.baseUrl, people.admin.email, people.admin.password);
    } finally {
      await p.$disconnect();
      await p.pool.end();
    }
  });

  /** The sample for a route's parameter: real ids and tokens, so each page shows its content. */
  const sample = (name: string, routePath: string) => {
    if (name === "token" && routePath.startsWith("einladung/")) return samples.invitation;
    if (name === "token" && routePath.startsWith("passwort-neu/")) return samples.passwordReset;
    // An admin sees an office's own results only of a submitted, shared assessment (the closed round's).
    if (name === "round" && /^netzwerke\/.*\/behoerden\/:office$/.test(routePath)) return samples.closedRound;
    return samples[name];
  };

  it("finds no violation on any page, for any role", async () => {
    const started = performance.now();
    const routes = await appRoutes();
    const skipped: string[] = [];
    const unseen: string[] = [];
    const checks: Array<{ url: string; who: Who }> = [];
    for (const route of routes) {
      const url = routeUrl(route.path, sample, "accessibility sweep");
      const get = (who: Who) =>
        fetch(portal.baseUrl + url, { redirect: "manual", headers: who === "anonymous" ? {} : { cookie: cookies[who] } });
      const status = async (who: Who) => (await get(who)).status;
      if (!route.hasPage) {
        // A download (CSV, XLSX, PDF) or an endpoint: no document for axe. Say what it serves.
        const answers = await Promise.all((["anonymous", ...ROLES] as Who[]).map(get));
        const served = answers
          .find((res) => res.status === 200)
          ?.headers.get("content-type")
          ?.split(";")[0];
        const statuses = [...new Set(answers.map((res) => res.status))].join("/");
        skipped.push(`${url} (${served ? `serves ${served}: a download or endpoint` : `no page: answers ${statuses}`})`);
        continue;
      }
      // Who gets the page itself (not a redirect, refusal or 404)? Public pages count once, for everyone.
      if (route.path === "*") {
        checks.push({ url, who: "anonymous" });
        continue;
      }
      const anonymous = await fetch(portal.baseUrl + url, { redirect: "manual" });
      if (anonymous.status === 200) {
        checks.push({ url, who: "anonymous" });
        continue;
      }
      const location = anonymous.headers.get("location") ?? "";
      if (anonymous.status >= 300 && anonymous.status < 400 && !location.startsWith("/anmelden")) {
        skipped.push(`${url} (redirects everyone to ${location}, checked there)`);
        continue;
      }
      const statuses = await Promise.all(ROLES.map(status));
      const allowed: Who[] = ROLES.filter((_, i) => statuses[i] === 200);
      if (!allowed.length && (await status("adminBeforeTwoFactor")) === 200) allowed.push("adminBeforeTwoFactor");
      if (!allowed.length) {
        // A layout without a page of its own sends those who may enter on to its first page.
        const sent = (await Promise.all(ROLES.map(get))).find((res) => res.status >= 300 && res.status < 400);
        const to = sent?.headers.get("location") ?? "";
        if (sent && !to.startsWith("/anmelden")) skipped.push(`${url} (redirects its people to ${to}, checked there)`);
        else unseen.push(url);
      }
      for (const who of allowed) checks.push({ url, who });
    }
    // Every page is seen by someone: otherwise its fixture is wrong and the sweep proves nothing about it.
    expect(unseen, "pages no role could open").toEqual([]);

    const contexts = new Map<Who, { context: BrowserContext; page: Page }>();
    const pageOf = async (who: Who) => {
      let entry = contexts.get(who);
      if (!entry) {
        const context = await portal.browser.newContext({ locale: "de-DE" });
        if (who !== "anonymous") {
          const cookie = cookies[who];
          const at = cookie.indexOf("=");
          await context.addCookies([{ name: cookie.slice(0, at), value: cookie.slice(at + 1), url: portal.baseUrl }]);
        }
        const page = await context.newPage();
        // React's hydration and render errors: the page people get is then not the one served.
        page.on("console", (m) => {
          if (m.type() === "error" && /React/.test(m.text())) browserErrors.push(`${who}: ${m.text().slice(0, 200)}`);
        });
        page.on("pageerror", (e) => browserErrors.push(`${who}: ${e.message.slice(0, 200)}`));
        entry = { context, page };
        contexts.set(who, entry);
      }
      return entry.page;
    };
    const failures: string[] = [];
    const browserErrors: string[] = [];
    try {
      for (const { url, who } of checks) {
        const page = await pageOf(who);
        browserErrors.length = 0;
        await page.goto(portal.baseUrl + url);
        // Checked as people see it: after hydration (charts and live regions render then). A
        // page that does not get there shows people something else than axe would check.
        // (The not-found page renders outside the app and never marks the document.)
        if (url !== `/${samples["*"]}`) {
          const hydrated = await page
            .locator("html[data-hydrated]")
            .waitFor({ state: "attached", timeout: 15_000 })
            .then(
              () => true,
              () => false,
            );
          if (!hydrated || browserErrors.length)
            failures.push(
              `${url} as ${who}: broken in the browser${hydrated ? "" : " (never hydrated)"} – ${browserErrors.join(" | ")}`,
            );
        }
        const { violations, passes } = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
        // A page axe could not look into (blank, or the check did not run) must not pass as clean.
        if (!passes.some((rule) => rule.id === "document-title"))
          failures.push(`${url} as ${who}: axe found no document to check`);
        if (process.env.AXE_PROGRESS) console.log(`${((performance.now() - started) / 1000).toFixed(1)} s ${url} ${who}`);
        for (const v of violations)
          for (const node of v.nodes)
            failures.push(`${url} as ${who}: ${v.id} (${v.impact}) ${v.help} – ${node.target.join(" ")}`);
      }
    } finally {
      await Promise.all([...contexts.values()].map(({ context }) => context.close()));
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Accessibility sweep: ${checks.length} page views of ${new Set(checks.map((c) => c.url)).size} pages in ${seconds} s` +
        `\n  checked: ${checks.map((c) => `${c.url} (${c.who})`).join(", ")}\n  skipped: ${skipped.join(", ")}`,
    );
    expect(checks.length).toBeGreaterThan(40);
    expect(failures).toEqual([]);
    // Every page × every role that may see it, with axe: some 10 minutes on 2 busy cores.
  }, 1_500_000);
});
