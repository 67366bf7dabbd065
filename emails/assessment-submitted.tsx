import { formatDay } from "../app/utils/calendar-day";
import { formatDateTime } from "../app/utils/datetime";
import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type AssessmentSubmittedEmailProps = {
  headName: string;
  networkName: string;
  officeName: string;
  roundName: string;
  submittedAt: Date;
  goalsDone: number;
  goals: number;
  measuresDone: number;
  measures: number;
  late: boolean;
  /** The assessment in the portal. */
  assessmentUrl: string;
};

export function assessmentSubmittedSubject(language: Language, props: AssessmentSubmittedEmailProps) {
  return emailT(language)("assessmentSubmitted.subject", { roundName: props.roundName, officeName: props.officeName });
}

/** The receipt an office head gets for submitting the self-assessment. */
export default function AssessmentSubmittedEmail({ language, ...props }: AssessmentSubmittedEmailProps & { language: Language }) {
  const t = emailT(language);
  return (
    <EmailLayout language={language} preview={t("assessmentSubmitted.preview", { date: formatDay(props.submittedAt, language) })}>
      <Paragraph>{t("assessmentSubmitted.greeting", { name: props.headName })}</Paragraph>
      <Paragraph>
        {t("assessmentSubmitted.intro", {
          officeName: props.officeName,
          roundName: props.roundName,
          networkName: props.networkName,
        })}
      </Paragraph>
      <Paragraph>{t("assessmentSubmitted.when", { dateTime: formatDateTime(props.submittedAt, language) })}</Paragraph>
      <Paragraph>
        {t("assessmentSubmitted.progress", {
          goalsDone: props.goalsDone,
          goals: props.goals,
          measuresDone: props.measuresDone,
          measures: props.measures,
        })}
      </Paragraph>
      {props.late ? <Paragraph>{t("assessmentSubmitted.late")}</Paragraph> : null}
      <Paragraph>{t("assessmentSubmitted.locked")}</Paragraph>
      <Action href={props.assessmentUrl} label={t("assessmentSubmitted.action")} language={language} />
      <Small>{t("assessmentSubmitted.why")}</Small>
    </EmailLayout>
  );
}

/** Sample data for previewing the template (react-email's dev preview reads PreviewProps). */
AssessmentSubmittedEmail.PreviewProps = {
  language: "de",
  headName: "Dana Beispiel",
  networkName: "Rheinland-Pfalz (Demo)",
  officeName: "Ausländerbehörde Mainz",
  roundName: "2026",
  submittedAt: new Date("2027-03-20T10:15:00+01:00"),
  goalsDone: 12,
  goals: 12,
  measuresDone: 50,
  measures: 56,
  late: false,
  assessmentUrl: "http://localhost:3000/behoerden/beispiel/runden/2026",
} satisfies AssessmentSubmittedEmailProps & { language: Language };
