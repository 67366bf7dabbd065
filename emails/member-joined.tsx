import { Action, EmailLayout, emailT, type Language, Paragraph, Small } from "./layout";

export type MemberJoinedEmailProps = {
  /** The head this notice goes to. */
  headName: string;
  memberName: string;
  memberEmail: string;
  /** Already translated into the e-mail's language, e.g. "Mitarbeit" / "Staff". */
  roleLabel: string;
  /** Who sent the invitation; unknown when that account no longer exists. */
  inviterName?: string;
  officeName: string;
  networkName: string;
  /** The office's page with its team. */
  teamUrl: string;
};

export function memberJoinedSubject(language: Language, props: MemberJoinedEmailProps) {
  return emailT(language)("memberJoined.subject", { memberName: props.memberName, officeName: props.officeName });
}

/** Every new member of an office is announced to its heads, whoever invited them. */
export default function MemberJoinedEmail({ language, ...props }: MemberJoinedEmailProps & { language: Language }) {
  const t = emailT(language);
  const values = {
    memberName: props.memberName,
    memberEmail: props.memberEmail,
    role: props.roleLabel,
    officeName: props.officeName,
    networkName: props.networkName,
    inviterName: props.inviterName,
  };
  return (
    <EmailLayout language={language} preview={t("memberJoined.preview", values)}>
      <Paragraph>{t("memberJoined.greeting", { name: props.headName })}</Paragraph>
      <Paragraph>{t("memberJoined.intro", values)}</Paragraph>
      <Paragraph>{props.inviterName ? t("memberJoined.invitedBy", values) : t("memberJoined.inviterUnknown")}</Paragraph>
      <Action href={props.teamUrl} label={t("memberJoined.action")} language={language} />
      <Small>{t("memberJoined.notExpected")}</Small>
    </EmailLayout>
  );
}

MemberJoinedEmail.PreviewProps = {
  language: "de",
  headName: "Hanna Leitung",
  memberName: "Dana Beispiel",
  memberEmail: "dana.beispiel@mainz.example",
  roleLabel: "Leitung",
  inviterName: "Referat Integration",
  officeName: "Ausländerbehörde Mainz",
  networkName: "Rheinland-Pfalz (Demo)",
  teamUrl: "http://localhost:3000/behoerden/beispiel",
} satisfies MemberJoinedEmailProps & { language: Language };
