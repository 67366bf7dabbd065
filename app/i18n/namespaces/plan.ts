import { namespace } from "../namespace";

/** The implementation plan (Umsetzungsplan, Arbeitshilfe 2.1) and the five phases of the change (Teil B). */
export const plan = namespace(
  {
    nav: {
      label: "Bereiche des Umsetzungsplans",
      overview: "Plan",
      phases: "Phasen",
      timeline: "Zeitplan",
      strategy: "Gesamtkonzept",
      attachments: "Anlagen",
      import: "Excel-Import",
    },
    title: "Umsetzungsplan",
  },
  {
    nav: {
      label: "Areas of the implementation plan",
      overview: "Plan",
      phases: "Phases",
      timeline: "Timeline",
      strategy: "Overall strategy",
      attachments: "Attachments",
      import: "Excel import",
    },
    title: "Implementation plan",
  },
);
