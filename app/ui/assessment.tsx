import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Conflict } from "./autosave";
import { DataTable } from "~/ui/layout";

/** "3 – <label>", "nicht bewertet" or "noch offen" for a goal answer. */
export function AnswerText({ answer, levels }: { answer: string; levels: ReadonlyArray<{ level: number; label: string }> }) {
  const { t } = useTranslation("assessment");
  if (answer === "na") return t("answer.na");
  const level = levels.find((l) => String(l.level) === answer);
  if (!level) return <span className="muted">{t("answer.empty")}</span>;
  return t("answer.level", { level: level.level, label: level.label });
}

/** Breadcrumb-like line above every assessment page: office and round, back to the overview. */
export function AssessmentHeader({
  office,
  round,
}: {
  office: { id: string; name: string };
  round: { id: string; name: string };
}) {
  const { t } = useTranslation("assessment");
  return (
    <nav className="breadcrumbs" aria-label={t("common:breadcrumb")}>
      <ol>
        <li>
          <Link to={`/behoerden/${office.id}`}>{office.name}</Link>
        </li>
        <li>
          <Link to={`/behoerden/${office.id}/runden/${round.id}`}>{t("eyebrow", { round: round.name })}</Link>
        </li>
      </ol>
    </nav>
  );
}

/** Both versions of every conflicting field side by side. */
export function ConflictTable({
  conflict,
  render,
}: {
  conflict: Conflict;
  render: (field: string, value: string) => React.ReactNode;
}) {
  const { t } = useTranslation("assessment");
  return (
    <DataTable
      className="data conflict-table"
      caption={t("conflict.caption")}
      columns={[t("conflict.field"), t("conflict.mine"), t("conflict.theirs")]}
    >
      {conflict.conflicts.map((field) => (
        <tr key={field}>
          <th scope="row">{t(`conflict.fields.${field}`)}</th>
          <td className="pre-line">{render(field, conflict.mine[field] ?? "")}</td>
          <td className="pre-line">{render(field, conflict.theirs[field] ?? "")}</td>
        </tr>
      ))}
    </DataTable>
  );
}

/**
 * What the second of two editors sees: both versions of each field both changed, and the
 * choice. "Save mine" is a submit button (the form already carries the stored version as
 * its base, so it overwrites on purpose); "take theirs" is a link that reloads the page
 * without JavaScript and swaps the values in place with it.
 */
export function ConflictPanel({
  conflict,
  takeTheirs,
  render,
  heading: Heading = "h3",
}: {
  conflict: Conflict;
  takeTheirs: (event: React.MouseEvent) => void;
  render: (field: string, value: string) => React.ReactNode;
  heading?: "h3" | "h5";
}) {
  const { t } = useTranslation("assessment");
  return (
    <div className="conflict" role="alert">
      <Heading>{t("conflict.title")}</Heading>
      <p>{t("conflict.intro", { name: conflict.theirsBy ?? t("conflict.someone"), date: conflict.theirsAt })}</p>
      <ConflictTable conflict={conflict} render={render} />
      <div className="button-row">
        <button type="submit" className="button-primary">
          {t("conflict.keepMine")}
        </button>
        <Link to="." onClick={takeTheirs} className="button-secondary">
          {t("conflict.takeTheirs")}
        </Link>
      </div>
    </div>
  );
}
