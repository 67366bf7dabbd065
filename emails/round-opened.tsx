import { formatDay } from "../app/utils/calendar-day";
import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type RoundOpenedEmailProps = {
  headName: string;
  networkName: string;
  officeName: string;
  roundName: string;
  frameworkTitle: string;
  opensAt: Date;
  deadline: Date;
  /** The office's page in the portal. */
  officeUrl: string;
};

export function roundOpenedSubject(language: Language, props: RoundOpenedEmailProps) {
  return emailT(language)("roundOpened.subject", { roundName: props.roundName, officeName: props.officeName });
}

/** Tells an office's head that a new assessment round includes their office. */
export default function RoundOpenedEmail({ language, ...props }: RoundOpenedEmailProps & { language: Language }) {
  const t = emailT(language);
  const deadline = formatDay(props.deadline, language);
  return (
    <EmailLayout language={language} preview={t("roundOpened.preview", { deadline })}>
      <Paragraph>{t("roundOpened.greeting", { name: props.headName })}</Paragraph>
      <Paragraph>
        {t("roundOpened.intro", { networkName: props.networkName, roundName: props.roundName, officeName: props.officeName })}
      </Paragraph>
      <Paragraph>{t("roundOpened.what", { frameworkTitle: props.frameworkTitle })}</Paragraph>
      <Paragraph>{t("roundOpened.opens", { date: formatDay(props.opensAt, language) })}</Paragraph>
      <Paragraph>{t("roundOpened.deadline", { date: deadline })}</Paragraph>
      <Action href={props.officeUrl} label={t("roundOpened.action")} language={language} />
      <Small>{t("roundOpened.why")}</Small>
    </EmailLayout>
  );
}

/** Sample data for previewing the template (react-email's dev preview reads PreviewProps). */
RoundOpenedEmail.PreviewProps = {
  language: "de",
  headName: "Dana Beispiel",
  networkName: "Rheinland-Pfalz (Demo)",
  officeName: "Ausländerbehörde Mainz",
  roundName: "2026",
  frameworkTitle: "Orientierungsrahmen Rheinland-Pfalz 2015",
  opensAt: new Date("2026-12-01T00:00:00+01:00"),
  deadline: new Date("2027-03-31T23:59:59.999+02:00"),
  officeUrl: "http://localhost:3000/behoerden/beispiel",
} satisfies RoundOpenedEmailProps & { language: Language };
