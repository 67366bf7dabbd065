import { useTranslation } from "react-i18next";
import type { PublicFigure } from "~/domains/comparison/anonymity";

type Profile = { rounds: Array<{ name: string }>; goals: Array<{ number: number; shortTitle: string; figures: PublicFigure[] }> };

/**
 * The network's goal profile of its latest closed round against the round before, as the
 * ministry's monitoring page and the printable round summary both show it: one place for
 * the rows, the one-sentence summary and the table.
 */
export function useNetworkProfile(profile: Profile) {
  const { t, i18n } = useTranslation("monitoring");
  const decimal = new Intl.NumberFormat(i18n.language === "en" ? "en-GB" : "de-DE", { maximumFractionDigits: 2 });
  const number = (value: number) => decimal.format(value);
  const latestIndex = profile.rounds.length - 1;
  const latest = profile.rounds[latestIndex];
  const previous = latestIndex > 0 ? profile.rounds[latestIndex - 1] : null;
  const rows = profile.goals.map((goal) => {
    const figure = goal.figures[latestIndex];
    const before = previous ? goal.figures[latestIndex - 1] : undefined;
    const delta = figure.shown && before?.shown ? figure.median - before.median : null;
    return { goal, figure, before, delta };
  });
  const shown = rows.filter((r) => r.figure.shown).length;
  const compared = rows.filter((r) => r.delta !== null);
  const summary = [
    t("profile.summaryShown", { round: latest.name, shown, goals: rows.length }),
    shown < rows.length ? t("profile.summarySuppressed", { count: rows.length - shown }) : null,
    previous
      ? t("profile.summaryChange", {
          previous: previous.name,
          up: compared.filter((r) => r.delta! > 0).length,
          down: compared.filter((r) => r.delta! < 0).length,
          same: compared.filter((r) => r.delta === 0).length,
        })
      : null,
  ]
    .filter(Boolean)
    .join(" ");
  return { latest, previous, rows, summary, number };
}

export function NetworkProfileTable({ profile }: { profile: Profile }) {
  const { t } = useTranslation("monitoring");
  const { t: tc } = useTranslation("comparison");
  const { latest, previous, rows, number } = useNetworkProfile(profile);
  const changeText = (delta: number | null) =>
    delta === null
      ? t("profile.notComparable")
      : delta > 0
        ? t("profile.up", { value: number(delta) })
        : delta < 0
          ? t("profile.down", { value: number(-delta) })
          : t("profile.same");
  return (
    <table className="data" data-table="profile">
      <caption>{t("profile.tableCaption", { round: latest.name })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("profile.goal")}</th>
          <th scope="col">{t("profile.median")}</th>
          <th scope="col">{t("profile.spread")}</th>
          <th scope="col">{t("profile.n")}</th>
          {previous ? <th scope="col">{t("profile.change", { round: previous.name })}</th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map(({ goal, figure, delta }) => (
          <tr key={goal.number}>
            <th scope="row">
              {`${goal.number}. `}
              <span lang="de">{goal.shortTitle}</span>
            </th>
            {figure.shown ? (
              <>
                <td>{number(figure.median)}</td>
                <td>
                  {figure.q1 !== null && figure.q3 !== null
                    ? t("profile.range", { q1: number(figure.q1), q3: number(figure.q3) })
                    : t("profile.noSpread")}
                </td>
                <td>{figure.n}</td>
              </>
            ) : (
              <td colSpan={3}>{tc(figure.message)}</td>
            )}
            {previous ? <td>{changeText(delta)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
