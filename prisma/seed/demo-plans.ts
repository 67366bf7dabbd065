/**
 * The demo network's implementation plans (issue 21, item 10): most offices have a plan,
 * at different phases of the change (Teil B), with activities drawn from the catalogue's
 * key activities (measure.activities), mixed statuses (some overdue, some done, finished
 * measures with their consolidation check), responsible persons (office members or
 * names), Sachstand entries, milestones, the phase checklist, review meetings, a
 * Gesamtkonzept draft for some; two offices released their plan to the ministry, and the
 * demo consultant is assigned to two offices.
 *
 * Deterministic: which office gets what comes from a seeded random stream over the offices
 * in slug order, so tests can rely on it; only the dates follow the day of seeding (so an
 * overdue activity stays overdue and the open plan stays current). Idempotent: an office
 * that already has a plan (any cycle) is left as it is.
 *
 * The demo office (DEMO_OFFICE_SLUG, where the demo head and staff sign in) always has a
 * plan in the Umsetzungsphase, with activities of both demo people.
 */
import { PHASE_TASKS, type ReviewQuestion } from "~/domains/plan/phases";
import { randomUUID } from "node:crypto";
import { DEMO_EMAIL_DOMAIN, DEMO_OFFICE_SLUG } from "~/platform/auth/demo-people";
import { hashPassword } from "~/platform/auth/password.server";
import { effectivePriority, ruleForAssessment, type Grade, type Priority } from "~/domains/assessment/priority";
import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { PlanPhase } from "~/generated/prisma/enums";
import { prng, type Random } from "./random";

export const DEMO_PLAN_SEED = 20261206;

export const PLAN_PHASES: readonly PlanPhase[] = ["INITIIERUNG", "PLANUNG", "MOBILISIERUNG", "UMSETZUNG", "KONSOLIDIERUNG"];

/**
 * The checklist tasks of each phase (Teil B: Phase 1 a–f, Phase 2 a–c, Phase 3 a–d, Phase 4,
 * Phase 5), keyed "<phase>.<task>". The plan domain's phases.ts names the same keys; a
 * plan's ticked tasks are rows of plan_phase_task.
 */
export const DEMO_PHASE_TASKS: Record<PlanPhase, readonly string[]> = PHASE_TASKS;

/** The review questions of the Umsetzungsphase the demo answers (keys of plan_review.answers, app/domains/plan/phases.ts). */
export const DEMO_REVIEW_QUESTIONS = ["as_planned", "progress", "overall"] as const satisfies readonly ReviewQuestion[];

/** How many offices get no plan (the rest have one), and how the others spread over the phases. */
const WITHOUT_PLAN = 7;
const PHASE_COUNTS: Record<PlanPhase, number> = {
  INITIIERUNG: 4,
  PLANUNG: 5,
  MOBILISIERUNG: 5,
  UMSETZUNG: 9,
  KONSOLIDIERUNG: 5,
};

