import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { DataTable } from "~/ui/layout";

type MembershipRow = {
  id: string;
  role: string;
  user: { name: string; email: string };
  office?: { name: string } | null;
  /** Who invited the member (shown on the team page; null for founding members). */
  invitedBy?: string | null;
};

/** Members with their roles; each row has a revoke button (a plain form post). */
export function MembersTable({
  caption,
  memberships,
  showOffice = false,
  showInviter = false,
  canRevoke = () => true,
}: {
  caption: string;
  memberships: MembershipRow[];
  showOffice?: boolean;
  showInviter?: boolean;
  canRevoke?: (m: MembershipRow) => boolean;
}) {
  const { t } = useTranslation("admin");
  const { t: ta } = useTranslation("auth");
  return (
    <table className="data">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t("people.name")}</th>
          <th scope="col">{t("people.email")}</th>
          <th scope="col">{t("people.role")}</th>
          {showOffice ? <th scope="col">{t("people.office")}</th> : null}
          {showInviter ? <th scope="col">{t("people.invitedBy")}</th> : null}
          <th scope="col">{t("people.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {memberships.map((m) => (
          <tr key={m.id}>
            <th scope="row">{m.user.name}</th>
            <td>{m.user.email}</td>
            <td>{ta(`roles.${m.role}`)}</td>
            {showOffice ? <td>{m.office?.name ?? "—"}</td> : null}
            {showInviter ? <td>{m.invitedBy ?? "—"}</td> : null}
            <td>
              {canRevoke(m) ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="membershipId" value={m.id} />
                  <button
                    type="submit"
                    className="button-secondary"
                    aria-label={t("people.revokeLabel", { role: ta(`roles.${m.role}`), name: m.user.name })}
                  >
                    {t("people.revoke")}
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type InvitationRow = { id: string; email: string; role: string; expiresAt: string | Date; office?: { name: string } | null };

/** Open invitations; each row the viewer may take back has a withdraw button (a plain form post). */
export function PendingInvitations({
  caption,
  invitations,
  canWithdraw = () => true,
}: {
  caption: string;
  invitations: InvitationRow[];
  canWithdraw?: (i: InvitationRow) => boolean;
}) {
  const { t, i18n } = useTranslation("admin");
  const { t: ta } = useTranslation("auth");
  if (!invitations.length) return <p>{t("people.noPending")}</p>;
  return (
    <DataTable caption={caption} columns={[t("people.email"), t("people.role"), t("people.expires"), t("people.actions")]}>
      {invitations.map((i) => (
        <tr key={i.id}>
          <th scope="row">{i.email}</th>
          <td>
            {ta(`roles.${i.role}`)}
            {i.office ? ` – ${i.office.name}` : ""}
          </td>
          <td>{new Date(i.expiresAt).toLocaleDateString(i18n.language === "en" ? "en-GB" : "de-DE")}</td>
          <td>
            {canWithdraw(i) ? (
              <Form method="post">
                <input type="hidden" name="intent" value="withdraw" />
                <input type="hidden" name="invitationId" value={i.id} />
                <button type="submit" className="button-secondary" aria-label={t("people.withdrawLabel", { email: i.email })}>
                  {t("people.withdraw")}
                </button>
              </Form>
            ) : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
