/**
 * The five phases of the change (Orientierungsrahmen RLP 2015, Teil B "Phasen des
 * Veränderungsprozesses") as the portal keeps them – pure, shared by server and UI.
 *
 * - PHASES: Initiierung, Planung, Mobilisierung, Umsetzung, Konsolidierung, in Teil B's order.
 *   The office names its current phase; the framework calls the order "idealtypisch" and
 *   Mobilisierung runs alongside the others, so any phase may be chosen at any time.
 * - PHASE_TASKS: per phase the tasks Teil B names (Phase 1 a–f, Phase 2 a–c, Phase 3 a–d,
 *   Phase 4 and 5 from their text) as a checklist. The keys are stable: they are stored in
 *   plan_phase_task.task_key. Labels and short explanations are in the planPhases namespace.
 *   A task of any phase may be ticked at any time (Mobilisierung happens in parallel).
 * - REVIEW_QUESTIONS: the questions Teil B gives for the periodic review meetings of the
 *   Umsetzungsphase; keys stored in plan_review.answers.
 * - CONSOLIDATION: the three questions of the Konsolidierungsphase per finished measure.
 * - isEssentiallyDone: when a follow-up cycle may start ("Wenn der Umsetzungsplan … im
 *   Wesentlichen abgearbeitet ist").
 */

export const PHASES = ["INITIIERUNG", "PLANUNG", "MOBILISIERUNG", "UMSETZUNG", "KONSOLIDIERUNG"] as const;
export type Phase = (typeof PHASES)[number];

/** The checklist of each phase, in Teil B's order (letters a, b, … where Teil B has them). */
export const PHASE_TASKS = {
  INITIIERUNG: [
    "leadership_decision", // a. Führungsentscheidung
    "responsibility_named", // b. Gesamtverantwortung auf der Fachebene
    "participants_named", // b. weitere Prozessbeteiligte / Umsetzungsteam
    "survey_run", // c. anonyme Befragung der Mitarbeitenden
    "workshop_held", // c. Teambesprechung zum Veränderungsbedarf
    "goals_set", // d. Festlegung der Ziele
    "good_practice_collected", // e. Bestandsaufnahme guter Praxis
    "measures_prioritised", // f. Priorisierung von Maßnahmen
  ],
  PLANUNG: [
    "results_and_activities_set", // a. Ergebnisse, Aktivitäten, ggf. Meilensteine
    "implementation_details_set", // b. Zeitraum, Verantwortliche, Ressourcen
    "plan_documented", // c. Dokumentation im Umsetzungsplan
    "plan_agreed", // Mobilisierung c.: gemeinsame Festlegung des Umsetzungsplans
  ],
  MOBILISIERUNG: [
    "team_informed", // a. Information über den Veränderungsprozess
    "kickoff_held", // a. offizieller Auftakt
    "concerns_addressed", // b. Überzeugungsarbeit, Bedenken besprochen
    "staff_involved", // c. Beteiligung bei der Gestaltung
    "staffing_secured", // d. personelle Voraussetzungen (Aufwand, Fortbildung, Würdigung)
  ],
  UMSETZUNG: [
    "overview_kept", // Gesamtverantwortliche Person behält den Überblick
    "review_meetings_held", // Regelmäßige gemeinsame Betrachtung des Stands
    "obstacles_reflected", // Hürden reflektiert, Lösungen gesucht
    "plan_updated", // Umsetzungsplan aktualisiert/angepasst
  ],
  KONSOLIDIERUNG: [
    "measures_reviewed", // jede Neuerung überprüft
    "changes_kept", // bewährte Veränderungen dauerhaft beibehalten
    "annual_review_held", // einmal im Jahr Teambesprechung zur Gesamteinschätzung
    "lessons_recorded", // Lernerfahrungen für weitere Prozesse festgehalten
  ],
} as const satisfies Record<Phase, readonly string[]>;

export type PhaseTask = (typeof PHASE_TASKS)[Phase][number];
/** Every task key of every phase. */
export const ALL_TASKS: readonly PhaseTask[] = PHASES.flatMap((p) => PHASE_TASKS[p]);

