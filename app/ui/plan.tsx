/**
 * Shared parts of the plan's pages: a status shown as the aid's symbol AND its text (never
 * colour alone), the status counts, and the conflict view (their input and the saved state
 * side by side) for a save that came after someone else's.
 */
import { useTranslation } from "react-i18next";
import { Field, TextArea } from "~/ui/form";
import { STATUS_SYMBOL, type ActivityStatus } from "~/domains/plan/status";
import { DataTable } from "~/ui/layout";

export function StatusText({ status }: { status: ActivityStatus }) {
  const { t } = useTranslation("plan");
  return (
    <span className={`plan-status plan-status-${status.toLowerCase()}`}>
      <span aria-hidden="true">{STATUS_SYMBOL[status]}</span> {t(`status.${status}`)}
    </span>
  );
}

/** "✗ 2 · ! 1 · ✓ 3" for the eye, with the words for screen readers. */
export function StatusCounts({ counts }: { counts: Record<ActivityStatus, number> }) {
  const { t } = useTranslation("plan");
  return (
    <>
      <span aria-hidden="true">{t("overview.counts", counts)}</span>
      <span className="visually-hidden">{t("overview.countsLong", counts)}</span>
    </>
  );
}

/** Their input and the saved state, field by field (rows that differ first). */
export function ConflictView({
  rows,
  savedAt,
}: {
  rows: Array<{ label: string; mine: string; current: string }>;
  savedAt: string;
}) {
  const { t } = useTranslation("plan");
  const ordered = [...rows.filter((r) => r.mine !== r.current), ...rows.filter((r) => r.mine === r.current)];
  return (
    <section aria-labelledby="conflict-heading" className="card conflict" role="alert">
      <h2 id="conflict-heading">{t("conflict.title")}</h2>
      <p>{t("conflict.intro")}</p>
      <DataTable
        caption={t("conflict.caption")}
        columns={[t("conflict.field"), t("conflict.mine"), t("conflict.current", { date: savedAt })]}
      >
        {ordered.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td style={{ whiteSpace: "pre-wrap" }}>{r.mine}</td>
            <td style={{ whiteSpace: "pre-wrap" }}>{r.mine === r.current ? t("conflict.same") : r.current}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

export type ActivityFormValues = Partial<
  Record<
    | "title"
    | "status"
    | "startsOn"
    | "endsOn"
    | "responsibleUserId"
    | "responsibleName"
    | "participants"
    | "resources"
    | "remarks",
    string
  >
>;

/** The fields of an activity (add and edit), each with its label and its German error next to it. */
export function ActivityFields({
  values,
  errors,
  team,
}: {
  values: ActivityFormValues;
  errors: Record<string, string>;
  team: Array<{ id: string; name: string }>;
}) {
  const { t } = useTranslation("plan");
  const select = (name: string, label: string, options: Array<{ value: string; label: string }>) => (
    <div className={errors[name] ? "field field-invalid" : "field"}>
      <label htmlFor={`field-${name}`}>{label}</label>
      {errors[name] ? (
        <p id={`field-${name}-error`} className="field-error">
          {t(errors[name])}
        </p>
      ) : null}
      <select
        id={`field-${name}`}
        name={name}
        defaultValue={values[name as keyof ActivityFormValues] ?? ""}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={errors[name] ? `field-${name}-error` : undefined}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <>
      <Field name="title" label={t("activity.title")} error={errors.title} defaultValue={values.title} />
      {select(
        "status",
        t("activity.status"),
        (["NOT_STARTED", "IN_PROGRESS", "DONE"] as const).map((s) => ({
          value: s,
          label: `${STATUS_SYMBOL[s]} ${t(`status.${s}`)}`,
        })),
      )}
      <Field
        name="startsOn"
        type="date"
        label={t("activity.startsOn")}
        hint={t("activity.dateHint")}
        error={errors.startsOn}
        defaultValue={values.startsOn}
      />
      <Field
        name="endsOn"
        type="date"
        label={t("activity.endsOn")}
        hint={t("activity.dateHint")}
        error={errors.endsOn}
        defaultValue={values.endsOn}
      />
      {select("responsibleUserId", t("activity.responsibleUserId"), [
        { value: "", label: t("activity.responsibleNone") },
        ...team.map((p) => ({ value: p.id, label: p.name })),
      ])}
      <Field
        name="responsibleName"
        label={t("activity.responsibleName")}
        error={errors.responsibleName}
        defaultValue={values.responsibleName}
      />
      <TextArea
        name="participants"
        label={t("activity.participants")}
        error={errors.participants}
        defaultValue={values.participants}
        rows={2}
      />
      <TextArea
        name="resources"
        label={t("activity.resources")}
        error={errors.resources}
        defaultValue={values.resources}
        rows={2}
      />
      <TextArea name="remarks" label={t("activity.remarks")} error={errors.remarks} defaultValue={values.remarks} rows={3} />
    </>
  );
}
