import type { Resources } from "./de";
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

export const en: Resources = {
  auth: auth.en,
  account: account.en,
  admin: admin.en,
  office: office.en,
  audit: audit.en,
  email: email.en,
  rounds: rounds.en,
  assessment: assessment.en,
  survey: survey.en,
  history: history.en,
  settings: settings.en,
  dashboard: dashboard.en,
  comparison: comparison.en,
  sharing: sharing.en,
  monitoring: monitoring.en,
  storage: storage.en,
  plan: plan.en,
  planProgress: planProgress.en,
  planStrategy: planStrategy.en,
  workshop: workshop.en,
  planPhases: planPhases.en,
  planExport: planExport.en,
  planAttachments: planAttachments.en,
  achievement: achievement.en,
  jobs: jobs.en,
  common: {
    appName: "ABH-Netz",
    tagline: "The network of immigration offices on their way to becoming welcoming authorities",
    skipToContent: "Skip to content",
    mainNavigation: "Main navigation",
    nav: { home: "Home", catalogue: "Framework", search: "Search" },
    language: {
      label: "Language",
      switchTo: "Deutsch",
      switchToLong: "Auf Deutsch umschalten",
      current: "English",
    },
    footer: {
      label: "Legal",
      imprint: "Legal notice",
      privacy: "Privacy",
      accessibility: "Accessibility statement",
    },
    breadcrumb: "Breadcrumb",
  },
  home: {
    title: "Welcome to ABH-Netz",
    intro:
      "ABH-Netz is the portal of the state programme for immigration offices that are becoming service-oriented, welcoming authorities. Offices assess themselves, plan measures, share good practice and compare themselves anonymously with the network.",
    catalogueTitle: "The framework",
    catalogueText:
      "{{goals}} goals, {{workFields}} work fields and {{measures}} measures – with intended result, key activities and explanations. Open to read, no sign-in needed.",
    catalogueLink: "Open the framework",
    whoTitle: "Who is ABH-Netz for?",
    who: {
      ministry: "The ministry runs the network, opens assessment rounds and sees how the programme is taken up.",
      heads: "Heads of immigration offices submit the self-assessment and decide on priorities and the implementation plan.",
      staff: "Staff contribute to drafts and plan activities and answer the anonymous survey.",
      consultants: "Consultants support the offices that asked them in.",
    },
  },
  catalogue: {
    title: "Framework",
    versionsTitle: "Versions of the framework",
    versionsIntro: "A network works with one version. Older versions stay readable.",
    goalsTitle: "The 12 goals",
    goalsIntro: "Each goal is divided into work fields, each work field into measures.",
    goal: "Goal {{number}}",
    goalHeading: "Goal {{number}}: {{title}}",
    workField: "Work field {{code}}",
    measure: "Measure {{code}}",
    measureCount_one: "{{count}} measure",
    measureCount_other: "{{count}} measures",
    designAreasTitle: "The six design areas",
    designAreasIntro:
      "A change in how an immigration office sees its task affects six areas. Assigning the goals to these areas is a reading aid added by ABH-Netz.",
    designAreaGoals: "Goals in this area",
    explanation: "Explanation",
    alternativeWording: "Alternative wording",
    measuresInGoal: "Measures for this goal",
    scaleTitle: "The rating scale 1–5",
    scaleIntro: "This is how the implementation of each goal is rated in the self-assessment:",
    scaleCaption: "The five levels for goal {{number}}, each with an example from practice",
    scaleLevel: "Level",
    scaleGeneral: "In general",
    scaleExample: "Example for this goal",
    result: "Intended result",
    activities: "Key activities",
    measureExplanation: "Explanations",
    related: "Related measures",
    relatedIntro: "These measures are closely linked to this one, build on it or lay its foundation.",
    referencedBy: "Measures that refer to this one",
    workingAids: "Working aids",
    workingAid: "Working aid {{code}}",
    previous: "Previous",
    next: "Next",
    backToGoal: "Back to goal {{number}}",
    pager: "Browse measures",
    searchLabel: "Search the framework",
    searchPlaceholder: "e.g. Terminvergabe, Leitbild, mehrsprachig",
    searchButton: "Search",
    searchTitle: "Search the framework",
    searchResults_one: "{{count}} result for “{{query}}”",
    searchResults_other: "{{count}} results for “{{query}}”",
    searchNoResults: "No results for “{{query}}”. Try another or a shorter word (the texts are German).",
    searchEmpty: "Enter a search term.",
    searchGoals: "Goals",
    searchMeasures: "Measures",
    source: "Source",
    contentLanguageNote: "The framework's texts are shown in their original German.",
  },
  legal: {
    imprint: "Legal notice",
    privacy: "Privacy policy",
    accessibility: "Accessibility statement",
    notConfigured: "This text has not been provided yet. The operator adds it in the file {{file}}.",
  },
  errors: {
    notFoundTitle: "Page not found",
    notFoundText: "This page does not exist (any more). Searching the framework may help.",
    badRequestTitle: "Invalid request",
    forbiddenTitle: "No access",
    forbiddenText: "You do not have the rights for this page.",
    serverTitle: "Something went wrong",
    serverText: "An error occurred. Data you already saved is not affected. Please try again in a moment.",
    backHome: "Go to the home page",
    reference: "Error reference: {{id}}",
    tooLargeTitle: "Request too large",
    tooLargeText: "The data you sent is too large and was not accepted. Please shorten your input or choose a smaller file.",
    conflictTitle: "No longer possible",
    conflictText:
      "This is not possible in the current state (any more) – for example because it has been submitted or closed meanwhile. Please reload the page.",
  },
  validation: {
    searchTooLong: "The search term may be at most {{max}} characters long.",
  },
};
