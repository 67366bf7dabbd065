import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Priority } from "~/domains/assessment/priority";
import { officeScope } from "./behoerden.$office";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { compareRounds, loadOfficeHistory, type Rating, statusText } from "~/domains/assessment/history.server";
import { formatDay } from "~/utils/calendar-day";
import { documentTitle } from "~/ui/meta";
import { DataTable, Section } from "~/ui/layout";

const EXPORT_FORMATS = ["pdf", "csv", "xlsx"] as const;

/**
 * The office's rounds side by side and a comparison of two of them. Only the office's own
 * members see content (row-level security), so the page asks for "office.assess", which
 * network admins do not have, rather than "office.viewRounds", which they do.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, office } = await officeScope({ request, params, context }, "office.assess");
  const t = await i18next.getFixedT(request, "history");
  const language = (await i18next.getLocale(request)) as Language;
  const history = await loadOfficeHistory(actor, office);
  const ids = history.rounds.map((r) => r.id);

  // The comparison: a GET form (?a=…&b=…); without a choice, the two newest rounds.
  const url = new URL(request.url);
  const asked = url.searchParams.has("a") || url.searchParams.has("b");
  const chosen = asked
    ? { a: url.searchParams.get("a") ?? "", b: url.searchParams.get("b") ?? "" }
    : { a: ids.at(-2) ?? "", b: ids.at(-1) ?? "" };
  const errors: { a?: string; b?: string } = {};
  if (ids.length >= 2) {
    for (const key of ["a", "b"] as const) {
      if (!chosen[key]) errors[key] = "history:errors.roundRequired";
      else if (!ids.includes(chosen[key])) errors[key] = "history:errors.roundUnknown";
    }
    if (!errors.a && !errors.b && chosen.a === chosen.b) errors.b = "history:errors.sameRound";
  }
  const valid = ids.length >= 2 && !errors.a && !errors.b;
  const comparison = valid
    ? {
        a: history.rounds[ids.indexOf(chosen.a)].name,
        b: history.rounds[ids.indexOf(chosen.b)].name,
        ...compareRounds(history, ids.indexOf(chosen.a), ids.indexOf(chosen.b)),
      }
    : null;

  return data(
    {
      office: { id: office.id, name: office.name },
      rounds: history.rounds.map((r) => ({ id: r.id, name: r.name, status: statusText(t, (d) => formatDay(d, language), r) })),
      goals: history.goals,
      levels: history.levels,
      chosen: { a: ids.includes(chosen.a) ? chosen.a : "", b: ids.includes(chosen.b) ? chosen.b : "" },
      errors,
      comparison,
      pageTitle: `${t("title")} – ${office.name}`,
    },
    { status: errors.a || errors.b ? 400 : 200 },
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function OfficeHistory() {
  const { office, rounds, goals, levels, chosen, errors, comparison } = useLoaderData<typeof loader>();
  const { t } = useTranslation("history");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      {rounds.length === 0 ? (
        <p>{t("none")}</p>
      ) : (
        <>
          <p>{t("intro")}</p>
          <Section id="matrix-heading" title={t("matrix.title")}>
            <table className="data">
              <caption>{t("matrix.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("matrix.goal")}</th>
                  {rounds.map((r) => (
                    <th scope="col" key={r.id}>
                      <Link to={`/behoerden/${office.id}/runden/${r.id}`}>{r.name}</Link>
                      <br />
                      <span className="muted">{r.status}</span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {goals.map((g) => (
                  <tr key={g.number}>
                    <th scope="row">{t("matrix.goalName", { number: g.number, title: g.shortTitle })}</th>
                    {g.ratings.map((rating, i) => (
                      <td key={rounds[i].id}>
                        <RatingText rating={rating} />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            {levels.length ? (
              <>
                <h3>{t("legend.title")}</h3>
                <ul>
                  {levels.map((l) => (
                    <li key={l.level}>{t("answer.level", { level: l.level, label: l.label })}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </Section>

          <Section id="compare-heading" title={t("compare.title")}>
            {rounds.length < 2 ? (
              <p>{t("compare.onlyOne")}</p>
            ) : (
              <>
                <p>{t("compare.intro")}</p>
                <CompareForm rounds={rounds} chosen={chosen} errors={errors} />
                {comparison ? <Comparison comparison={comparison} /> : null}
              </>
            )}
          </Section>

          <Section id="downloads-heading" title={t("downloads.title")}>
            <p>{t("downloads.intro")}</p>
            <DataTable
              caption={t("downloads.caption")}
              columns={[t("downloads.round"), t("downloads.status"), t("downloads.files")]}
            >
              {[...rounds].reverse().map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>{r.status}</td>
                  <td>
                    {EXPORT_FORMATS.map((format, i) => (
                      <span key={format}>
                        {i > 0 ? " · " : null}
                        {/* A plain link: the file comes from a resource route, not a page. */}
                        <a
                          href={`/behoerden/${office.id}/runden/${r.id}/export/${format}`}
                          download
                          aria-label={t("downloads.label", { format: t(`downloads.${format}`), round: r.name })}
                        >
                          {t(`downloads.${format}`)}
                        </a>
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </DataTable>
          </Section>
        </>
      )}
    </>
  );
}

