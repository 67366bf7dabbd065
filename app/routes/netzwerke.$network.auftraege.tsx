import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { networkScope } from "./netzwerke.$network";
import { FormAlert, SubmitButton } from "~/ui/form";
import { i18next } from "~/i18n/i18next.server";
import { jobIdField, listFailedJobs, retryFailedJob } from "~/platform/jobs/failed.server";
import { formatDateTime } from "~/utils/datetime";
import { readForm } from "~/platform/http/forms";
import { documentTitle } from "~/ui/meta";
import { DataTable } from "~/ui/layout";

/** Jobs are installation-wide; who sees which is decided in app/platform/jobs/failed.server.ts. */
const ACTION = "network.manageSettings" as const;

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, ACTION);
  const failed = await listFailedJobs(actor, network.id);
  const t = await i18next.getFixedT(request, "jobs");
  return { network, failed, pageTitle: `${t("title")} – ${network.name}` };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type Result = { status: "retried" | "invalid"; error: string | null; jobId: string | null };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, network } = await networkScope({ request, params, context }, ACTION);
  const form = await readForm(request);
  if (form.get("intent") !== "retry") {
    return data<Result>({ status: "invalid", error: "jobs:errors.unknownIntent", jobId: null }, { status: 400 });
  }
  const id = jobIdField.safeParse(form.get("job"));
  if (!id.success) return data<Result>({ status: "invalid", error: "jobs:errors.jobInvalid", jobId: null }, { status: 400 });
  const retried = await retryFailedJob(actor, network.id, id.data);
  if (!retried) return data<Result>({ status: "invalid", error: "jobs:errors.jobGone", jobId: id.data }, { status: 409 });
  return data<Result>({ status: "retried", error: null, jobId: id.data });
}

const TASK_KEYS: Record<string, string> = {
  "email.deliver": "task.emailDeliver",
  "reminders.send-due": "task.remindersSendDue",
};

export default function NetworkJobs() {
  const { network, failed } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t, i18n } = useTranslation("jobs");
  const language = i18n.language === "en" ? "en" : "de";
  return (
    <>
      <p className="eyebrow">{network.name}</p>
      <h1>{t("title")}</h1>
      <p>{t("intro")}</p>
      {result?.status === "retried" ? (
        <p role="status" className="form-success">
          {t("retried")}
        </p>
      ) : null}
      <FormAlert message={result?.error ? t(result.error) : null} />
      {failed.length === 0 ? (
        <p>{t("empty")}</p>
      ) : (
        <DataTable
          caption={t("caption")}
          columns={[t("columns.task"), t("columns.attempts"), t("columns.error"), t("columns.failedAt"), t("columns.action")]}
        >
          {failed.map((job) => (
            <tr key={job.id}>
              <th scope="row">{TASK_KEYS[job.task] ? t(TASK_KEYS[job.task]) : t("task.unknown", { name: job.task })}</th>
              <td>{t("attempts", { attempts: job.attempts, max: job.maxAttempts })}</td>
              <td>{job.lastError ?? t("noError")}</td>
              <td>{formatDateTime(new Date(job.failedAt), language)}</td>
              <td>
                <Form method="post">
                  <input type="hidden" name="intent" value="retry" />
                  <input type="hidden" name="job" value={job.id} />
                  <SubmitButton intent="retry" className="button-secondary">
                    <span aria-hidden="true">{t("retry")}</span>
                    <span className="visually-hidden">{t("retryLabel", { id: job.id })}</span>
                  </SubmitButton>
                </Form>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
