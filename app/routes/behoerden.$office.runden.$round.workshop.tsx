/**
 * The team workshop of a round (Arbeitshilfe 1.3): the staff survey's result (only where the
 * office may see it – the survey's threshold rules in the database decide), the office's own
 * ratings of the 12 goals, and the reflection questions, each with the notes the team keeps.
 * The office's team reads and writes ("office.workOnPlan": head and staff); a note saved on
 * an older version answers 409 and keeps what was typed beside what is saved now. Links lead
 * on to the plan; the head can take a note into the plan as an own measure.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { roundScope } from "./behoerden.$office.runden.$round";
import { CANNOT_JUDGE, type SurveyChoice } from "~/domains/assessment/survey-statements";
import { measureTitleFromNote, noteSchema, questionNumber, type WorkshopQuestion } from "~/domains/plan/workshop";
import { loadWorkshop, saveWorkshopNote, type WorkshopNote } from "~/domains/plan/workshop.server";
import { can } from "~/platform/auth/can";
import { parseForm, readForm } from "~/platform/http/forms";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { FormAlert, SubmitButton, TextArea } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { formatDay } from "~/utils/calendar-day";
import { formatDateTime } from "~/utils/datetime";
import { DataTable, Section } from "~/ui/layout";

/** Shown from "sehr wichtig" down, then "kann ich nicht beurteilen" (as on the survey page). */
const COLUMNS: SurveyChoice[] = ["4", "3", "2", "1", CANNOT_JUDGE];

/**
 * "In den Plan übernehmen": the plan overview's form for an own measure (h/core: the section
 * #add-own-heading), with the note's first line in ?eigeneMassnahme= for its title field to
 * start with – the overview reads that parameter (contract with the plan's core pages).
 */
export function ownMeasureLink(officeId: string, title: string) {
  return `/behoerden/${officeId}/plan?eigeneMassnahme=${encodeURIComponent(title)}#add-own-heading`;
}

type SurveyBox =
  | { state: "none" }
  | { state: "running"; closesOn: string; threshold: number }
  | { state: "hidden"; closesOn: string; threshold: number }
  | {
      state: "visible";
      answers: number;
      rows: Array<{
        key: string;
        title: string;
        goal: { number: number; shortTitle: string };
        cells: Array<{ choice: SurveyChoice; count: number; share: string }>;
      }>;
    };

