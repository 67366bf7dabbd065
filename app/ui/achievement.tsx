import { useTranslation } from "react-i18next";
import type { Achievement, CountFigure, MedianFigure } from "~/domains/plan/achievement";
import type { Language } from "~/i18n/config";
import { formatDateTime } from "~/utils/datetime";

/** What a loader hands over (dates as strings after serialisation). */
export type AchievementItem = {
  network: { id: string; name: string; k: number };
  status: "shown" | "pending" | "notForRole";
  computedAt: string | Date | null;
  achievement: Achievement | null;
  audience?: "office" | "ministry";
};

function useFormat() {
  const { t, i18n } = useTranslation("achievement");
  const language = (i18n.language === "en" ? "en" : "de") as Language;
  const locale = language === "de" ? "de-DE" : "en-GB";
  const signed = new Intl.NumberFormat(locale, { signDisplay: "exceptZero", maximumFractionDigits: 2 });
  const count = (f: CountFigure) => (f.shown ? String(f.n) : t("suppressed"));
  const change = (f: MedianFigure) => (f.shown ? t("changeValue", { value: signed.format(f.median), n: f.n }) : t("suppressed"));
  return { t, language, count, change };
}

/**
 * What a catalogue measure achieved in the person's networks (catalogue measure page; the
 * plan's measure page shows it for the plan's network). A table per network, the
 * suppression message in place of hidden figures, and when the figures were computed.
 */
export function MeasureAchievement({ items, code, goal }: { items: AchievementItem[]; code: string; goal: number }) {
  const { t, language, count, change } = useFormat();
  if (!items.length) return null;
  return (
    <section aria-labelledby="achievement-heading" className="card">
      <h2 id="achievement-heading">{t("title")}</h2>
      {items.map((item) => (
        <div key={item.network.id}>
          <p>{t("intro", { network: item.network.name, goal })}</p>
          {item.status === "notForRole" ? (
            <p className="muted">{t("notForRole", { network: item.network.name })}</p>
          ) : item.status === "pending" || !item.achievement ? (
            <p role="status">{t("pending")}</p>
          ) : (
            <>
              <table>
                <caption>{t("caption", { code, network: item.network.name })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("figure")}</th>
                    <th scope="col">{t("value")}</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">{t("planned")}</th>
                    <td>{count(item.achievement.planned)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t("completed")}</th>
                    <td>{count(item.achievement.completed)}</td>
                  </tr>
                  <tr>
                    <th scope="row">{t("change")}</th>
                    <td>{change(item.achievement.change)}</td>
                  </tr>
                </tbody>
              </table>
              {item.audience ? (
                <p className="muted">{item.audience === "office" ? t("audienceOffice") : t("audienceMinistry")}</p>
              ) : null}
              <p className="muted">{t("rule", { k: item.network.k })}</p>
              {item.computedAt ? (
                <p className="muted">{t("computedAt", { date: formatDateTime(new Date(item.computedAt), language) })}</p>
              ) : null}
            </>
          )}
        </div>
      ))}
    </section>
  );
}
