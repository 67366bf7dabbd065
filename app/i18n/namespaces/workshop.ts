import { namespace } from "../namespace";

/** The team workshop of a round (Arbeitshilfe 1.3 "Reflexionsfragen"). */
export const workshop = namespace(
  {
    title: "Team-Workshop",
    intro:
      "Für die gemeinsame Besprechung des Veränderungsbedarfs im Team: zum Einstieg die Ergebnisse der anonymen Befragung und die Einschätzung Ihrer Behörde, dann die Reflexionsfragen. Halten Sie fest, was das Team dazu sagt – alle im Team können die Notizen bearbeiten.",
    survey: {
      heading: "Ergebnisse der Befragung",
      none: "In dieser Runde gab es keine Befragung der Mitarbeitenden.",
      running: "Die Befragung läuft noch bis {{date}}. Die Ergebnisse erscheinen nach ihrem Ende, wenn genug Antworten da sind.",
      hidden:
        "Es haben weniger als {{threshold}} Mitarbeitende mit persönlichem Code geantwortet. Damit niemand erkannt werden kann, bleiben die Ergebnisse verborgen.",
      intro:
        "Wie wichtig ist es aus Sicht der Mitarbeitenden, im jeweiligen Bereich etwas zu verändern? Anzahl und Anteil aller Antworten.",
      caption_one: "Wie wichtig ist Veränderung? Ergebnis aus {{count}} Antwort",
      caption_other: "Wie wichtig ist Veränderung? Ergebnis aus {{count}} Antworten",
      workField: "Arbeitsfeld",
      cell: "{{count}} ({{share}})",
      goal: "Ziel {{number}}: {{title}}",
    },
    ratings: {
      heading: "Einschätzung Ihrer Behörde",
      intro: "Die gemeinsame Bewertung der 12 Ziele in dieser Runde (Stufe 1 bis 5).",
      caption: "Bewertung der Ziele durch Ihre Behörde in der Runde „{{round}}“",
      goal: "Ziel",
      rating: "Bewertung",
      level: "Stufe {{rating}}: {{label}}",
      notAssessed: "nicht bewertet",
      open: "noch offen",
    },
    questions: {
      heading: "Reflexionsfragen",
      intro: "Fragen zum Einstieg in die Diskussion (nach Arbeitshilfe 1.3 und den Fragen aus Teil B des Orientierungsrahmens).",
      number: "Frage {{number}}",
      survey:
        "Was fällt uns an den Ergebnissen der Befragung auf? Wo sehen wir gemeinsam Veränderungsbedarf, wo eher nicht – und wo braucht es noch Überzeugungsarbeit?",
      selfView: "Wo weicht die Sicht des Teams von der Einschätzung unserer Behörde ab? Woran könnte das liegen?",
      strengths: "Was gelingt uns heute schon gut? Auf welche Erfolge und welche gute Praxis können wir aufbauen?",
      reasons:
        "Warum wollen wir uns verändern? Was hat die Leitung bewogen, den Prozess anzustoßen, und welche Ziele verbindet sie damit?",
      practice: "Welche Veränderungen ergeben sich daraus voraussichtlich für unsere tägliche Arbeit? Was bleibt unverändert?",
      benefit:
        "Worin liegt der Nutzen – für die Verwaltung, für unsere Behörde, für unsere Kundinnen und Kunden und für uns Mitarbeitende?",
      concerns: "Welche Bedenken gibt es? Welche davon sind unbegründet, und wie können wir auf die begründeten eingehen?",
      workload:
        "Bringen die Neuerungen zusätzlichen Arbeits- und Zeitaufwand? Welche Fortbildung oder Unterstützung brauchen wir dafür?",
      priorities:
        "Welche Veränderung ist am dringlichsten? Welche Bedeutung hat sie, welcher Aufwand und welcher Zeitrahmen sind damit verbunden?",
      nextSteps: "Welche Maßnahmen wollen wir angehen, wer übernimmt welche Aufgabe, und wie beteiligen wir das ganze Team?",
    },
    note: {
      label: "Notizen des Teams zu Frage {{number}}",
      save: "Notiz speichern",
      saveContext: "zu Frage {{number}}",
      saved: "Die Notiz ist gespeichert.",
      lastSaved: "Zuletzt gespeichert am {{date}} von {{person}}.",
      lastSavedNobody: "Zuletzt gespeichert am {{date}}.",
      conflict:
        "Jemand anderes hat die Notiz zu dieser Frage gespeichert, während Sie geschrieben haben. Ihr Text ist im Feld erhalten; der inzwischen gespeicherte Text steht darüber. Führen Sie beides zusammen und speichern Sie erneut.",
      current: "Inzwischen gespeichert:",
      currentEmpty: "Inzwischen gespeichert: (leer)",
      invalid: "Bitte prüfen Sie die Notiz.",
      toPlan: "In den Plan übernehmen",
      toPlanContext: "Notiz zu Frage {{number}} als eigene Maßnahme",
    },
    plan: {
      heading: "Weiter zum Umsetzungsplan",
      open: "Was das Team als wichtig erkannt hat, gehört in den Umsetzungsplan.",
      openLink: "Umsetzungsplan öffnen",
      start: "Ihre Behörde hat noch keinen Umsetzungsplan. Die Leitung kann ihn aus den Prioritäten dieser Runde starten.",
      startLink: "Umsetzungsplan starten",
      noPlanTeam: "Ihre Behörde hat noch keinen Umsetzungsplan. Die Leitung kann ihn starten.",
      strategyLink: "Zum Gesamtkonzept",
      takeOverHint:
        "„In den Plan übernehmen“ öffnet das Formular für eine eigene Maßnahme im Plan, vorausgefüllt mit der ersten Zeile der Notiz.",
    },
    errors: {
      question: "Diese Frage gibt es nicht.",
      version: "Das Formular ist veraltet. Bitte laden Sie die Seite neu.",
      text: "Bitte geben Sie Text ein.",
      tooLong: "Die Notiz ist zu lang.",
    },
  },
  {
    title: "Team workshop",
    intro:
      "For discussing the need for change as a team: start with the results of the anonymous survey and your office's own ratings, then the reflection questions. Record what the team says – everyone in the team can edit the notes.",
    survey: {
      heading: "Survey results",
      none: "There was no staff survey in this round.",
      running: "The survey runs until {{date}}. The results appear after it ends, if enough answers are in.",
      hidden:
        "Fewer than {{threshold}} staff members answered with a personal code. So that nobody can be recognised, the results stay hidden.",
      intro: "How important do staff consider change in each area? Number and share of all answers.",
      caption_one: "How important is change? Result from {{count}} answer",
      caption_other: "How important is change? Result from {{count}} answers",
      workField: "Work field",
      cell: "{{count}} ({{share}})",
      goal: "Goal {{number}}: {{title}}",
    },
    ratings: {
      heading: "Your office's ratings",
      intro: "The joint rating of the 12 goals in this round (level 1 to 5).",
      caption: "Your office's rating of the goals in the round “{{round}}”",
      goal: "Goal",
      rating: "Rating",
      level: "Level {{rating}}: {{label}}",
      notAssessed: "not assessed",
      open: "still open",
    },
    questions: {
      heading: "Reflection questions",
      intro: "Questions to open the discussion (after working aid 1.3 and the questions in part B of the framework).",
      number: "Question {{number}}",
      survey:
        "What strikes us about the survey results? Where do we agree that change is needed, where not – and where is there still convincing to do?",
      selfView: "Where does the team's view differ from our office's rating? Why might that be?",
      strengths: "What are we already doing well? Which successes and good practice can we build on?",
      reasons: "Why do we want to change? What made the management start the process, and what goals does it have?",
      practice: "What changes will this probably bring to our daily work? What stays the same?",
      benefit: "What is the benefit – for the administration, for our office, for our clients and for us as staff?",
      concerns: "What concerns are there? Which are unfounded, and how can we address the founded ones?",
      workload: "Do the changes bring extra work and time? What training or support do we need for them?",
      priorities: "Which change is most urgent? How important is it, and what effort and time frame does it involve?",
      nextSteps: "Which measures do we want to tackle, who takes on which task, and how do we involve the whole team?",
    },
    note: {
      label: "The team's notes on question {{number}}",
      save: "Save note",
      saveContext: "on question {{number}}",
      saved: "The note has been saved.",
      lastSaved: "Last saved on {{date}} by {{person}}.",
      lastSavedNobody: "Last saved on {{date}}.",
      conflict:
        "Someone else saved the note on this question while you were writing. Your text is kept in the field; the text saved in the meantime is shown above it. Combine both and save again.",
      current: "Saved in the meantime:",
      currentEmpty: "Saved in the meantime: (empty)",
      invalid: "Please check the note.",
      toPlan: "Take into the plan",
      toPlanContext: "note on question {{number}} as an own measure",
    },
    plan: {
      heading: "On to the implementation plan",
      open: "What the team found important belongs in the implementation plan.",
      openLink: "Open the implementation plan",
      start: "Your office has no implementation plan yet. The head can start it from this round's priorities.",
      startLink: "Start the implementation plan",
      noPlanTeam: "Your office has no implementation plan yet. The head can start it.",
      strategyLink: "To the overall strategy",
      takeOverHint: "“Take into the plan” opens the form for an own measure in the plan, prefilled with the note's first line.",
    },
    errors: {
      question: "This question does not exist.",
      version: "The form is out of date. Please reload the page.",
      text: "Please enter text.",
      tooLong: "The note is too long.",
    },
  },
);