function RatingText({ rating }: { rating: Rating }) {
  const { t } = useTranslation("history");
  if (rating === "notAssessed") return t("answer.notAssessed");
  if (rating === null) {
    return (
      <>
        <span aria-hidden="true">{t("answer.empty")}</span>
        <span className="visually-hidden">{t("answer.emptyLabel")}</span>
      </>
    );
  }
  return rating;
}

type RoundOption = { id: string; name: string };

function CompareForm({
  rounds,
  chosen,
  errors,
}: {
  rounds: RoundOption[];
  chosen: { a: string; b: string };
  errors: { a?: string; b?: string };
}) {
  const { t } = useTranslation("history");
  const select = (key: "a" | "b") => {
    const id = `compare-${key}`;
    const error = errors[key];
    return (
      <div className={error ? "field field-invalid" : "field"}>
        <label htmlFor={id}>{t(`compare.${key}`)}</label>
        {error ? (
          <p id={`${id}-error`} className="field-error">
            {t(error)}
          </p>
        ) : null}
        <select
          id={id}
          name={key}
          defaultValue={chosen[key]}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        >
          <option value="">{t("compare.choose")}</option>
          {rounds.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </div>
    );
  };
  return (
    // Keyed by the choice so the selects show it after a client-side navigation too.
    <Form
      method="get"
      className="form audit-filter"
      key={`${chosen.a}-${chosen.b}`}
      aria-labelledby="compare-heading"
      preventScrollReset
    >
      {select("a")}
      {select("b")}
      <button type="submit" className="button-secondary">
        {t("compare.submit")}
      </button>
    </Form>
  );
}

type ComparisonData = {
  a: string;
  b: string;
  goals: Array<{ number: number; shortTitle: string; a: Rating; b: Rating; change: number | null }>;
  measures: Array<{
    code: string;
    title: string;
    a: Priority | null;
    b: Priority | null;
    change: "up" | "down" | "new" | "removed";
  }>;
};

function Comparison({ comparison }: { comparison: ComparisonData }) {
  const { t } = useTranslation("history");
  const priority = (p: Priority | null) => t(`priority.${p ?? "unset"}`);
  return (
    <>
      <DataTable
        caption={t("compare.goalsCaption", { a: comparison.a, b: comparison.b })}
        columns={[t("compare.goal"), comparison.a, comparison.b, t("compare.change")]}
      >
        {comparison.goals.map((g) => (
          <tr key={g.number}>
            <th scope="row">{t("matrix.goalName", { number: g.number, title: g.shortTitle })}</th>
            <td>
              <RatingText rating={g.a} />
            </td>
            <td>
              <RatingText rating={g.b} />
            </td>
            <td>
              <LevelChange change={g.change} />
            </td>
          </tr>
        ))}
      </DataTable>
      <h3>{t("compare.measuresTitle")}</h3>
      <p>{t("compare.ruleNote")}</p>
      {comparison.measures.length === 0 ? (
        <p>{t("compare.measuresNone")}</p>
      ) : (
        <DataTable
          caption={t("compare.measuresCaption", { a: comparison.a, b: comparison.b })}
          columns={[t("compare.measure"), comparison.a, comparison.b, t("compare.change")]}
        >
          {comparison.measures.map((m) => (
            <tr key={m.code}>
              <th scope="row">{t("compare.measureName", { code: m.code, title: m.title })}</th>
              <td>{priority(m.a)}</td>
              <td>{priority(m.b)}</td>
              <td>
                {m.change === "up" || m.change === "down" ? (
                  <span aria-hidden="true">{m.change === "up" ? "↑ " : "↓ "}</span>
                ) : null}
                {t(
                  {
                    up: "compare.priorityUp",
                    down: "compare.priorityDown",
                    new: "compare.priorityNew",
                    removed: "compare.priorityRemoved",
                  }[m.change],
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}

/** The arrow is decoration; the words carry the meaning. */
function LevelChange({ change }: { change: number | null }) {
  const { t } = useTranslation("history");
  if (change === null) return t("compare.notComparable");
  if (change === 0) return t("compare.same");
  return (
    <>
      <span aria-hidden="true">{change > 0 ? "↑ " : "↓ "}</span>
      {change > 0 ? t("compare.up", { count: change }) : t("compare.down", { count: -change })}
    </>
  );
}