const FIRST_NAMES = ["Andrea", "Bernd", "Claudia", "Dirk", "Esra", "Frank", "Gül", "Heike", "Ivana", "Jörg", "Karin", "Lars"];
const LAST_NAMES = ["Schneider", "Wagner", "Hahn", "Bauer", "Öztürk", "Keller", "Lehmann", "Franke", "Roth", "Vogel", "Brandt"];
/** Responsible persons who are not members of the portal (the aid's "Verantwortliche" as a name). */
const OUTSIDE_NAMES = [
  "Frau Schäfer (Sachgebiet Einbürgerung)",
  "Herr Kaya (Teamleitung Aufenthalt)",
  "Frau Jung (Personalrat)",
  "Herr Albrecht (IT-Koordination)",
  "Integrationsbeauftragte der Kommune",
  "Frau Petrović (Serviceteam)",
];
const PARTICIPANTS = [
  "Team Aufenthalt",
  "Serviceteam Empfang",
  "Jobcenter",
  "Migrationsberatung für Erwachsene (Caritas)",
  "Integrationsbeirat",
  "Personalrat",
  "IT-Abteilung der Kreisverwaltung",
  "Jugendmigrationsdienst",
  "",
];
const RESOURCES = [
  "2 Stunden je Woche",
  "Besprechungsraum, Moderationskoffer",
  "Haushaltsmittel 1.500 €",
  "Dolmetscherpool der Kommune",
  "Arbeitshilfen des Orientierungsrahmens",
  "Fortbildungsbudget",
  "",
];
const REMARKS = [
  "",
  "",
  "Abhängig von der Stellenbesetzung im Frühjahr.",
  "Mit der Kreisverwaltung abstimmen.",
  "Erfahrungen aus dem Modellprojekt nutzen.",
];
const PROGRESS_NOTES = [
  "Erste Besprechung im Team hat stattgefunden; ein Entwurf liegt vor.",
  "Termin mit den Beteiligten vereinbart, Unterlagen verschickt.",
  "Verzögerung wegen Personalengpass in der Urlaubszeit.",
  "Zwischenstand in der Dienstbesprechung vorgestellt, Rückmeldungen eingearbeitet.",
  "Rückfrage beim Ministerium zur Rechtslage gestellt, Antwort steht aus.",
];
const DONE_NOTES = [
  "Abgeschlossen; Ergebnis im Teamlaufwerk abgelegt.",
  "In der Dienstbesprechung vorgestellt und beschlossen.",
  "Umgesetzt und allen Beschäftigten per Rundmail bekannt gemacht.",
];
const MILESTONES = [
  "Konzept im Team abgestimmt",
  "Pilotphase abgeschlossen",
  "Alle Beschäftigten geschult",
  "Erste Auswertung liegt vor",
];
const OWN_MEASURES = [
  ["Online-Terminvergabe für alle Anliegen", "Kundinnen und Kunden buchen ihre Termine online; die Wartezeit am Schalter sinkt."],
  ["Mehrsprachige Beschilderung im Wartebereich", "Wege und Zuständigkeiten sind in den häufigsten Sprachen ausgeschildert."],
  ["Einarbeitungsmappe für neue Beschäftigte", "Neue Beschäftigte finden Abläufe, Ansprechpersonen und Vorlagen an einem Ort."],
] as const;
const REVIEW_ANSWERS: Record<(typeof DEMO_REVIEW_QUESTIONS)[number], readonly string[]> = {
  as_planned: [
    "Größtenteils ja; zwei Arbeitsschritte haben sich wegen Urlaub und Krankheit verschoben.",
    "Die Schritte zur Beratung laufen nach Plan, die Schulungen sind später als geplant.",
  ],
  progress: [
    "Die Wartezeiten am Schalter sind seit der Umstellung kürzer; die Rückmeldungen der Kundschaft sind positiv.",
    "Das Team nutzt die neuen Vorlagen; die Beratung zum Aufenthaltsstatus ist fester Bestandteil der Gespräche.",
  ],
  overall: [
    "Insgesamt auf gutem Weg; die Ziele zur Beratung sind etwa zur Hälfte erreicht.",
    "Teilweise erreicht; für die Öffentlichkeitsarbeit fehlen noch Ressourcen.",
  ],
};

const DAY = 24 * 60 * 60 * 1000;
/** A calendar day as PostgreSQL DATE (UTC midnight, what Prisma writes for @db.Date). */
const day = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
const addDays = (at: Date, days: number) => new Date(at.getTime() + days * DAY);

type Catalogue = Array<{ id: string; code: string; result: string; activities: string[]; goalNumber: number }>;
type OfficeRow = { id: string; slug: string; name: string };
type People = { head: string; staff: string[] };
type Goals = Array<{ id: string; number: number; title: string }>;

export type DemoPlanRows = {
  users: Prisma.UserCreateManyInput[];
  memberships: Prisma.MembershipCreateManyInput[];
  plans: Prisma.PlanCreateManyInput[];
  measures: Prisma.PlanMeasureCreateManyInput[];
  activities: Prisma.PlanActivityCreateManyInput[];
  updates: Prisma.PlanActivityUpdateCreateManyInput[];
  milestones: Prisma.PlanMilestoneCreateManyInput[];
  tasks: Prisma.PlanPhaseTaskCreateManyInput[];
  reviews: Prisma.PlanReviewCreateManyInput[];
  strategies: Prisma.PlanStrategyCreateManyInput[];
};

/** A submitted assessment's measures with priority "hoch", newest round first: where the plan starts from. */
type Priorities = Map<string, { roundId: string; measureIds: string[] }>;

/**
 * Which offices get a plan and in which phase: the demo office in the Umsetzungsphase, seven
 * others none, the rest spread over the five phases – the same on every seed.
 */
