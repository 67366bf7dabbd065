import { render } from "@react-email/render";
import { createElement, type FunctionComponent } from "react";
import type { Language } from "~/i18n/config";
import AssessmentSubmittedEmail, {
  type AssessmentSubmittedEmailProps,
  assessmentSubmittedSubject,
} from "../../../emails/assessment-submitted";
import InvitationEmail, { invitationSubject, type InvitationEmailProps } from "../../../emails/invitation";
import MemberJoinedEmail, { memberJoinedSubject, type MemberJoinedEmailProps } from "../../../emails/member-joined";
import PlanReminderEmail, { type PlanReminderEmailProps, planReminderSubject } from "../../../emails/plan-reminder";
import PasswordResetEmail, { passwordResetSubject, type PasswordResetEmailProps } from "../../../emails/password-reset";
import RoundOpenedEmail, { roundOpenedSubject, type RoundOpenedEmailProps } from "../../../emails/round-opened";
import RoundReminderEmail, { roundReminderSubject, type RoundReminderEmailProps } from "../../../emails/round-reminder";
import SurveyInvitationEmail, {
  surveyInvitationSubject,
  type SurveyInvitationEmailProps,
} from "../../../emails/survey-invitation";

type Template<P> = {
  component: FunctionComponent<P & { language: Language }>;
  subject: (language: Language, props: P) => string;
};

function template<P>(component: Template<P>["component"], subject: Template<P>["subject"]): Template<P> {
  return { component, subject };
}

/** Every e-mail the portal sends. Adding one: a component in /emails and one entry here. */
const templates = {
  invitation: template<InvitationEmailProps>(InvitationEmail, invitationSubject),
  "password-reset": template<PasswordResetEmailProps>(PasswordResetEmail, passwordResetSubject),
  "round-opened": template<RoundOpenedEmailProps>(RoundOpenedEmail, roundOpenedSubject),
  "round-reminder": template<RoundReminderEmailProps>(RoundReminderEmail, roundReminderSubject),
  "assessment-submitted": template<AssessmentSubmittedEmailProps>(AssessmentSubmittedEmail, assessmentSubmittedSubject),
  "survey-invitation": template<SurveyInvitationEmailProps>(SurveyInvitationEmail, surveyInvitationSubject),
  "member-joined": template<MemberJoinedEmailProps>(MemberJoinedEmail, memberJoinedSubject),
  "plan-reminder": template<PlanReminderEmailProps>(PlanReminderEmail, planReminderSubject),
};

export type EmailTemplateName = keyof typeof templates;
export type EmailTemplateProps<N extends EmailTemplateName> = (typeof templates)[N] extends Template<infer P> ? P : never;
export type RenderedEmail = { subject: string; html: string; text: string };

export const EMAIL_TEMPLATE_NAMES = Object.keys(templates) as EmailTemplateName[];

/** Subject, HTML and the plain-text alternative of one e-mail in one language. */
export async function renderEmail<N extends EmailTemplateName>(
  name: N,
  language: Language,
  props: EmailTemplateProps<N>,
): Promise<RenderedEmail> {
  const { component, subject } = templates[name] as unknown as Template<EmailTemplateProps<N>>;
  const element = createElement(component, { ...(props as EmailTemplateProps<N> & object), language });
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: subject(language, props), html, text };
}
