import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { splitLinks } from "~/platform/email/links";
import { isLanguage } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { getMailboxMessage, isMailboxAvailable } from "~/platform/email/mailbox.server";
import { formatDateTime } from "~/utils/datetime";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";

const messageId = z.uuid();

/** One message of the local mailbox: its details, the plain text and the HTML. Not in production. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  if (!isMailboxAvailable()) notFound();
  const id = messageId.safeParse(params.id);
  if (!id.success) notFound();
  const message = await getMailboxMessage(id.data);
  if (!message) notFound();
  const locale = await i18next.getLocale(request);
  const language = isLanguage(locale) ? locale : "de";
  const when = (date: Date | null) => (date ? { iso: date.toISOString(), text: formatDateTime(date, language) } : null);
  const t = await i18next.getFixedT(request, "email");
  return {
    message: {
      ...message,
      createdAt: when(message.createdAt),
      nextAttemptAt: message.status === "PENDING" ? when(message.nextAttemptAt) : null,
      sentAt: when(message.sentAt),
    },
    pageTitle: t("mailbox.messageTitle", { subject: message.subject }),
  };
}

// The message may hold a sign-in or reset link: never cached, never indexed.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...documentTitle(data?.pageTitle),
  { name: "robots", content: "noindex" },
];

function Time({ value }: { value: { iso: string; text: string } | null }) {
  const { t } = useTranslation("email");
  return value ? <time dateTime={value.iso}>{value.text}</time> : <>{t("mailbox.none")}</>;
}

export default function MailboxMessage() {
  const { message } = useLoaderData<typeof loader>();
  const { t } = useTranslation("email");
  const details: [string, ReactNode][] = [
    [t("mailbox.to"), message.to],
    [t("mailbox.subject"), message.subject],
    [t("mailbox.template"), message.template],
    [t("mailbox.status"), t(`mailbox.statuses.${message.status}`)],
    [t("mailbox.createdAt"), <Time key="created" value={message.createdAt} />],
    [t("mailbox.sentAt"), <Time key="sent" value={message.sentAt} />],
    [t("mailbox.attempts"), String(message.attempts)],
    [t("mailbox.nextAttemptAt"), <Time key="next" value={message.nextAttemptAt} />],
    [t("mailbox.providerId"), message.providerId ?? t("mailbox.none")],
    [t("mailbox.lastError"), message.lastError ?? t("mailbox.none")],
  ];
  return (
    <>
      <p>
        <Link to="/dev/postfach">{t("mailbox.back")}</Link>
      </p>
      <h1>{t("mailbox.messageTitle", { subject: message.subject })}</h1>

      <section aria-labelledby="mail-details">
        <h2 id="mail-details">{t("mailbox.details")}</h2>
        <dl className="mail-details">
          {details.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section aria-labelledby="mail-text">
        <h2 id="mail-text">{t("mailbox.text")}</h2>
        <pre className="mail-text">
          {splitLinks(message.text).map((part, index) =>
            part.href ? (
              <a key={index} href={part.href}>
                {part.text}
              </a>
            ) : (
              part.text
            ),
          )}
        </pre>
      </section>

      <section aria-labelledby="mail-html">
        <h2 id="mail-html">{t("mailbox.html")}</h2>
        <p className="muted">{t("mailbox.htmlNote")}</p>
        {/* Only as source. A rendered preview (sandboxed <iframe srcDoc>) would inherit the
            portal's CSP, which blocks every inline style of the e-mail, and axe-core hangs on
            frames that may run no scripts — so the text version above shows the content. */}
        <details>
          <summary>{t("mailbox.htmlSource")}</summary>
          <pre className="mail-text">
            <code>{message.html}</code>
          </pre>
        </details>
      </section>
    </>
  );
}
