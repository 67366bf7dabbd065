import { data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Field } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { normalizeSurveyCode } from "~/domains/assessment/survey.server";
import { documentTitle } from "~/ui/meta";

/** Public: enter the invitation code of a staff survey. A plain GET form, so it works without JavaScript. */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await i18next.getFixedT(request, "survey");
  const typed = new URL(request.url).searchParams.get("code");
  const pageTitle = t("enter.title");
  if (typed === null) return { error: null, value: "", pageTitle };
  const code = normalizeSurveyCode(typed);
  if (code) throw redirect(`/umfrage/${code}`);
  return data({ error: "survey:errors.codeInvalid", value: typed.slice(0, 40), pageTitle }, { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

export default function EnterSurveyCode() {
  const { error, value } = useLoaderData<typeof loader>();
  const { t } = useTranslation("survey");
  return (
    <>
      <h1>{t("enter.title")}</h1>
      <p>{t("enter.intro")}</p>
      <CodeForm error={error} value={value} />
    </>
  );
}

function CodeForm({ error, value }: { error?: string | null; value?: string }) {
  const { t } = useTranslation("survey");
  return (
    <Form method="get" action="/umfrage" className="form" noValidate>
      <Field
        name="code"
        label={t("enter.code")}
        hint={t("enter.codeHint")}
        autoComplete="off"
        defaultValue={value}
        error={error ?? undefined}
        required
      />
      <button type="submit" className="button-primary">
        {t("enter.submit")}
      </button>
    </Form>
  );
}
