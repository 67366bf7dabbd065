/**
 * One plan of the office by its cycle number, read-only: an earlier cycle's measures and
 * activities with their status (the aid's ✗ / ! / ✓ with its text). The plan layout resolves
 * the office; this page reads the cycle's plan under RLS as the person (so an admin finds
 * only a released one) and checks "plan.read" with that plan's own release.
 */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { planScope } from "./behoerden.$office.plan";
import { STATUS_SYMBOL } from "~/domains/plan/phases";
import { cycleView } from "~/domains/plan/phases.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize } from "~/platform/auth/can";
import { NotFoundError } from "~/platform/errors";
import { documentTitle } from "~/ui/meta";
import { formatDay } from "~/utils/calendar-day";
import { DataTable } from "~/ui/layout";

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, subject } = await planScope(args);
  const raw = args.params.cycle ?? "";
  // A cycle is a small positive number; anything else names no plan.
  if (!/^[1-9]\d{0,3}$/.test(raw)) throw new NotFoundError();
  const view = await cycleView(actor, office.id, Number(raw));
  if (!view) throw new NotFoundError();
  authorize(actor, "plan.read", { ...subject, released: view.plan.released });
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "planPhases");
  const day = (d: Date | null) => (d ? formatDay(d, language) : null);
  return {
    office: { id: office.id, name: office.name },
    pageTitle: `${t("cycleView.title", { cycle: view.plan.cycle })} – ${office.name}`,
    plan: {
      ...view.plan,
      startedAt: day(view.plan.startedAt)!,
      closedAt: day(view.plan.closedAt),
    },
    measures: view.measures.map((m) => ({
      ...m,
      completedAt: day(m.completedAt),
      activities: m.activities.map((a) => ({ ...a, startsOn: day(a.startsOn), endsOn: day(a.endsOn) })),
    })),
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function PlanCyclePage() {
  const { office, plan, measures } = useLoaderData<typeof loader>();
  const { t } = useTranslation("planPhases");
  const range = (from: string | null, to: string | null) =>
    from || to ? t("cycleView.range", { from: from ?? t("cycleView.none"), to: to ?? t("cycleView.none") }) : t("cycleView.none");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("cycleView.title", { cycle: plan.cycle })}</h1>
      <p>
        <strong>{plan.closedAt ? t("cycleView.readOnly") : t("cycleView.openPlan")}</strong>
      </p>
      <p>
        {plan.closedAt
          ? t("cycleView.period", { from: plan.startedAt, to: plan.closedAt })
          : t("cycleView.started", { from: plan.startedAt })}
      </p>
      {plan.round ? <p>{t("cycleView.round", { round: plan.round })}</p> : null}
      <p>{t("cycleView.phase", { phase: t(`phase.${plan.phase}`) })}</p>
      {measures.length === 0 ? <p>{t("cycleView.noMeasures")}</p> : null}
      {measures.map((m, i) => {
        const name = m.code ? `${m.code} ${m.title}` : m.title;
        return (
          <section key={m.id} aria-labelledby={`m-${m.id}`} className="card">
            <h2 id={`m-${m.id}`}>
              {i + 1}. {name}
            </h2>
            {m.intendedResult ? (
              <p>
                <strong>{t("cycleView.result")}:</strong> {m.intendedResult}
              </p>
            ) : null}
            {m.completedAt ? <p>{t("cycleView.completed", { date: m.completedAt })}</p> : null}
            {m.decision ? <p>{t("cycleView.decision", { decision: t(`consolidation.decisionValue.${m.decision}`) })}</p> : null}
            {m.activities.length === 0 ? (
              <p>{t("cycleView.noActivities")}</p>
            ) : (
              <DataTable
                caption={t("cycleView.caption", { measure: name })}
                columns={[t("cycleView.activity"), t("cycleView.status"), t("cycleView.timeFrame"), t("cycleView.responsible")]}
              >
                {m.activities.map((a) => (
                  <tr key={a.id}>
                    <th scope="row">{a.title}</th>
                    <td>
                      <span aria-hidden="true">{STATUS_SYMBOL[a.status]}</span> {t(`status.${a.status}`)}
                    </td>
                    <td>{range(a.startsOn, a.endsOn)}</td>
                    <td>{a.responsible ?? t("cycleView.none")}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
        );
      })}
      <p>
        <Link to={`/behoerden/${office.id}/plan/phasen`}>{t("cycleView.back")}</Link>
      </p>
    </>
  );
}
