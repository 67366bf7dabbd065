import { createInstance, type TFunction } from "i18next";
import { i18nConfig } from "../app/i18n/config";
import { formatDay } from "../app/utils/calendar-day";
import { Action, EmailLayout, type Language, Paragraph, Small } from "./layout";

/**
 * A staff member's personal code for the anonymous staff survey. The portal sends it; the
 * head never sees it. The code is a secret like a password-reset token: it appears only in
 * the link's path (`surveyUrl`, …/umfrage/<code>), so the outbox can keep a copy with the
 * path redacted and put the code back only when it sends the message.
 */
export type SurveyInvitationEmailProps = {
  name: string;
  officeName: string;
  roundName: string;
  closesAt: Date;
  /** …/umfrage/<code>: the only place the code appears. */
  surveyUrl: string;
};

// The survey's own strings (namespace "survey", key "email"), one instance for all renders.
const i18n = createInstance();
void i18n.init({ ...i18nConfig, lng: "de", initImmediate: false });
const surveyT = (language: Language): TFunction<"survey"> => i18n.getFixedT(language, "survey");

export function surveyInvitationSubject(language: Language, props: SurveyInvitationEmailProps) {
  return surveyT(language)("email.subject", { office: props.officeName });
}

export default function SurveyInvitationEmail({ language, ...props }: SurveyInvitationEmailProps & { language: Language }) {
  const t = surveyT(language);
  return (
    <EmailLayout language={language} preview={t("email.preview", { office: props.officeName })}>
      <Paragraph>{t("email.greeting", { name: props.name })}</Paragraph>
      <Paragraph>{t("email.intro", { office: props.officeName, round: props.roundName })}</Paragraph>
      <Paragraph>{t("email.code")}</Paragraph>
      <Action href={props.surveyUrl} label={t("email.action")} language={language} />
      <Paragraph>{t("email.until", { date: formatDay(props.closesAt, language) })}</Paragraph>
      <Small>{t("email.anonymous")}</Small>
      <Small>{t("email.ownDevice")}</Small>
    </EmailLayout>
  );
}

SurveyInvitationEmail.PreviewProps = {
  language: "de",
  name: "Dana Beispiel",
  officeName: "Ausländerbehörde Mainz",
  roundName: "2026",
  closesAt: new Date("2026-12-20T22:59:59Z"),
  surveyUrl: "http://localhost:3000/umfrage/ABCD-EFGH-JKLM",
} satisfies SurveyInvitationEmailProps & { language: Language };
