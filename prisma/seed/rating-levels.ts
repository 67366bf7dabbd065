/**
 * What each step of the 1–5 scale means, in plain German. Written for ABH-Netz (the
 * framework itself has no scale); the same words apply to every goal so that a "3"
 * means the same in every office.
 */
export const RATING_LEVELS = [
  {
    level: 1,
    label: "Noch nicht begonnen",
    description: "Das Ziel spielt im Alltag der Behörde bisher keine Rolle. Es gibt dazu weder Absprachen noch Maßnahmen.",
  },
  {
    level: 2,
    label: "Erste Ansätze",
    description:
      "Einzelne Beschäftigte handeln schon im Sinne des Ziels, aber ohne gemeinsame Regeln. Ob es gelingt, hängt von der Person ab.",
  },
  {
    level: 3,
    label: "Teilweise umgesetzt",
    description:
      "Für wichtige Teile des Ziels gibt es vereinbarte Abläufe oder Maßnahmen. Sie werden aber noch nicht überall und nicht immer angewendet.",
  },
  {
    level: 4,
    label: "Weitgehend umgesetzt",
    description:
      "Das Ziel ist in Abläufen, Zuständigkeiten und Materialien fest verankert und wird von fast allen gelebt. Die verbleibenden Lücken sind bekannt.",
  },
  {
    level: 5,
    label: "Vollständig umgesetzt und gesichert",
    description:
      "Das Ziel wird durchgehend erreicht. Die Behörde prüft regelmäßig, ob es so bleibt (zum Beispiel mit Rückmeldungen von Kundinnen und Kunden), und entwickelt es weiter.",
  },
] as const;
