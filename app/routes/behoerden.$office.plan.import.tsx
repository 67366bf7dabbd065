import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import { i18next } from "~/i18n/i18next.server";
import { statusSymbol, formatDayDe, type ActivityStatus } from "~/domains/plan/excel-format";
import type { PlanDiff, SheetError } from "~/domains/plan/excel-import";
import { applyImport, type Preview, previewImport } from "~/domains/plan/excel-import.server";
import { PlanFileLinks } from "~/domains/plan/plan-file-links";
import { authorize } from "~/platform/auth/can";
import { NotFoundError } from "~/platform/errors";
import { parseForm, readForm } from "~/platform/http/forms";
import {
  ALLOWED_TYPES,
  getStorage,
  isKeyInScope,
  readUploadForm,
  StorageError,
  type StorageScope,
} from "~/platform/storage/index.server";
import { FormAlert, SubmitButton } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { Section } from "~/ui/layout";

/**
 * Reading an Excel sheet into the plan (issue 21, item 5) – for the office's team
 * ("plan.contribute"; new measures and intended results need the head, an activity its
 * people: checked per row by the domain, every refused row named).
 *
 * Three steps, all without JavaScript:
 * 1. upload (multipart): the file goes into the office's storage (type checked by its
 *    bytes, size limited), is read and compared with the plan. Bad rows: 400 with every
 *    row number, the file is deleted. Otherwise the preview table, and a confirm form
 *    carrying the stored file's key (a token in the office's storage scope: another
 *    office's key is a 404, see isKeyInScope) and the digest of the previewed diff.
 * 2. confirm: the stored file is read again and the diff recomputed; only when it is the
 *    one previewed is it applied, in one transaction (otherwise the new preview, 409).
 * 3. the stored file is deleted; back to this page with a note.
 */
type T = (key: string, options?: Record<string, unknown>) => string;

