import { account } from "./namespaces/account";
import { admin } from "./namespaces/admin";
import { audit } from "./namespaces/audit";
import { comparison } from "./namespaces/comparison";
import { dashboard } from "./namespaces/dashboard";
import { auth } from "./namespaces/auth";
import { email } from "./namespaces/email";
import { office } from "./namespaces/office";
import { assessment } from "./namespaces/assessment";
import { history } from "./namespaces/history";
import { monitoring } from "./namespaces/monitoring";
import { jobs } from "./namespaces/jobs";
import { rounds } from "./namespaces/rounds";
import { settings } from "./namespaces/settings";
import { sharing } from "./namespaces/sharing";
import { survey } from "./namespaces/survey";
import { storage } from "./namespaces/storage";
import { plan } from "./namespaces/plan";
import { planProgress } from "./namespaces/planProgress";
import { planStrategy } from "./namespaces/planStrategy";
import { workshop } from "./namespaces/workshop";
import { planPhases } from "./namespaces/planPhases";
import { planExport } from "./namespaces/planExport";
import { planAttachments } from "./namespaces/planAttachments";
import { achievement } from "./namespaces/achievement";
import type { Widen } from "./namespace";

/**
 * German is the source language; en.ts must provide every key (checked by its type).
 * Newer namespaces live in ./namespaces with both languages side by side.
 */