export function isPhase(value: unknown): value is Phase {
  return typeof value === "string" && (PHASES as readonly string[]).includes(value);
}

export function isPhaseTask(value: unknown): value is PhaseTask {
  return typeof value === "string" && (ALL_TASKS as readonly string[]).includes(value);
}

/** The phase a task belongs to. */
export function phaseOfTask(task: PhaseTask): Phase {
  return PHASES.find((p) => (PHASE_TASKS[p] as readonly string[]).includes(task))!;
}

/**
 * The review questions of the Umsetzungsphase (Teil B, Phase 4), one key each; the first
 * bullet of Teil B holds three questions, kept apart here so each gets its own answer.
 * The last one is Teil B's closing advice ("Falls erforderlich, sollte der Umsetzungsplan
 * aktualisiert und ggf. angepasst werden").
 */
export const REVIEW_QUESTIONS = ["as_planned", "obstacles", "overcoming", "progress", "overall", "plan_changes"] as const;
export type ReviewQuestion = (typeof REVIEW_QUESTIONS)[number];

/**
 * The consolidation check of one finished measure (Teil B, Phase 5): was the implementation
 * successful (measured against the plan), were the intended results reached (or which
 * obstacles came up), and has the change proved itself – keep it, adjust it, or end it.
 */
export const CONSOLIDATION_DECISIONS = ["KEEP", "ADJUST", "END"] as const;
export type ConsolidationDecision = (typeof CONSOLIDATION_DECISIONS)[number];

/** Share of activities that must be done for a plan to count as essentially done. */
export const ESSENTIALLY_DONE_SHARE = 0.8;

export type MeasureProgress = {
  /** The measure's last activity is done (plan_measure.completed_at). */
  completed: boolean;
  /** The head ran the consolidation check on it (plan_measure.consolidated_at). */
  consolidated: boolean;
  /** Its activities: how many, how many done. */
  activities: number;
  done: number;
};

export type DoneVerdict =
  | { done: true; reason: "allMeasuresFinished" | "mostActivitiesDone"; share: number }
  | { done: false; reason: "noMeasures" | "tooFewDone"; share: number };

/**
 * Is the plan "im Wesentlichen abgearbeitet" (Teil B, Folgezyklus), so that a follow-up
 * cycle may start? Decision (the framework gives no number):
 *
 * - a plan without measures is never done (nothing was planned, so nothing to follow up);
 * - done when every measure is completed or has been through the consolidation check (an
 *   office may also end a measure in the check without finishing all its steps: decision END);
 * - otherwise done when at least 80 % of all activities are done ("im Wesentlichen": the few
 *   steps left can move into the next plan).
 *
 * `share` is the share of done activities (0 when there are none), for the page to show.
 */
export function isEssentiallyDone(measures: readonly MeasureProgress[]): DoneVerdict {
  const activities = measures.reduce((n, m) => n + m.activities, 0);
  const done = measures.reduce((n, m) => n + Math.min(m.done, m.activities), 0);
  const share = activities === 0 ? 0 : done / activities;
  if (measures.length === 0) return { done: false, reason: "noMeasures", share };
  if (measures.every((m) => m.completed || m.consolidated)) return { done: true, reason: "allMeasuresFinished", share };
  if (activities > 0 && share >= ESSENTIALLY_DONE_SHARE) return { done: true, reason: "mostActivitiesDone", share };
  return { done: false, reason: "tooFewDone", share };
}

/** Per phase: how many of its tasks are ticked (for the stepper). */
export function checklistProgress(ticked: Iterable<string>): Record<Phase, { done: number; total: number }> {
  const set = new Set(ticked);
  return Object.fromEntries(
    PHASES.map((p) => [p, { done: PHASE_TASKS[p].filter((t) => set.has(t)).length, total: PHASE_TASKS[p].length }]),
  ) as Record<Phase, { done: number; total: number }>;
}

/** The status of an activity with the aid's symbol (Arbeitshilfe 2.1): ✗ not started, ! in progress, ✓ done. */
export const STATUS_SYMBOL = { NOT_STARTED: "✗", IN_PROGRESS: "!", DONE: "✓" } as const;
export type ActivityStatus = keyof typeof STATUS_SYMBOL;
