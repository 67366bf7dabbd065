import { formatDay } from "../app/utils/calendar-day";
import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type RoundReminderEmailProps = {
  headName: string;
  networkName: string;
  officeName: string;
  roundName: string;
  /** The office's own deadline (the round's, or its extended one). */
  deadline: Date;
  goalsDone: number;
  goals: number;
  measuresDone: number;
  measures: number;
  /** The office's assessment in the portal. */
  assessmentUrl: string;
};

// The strings live in the "settings" namespace with the rest of the reminder feature.
export function roundReminderSubject(language: Language, props: RoundReminderEmailProps) {
  return emailT(language)("settings:reminderEmail.subject", {
    officeName: props.officeName,
    deadline: formatDay(props.deadline, language),
  });
}

/** Reminds an office's head before the deadline that the self-assessment is not submitted yet. */
export default function RoundReminderEmail({ language, ...props }: RoundReminderEmailProps & { language: Language }) {
  const t = emailT(language);
  const deadline = formatDay(props.deadline, language);
  const started = props.goalsDone > 0 || props.measuresDone > 0;
  return (
    <EmailLayout language={language} preview={t("settings:reminderEmail.preview", { deadline })}>
      <Paragraph>{t("settings:reminderEmail.greeting", { name: props.headName })}</Paragraph>
      <Paragraph>
        {t("settings:reminderEmail.intro", {
          officeName: props.officeName,
          roundName: props.roundName,
          networkName: props.networkName,
          deadline,
        })}
      </Paragraph>
      {started ? null : <Paragraph>{t("settings:reminderEmail.notStarted")}</Paragraph>}
      <Paragraph>
        {t("settings:reminderEmail.progress", {
          goalsDone: props.goalsDone,
          goals: props.goals,
          measuresDone: props.measuresDone,
          measures: props.measures,
        })}
      </Paragraph>
      <Paragraph>{t("settings:reminderEmail.ask")}</Paragraph>
      <Action href={props.assessmentUrl} label={t("settings:reminderEmail.action")} language={language} />
      <Small>{t("settings:reminderEmail.why")}</Small>
    </EmailLayout>
  );
}

/** Sample data for previewing the template (react-email's dev preview reads PreviewProps). */
RoundReminderEmail.PreviewProps = {
  language: "de",
  headName: "Dana Beispiel",
  networkName: "Rheinland-Pfalz (Demo)",
  officeName: "Ausländerbehörde Mainz",
  roundName: "2026",
  deadline: new Date("2027-03-31T23:59:59.999+02:00"),
  goalsDone: 7,
  goals: 12,
  measuresDone: 20,
  measures: 56,
  assessmentUrl: "http://localhost:3000/behoerden/beispiel/runden/2026",
} satisfies RoundReminderEmailProps & { language: Language };