export function demoPlanPhases(slugs: readonly string[]): Map<string, PlanPhase | null> {
  const random = prng(DEMO_PLAN_SEED);
  const others = random.shuffle([...slugs].sort().filter((s) => s !== DEMO_OFFICE_SLUG));
  const phases: Array<PlanPhase | null> = [
    ...Array<null>(WITHOUT_PLAN).fill(null),
    ...PLAN_PHASES.flatMap((p) => Array<PlanPhase>(PHASE_COUNTS[p]).fill(p)),
  ];
  const result = new Map<string, PlanPhase | null>();
  others.forEach((slug, i) => result.set(slug, phases[i % phases.length]));
  if (slugs.includes(DEMO_OFFICE_SLUG)) result.set(DEMO_OFFICE_SLUG, "UMSETZUNG");
  return result;
}

/** How long ago (days) a plan in this phase was started: later phases started earlier. */
const AGE: Record<PlanPhase, [number, number]> = {
  INITIIERUNG: [10, 40],
  PLANUNG: [40, 90],
  MOBILISIERUNG: [90, 150],
  UMSETZUNG: [200, 420],
  KONSOLIDIERUNG: [480, 700],
};
const MEASURE_COUNT: Record<PlanPhase, [number, number]> = {
  INITIIERUNG: [2, 3],
  PLANUNG: [3, 5],
  MOBILISIERUNG: [3, 5],
  UMSETZUNG: [4, 6],
  KONSOLIDIERUNG: [4, 6],
};

/**
 * The rows of one office's plan. Pure: the same office, phase, people, catalogue, priorities,
 * today and ids give the same rows.
 */