export const de = {
  auth: auth.de,
  account: account.de,
  admin: admin.de,
  office: office.de,
  audit: audit.de,
  email: email.de,
  rounds: rounds.de,
  assessment: assessment.de,
  survey: survey.de,
  history: history.de,
  settings: settings.de,
  dashboard: dashboard.de,
  comparison: comparison.de,
  sharing: sharing.de,
  monitoring: monitoring.de,
  storage: storage.de,
  plan: plan.de,
  planProgress: planProgress.de,
  planStrategy: planStrategy.de,
  workshop: workshop.de,
  planPhases: planPhases.de,
  planExport: planExport.de,
  planAttachments: planAttachments.de,
  achievement: achievement.de,
  jobs: jobs.de,
  common: {
    appName: "ABH-Netz",
    tagline: "Das Netzwerk der Ausländerbehörden auf dem Weg zur Willkommensbehörde",
    skipToContent: "Zum Inhalt springen",
    mainNavigation: "Hauptnavigation",
    nav: { home: "Start", catalogue: "Orientierungsrahmen", search: "Suche" },
    language: {
      label: "Sprache",
      switchTo: "English",
      switchToLong: "Switch to English",
      current: "Deutsch",
    },
    footer: {
      label: "Rechtliches",
      imprint: "Impressum",
      privacy: "Datenschutz",
      accessibility: "Erklärung zur Barrierefreiheit",
    },
    breadcrumb: "Brotkrumennavigation",
  },
  home: {
    title: "Willkommen bei ABH-Netz",
    intro:
      "ABH-Netz ist das Portal des Landesprogramms für Ausländerbehörden, die sich zu service­orientierten Willkommens­behörden entwickeln. Hier schätzen sich Behörden selbst ein, planen Maßnahmen, teilen gute Praxis und vergleichen sich anonym mit dem Netzwerk.",
    catalogueTitle: "Der Orientierungsrahmen",
    catalogueText:
      "{{goals}} Ziele, {{workFields}} Arbeitsfelder und {{measures}} Maßnahmen – mit Ergebnis, zentralen Aktivitäten und Erläuterungen. Frei lesbar, ohne Anmeldung.",
    catalogueLink: "Orientierungsrahmen öffnen",
    whoTitle: "Für wen ist ABH-Netz?",
    who: {
      ministry: "Das Ministerium steuert das Netzwerk, eröffnet Erhebungsrunden und sieht, wie das Programm angenommen wird.",
      heads:
        "Leitungen der Ausländerbehörden reichen die Selbsteinschätzung ein und entscheiden über Prioritäten und den Umsetzungsplan.",
      staff: "Mitarbeitende arbeiten an Entwürfen und Arbeitsschritten mit und beantworten die anonyme Befragung.",
      consultants: "Beraterinnen und Berater begleiten Behörden, die sie angefragt haben.",
    },
  },
  catalogue: {
    title: "Orientierungsrahmen",
    versionsTitle: "Fassungen des Orientierungsrahmens",
    versionsIntro: "Ein Netzwerk arbeitet mit einer Fassung. Ältere Fassungen bleiben lesbar.",
    goalsTitle: "Die 12 Ziele",
    goalsIntro: "Jedes Ziel ist in Arbeitsfelder gegliedert, jedes Arbeitsfeld in Maßnahmen.",
    goal: "Ziel {{number}}",
    goalHeading: "Ziel {{number}}: {{title}}",
    workField: "Arbeitsfeld {{code}}",
    measure: "Maßnahme {{code}}",
    measureCount_one: "{{count}} Maßnahme",
    measureCount_other: "{{count}} Maßnahmen",
    designAreasTitle: "Die sechs Gestaltungsbereiche",
    designAreasIntro:
      "Veränderungen im Aufgabenverständnis einer Ausländerbehörde wirken in sechs Bereichen. Die Zuordnung der Ziele zu den Bereichen ist eine Lesehilfe von ABH-Netz.",
    designAreaGoals: "Ziele in diesem Bereich",
    explanation: "Erläuterung",
    alternativeWording: "Abweichende Formulierung",
    measuresInGoal: "Maßnahmen zu diesem Ziel",
    scaleTitle: "Die Bewertungsskala 1–5",
    scaleIntro: "So wird die Umsetzung jedes Ziels in der Selbsteinschätzung bewertet:",
    scaleCaption: "Die fünf Stufen für Ziel {{number}}, jeweils mit einem Beispiel aus der Praxis",
    scaleLevel: "Stufe",
    scaleGeneral: "Allgemein",
    scaleExample: "Beispiel für dieses Ziel",
    result: "Ergebnis",
    activities: "Zentrale Aktivitäten",
    measureExplanation: "Erläuterungen",
    related: "Verwandte Maßnahmen",
    relatedIntro: "Diese Maßnahmen hängen eng mit dieser zusammen, bauen auf ihr auf oder bilden ihre Grundlage.",
    referencedBy: "Verweisen auf diese Maßnahme",
    workingAids: "Arbeitshilfen",
    workingAid: "Arbeitshilfe {{code}}",
    previous: "Vorherige",
    next: "Nächste",
    backToGoal: "Zurück zu Ziel {{number}}",
    pager: "Blättern zwischen Maßnahmen",
    searchLabel: "Im Orientierungsrahmen suchen",
    searchPlaceholder: "z. B. Terminvergabe, Leitbild, mehrsprachig",
    searchButton: "Suchen",
    searchTitle: "Suche im Orientierungsrahmen",
    searchResults_one: "{{count}} Treffer für „{{query}}“",
    searchResults_other: "{{count}} Treffer für „{{query}}“",
    searchNoResults: "Keine Treffer für „{{query}}“. Versuchen Sie ein anderes oder kürzeres Wort.",
    searchEmpty: "Geben Sie einen Suchbegriff ein.",
    searchGoals: "Ziele",
    searchMeasures: "Maßnahmen",
    source: "Quelle",
    contentLanguageNote: "",
  },
  legal: {
    imprint: "Impressum",
    privacy: "Datenschutzerklärung",
    accessibility: "Erklärung zur Barrierefreiheit",
    notConfigured: "Dieser Text ist noch nicht hinterlegt. Der Betreiber ergänzt ihn in der Datei {{file}}.",
  },
  errors: {
    notFoundTitle: "Seite nicht gefunden",
    notFoundText: "Diese Seite gibt es nicht (mehr). Vielleicht hilft die Suche im Orientierungsrahmen weiter.",
    badRequestTitle: "Ungültige Anfrage",
    forbiddenTitle: "Kein Zugriff",
    forbiddenText: "Für diese Seite fehlen Ihnen die Rechte.",
    serverTitle: "Etwas ist schiefgelaufen",
    serverText:
      "Ein Fehler ist aufgetreten. Ihre bereits gespeicherten Daten sind nicht betroffen. Bitte versuchen Sie es in einem Moment erneut.",
    backHome: "Zur Startseite",
    reference: "Fehlerkennung: {{id}}",
    tooLargeTitle: "Anfrage zu groß",
    tooLargeText:
      "Die gesendeten Daten sind zu groß und wurden nicht angenommen. Bitte kürzen Sie Ihre Eingaben oder wählen Sie eine kleinere Datei.",
    conflictTitle: "Nicht mehr möglich",
    conflictText:
      "Das geht im jetzigen Zustand nicht (mehr) – zum Beispiel, weil es inzwischen abgegeben oder geschlossen wurde. Bitte laden Sie die Seite neu.",
  },
  validation: {
    searchTooLong: "Der Suchbegriff darf höchstens {{max}} Zeichen lang sein.",
  },
};

export type Resources = Widen<typeof de>;
