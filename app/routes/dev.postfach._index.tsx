import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { isLanguage } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { isMailboxAvailable, listMailbox, MAILBOX_LIMIT } from "~/platform/email/mailbox.server";
import { formatDateTime } from "~/utils/datetime";
import { notFound } from "~/platform/http/responses";
import { documentTitle } from "~/ui/meta";
import { DataTable } from "~/ui/layout";

/** The local mailbox: every e-mail of the outbox, newest first. Not in production. */
export async function loader({ request }: LoaderFunctionArgs) {
  if (!isMailboxAvailable()) notFound();
  const locale = await i18next.getLocale(request);
  const language = isLanguage(locale) ? locale : "de";
  const t = await i18next.getFixedT(request, "email");
  const messages = (await listMailbox()).map((m) => ({
    ...m,
    createdAt: m.createdAt.toISOString(),
    createdAtText: formatDateTime(m.createdAt, language),
  }));
  return { messages, limited: messages.length >= MAILBOX_LIMIT, pageTitle: t("mailbox.title") };
}

// The messages hold sign-in and reset links: never cached, never indexed.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  ...documentTitle(data?.pageTitle),
  { name: "robots", content: "noindex" },
];

export default function Mailbox() {
  const { messages, limited } = useLoaderData<typeof loader>();
  const { t } = useTranslation("email");
  return (
    <>
      <h1>{t("mailbox.title")}</h1>
      <p>{t("mailbox.intro")}</p>
      {messages.length === 0 ? (
        <p>{t("mailbox.empty")}</p>
      ) : (
        <>
          {limited ? <p className="muted">{t("mailbox.limited", { count: messages.length })}</p> : null}
          <DataTable
            caption={t("mailbox.caption")}
            columns={[t("mailbox.to"), t("mailbox.subject"), t("mailbox.template"), t("mailbox.status"), t("mailbox.createdAt")]}
          >
            {messages.map((m) => (
              <tr key={m.id}>
                <td>{m.to}</td>
                <th scope="row">
                  <Link to={`/dev/postfach/${m.id}`}>{m.subject}</Link>
                </th>
                <td>{m.template}</td>
                <td>{t(`mailbox.statuses.${m.status}`)}</td>
                <td>
                  <time dateTime={m.createdAt}>{m.createdAtText}</time>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
    </>
  );
}