export function demoPlanRows(input: {
  random: Random;
  networkId: string;
  office: OfficeRow;
  phase: PlanPhase;
  people: People;
  catalogue: Catalogue;
  goals: Goals;
  priorities: { roundId: string; measureIds: string[] } | null;
  today: Date;
  isDemoOffice: boolean;
  id?: () => string;
}): Omit<DemoPlanRows, "users" | "memberships"> {
  const { random, networkId, office, phase, people, catalogue, goals, priorities, today, isDemoOffice } = input;
  const id = input.id ?? randomUUID;
  const officeId = office.id;
  const rows: Omit<DemoPlanRows, "users" | "memberships"> = {
    plans: [],
    measures: [],
    activities: [],
    updates: [],
    milestones: [],
    tasks: [],
    reviews: [],
    strategies: [],
  };
  const phaseIndex = PLAN_PHASES.indexOf(phase);
  const startedAt = addDays(today, -random.int(...AGE[phase]));
  startedAt.setUTCHours(9, 30, 0, 0);
  const planId = id();
  const members = [people.head, ...people.staff];
  const responsible = (): { responsibleUserId: string | null; responsibleName: string | null } =>
    random.chance(0.65)
      ? { responsibleUserId: random.pick(members), responsibleName: null }
      : { responsibleUserId: null, responsibleName: random.pick(OUTSIDE_NAMES) };

  // Measures: the round's priorities first (where the office has one), then from the catalogue, now and then an own one.
  const count = isDemoOffice ? 6 : random.int(...MEASURE_COUNT[phase]);
  const chosen: Array<{
    measure: Catalogue[number] | null;
    origin: "priority" | "catalogue" | "own";
    own?: readonly [string, string];
  }> = [];
  for (const measureId of priorities?.measureIds ?? []) {
    const measure = catalogue.find((m) => m.id === measureId);
    if (measure && chosen.length < count) chosen.push({ measure, origin: "priority" });
  }
  const pool = random.shuffle(catalogue.filter((m) => !chosen.some((c) => c.measure?.id === m.id) && m.activities.length >= 2));
  const own = phaseIndex >= 1 && random.chance(0.4) ? random.pick(OWN_MEASURES) : null;
  while (chosen.length < count - (own ? 1 : 0) && pool.length) chosen.push({ measure: pool.shift()!, origin: "catalogue" });
  if (own) chosen.push({ measure: null, origin: "own", own });

  // Activities start after planning: in the early phases they all lie ahead.
  const planningDone = phaseIndex >= 3 ? addDays(startedAt, random.int(30, 60)) : addDays(today, random.int(14, 45));
  chosen.forEach((c, position) => {
    const measureRowId = id();
    const titles = c.measure
      ? random.shuffle([...c.measure.activities]).slice(0, Math.min(c.measure.activities.length, random.int(3, 5)))
      : ["Bedarf im Team erheben", "Umsetzung vorbereiten und abstimmen", "Einführen und bekannt machen"];
    // Initiierung: the measures are chosen, their activities not yet written down (except for some).
    const withActivities = phaseIndex >= 1 || random.chance(0.3);
    let cursor = addDays(planningDone, position * random.int(10, 40));
    let allDone = withActivities;
    let lastDone: Date | null = null;
    const measureActivities: Prisma.PlanActivityCreateManyInput[] = [];
    if (withActivities)
      titles.forEach((title, i) => {
        const startsOn = day(cursor);
        const endsOn = day(addDays(cursor, random.int(21, 75)));
        cursor = addDays(cursor, random.int(14, 50));
        const overdue = endsOn.getTime() < day(today).getTime();
        const running = startsOn.getTime() <= today.getTime() && !overdue;
        // Past end: mostly done, some overdue; running: mostly in progress; ahead: not started.
        const status = overdue
          ? random.chance(phase === "KONSOLIDIERUNG" ? 0.92 : 0.75)
            ? "DONE"
            : random.chance(0.6)
              ? "IN_PROGRESS"
              : "NOT_STARTED"
          : running
            ? random.chance(0.7)
              ? "IN_PROGRESS"
              : random.chance(0.5)
                ? "DONE"
                : "NOT_STARTED"
            : "NOT_STARTED";
        const doneAt =
          status === "DONE"
            ? new Date(Math.min(addDays(endsOn, -random.int(0, 10)).getTime() + 14 * 3_600_000, today.getTime() - DAY))
            : null;
        if (status !== "DONE") allDone = false;
        else if (!lastDone || doneAt! > lastDone) lastDone = doneAt;
        const activityId = id();
        measureActivities.push({
          id: activityId,
          planMeasureId: measureRowId,
          planId,
          officeId,
          position: i,
          title,
          status,
          startsOn,
          endsOn,
          ...responsible(),
          participants: random.pick(PARTICIPANTS),
          resources: random.pick(RESOURCES),
          remarks: random.pick(REMARKS),
          doneAt,
          createdAt: addDays(startedAt, random.int(1, 20)),
          createdById: people.head,
        });
        // Sachstand: dated entries for the started ones.
        if (status !== "NOT_STARTED") {
          const notes = status === "DONE" ? 1 + (random.chance(0.4) ? 1 : 0) : random.int(1, 2);
          for (let n = 0; n < notes; n++) {
            const last = status === "DONE" && n === notes - 1;
            const noted = last ? doneAt! : addDays(startsOn, random.int(5, 20) + n * 14);
            rows.updates.push({
              id: id(),
              activityId,
              planId,
              officeId,
              notedOn: day(new Date(Math.min(noted.getTime(), today.getTime()))),
              body: last ? random.pick(DONE_NOTES) : random.pick(PROGRESS_NOTES),
              authorId: random.pick(members),
              createdAt: new Date(Math.min(noted.getTime(), today.getTime())),
            });
          }
        }
      });
    const completed = allDone && measureActivities.length > 0;
    // The consolidation check of a finished measure (later in the Umsetzungsphase, always in the Konsolidierung).
    const consolidated = completed && (phase === "KONSOLIDIERUNG" || random.chance(0.5));
    const successful = random.chance(0.8);
    const consolidatedAt = consolidated
      ? new Date(Math.min(addDays(lastDone!, random.int(7, 30)).getTime(), today.getTime()))
      : null;
    rows.measures.push({
      id: measureRowId,
      planId,
      officeId,
      measureId: c.measure?.id ?? null,
      ownTitle: c.own?.[0] ?? null,
      origin: c.origin,
      intendedResult: c.measure?.result ?? c.own![1],
      position,
      completedAt: completed ? lastDone : null,
      ...(consolidated
        ? {
            consolidationSuccessful: successful,
            consolidationResults: successful
              ? "Die angestrebten Ergebnisse sind erreicht; das Team wendet die Neuerung im Alltag an."
              : "Nur zum Teil erreicht: die Neuerung wird in der Hektik des Schalterbetriebs oft vergessen.",
            consolidationDecision: successful ? "KEEP" : "ADJUST",
            consolidationNotes: successful
              ? "Beibehalten; einmal im Jahr in der Teambesprechung überprüfen."
              : "Nachsteuern: kurze Auffrischung im Team und ein Hinweis in der Checkliste.",
            consolidatedAt,
          }
        : {}),
      addedAt: startedAt,
      addedById: people.head,
    });
    rows.activities.push(...measureActivities);
    // Milestones for the larger measures, once the plan is written.
    if (phaseIndex >= 1 && measureActivities.length >= 3 && random.chance(0.6)) {
      const milestones = random.int(1, 2);
      for (let m = 0; m < milestones; m++) {
        const due = measureActivities[Math.min(measureActivities.length - 1, (m + 1) * 2 - 1)].endsOn as Date;
        const reached = due.getTime() < today.getTime() && random.chance(0.7);
        rows.milestones.push({
          id: id(),
          planMeasureId: measureRowId,
          planId,
          officeId,
          title: MILESTONES[(position + m) % MILESTONES.length],
          dueOn: due,
          reachedOn: reached ? day(addDays(due, random.int(-7, 10))) : null,
          position: m,
        });
      }
    }
  });

  // The demo office: the staff member owns some activities, one of them in progress right now.
  if (isDemoOffice && people.staff.length) {
    const staff = people.staff[0];
    const open = rows.activities.filter((a) => a.status !== "DONE");
    const current = open.find((a) => (a.startsOn as Date).getTime() <= today.getTime()) ?? open[0];
    if (current) {
      Object.assign(current, { status: "IN_PROGRESS", doneAt: null, responsibleUserId: staff, responsibleName: null });
      rows.updates = rows.updates.filter((u) => u.activityId !== current.id);
      rows.updates.push({
        id: id(),
        activityId: current.id!,
        planId,
        officeId,
        notedOn: day(addDays(today, -3)),
        body: PROGRESS_NOTES[0],
        authorId: staff,
        createdAt: addDays(today, -3),
      });
    }
    rows.activities
      .filter((_, i) => i % 4 === 1)
      .forEach((a) => Object.assign(a, { responsibleUserId: staff, responsibleName: null }));
  }

  // The phase checklist: every task of the phases before, some of the current one (Mobilisierung runs alongside).
  PLAN_PHASES.forEach((p, i) => {
    for (const [t, taskKey] of DEMO_PHASE_TASKS[p].entries()) {
      const ticked = i < phaseIndex || (i === phaseIndex && t < DEMO_PHASE_TASKS[p].length - 1 && random.chance(0.6));
      if (ticked)
        rows.tasks.push({
          planId,
          officeId,
          taskKey,
          doneAt: addDays(startedAt, Math.round(((i + t / 6) * (today.getTime() - startedAt.getTime())) / DAY / 6)),
          doneById: people.head,
          note: taskKey === "participants_named" ? "Gesamtverantwortung: Leitung; Steuerungsgruppe mit drei Beschäftigten." : "",
        });
    }
  });

  // Review meetings of the Umsetzungsphase (one or two, the last a few weeks ago).
  if (phaseIndex >= 3) {
    const meetings = phase === "KONSOLIDIERUNG" || isDemoOffice ? 2 : random.int(1, 2);
    for (let r = 0; r < meetings; r++) {
      const heldOn = day(addDays(today, -(21 + (meetings - 1 - r) * 90 + random.int(0, 14))));
      rows.reviews.push({
        id: id(),
        planId,
        officeId,
        heldOn,
        answers: Object.fromEntries(DEMO_REVIEW_QUESTIONS.map((q) => [q, random.pick(REVIEW_ANSWERS[q])])),
        notes: "Umsetzungsplan durchgesehen; verschobene Arbeitsschritte neu terminiert.",
        createdById: people.head,
        createdAt: heldOn,
      });
    }
  }

  // A Gesamtkonzept draft for some (always for the demo office).
  if (isDemoOffice || (phaseIndex >= 2 && random.chance(0.5))) {
    const place = office.name.replace(/^Ausländerbehörde /, "");
    rows.strategies.push({
      planId,
      officeId,
      guidingIdea: `Die Ausländerbehörde ${place} versteht sich als Dienstleisterin für alle, die hier leben, arbeiten und bleiben wollen: verlässlich, verständlich und willkommen heißend.`,
      // The 12 model goals: adopted as they are, a few reworded, one or two left out for now.
      goals: goals.map((g) => {
        const r = random.next();
        return {
          goalId: g.id,
          adopted: r >= 0.1,
          wording: r >= 0.1 && r < 0.3 ? `${g.title} – mit Schwerpunkt auf der Beratung am Schalter.` : "",
        };
      }),
      needForChange:
        "Die Selbsteinschätzung und die Befragung der Beschäftigten zeigen Bedarf vor allem bei der Beratung zum Aufenthaltsstatus und bei der Information der Kundschaft.",
      successes: "Gute Erfahrungen mit der Terminvergabe und der Zusammenarbeit mit der Migrationsberatung.",
      updatedAt: addDays(startedAt, 30),
      updatedById: people.head,
    });
  }

  rows.plans.push({
    id: planId,
    networkId,
    officeId,
    cycle: 1,
    sourceRoundId: priorities?.roundId ?? null,
    phase,
    startedAt,
    startedById: people.head,
    updatedAt: today,
  });
  return rows;
}

