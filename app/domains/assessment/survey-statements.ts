/**
 * The Muster-Fragebogen (Arbeitshilfe 1.2) as ABH-Netz asks it: one statement per work
 * field of the framework ("Wie wichtig ist es, im Bereich „…“ etwas zu verändern?"),
 * keyed by the work field's code, answered on a 4-point scale or "kann ich nicht
 * beurteilen" (stored as null). Shared by the answer form and the results.
 */

/** 1 = unwichtig … 4 = sehr wichtig, in the order the form offers them. */
export const SURVEY_VALUES = [1, 2, 3, 4] as const;
export type SurveyValue = (typeof SURVEY_VALUES)[number];
/** The form value for "kann ich nicht beurteilen". */
export const CANNOT_JUDGE = "na";
/** Every choice as the form sends it, in the form's order. */
export const SURVEY_CHOICES = ["1", "2", "3", "4", CANNOT_JUDGE] as const;
export type SurveyChoice = (typeof SURVEY_CHOICES)[number];

export type SurveyAnswers = Record<string, SurveyValue | null>;

/** At most this many printed codes in one go (the form's hint shows it in the browser too). */
export const MAX_CODES_PER_BATCH = 200;

/** The radio group's name for a statement. */
export function answerField(statementKey: string) {
  return `a.${statementKey}`;
}

/**
 * Reads the answer form. An unanswered statement counts as "kann ich nicht beurteilen";
 * a form with no answer at all, or with a value that is not offered, is refused (i18n keys).
 */
export function parseSurveyAnswers(formData: FormData, statementKeys: readonly string[]) {
  const values: Record<string, string> = {};
  const errors: Record<string, string> = {};
  const answers: SurveyAnswers = {};
  for (const key of statementKeys) {
    const raw = formData.get(answerField(key));
    const value = typeof raw === "string" ? raw : "";
    values[key] = value;
    if (value === "" || value === CANNOT_JUDGE) answers[key] = null;
    else if ((SURVEY_CHOICES as readonly string[]).includes(value)) answers[key] = Number(value) as SurveyValue;
    else errors[key] = "survey:errors.choiceInvalid";
  }
  if (Object.keys(errors).length === 0 && Object.values(values).every((v) => v === "")) errors._form = "survey:errors.empty";
  return Object.keys(errors).length ? { ok: false as const, errors, values } : { ok: true as const, answers, values };
}

/** How many answered each choice of one statement; shares are of all answers. */
export type Distribution = Record<SurveyChoice, number>;

export function emptyDistribution(): Distribution {
  return { "1": 0, "2": 0, "3": 0, "4": 0, [CANNOT_JUDGE]: 0 } as Distribution;
}