type PreviewRow = { row: number; measure: string; activity: string; changes: string[] };
type ActionResult =
  | { kind: "error"; messages: string[] }
  | {
      kind: "preview";
      rows: PreviewRow[];
      summary: string;
      empty: boolean;
      token: string;
      digest: string;
      file: string;
      changed?: boolean;
    };

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  authorize(actor, "plan.contribute", subject);
  const t = await i18next.getFixedT(args.request, "planExport");
  const applied = new URL(args.request.url).searchParams.get("uebernommen") === "1";
  return {
    office: { id: office.id, name: office.name },
    hasPlan: plan !== null,
    applied,
    pageTitle: `${t("import.title")} – ${office.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

const confirmSchema = z.object({
  intent: z.literal("confirm", { message: "planExport:errors.intent" }),
  token: z.string().max(200),
  digest: z.string().regex(/^[0-9a-f]{64}$/, "planExport:errors.intent"),
  file: z.string().max(300).optional(),
});

const messagesOf = (t: T, errors: SheetError[]) => errors.map((e) => t(e.key, { row: e.row ?? "", ...e.params }));

function previewRows(t: T, diff: PlanDiff): PreviewRow[] {
  const shown = (s: string) => (s.trim() ? `„${s.trim()}“` : t("import.empty"));
  const status = (s: string) => `${statusSymbol(s as ActivityStatus)} ${t(`export.statuses.${s}`)}`;
  const rows: PreviewRow[] = [];
  for (const m of diff.measures) {
    const measure = m.code ? `${m.code} ${m.title}` : m.title;
    if (m.kind === "add") rows.push({ row: m.row, measure, activity: "", changes: [t("import.newMeasure")] });
    else if (m.intendedResult)
      rows.push({
        row: m.row,
        measure,
        activity: "",
        changes: [t("import.resultChange", { from: shown(m.intendedResult.from), to: shown(m.intendedResult.to) })],
      });
    for (const a of m.activities) {
      const changes = a.kind === "add" ? [t("import.newActivity")] : [];
      for (const c of a.changes)
        changes.push(
          t("import.fieldChange", {
            field: t(`import.fields.${c.field}`),
            from: c.field === "status" ? status(c.from) : shown(c.from),
            to: c.field === "status" ? status(c.to) : shown(c.to),
          }),
        );
      for (const s of a.newState)
        changes.push(t("import.newState", { date: s.notedOn ? formatDayDe(s.notedOn) : t("import.today"), body: s.body }));
      rows.push({ row: a.row, measure, activity: a.kind === "add" ? a.values.title! : a.title, changes });
    }
  }
  return rows;
}

async function bytesOf(scope: StorageScope, key: string) {
  const file = await getStorage().get(scope, key);
  const chunks: Buffer[] = [];
  for await (const chunk of file.body) chunks.push(Buffer.from(chunk as Uint8Array));
  return new Uint8Array(Buffer.concat(chunks));
}

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  authorize(actor, "plan.contribute", subject);
  if (!plan) throw new NotFoundError();
  const { request } = args;
  const t = (await i18next.getFixedT(request, "planExport")) as unknown as T;
  const tAll = (await i18next.getFixedT(request)) as unknown as T;
  const scope: StorageScope = { kind: "office", officeId: office.id };
  const error = (messages: string[], status: number) => data<ActionResult>({ kind: "error", messages }, { status });
  const previewOf = (preview: Extract<Preview, { kind: "preview" }>, token: string, file: string, changed = false) => ({
    kind: "preview" as const,
    rows: previewRows(t, preview.diff),
    summary: t("import.summary", preview.diff.counts),
    empty: preview.empty,
    token,
    digest: preview.digest,
    file,
    changed,
  });

  if ((request.headers.get("content-type") ?? "").toLowerCase().startsWith("multipart/form-data")) {
    let upload;
    try {
      upload = await readUploadForm(request, { scope, fileFields: ["file"], maxFiles: 1 });
    } catch (e) {
      if (e instanceof StorageError) return error([tAll(e.messageKey, e.params)], e.status);
      throw e;
    }
    const file = upload.files.file?.[0];
    if (upload.form.get("intent") !== "upload") {
      await upload.discard();
      return error([t("errors.intent")], 400);
    }
    if (!file) return error([t("errors.noFile")], 400);
    // (read here, not at module level: the browser bundle has no server modules)
    if (file.contentType !== ALLOWED_TYPES.xlsx.mime) {
      await upload.discard();
      return error([t("errors.notXlsx")], 415);
    }
    const preview = await previewImport(actor, plan, subject, await bytesOf(scope, file.key));
    if (preview.kind === "invalid") {
      await upload.discard();
      return error(messagesOf(t, preview.errors), preview.status);
    }
    // Nothing to confirm: the stored copy is not needed.
    if (preview.empty) await upload.discard();
    return data<ActionResult>(previewOf(preview, preview.empty ? "" : file.key, file.filename));
  }

  const form = parseForm(confirmSchema, await readForm(request));
  if (!form.ok) return error([t("errors.intent")], 400);
  const { token, digest, file = "" } = form.data;
  // A key outside this office's storage is answered like a missing file.
  if (!isKeyInScope(token, scope)) return error([t("errors.expired")], 400);
  let bytes: Uint8Array;
  try {
    bytes = await bytesOf(scope, token);
  } catch (e) {
    if (e instanceof StorageError) return error([t("errors.expired")], 400);
    throw e;
  }
  const result = await applyImport(actor, plan, subject, bytes, digest);
  if (result.kind === "invalid") {
    await getStorage().delete(scope, token);
    return error(messagesOf(t, result.errors), result.status);
  }
  if (result.kind === "changed") {
    const next = result.preview;
    if (next.kind === "invalid") {
      await getStorage().delete(scope, token);
      return error(messagesOf(t, next.errors), next.status);
    }
    return data<ActionResult>(previewOf(next, token, file, true), { status: 409 });
  }
  await getStorage().delete(scope, token);
  return redirect(`/behoerden/${office.id}/plan/import?uebernommen=1`, 303);
}

export default function PlanImportPage() {
  const { office, hasPlan, applied } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("planExport");
  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("import.title")}</h1>
      <p>
        <Link to={`/behoerden/${office.id}/plan`}>{t("import.back")}</Link>
      </p>
      {!hasPlan ? (
        <p>{t("import.noPlan")}</p>
      ) : (
        <>
          {applied && !result ? (
            <p role="status" className="form-success">
              {t("import.applied")}
            </p>
          ) : null}
          <p>{t("import.intro")}</p>
          <p>{t("import.rules")}</p>
          {result?.kind === "error" ? (
            <div role="alert" className="form-alert">
              <p>{t("import.errorsTitle")}</p>
              <ul>
                {result.messages.map((m, i) => (
                  <li key={i}>{m}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="upload" />
            <div className="field">
              <label htmlFor="plan-import-file">{t("import.file")}</label>
              <input
                id="plan-import-file"
                type="file"
                name="file"
                required
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              />
            </div>
            <SubmitButton intent="upload">{t("import.preview")}</SubmitButton>
          </Form>
          {result?.kind === "preview" ? <ImportPreview result={result} /> : null}
          <PlanFileLinks officeId={office.id} showImport={false} />
        </>
      )}
    </>
  );
}

function ImportPreview({ result }: { result: Extract<ActionResult, { kind: "preview" }> }) {
  const { t } = useTranslation("planExport");
  return (
    <Section id="plan-import-preview" title={t("import.previewTitle")}>
      {result.changed ? <FormAlert message={t("errors.changed")} /> : null}
      {result.empty ? (
        <p role="status">{t("import.noChanges")}</p>
      ) : (
        <>
          <p role="status">{result.summary}</p>
          <table>
            <caption>{t("import.caption", { file: result.file })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("import.row")}</th>
                <th scope="col">{t("import.measure")}</th>
                <th scope="col">{t("import.activity")}</th>
                <th scope="col">{t("import.change")}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r, i) => (
                <tr key={i}>
                  <td>{r.row}</td>
                  <td>{r.measure}</td>
                  <td>{r.activity}</td>
                  <td>
                    {r.changes.length === 1 ? (
                      r.changes[0]
                    ) : (
                      <ul>
                        {r.changes.map((c, j) => (
                          <li key={j}>{c}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Form method="post">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="token" value={result.token} />
            <input type="hidden" name="digest" value={result.digest} />
            <input type="hidden" name="file" value={result.file} />
            <SubmitButton intent="confirm">{t("import.confirm")}</SubmitButton>
          </Form>
        </>
      )}
    </Section>
  );
}