/** Each office's newest submitted assessment's measures with effective priority "hoch" (RLP's rule: need × effort). */
async function readPriorities(prisma: PrismaClient, networkId: string): Promise<Priorities> {
  const network = await prisma.network.findUniqueOrThrow({ where: { id: networkId }, select: { priorityRule: true } });
  const assessments = await prisma.assessment.findMany({
    where: { submittedAt: { not: null }, participant: { round: { networkId } } },
    orderBy: { submittedAt: "desc" },
    select: {
      officeId: true,
      roundId: true,
      priorityRule: true,
      measures: { select: { measureId: true, need: true, effort: true, priorityOverride: true } },
    },
  });
  const result: Priorities = new Map();
  for (const a of assessments) {
    if (result.has(a.officeId)) continue;
    const rule = ruleForAssessment(a.priorityRule, network.priorityRule);
    const high = a.measures.filter(
      (m) =>
        effectivePriority(rule, {
          need: m.need as Grade | null,
          effort: m.effort as Grade | null,
          priorityOverride: m.priorityOverride as Priority | null,
        }) === "HIGH",
    );
    result.set(a.officeId, { roundId: a.roundId, measureIds: high.map((m) => m.measureId) });
  }
  return result;
}

/**
 * Writes the demo plans into the demo network (see the top of this file). Offices that
 * have a plan already are skipped; so are their people.
 */
