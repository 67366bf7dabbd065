import { namespace } from "../namespace";

/** Anonymised cross-office comparison pages. */
export const comparison = namespace(
  {
    title: "Vergleich",
    suppressed: "Zu wenige Behörden für einen anonymen Vergleich",
    intro:
      "Hier sehen Sie, wo Ihre Behörde im Vergleich mit den anderen Behörden Ihres Netzwerks steht. Gezeigt werden nur zusammengefasste Werte mehrerer Behörden – nie einzelne Behörden, ihre Namen oder eine Rangfolge.",
    threshold:
      "In dieser Runde stehen hinter jedem Wert mindestens {{k}} Behörden. Wo eine Gruppe dafür zu klein ist, steht das statt einer Zahl da.",
    explain:
      "Der Median ist der mittlere Wert: Die eine Hälfte der Behörden hat sich niedriger eingeschätzt, die andere höher. Zwischen dem unteren Quartil (Q1) und dem oberen Quartil (Q3) liegt die mittlere Hälfte der Behörden. Quartile werden erst ab 5 Bewertungen ausgewiesen.",
    noRounds:
      "Ihre Behörde hat noch an keiner Erhebungsrunde teilgenommen. Der Vergleich erscheint, sobald eine Runde abgeschlossen ist.",
    notClosed: "Der Vergleich erscheint, sobald die Runde abgeschlossen ist.",
    pending: "Die Vergleichswerte dieser Runde werden berechnet. Bitte laden Sie die Seite gleich noch einmal.",
    othersOnly: "Ihre eigene Bewertung steckt in keiner dieser Zahlen: Jede beschreibt nur andere Behörden des Netzwerks.",
    filter: {
      title: "Auswahl",
      round: "Runde",
      roundClosed: "{{name}} (abgeschlossen)",
      roundOpen: "{{name}} (läuft noch)",
      goal: "Ziel",
      allGoals: "Alle Ziele (Überblick)",
      goalOption: "{{number}}. {{title}}",
      group: "Vergleichsgruppe",
      submit: "Anzeigen",
      invalid: "Ein Teil der Auswahl war nicht gültig. Der Hinweis steht am Feld; angezeigt wird dafür die Standardauswahl.",
    },
    errors: {
      round: "Diese Runde gibt es für Ihre Behörde nicht. Bitte wählen Sie eine Runde aus der Liste.",
      goal: "Dieses Ziel gibt es nicht. Bitte wählen Sie ein Ziel aus der Liste oder „Alle Ziele“.",
      group: "Diese Vergleichsgruppe gibt es nicht. Bitte wählen Sie eine Gruppe aus der Liste.",
    },
    groups: {
      network: "Alle anderen Behörden des Netzwerks",
      kind: {
        KREISFREIE_STADT: "Kreisfreie Städte",
        LANDKREIS: "Landkreise",
        other: "Andere Behörden",
      },
      size: {
        small: "unter {{below}} Kundinnen und Kunden",
        medium: "{{from}} bis {{to}} Kundinnen und Kunden",
        large: "über {{above}} Kundinnen und Kunden",
      },
      sizeGroup: "Behörden mit {{size}}",
      kindSize: "{{kind}} mit {{size}}",
    },
    table: {
      goal: "Ziel",
      group: "Vergleichsgruppe",
      round: "Runde",
      n: "Anzahl Behörden",
      median: "Median",
      q1: "Unteres Quartil (Q1)",
      q3: "Oberes Quartil (Q3)",
      own: "Ihre Bewertung",
      noOwn: "keine Bewertung",
      noSpread: "erst ab 5 Bewertungen",
      goalName: "{{number}}. {{title}}",
      ownLine: "Ihre Bewertung: {{rating}}",
    },
    chart: {
      band: "Mittlere Hälfte (Q1 bis Q3)",
      median: "Median",
      own: "Ihre Bewertung",
    },
    distribution: {
      title: "Verteilung in der Gruppe „{{group}}“",
      caption: "{{group}}, Runde „{{round}}“: Anzahl Behörden, Median und Quartile je Ziel und Ihre Bewertung",
      summaryOverview: "Für {{shown}} von {{total}} Zielen gibt es in dieser Gruppe einen anonymen Vergleich.",
      summaryPosition:
        "Ihre Bewertung liegt bei {{below}} davon unter dem Median, bei {{equal}} auf dem Median und bei {{above}} darüber.",
    },
    summary: {
      shown: "{{group}}: {{n}} Behörden, Median {{median}}, mittlere Hälfte von {{q1}} bis {{q3}}.",
      shownNoSpread: "{{group}}: {{n}} Behörden, Median {{median}} (Quartile erst ab 5 Bewertungen).",
      suppressed: "{{group}}: Zu wenige Behörden für einen anonymen Vergleich.",
      below: "Ihre Bewertung {{own}} liegt unter dem Median.",
      equal: "Ihre Bewertung {{own}} liegt auf dem Median.",
      above: "Ihre Bewertung {{own}} liegt über dem Median.",
      noOwn: "Ihre Behörde hat dieses Ziel in dieser Runde nicht bewertet.",
    },
    peers: {
      title: "Ihre Vergleichsgruppen nebeneinander",
      intro: "Ihre Behörde gehört in dieser Runde zu diesen Gruppen: {{groups}}.",
      noSize:
        "Für Ihre Behörde war beim Abschluss der Runde keine Zahl der Kundinnen und Kunden hinterlegt; sie gehört deshalb zu keiner Größenklasse.",
      caption: "Ihre Vergleichsgruppen in der Runde „{{round}}“: Anzahl Behörden, Median und Quartile",
      captionGoal: "Ziel {{number}} in Ihren Vergleichsgruppen, Runde „{{round}}“: Anzahl Behörden, Median und Quartile",
    },
    trend: {
      title: "Entwicklung des Medians der anderen Behörden",
      intro:
        "Median und mittlere Hälfte der anderen Behörden des Netzwerks in den abgeschlossenen Runden bis zur gewählten Runde – jede Runde mit den Behörden, die damals abgegeben hatten.",
      caption: "Ziel {{number}}: Median und Quartile der anderen Behörden je abgeschlossener Runde",
      captionOverview: "Median der anderen Behörden je Ziel und abgeschlossener Runde, älteste Runde zuerst",
      summary: "Median der anderen Behörden: {{items}}.",
      summaryOverview:
        "Median der anderen Behörden je Ziel in {{rounds}} abgeschlossenen Runden; die Tabelle nennt die Werte, eine zu kleine Gruppe steht als solche da.",
      item: "{{round}} {{median}}",
      itemSuppressed: "{{round}} zu wenige Behörden",
      cellMedian: "Median {{median}}",
      cellN: "{{n}} Behörden",
      onlyOne: "Bisher ist nur diese eine Runde abgeschlossen; eine Entwicklung zeigt sich ab der zweiten.",
    },
  },
  {
    title: "Comparison",
    suppressed: "Too few offices for an anonymous comparison",
    intro:
      "Here you see where your office stands compared with the other offices of your network. Only figures summarising several offices are shown – never single offices, their names or a ranking.",
    threshold:
      "In this round every figure rests on at least {{k}} offices. Where a group is too small for that, this is said instead of a number.",
    explain:
      "The median is the middle value: half of the offices rated themselves lower, the other half higher. The middle half of the offices lies between the lower quartile (Q1) and the upper quartile (Q3). Quartiles are shown from 5 ratings on.",
    noRounds: "Your office has not taken part in an assessment round yet. The comparison appears once a round is closed.",
    notClosed: "The comparison appears once the round is closed.",
    pending: "This round's comparison figures are being computed. Please reload the page in a moment.",
    othersOnly: "Your own rating is in none of these figures: each describes other offices of the network only.",
    filter: {
      title: "Selection",
      round: "Round",
      roundClosed: "{{name}} (closed)",
      roundOpen: "{{name}} (still open)",
      goal: "Goal",
      allGoals: "All goals (overview)",
      goalOption: "{{number}}. {{title}}",
      group: "Comparison group",
      submit: "Show",
      invalid: "Part of the selection was not valid. The note is at the field; the default selection is shown instead.",
    },
    errors: {
      round: "Your office has no such round. Please choose a round from the list.",
      goal: "There is no such goal. Please choose a goal from the list or “All goals”.",
      group: "There is no such comparison group. Please choose a group from the list.",
    },
    groups: {
      network: "All other offices of the network",
      kind: {
        KREISFREIE_STADT: "Independent cities",
        LANDKREIS: "Districts",
        other: "Other offices",
      },
      size: {
        small: "fewer than {{below}} clients",
        medium: "{{from}} to {{to}} clients",
        large: "more than {{above}} clients",
      },
      sizeGroup: "Offices with {{size}}",
      kindSize: "{{kind}} with {{size}}",
    },
    table: {
      goal: "Goal",
      group: "Comparison group",
      round: "Round",
      n: "Number of offices",
      median: "Median",
      q1: "Lower quartile (Q1)",
      q3: "Upper quartile (Q3)",
      own: "Your rating",
      noOwn: "no rating",
      noSpread: "from 5 ratings on",
      goalName: "{{number}}. {{title}}",
      ownLine: "Your rating: {{rating}}",
    },
    chart: {
      band: "Middle half (Q1 to Q3)",
      median: "Median",
      own: "Your rating",
    },
    distribution: {
      title: "Distribution in the group “{{group}}”",
      caption: "{{group}}, round “{{round}}”: number of offices, median and quartiles per goal, and your rating",
      summaryOverview: "For {{shown}} of {{total}} goals there is an anonymous comparison in this group.",
      summaryPosition:
        "Your rating is below the median for {{below}} of them, at the median for {{equal}} and above it for {{above}}.",
    },
    summary: {
      shown: "{{group}}: {{n}} offices, median {{median}}, middle half from {{q1}} to {{q3}}.",
      shownNoSpread: "{{group}}: {{n}} offices, median {{median}} (quartiles from 5 ratings on).",
      suppressed: "{{group}}: too few offices for an anonymous comparison.",
      below: "Your rating {{own}} is below the median.",
      equal: "Your rating {{own}} is at the median.",
      above: "Your rating {{own}} is above the median.",
      noOwn: "Your office did not rate this goal in this round.",
    },
    peers: {
      title: "Your comparison groups side by side",
      intro: "In this round your office belongs to these groups: {{groups}}.",
      noSize: "When the round closed, your office's profile had no number of clients; it therefore belongs to no size class.",
      caption: "Your comparison groups in the round “{{round}}”: number of offices, median and quartiles",
      captionGoal: "Goal {{number}} in your comparison groups, round “{{round}}”: number of offices, median and quartiles",
    },
    trend: {
      title: "Trend of the other offices' median",
      intro:
        "Median and middle half of the other offices of the network in the closed rounds up to the chosen round – each round with the offices that had submitted then.",
      caption: "Goal {{number}}: the other offices' median and quartiles per closed round",
      captionOverview: "The other offices' median per goal and closed round, oldest round first",
      summary: "Other offices' median: {{items}}.",
      summaryOverview:
        "The other offices' median per goal in {{rounds}} closed rounds; the table gives the figures and names any group that is too small.",
      item: "{{round}} {{median}}",
      itemSuppressed: "{{round}} too few offices",
      cellMedian: "Median {{median}}",
      cellN: "{{n}} offices",
      onlyOne: "So far only this one round is closed; a trend shows from the second on.",
    },
  },
);