export async function loader(args: LoaderFunctionArgs) {
  const scope = await roundScope(args, "office.workOnPlan");
  const { actor, office, assessment } = scope;
  const t = await i18next.getFixedT(args.request, "workshop");
  const language = (await i18next.getLocale(args.request)) as Language;
  const view = await loadWorkshop(scope);
  const percent = new Intl.NumberFormat(language === "de" ? "de-DE" : "en-GB", { style: "percent", maximumFractionDigits: 0 });
  const survey = view.survey;
  const surveyBox: SurveyBox =
    survey.state === "visible"
      ? {
          state: survey.state,
          answers: survey.answers,
          rows: survey.statements.map((s) => ({
            key: s.key,
            title: s.title,
            goal: s.goal,
            cells: COLUMNS.map((choice) => ({
              choice,
              count: s.counts[choice],
              share: percent.format(survey.answers ? s.counts[choice] / survey.answers : 0),
            })),
          })),
        }
      : survey.state === "none"
        ? { state: survey.state }
        : survey.state === "running"
          ? { state: "running", closesOn: formatDay(survey.closesAt, language), threshold: survey.threshold }
          : { state: "hidden", closesOn: formatDay(survey.closesAt, language), threshold: survey.threshold };
  return {
    office: { id: office.id, name: office.name },
    round: { id: assessment.round.id, name: assessment.round.name },
    survey: surveyBox,
    ratings: view.ratings,
    notes: view.notes.map((n) => ({ ...n, savedAt: n.updatedAt ? formatDateTime(n.updatedAt, language) : null })),
    hasPlan: view.hasPlan,
    mayManagePlan: can(actor, "office.managePlan", { networkId: office.networkId, officeId: office.id }),
    pageTitle: `${t("title")} – ${office.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type NoteView = WorkshopNote & { savedAt?: string | null };
type ActionResult = {
  question: string;
  status: "saved" | "invalid" | "conflict";
  errors: Record<string, string>;
  body: string | null;
  current: NoteView | null;
};

export async function action(args: ActionFunctionArgs) {
  const scope = await roundScope(args, "office.workOnPlan");
  const form = parseForm(noteSchema, await readForm(args.request), { keep: ["question", "body", "version"] });
  if (!form.ok)
    return data<ActionResult>(
      { question: form.values.question, status: "invalid", errors: form.errors, body: form.values.body, current: null },
      { status: 400 },
    );
  const result = await saveWorkshopNote(scope, form.data);
  if (result.status === "conflict") {
    const language = (await i18next.getLocale(args.request)) as Language;
    const current = {
      ...result.current,
      savedAt: result.current.updatedAt ? formatDateTime(result.current.updatedAt, language) : null,
    };
    return data<ActionResult>(
      { question: form.data.question, status: "conflict", errors: {}, body: form.data.body, current },
      { status: 409 },
    );
  }
  return data<ActionResult>({ question: form.data.question, status: "saved", errors: {}, body: null, current: null });
}

export default function WorkshopPage() {
  const { office, round, ratings, notes, hasPlan, mayManagePlan, ...loaded } = useLoaderData<typeof loader>();
  const survey = loaded.survey as SurveyBox;
  const result = useActionData<typeof action>();
  const { t } = useTranslation("workshop");
  const { t: ts } = useTranslation("survey");
  const planUrl = `/behoerden/${office.id}/plan`;
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>

      <Section id="survey-heading" title={t("survey.heading")}>
        {survey.state === "none" ? (
          <p>{t("survey.none")}</p>
        ) : survey.state === "running" ? (
          <p>{t("survey.running", { date: survey.closesOn })}</p>
        ) : survey.state === "hidden" ? (
          <p>{t("survey.hidden", { threshold: survey.threshold })}</p>
        ) : (
          <>
            <p>{t("survey.intro")}</p>
            <table className="data survey-results">
              <caption>{t("survey.caption", { count: survey.answers })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("survey.workField")}</th>
                  {COLUMNS.map((choice) => (
                    <th scope="col" key={choice}>
                      {ts(`choices.${choice}`)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {survey.rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">
                      {`${r.key} `}
                      <span lang="de">{r.title}</span>
                      <br />
                      <span lang="de">{t("survey.goal", { number: r.goal.number, title: r.goal.shortTitle })}</span>
                    </th>
                    {r.cells.map((c) => (
                      <td key={c.choice}>
                        {t("survey.cell", { count: c.count, share: c.share })}
                        <br />
                        <meter min={0} max={survey.answers} value={c.count} aria-hidden="true" />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Section>

      <Section id="ratings-heading" title={t("ratings.heading")}>
        <p>{t("ratings.intro")}</p>
        <DataTable caption={t("ratings.caption", { round: round.name })} columns={[t("ratings.goal"), t("ratings.rating")]}>
          {ratings.map((g) => (
            <tr key={g.number}>
              <th scope="row" lang="de">
                {t("survey.goal", { number: g.number, title: g.shortTitle })}
              </th>
              <td>
                {g.rating
                  ? t("ratings.level", { rating: g.rating, label: g.label ?? "" })
                  : g.notAssessed
                    ? t("ratings.notAssessed")
                    : t("ratings.open")}
              </td>
            </tr>
          ))}
        </DataTable>
      </Section>

      <Section id="questions-heading" title={t("questions.heading")}>
        <p>{t("questions.intro")}</p>
        {mayManagePlan && hasPlan ? <p>{t("plan.takeOverHint")}</p> : null}
        {notes.map((note) => (
          <QuestionNote
            key={note.question}
            note={note}
            result={result?.question === note.question ? result : undefined}
            takeOver={mayManagePlan && hasPlan ? (title: string) => ownMeasureLink(office.id, title) : null}
          />
        ))}
      </Section>

      <Section id="plan-heading" title={t("plan.heading")}>
        {hasPlan ? (
          <p>
            {t("plan.open")} <Link to={planUrl}>{t("plan.openLink")}</Link> ·{" "}
            <Link to={`${planUrl}/gesamtkonzept`}>{t("plan.strategyLink")}</Link>
          </p>
        ) : mayManagePlan ? (
          <p>
            {t("plan.start")} <Link to={planUrl}>{t("plan.startLink")}</Link>
          </p>
        ) : (
          <p>{t("plan.noPlanTeam")}</p>
        )}
      </Section>
    </>
  );
}

function QuestionNote({
  note,
  result,
  takeOver,
}: {
  note: NoteView;
  result: ActionResult | undefined;
  takeOver: ((title: string) => string) | null;
}) {
  const { t } = useTranslation("workshop");
  const number = questionNumber(note.question as WorkshopQuestion);
  const conflict = result?.status === "conflict" ? result.current : null;
  const headingId = `frage-${note.question}`;
  const title = measureTitleFromNote(note.body);
  return (
    <article aria-labelledby={headingId} className="card">
      <h3 id={headingId}>
        {t("questions.number", { number })}: {t(`questions.${note.question}`)}
      </h3>
      {result?.status === "saved" ? (
        <p role="status" className="form-success">
          {t("note.saved")}
        </p>
      ) : null}
      <FormAlert
        message={result?.status === "conflict" ? t("note.conflict") : result?.status === "invalid" ? t("note.invalid") : null}
      />
      {conflict ? (
        <div className="note">
          <p>{conflict.body ? t("note.current") : t("note.currentEmpty")}</p>
          {conflict.body ? <p className="pre-line">{conflict.body}</p> : null}
        </div>
      ) : null}
      <Form method="post" className="form" noValidate key={`${note.version}-${conflict?.version ?? ""}`}>
        <input type="hidden" name="question" value={note.question} />
        <input type="hidden" name="version" value={conflict ? conflict.version : note.version} />
        <TextArea
          name="body"
          id={`note-${note.question}`}
          label={t("note.label", { number })}
          hint={
            note.savedAt
              ? note.updatedBy
                ? t("note.lastSaved", { date: note.savedAt, person: note.updatedBy })
                : t("note.lastSavedNobody", { date: note.savedAt })
              : undefined
          }
          defaultValue={result && result.status !== "saved" && result.body !== null ? result.body : note.body}
          error={result?.errors.body ?? result?.errors.version ?? result?.errors.question}
          rows={4}
        />
        <SubmitButton>
          {t("note.save")} <span className="visually-hidden">{t("note.saveContext", { number })}</span>
        </SubmitButton>
      </Form>
      {takeOver && title ? (
        <p>
          <Link to={takeOver(title)}>
            {t("note.toPlan")} <span className="visually-hidden">({t("note.toPlanContext", { number })})</span>
          </Link>
        </p>
      ) : null}
    </article>
  );
}