export async function seedDemoPlans(prisma: PrismaClient, networkId: string, { today = new Date() } = {}) {
  const network = await prisma.network.findUniqueOrThrow({ where: { id: networkId }, select: { frameworkVersionId: true } });
  const offices = await prisma.office.findMany({
    where: { networkId },
    orderBy: { slug: "asc" },
    select: { id: true, slug: true, name: true },
  });
  const planned = new Set(
    (await prisma.plan.findMany({ where: { networkId }, select: { officeId: true } })).map((p) => p.officeId),
  );
  const phases = demoPlanPhases(offices.map((o) => o.slug));
  const todo = offices.filter((o) => phases.get(o.slug) && !planned.has(o.id));
  if (!todo.length) return;

  const catalogue: Catalogue = (
    await prisma.measure.findMany({
      where: { frameworkVersionId: network.frameworkVersionId },
      orderBy: { position: "asc" },
      select: {
        id: true,
        code: true,
        result: true,
        activities: true,
        workField: { select: { goal: { select: { number: true } } } },
      },
    })
  ).map((m) => ({ id: m.id, code: m.code, result: m.result, activities: m.activities, goalNumber: m.workField.goal.number }));
  const goals: Goals = await prisma.goal.findMany({
    where: { frameworkVersionId: network.frameworkVersionId },
    orderBy: { number: "asc" },
    select: { id: true, number: true, title: true },
  });
  const priorities = await readPriorities(prisma, networkId);
  const demoPeople = await prisma.user.findMany({
    where: { email: { endsWith: `@${DEMO_EMAIL_DOMAIN}` } },
    select: { id: true, email: true, memberships: { select: { role: true, officeId: true } } },
  });
  const admin = demoPeople.find((u) => u.memberships.some((m) => m.role === "NETWORK_ADMIN"));
  const consultant = demoPeople.find((u) => u.memberships.some((m) => m.role === "CONSULTANT"));

  const all: DemoPlanRows = {
    users: [],
    memberships: [],
    plans: [],
    measures: [],
    activities: [],
    updates: [],
    milestones: [],
    tasks: [],
    reviews: [],
    strategies: [],
  };
  // The other offices' people: a head and two staff each, who cannot sign in (a random password nobody knows; .invalid addresses).
  let passwordHash: string | undefined;
  for (const office of todo) {
    // Per office its own stream, so adding an office elsewhere changes nothing here.
    const random = prng(DEMO_PLAN_SEED ^ hashOf(office.slug));
    const isDemoOffice = office.slug === DEMO_OFFICE_SLUG;
    let people: People;
    const existing = await prisma.membership.findMany({
      where: { officeId: office.id },
      select: { userId: true, role: true },
      orderBy: { createdAt: "asc" },
    });
    const head = existing.find((m) => m.role === "OFFICE_HEAD");
    if (head) {
      people = { head: head.userId, staff: existing.filter((m) => m.role === "OFFICE_STAFF").map((m) => m.userId) };
    } else {
      passwordHash ??= await hashPassword(randomUUID());
      const make = (local: string, role: "OFFICE_HEAD" | "OFFICE_STAFF") => {
        const userId = randomUUID();
        all.users.push({
          id: userId,
          email: `${local}@${office.slug}.demo.invalid`,
          name: `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`,
          passwordHash: passwordHash!,
        });
        all.memberships.push({ userId, networkId, officeId: office.id, role });
        return userId;
      };
      people = { head: make("leitung", "OFFICE_HEAD"), staff: [make("team1", "OFFICE_STAFF"), make("team2", "OFFICE_STAFF")] };
    }
    const rows = demoPlanRows({
      random,
      networkId,
      office,
      phase: phases.get(office.slug)!,
      people,
      catalogue,
      goals,
      priorities: priorities.get(office.id) ?? null,
      today,
      isDemoOffice,
    });
    for (const key of Object.keys(rows) as Array<keyof typeof rows>) (all[key] as unknown[]).push(...rows[key]);
  }

  // Two offices released their plan to the ministry: the demo office and the first one in the Konsolidierung.
  const byOffice = new Map(all.plans.map((p) => [p.officeId, p]));
  const releasing = [
    todo.find((o) => o.slug === DEMO_OFFICE_SLUG),
    todo.find((o) => phases.get(o.slug) === "KONSOLIDIERUNG"),
  ].filter((o) => o !== undefined);
  for (const office of releasing) {
    const plan = byOffice.get(office.id)!;
    Object.assign(plan, { releasedAt: addDays(today, -14), releasedById: plan.startedById });
  }

  // All or nothing; a dozen bulk inserts, which on a busy machine take longer than Prisma's default 5 s.
  await prisma.$transaction(
    async (tx) => {
      await tx.user.createMany({ data: all.users });
      await tx.membership.createMany({ data: all.memberships });
      await tx.plan.createMany({ data: all.plans });
      await tx.planMeasure.createMany({ data: all.measures });
      await tx.planActivity.createMany({ data: all.activities });
      await tx.planActivityUpdate.createMany({ data: all.updates });
      await tx.planMilestone.createMany({ data: all.milestones });
      await tx.planPhaseTask.createMany({ data: all.tasks });
      await tx.planReview.createMany({ data: all.reviews });
      await tx.planStrategy.createMany({ data: all.strategies });
      // The demo consultant advises the demo office and one office in the Umsetzungsphase.
      if (consultant && admin) {
        const advised = [
          todo.find((o) => o.slug === DEMO_OFFICE_SLUG),
          todo.find((o) => o.slug !== DEMO_OFFICE_SLUG && phases.get(o.slug) === "UMSETZUNG"),
        ].filter((o) => o !== undefined);
        await tx.consultantAssignment.createMany({
          data: advised.map((o) => ({ networkId, officeId: o.id, consultantId: consultant.id, assignedById: admin.id })),
          skipDuplicates: true,
        });
      }
    },
    { maxWait: 30_000, timeout: 120_000 },
  );
}

/** FNV-1a of the office's slug: each office's own random stream. */
function hashOf(text: string) {
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ char.charCodeAt(0), 16777619) >>> 0;
  return h;
}
