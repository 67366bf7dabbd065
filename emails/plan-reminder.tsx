import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type PlanReminderEmailProps = {
  /** The responsible person this reminder goes to. */
  name: string;
  /** Activities ending within `daysBefore` days that are not done. */
  beforeEnd: number;
  /** Activities past their end date that are not done. */
  overdue: number;
  daysBefore: number;
  /** The office's plan timeline, where the activities are listed. */
  timelineUrl: string;
  /** The account page, where reminders can be turned off. */
  accountUrl: string;
};

// The strings live in the "planProgress" namespace with the rest of the progress feature.
export function planReminderSubject(language: Language, props: PlanReminderEmailProps) {
  const t = emailT(language);
  return props.overdue > 0
    ? t("planProgress:reminderEmail.subjectOverdue", { count: props.overdue })
    : t("planProgress:reminderEmail.subjectBeforeEnd", { count: props.beforeEnd });
}

/**
 * Reminds the person responsible for plan activities of end dates coming up and of overdue
 * ones. Counts and a link only: which activities, and what they say, is read in the portal.
 */
export default function PlanReminderEmail({ language, ...props }: PlanReminderEmailProps & { language: Language }) {
  const t = emailT(language);
  return (
    <EmailLayout language={language} preview={planReminderSubject(language, props)}>
      <Paragraph>{t("planProgress:reminderEmail.greeting", { name: props.name })}</Paragraph>
      {props.beforeEnd > 0 ? (
        <Paragraph>{t("planProgress:reminderEmail.beforeEnd", { count: props.beforeEnd, days: props.daysBefore })}</Paragraph>
      ) : null}
      {props.overdue > 0 ? <Paragraph>{t("planProgress:reminderEmail.overdue", { count: props.overdue })}</Paragraph> : null}
      <Paragraph>{t("planProgress:reminderEmail.ask")}</Paragraph>
      <Action href={props.timelineUrl} label={t("planProgress:reminderEmail.action")} language={language} />
      <Small>{t("planProgress:reminderEmail.optOut", { url: props.accountUrl })}</Small>
    </EmailLayout>
  );
}

/** Sample data for previewing the template (react-email's dev preview reads PreviewProps). */
PlanReminderEmail.PreviewProps = {
  language: "de",
  name: "Dana Beispiel",
  beforeEnd: 2,
  overdue: 1,
  daysBefore: 7,
  timelineUrl: "http://localhost:3000/behoerden/beispiel/plan/zeitplan",
  accountUrl: "http://localhost:3000/konto",
} satisfies PlanReminderEmailProps & { language: Language };
