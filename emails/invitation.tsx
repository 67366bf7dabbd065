import { Action, EmailLayout, emailT, formatDateTime, type Language, Paragraph, Small } from "./layout";

export type InvitationEmailProps = {
  /** Unknown until the invitee signs up; the greeting then has no name. */
  inviteeName?: string;
  inviterName: string;
  /** Already translated into the e-mail's language, e.g. "Leitung" / "Office head". */
  roleLabel: string;
  networkName: string;
  /** Set for office roles; network-wide roles have none. */
  officeName?: string;
  acceptUrl: string;
  expiresAt: Date;
};

export function invitationSubject(language: Language, props: InvitationEmailProps) {
  return emailT(language)("invitation.subject", { networkName: props.networkName });
}

export default function InvitationEmail({ language, ...props }: InvitationEmailProps & { language: Language }) {
  const t = emailT(language);
  const role = { role: props.roleLabel, networkName: props.networkName, officeName: props.officeName };
  return (
    <EmailLayout language={language} preview={t("invitation.preview", { inviterName: props.inviterName })}>
      <Paragraph>
        {props.inviteeName ? t("invitation.greetingNamed", { name: props.inviteeName }) : t("invitation.greeting")}
      </Paragraph>
      <Paragraph>{t("invitation.intro", { inviterName: props.inviterName })}</Paragraph>
      <Paragraph>{props.officeName ? t("invitation.roleInOffice", role) : t("invitation.roleInNetwork", role)}</Paragraph>
      <Action href={props.acceptUrl} label={t("invitation.action")} language={language} />
      <Paragraph>{t("invitation.expires", { date: formatDateTime(props.expiresAt, language) })}</Paragraph>
      <Small>{t("invitation.notExpected")}</Small>
    </EmailLayout>
  );
}

/** Sample data for previewing the template (react-email's dev preview reads PreviewProps). */
InvitationEmail.PreviewProps = {
  language: "de",
  inviteeName: "Dana Beispiel",
  inviterName: "Referat Integration",
  roleLabel: "Leitung",
  networkName: "Rheinland-Pfalz (Demo)",
  officeName: "Ausländerbehörde Mainz",
  acceptUrl: "http://localhost:3000/einladung/beispiel",
  expiresAt: new Date("2026-12-01T12:00:00Z"),
} satisfies InvitationEmailProps & { language: Language };
