import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { documentTitle } from "~/ui/meta";
import { Form, Link, useActionData, useLoaderData, useOutletContext } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { can, invitableRoles } from "~/platform/auth/can";
import { Field, FormAlert } from "~/ui/form";
import { MembersTable, PendingInvitations } from "~/ui/people";
import { INVITATION_DAYS } from "~/platform/auth/permissions";
import { listOfficeTeam } from "~/domains/people/people.server";
import { listRoundsForOffice } from "~/domains/assessment/rounds.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { formatDay } from "~/utils/calendar-day";
import { action as teamAction, officeScope, type OfficeOutletContext } from "./behoerden.$office";
import { DataTable, Section } from "~/ui/layout";

/**
 * The team's forms on this page post here (`?index`); a post to /behoerden/:office reaches
 * the layout. Both are the layout's one team action.
 */
export const action = teamAction;

/** The office's overview: its rounds and its team (the team's form posts to the layout's action). */
export async function loader(args: LoaderFunctionArgs) {
  const { request } = args;
  const { actor, office } = await officeScope(args);
  const target = { networkId: office.networkId, officeId: office.id };
  const canManage = can(actor, "office.manageStaff", target);
  const team = await listOfficeTeam(actor, office.id);
  const canAudit = can(actor, "office.viewAudit", target);
  const canShare = can(actor, "office.manageSharing", target);
  const language = (await i18next.getLocale(request)) as Language;
  const rounds = can(actor, "office.viewRounds", target)
    ? (await listRoundsForOffice(actor, office.id)).map((r) => ({
        id: r.id,
        name: r.name,
        opensAt: formatDay(r.opensAt, language),
        deadline: formatDay(r.deadline, language),
        extended: r.extended,
      }))
    : [];
  const canAssess = can(actor, "office.assess", target);
  const canCompare = can(actor, "office.compare", target);
  return {
    office,
    canManage,
    // Whose invitations this person may take back (heads: staff; network admins: heads).
    withdrawable: invitableRoles(actor, target) as string[],
    // Staff are the heads' to invite: the form is offered to the office's heads only.
    canInviteStaff: invitableRoles(actor, target).includes("OFFICE_STAFF"),
    canAudit,
    canShare,
    canAssess,
    canCompare,
    rounds,
    memberships: team.memberships,
    invitations: canManage ? team.invitations : [],
    pageTitle: office.name,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function OfficePage() {
  const {
    office,
    canManage,
    canInviteStaff,
    withdrawable,
    canAudit,
    canShare,
    canAssess,
    canCompare,
    rounds,
    memberships,
    invitations,
  } = useLoaderData<typeof loader>();
  const { t: tdash } = useTranslation("dashboard");
  const { t: tshare } = useTranslation("sharing");
  const { t: tr } = useTranslation("rounds");
  const ownResult = useActionData<typeof action>();
  const layoutResult = useOutletContext<OfficeOutletContext>().teamResult;
  const result = ownResult ?? layoutResult;
  const { t } = useTranslation("office");
  const { t: tadmin } = useTranslation("admin");
  const { t: ta } = useTranslation("auth");
  return (
    <>
      <p className="eyebrow">
        {t(`kind.${office.kind}`)} · {office.network.name}
      </p>
      <h1>{office.name}</h1>
      {canCompare ? (
        <p>
          <Link to={`/behoerden/${office.id}/stand`} className="button">
            {tdash("link")}
          </Link>
        </p>
      ) : null}
      {canAudit ? (
        <p>
          <Link to={`/behoerden/${office.id}/protokoll`}>{t("auditLink")}</Link>
        </p>
      ) : null}
      {canShare ? (
        <p>
          <Link to={`/behoerden/${office.id}/freigabe`}>{tshare("officeLink")}</Link>
        </p>
      ) : null}
      {result?.message ? (
        <p role="status" className="form-success">
          {tadmin(result.message, { email: result.email })}
        </p>
      ) : null}
      <Section id="rounds-heading" title={tr("office.title")}>
        {canAssess ? (
          <p>
            <Link to={`/behoerden/${office.id}/verlauf`}>{tr("office.history")}</Link>
          </p>
        ) : null}
        {rounds.length === 0 ? (
          <p>{tr("office.none")}</p>
        ) : (
          <DataTable caption={tr("office.caption")} columns={[tr("office.round"), tr("office.opensAt"), tr("office.deadline")]}>
            {rounds.map((r) => (
              <tr key={r.id}>
                <th scope="row">{canAssess ? <Link to={`/behoerden/${office.id}/runden/${r.id}`}>{r.name}</Link> : r.name}</th>
                <td>{r.opensAt}</td>
                <td>
                  {r.deadline}
                  {r.extended ? ` ${tr("office.extended")}` : ""}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Section>
      <Section id="team-heading" title={t("team.title")}>
        <MembersTable
          caption={t("team.caption", { office: office.name })}
          memberships={memberships}
          showInviter
          canRevoke={(m) => canManage && m.role === "OFFICE_STAFF"}
        />
        {canManage ? (
          <PendingInvitations
            caption={t("team.pendingCaption")}
            invitations={invitations}
            canWithdraw={(i) => withdrawable.includes(i.role)}
          />
        ) : null}
      </Section>
      <FormAlert message={result?.errors?.role ? ta(result.errors.role) : null} />
      {canInviteStaff ? (
        <Section id="invite-heading" title={t("team.inviteTitle")}>
          <p>{t("team.inviteIntro", { days: INVITATION_DAYS })}</p>
          <FormAlert message={result?.errors && Object.keys(result.errors).length ? ta("validation.formErrors") : null} />
          <Form method="post" className="form" noValidate>
            <input type="hidden" name="intent" value="invite" />
            <Field
              name="email"
              type="email"
              label={tadmin("invite.email")}
              autoComplete="off"
              defaultValue={result?.values?.email}
              error={result?.errors?.email}
              required
            />
            <Field
              name="name"
              label={tadmin("invite.name")}
              autoComplete="off"
              defaultValue={result?.values?.name}
              error={result?.errors?.name}
            />
            <button type="submit" className="button-primary">
              {tadmin("invite.submit")}
            </button>
          </Form>
        </Section>
      ) : null}
    </>
  );
}
