import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { PlanProgress } from "~/domains/plan/progress";
import { DataTable } from "~/ui/layout";

/**
 * The plan's progress in words and a table (issue 21, item 4): the share of activities done
 * overall, how many are overdue or end soon, and per measure done / total / share / overdue.
 * Shared by the timeline page and the office dashboard's panel; numbers only, no colour.
 */
export function ProgressSummary({
  progress,
  measures,
  headingLevel,
  soonDays,
  headingId = "plan-progress-title",
}: {
  progress: PlanProgress;
  measures: ReadonlyArray<{ id: string; code: string | null; title: string }>;
  headingLevel: 2 | 3;
  soonDays: number;
  headingId?: string;
}) {
  const { t } = useTranslation("planProgress");
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const byId = new Map(progress.measures.map((m) => [m.id, m]));
  const { overall } = progress;
  return (
    <section aria-labelledby={headingId} className="plan-progress">
      <Heading id={headingId}>{t("summary.title")}</Heading>
      {overall.percent === null ? (
        <p>{t("summary.noActivities")}</p>
      ) : (
        <>
          <p>
            <strong>{t("summary.overall", { done: overall.done, total: overall.total, percent: overall.percent })}</strong>
          </p>
          <progress max={overall.total} value={overall.done} aria-label={t("summary.title")}>
            {t("summary.percent", { percent: overall.percent })}
          </progress>
        </>
      )}
      <p>{progress.overdue.length ? t("summary.overdue", { count: progress.overdue.length }) : t("summary.noneOverdue")}</p>
      {progress.dueSoon.length ? <p>{t("summary.dueSoon", { count: progress.dueSoon.length, days: soonDays })}</p> : null}
      {measures.length ? (
        <DataTable
          caption={t("summary.measuresCaption")}
          columns={[t("summary.measure"), t("summary.done"), t("summary.share"), t("summary.overdueColumn")]}
        >
          {measures.map((m) => {
            const p = byId.get(m.id);
            return (
              <tr key={m.id}>
                <th scope="row">{m.code ? `${m.code} ${m.title}` : m.title}</th>
                <td>{p ? t("summary.ofTotal", { done: p.share.done, total: p.share.total }) : "–"}</td>
                <td>{p?.share.percent == null ? t("summary.noShare") : t("summary.percent", { percent: p.share.percent })}</td>
                <td>{p?.overdue ?? 0}</td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </section>
  );
}

export type ProgressPanelData = {
  progress: PlanProgress;
  measures: ReadonlyArray<{ id: string; code: string | null; title: string }>;
} | null;

/**
 * The office dashboard's panel on the implementation plan: its progress and links to the plan
 * and its timeline, or a line that there is no plan yet. Shown only to those who may read the plan.
 */
export function PlanProgressPanel({
  officeId,
  panel,
  soonDays,
}: {
  officeId: string;
  panel: ProgressPanelData;
  soonDays: number;
}) {
  const { t } = useTranslation("planProgress");
  const base = `/behoerden/${officeId}/plan`;
  return (
    <section aria-labelledby="plan-panel-title" className="card plan-panel">
      <h2 id="plan-panel-title">{t("panel.title")}</h2>
      {panel === null ? (
        <p>{t("panel.noPlan")}</p>
      ) : (
        <ProgressSummary
          progress={panel.progress}
          measures={panel.measures}
          headingLevel={3}
          soonDays={soonDays}
          headingId="plan-panel-progress"
        />
      )}
      <p>
        <Link to={base}>{t("panel.link")}</Link>
        {panel !== null ? (
          <>
            {" · "}
            <Link to={`${base}/zeitplan`}>{t("panel.timelineLink")}</Link>
          </>
        ) : null}
      </p>
    </section>
  );
}
