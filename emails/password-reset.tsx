import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type PasswordResetEmailProps = {
  name: string;
  resetUrl: string;
  /** How long the link works, in minutes. */
  validMinutes: number;
};

export function passwordResetSubject(language: Language, _props: PasswordResetEmailProps) {
  return emailT(language)("passwordReset.subject");
}

export default function PasswordResetEmail({ language, ...props }: PasswordResetEmailProps & { language: Language }) {
  const t = emailT(language);
  return (
    <EmailLayout language={language} preview={t("passwordReset.preview")}>
      <Paragraph>{t("passwordReset.greeting", { name: props.name })}</Paragraph>
      <Paragraph>{t("passwordReset.intro")}</Paragraph>
      <Action href={props.resetUrl} label={t("passwordReset.action")} language={language} />
      <Paragraph>{t("passwordReset.valid", { count: props.validMinutes })}</Paragraph>
      <Small>{t("passwordReset.notYou")}</Small>
    </EmailLayout>
  );
}

PasswordResetEmail.PreviewProps = {
  language: "de",
  name: "Dana Beispiel",
  resetUrl: "http://localhost:3000/passwort-neu/beispiel",
  validMinutes: 30,
} satisfies PasswordResetEmailProps & { language: Language };
