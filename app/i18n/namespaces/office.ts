import { namespace } from "../namespace";

export const office = namespace(
  {
    home: {
      yourPlaces: "Ihre Bereiche",
      none: "Ihrem Konto ist noch keine Rolle zugeordnet.",
      network: "Netzwerk {{name}}",
    },
    team: {
      title: "Team",
      caption: "Mitglieder von {{office}}",
      inviteTitle: "Mitarbeitende einladen",
      inviteIntro: "Die Person erhält eine E-Mail mit einem Link, der {{days}} Tage gilt.",
      pendingCaption: "Offene Einladungen",
    },
    kind: { KREISFREIE_STADT: "Kreisfreie Stadt", LANDKREIS: "Landkreis", OTHER: "Andere" },
    auditLink: "Protokoll dieser Behörde",
    nav: {
      label: "Bereiche der Behörde",
      overview: "Übersicht und Runden",
      standing: "Stand",
      comparison: "Vergleich",
      history: "Verlauf",
      report: "Bericht",
      plan: "Umsetzungsplan",
      sharing: "Freigabe",
      team: "Team",
      audit: "Protokoll",
    },
    roundNav: {
      label: "Selbsteinschätzung {{round}}",
      overview: "Übersicht",
      measures: "Maßnahmen",
      submit: "Abgeben",
      survey: "Umfrage im Team",
    },
  },
  {
    home: {
      yourPlaces: "Your areas",
      none: "No role has been assigned to your account yet.",
      network: "Network {{name}}",
    },
    team: {
      title: "Team",
      caption: "Members of {{office}}",
      inviteTitle: "Invite staff",
      inviteIntro: "The person receives an e-mail with a link that is valid for {{days}} days.",
      pendingCaption: "Open invitations",
    },
    kind: { KREISFREIE_STADT: "Independent city", LANDKREIS: "District", OTHER: "Other" },
    auditLink: "This office's log",
    nav: {
      label: "Areas of the office",
      overview: "Overview and rounds",
      standing: "Where we stand",
      comparison: "Comparison",
      history: "History",
      report: "Report",
      plan: "Implementation plan",
      sharing: "Sharing",
      team: "Team",
      audit: "Log",
    },
    roundNav: {
      label: "Self-assessment {{round}}",
      overview: "Overview",
      measures: "Measures",
      submit: "Submit",
      survey: "Team survey",
    },
  },
);
