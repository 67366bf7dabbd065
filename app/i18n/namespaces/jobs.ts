import { namespace } from "../namespace";

/** The network admin's list of failed background jobs (app/platform/jobs). */
export const jobs = namespace(
  {
    title: "Fehlgeschlagene Aufträge",
    nav: "Aufträge",
    intro:
      "ABH-Netz erledigt manche Arbeit im Hintergrund: E-Mails zustellen und Fristerinnerungen verschicken. Schlägt ein Auftrag fehl, versucht ABH-Netz es mit wachsendem Abstand erneut. Aufträge, die auch nach allen Versuchen nicht gelungen sind, stehen hier. Sie sehen die Aufträge Ihres Netzwerks und die netzwerkübergreifenden; Namen, Adressen und Inhalte zeigt diese Liste nicht.",
    empty: "Keine fehlgeschlagenen Aufträge. Alles läuft.",
    caption: "Fehlgeschlagene Aufträge, neueste zuerst",
    columns: {
      task: "Auftrag",
      attempts: "Versuche",
      error: "Letzter Fehler",
      failedAt: "Zuletzt versucht",
      action: "Aktion",
    },
    attempts: "{{attempts}} von {{max}}",
    noError: "–",
    task: {
      emailDeliver: "E-Mail zustellen",
      remindersSendDue: "Fristerinnerungen verschicken",
      unknown: "Auftrag „{{name}}“",
    },
    retry: "Erneut versuchen",
    retryLabel: "Auftrag {{id}} erneut versuchen",
    retried: "Der Auftrag wird erneut ausgeführt.",
    errors: {
      jobInvalid: "Diesen Auftrag gibt es nicht. Bitte laden Sie die Seite neu.",
      jobGone:
        "Dieser Auftrag steht nicht mehr in der Liste – vielleicht hat ihn schon jemand erneut gestartet. Bitte laden Sie die Seite neu.",
      unknownIntent: "Diese Aktion gibt es hier nicht.",
    },
  },
  {
    title: "Failed jobs",
    nav: "Jobs",
    intro:
      "ABH-Netz does some work in the background: delivering e-mails and sending deadline reminders. When a job fails, ABH-Netz tries again at growing intervals. Jobs that still failed after every attempt are listed here. You see your network's jobs and those that concern all networks; this list shows no names, addresses or content.",
    empty: "No failed jobs. Everything is running.",
    caption: "Failed jobs, newest first",
    columns: {
      task: "Job",
      attempts: "Attempts",
      error: "Last error",
      failedAt: "Last attempt",
      action: "Action",
    },
    attempts: "{{attempts}} of {{max}}",
    noError: "–",
    task: {
      emailDeliver: "Deliver an e-mail",
      remindersSendDue: "Send deadline reminders",
      unknown: "Job “{{name}}”",
    },
    retry: "Try again",
    retryLabel: "Try job {{id}} again",
    retried: "The job will run again.",
    errors: {
      jobInvalid: "This job does not exist. Please reload the page.",
      jobGone: "This job is no longer in the list – perhaps someone has already restarted it. Please reload the page.",
      unknownIntent: "This action does not exist here.",
    },
  },
);
