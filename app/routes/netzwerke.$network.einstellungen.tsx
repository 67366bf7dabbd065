import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GRADES, PRIORITIES, ruleField } from "~/domains/assessment/priority";
import { networkScope } from "./netzwerke.$network";
import { Field, FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import {
  getNetworkSettings,
  networkSettingsSchema,
  SETTINGS_FIELDS,
  updateNetworkSettings,
} from "~/domains/network/network-settings.server";
import { parseForm, readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { Section } from "~/ui/layout";

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageSettings");
  const t = await i18next.getFixedT(request, "settings");
  const settings = await getNetworkSettings(actor, network.id);
  return { network, settings, pageTitle: `${t("title")} – ${network.name}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = {
  intent: string;
  status: "saved" | "unchanged" | "reset" | "invalid";
  errors: Record<string, string>;
  values: Record<string, string> | null;
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, "network.manageSettings");
  const formData = await readForm(request);
  const intent = formData.get("intent");
  if (intent === "save") {
    const form = parseForm(networkSettingsSchema, formData, { keep: SETTINGS_FIELDS });
    if (!form.ok) return data<Result>({ intent, status: "invalid", errors: form.errors, values: form.values }, { status: 400 });
    const { changed } = await updateNetworkSettings(actor, network.id, form.data);
    return data<Result>({ intent, status: changed ? "saved" : "unchanged", errors: {}, values: null });
  }
  if (intent === "reset") {
    await updateNetworkSettings(actor, network.id, { rule: "default" });
    return data<Result>({ intent, status: "reset", errors: {}, values: null });
  }
  return data<Result>(
    { intent: "", status: "invalid", errors: { _form: "settings:errors.unknownIntent" }, values: null },
    { status: 400 },
  );
}

export default function NetworkSettingsPage() {
  const { network, settings } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("settings");
  const { t: ta } = useTranslation("auth");
  const values = result?.values;
  const err = (field: string) => result?.errors?.[field];
  const cellValue = (field: string, stored: string) => values?.[field] ?? stored;
  const success =
    result?.status === "saved"
      ? t("saved")
      : result?.status === "unchanged"
        ? t("unchanged")
        : result?.status === "reset"
          ? t("rule.resetDone")
          : null;
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {success ? (
        <p role="status" className="form-success">
          {success}
        </p>
      ) : null}
      <FormAlert
        message={
          result?.status === "invalid" ? (result.errors._form ? t(result.errors._form) : ta("validation.formErrors")) : null
        }
      />
      {/* After a save the loader's values are the stored ones; the key drops what the browser kept. */}
      <Form method="post" className="form" noValidate key={result?.status ?? "form"}>
        <input type="hidden" name="intent" value="save" />
        <Section id="rule-heading" title={t("rule.title")}>
          <p>{t("rule.intro")}</p>
          <p>{t("rule.effect")}</p>
          <p>{settings.ruleIsDefault ? t("rule.usesDefault") : t("rule.usesOwn")}</p>
          <table className="data">
            <caption>{t("rule.caption")}</caption>
            <thead>
              <tr>
                <td>{t("rule.corner")}</td>
                {GRADES.map((effort) => (
                  <th key={effort} scope="col">
                    {t("rule.effort", { grade: t(`grade.${effort}`) })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {GRADES.map((need) => (
                <tr key={need}>
                  <th scope="row">{t("rule.need", { grade: t(`grade.${need}`) })}</th>
                  {GRADES.map((effort) => {
                    const field = ruleField(need, effort);
                    const id = `field-${field.replaceAll(".", "-")}`;
                    const error = err(field);
                    return (
                      <td key={effort} className={error ? "field-invalid" : undefined}>
                        {error ? (
                          <p id={`${id}-error`} className="field-error">
                            {t(error)}
                          </p>
                        ) : null}
                        <select
                          id={id}
                          name={field}
                          aria-label={t("rule.cell", { need: t(`grade.${need}`), effort: t(`grade.${effort}`) })}
                          defaultValue={cellValue(field, settings.rule[need][effort])}
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? `${id}-error` : undefined}
                        >
                          {PRIORITIES.map((p) => (
                            <option key={p} value={p}>
                              {t(`priority.${p}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
        <Section id="thresholds-heading" title={t("thresholds.title")}>
          <Field
            name="surveyThreshold"
            label={t("thresholds.survey")}
            hint={t("thresholds.surveyHint")}
            inputMode="numeric"
            defaultValue={values?.surveyThreshold ?? String(settings.surveyThreshold)}
            error={err("surveyThreshold")}
            required
          />
          <Field
            name="anonymityThreshold"
            label={t("thresholds.anonymity")}
            hint={t("thresholds.anonymityHint")}
            inputMode="numeric"
            defaultValue={values?.anonymityThreshold ?? String(settings.anonymityThreshold)}
            error={err("anonymityThreshold")}
            required
          />
        </Section>
        <SubmitButton intent="save">{t("save")}</SubmitButton>
      </Form>
      {settings.ruleIsDefault ? null : (
        <Section id="reset-heading" title={t("rule.resetTitle")}>
          <p>{t("rule.resetIntro")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="reset" />
            <SubmitButton intent="reset" className="button-secondary">
              {t("rule.reset")}
            </SubmitButton>
          </Form>
        </Section>
      )}
    </>
  );
}
