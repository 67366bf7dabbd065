/**
 * The plan's attachments: every plan measure with its files (anchor id = the plan measure's
 * id, so other plan pages can link to `anlagen#<id>`), an upload form for the team while the
 * plan is open ("plan.contribute"), and deletion by the uploader or the head
 * ("attachment.delete"). Reading needs "plan.read" (the network's admins: a released plan only).
 *
 * The upload is a plain multipart form (works without JavaScript): the file is streamed into
 * storage with the size limit (413 with the message next to the field) and its type checked
 * from its bytes (400 with the message next to the field); a file refused for any reason is
 * deleted again. Downloads: behoerden.$office.plan.anlagen_.$attachment.tsx.
 */
import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { planScope } from "./behoerden.$office.plan";
import { addAttachment, deleteAttachment, isPlanMeasure, listAttachments } from "~/domains/plan/attachments.server";
import type { Language } from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { authorize, can } from "~/platform/auth/can";
import { getConfig } from "~/platform/config.server";
import { NotFoundError } from "~/platform/errors";
import { parseForm, readForm } from "~/platform/http/forms";
import {
  ALLOWED_TYPES,
  FileTooLargeError,
  FileTypeNotAllowedError,
  formatMegabytes,
  readUploadForm,
  type StoredFile,
} from "~/platform/storage/index.server";
import { FormAlert, SubmitButton } from "~/ui/form";
import { documentTitle } from "~/ui/meta";
import { formatDateTime } from "~/utils/datetime";
import { DataTable } from "~/ui/layout";

/** "PDF", "DOCX" … for a stored file's checked type. */
const typeLabel = (mime: string) => Object.values(ALLOWED_TYPES).find((type) => type.mime === mime)?.label ?? mime;

function formatSize(bytes: number, language: Language) {
  if (bytes < 1024) return `${bytes} B`;
  const kb = bytes / 1024;
  if (kb < 1024) return `${Math.round(kb).toLocaleString(language)} KB`;
  return `${(Math.round((kb / 1024) * 10) / 10).toLocaleString(language)} MB`;
}

export async function loader(args: LoaderFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  // The layout lets the network's admins in to say that only released plans are shown.
  const readable = plan !== null && can(actor, "plan.read", subject);
  const language = (await i18next.getLocale(args.request)) as Language;
  const t = await i18next.getFixedT(args.request, "planAttachments");
  const measures = readable ? await listAttachments(actor, plan.id) : [];
  return {
    office: { id: office.id, name: office.name },
    hasPlan: plan !== null,
    readable,
    closed: subject.closed,
    contribute: readable && can(actor, "plan.contribute", subject),
    maxMb: formatMegabytes(Math.round(getConfig().UPLOAD_MAX_MB * 1024 * 1024)),
    measures: measures.map((m) => ({
      id: m.id,
      title: m.code ? `${m.code} ${m.title}` : m.title,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        name: a.fileName,
        type: typeLabel(a.contentType),
        size: formatSize(a.sizeBytes, language),
        by: a.uploadedBy ?? t("list.formerAccount"),
        at: formatDateTime(a.uploadedAt, language),
        deletable: can(actor, "attachment.delete", { ...subject, uploadedById: a.uploadedById }),
      })),
    })),
    pageTitle: `${t("title")} – ${office.name}`,
  };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => documentTitle(data?.pageTitle);

type ActionResult = {
  errors: { measure?: string; file?: { key: string; params?: Record<string, string | number> } };
  values: { measure: string };
};

const uploadSchema = z.object({
  measure: z.uuid({ message: "planAttachments:errors.measure" }),
  file: z.string({ message: "planAttachments:errors.file" }).min(1, "planAttachments:errors.file"),
});
const deleteSchema = z.object({ intent: z.literal("delete"), attachment: z.uuid() });

export async function action(args: ActionFunctionArgs) {
  const { actor, office, plan, subject } = await planScope(args);
  if (!plan) throw new NotFoundError();
  const base = `/behoerden/${office.id}/plan/anlagen`;
  const contentType = args.request.headers.get("content-type") ?? "";

  if (!contentType.startsWith("multipart/form-data")) {
    // Deleting: a plain form. Who may is decided on the row (uploader or head, plan open).
    authorize(actor, "plan.read", subject);
    const form = parseForm(deleteSchema, await readForm(args.request));
    if (!form.ok) throw new NotFoundError("planAttachments:errors.unknown");
    await deleteAttachment(actor, subject, plan.id, form.data.attachment);
    return redirect(`${base}?geloescht=1`);
  }

  // Refused before a byte of the file is stored.
  authorize(actor, "plan.contribute", subject);
  let upload;
  try {
    upload = await readUploadForm(args.request, { scope: { kind: "office", officeId: office.id }, fileFields: ["file"] });
  } catch (error) {
    if (error instanceof FileTooLargeError)
      return data<ActionResult>(
        {
          errors: { file: { key: "planAttachments:errors.tooLarge", params: { max: formatMegabytes(error.maxBytes) } } },
          values: { measure: "" },
        },
        { status: 413 },
      );
    if (error instanceof FileTypeNotAllowedError)
      return data<ActionResult>(
        { errors: { file: { key: error.messageKey, params: error.params } }, values: { measure: "" } },
        { status: 400 },
      );
    throw error;
  }
  const measure = String(upload.form.get("measure") ?? "");
  const parsed = parseForm(uploadSchema, upload.form);
  const file: StoredFile | undefined = upload.files.file?.[0];
  const measureOk = parsed.ok || !parsed.errors.measure ? await isPlanMeasure(actor, plan.id, measure) : false;
  if (!parsed.ok || !file || !measureOk || upload.files.file.length !== 1) {
    await upload.discard();
    return data<ActionResult>(
      {
        errors: {
          measure: measureOk ? undefined : "planAttachments:errors.measure",
          file: file ? undefined : { key: "planAttachments:errors.file" },
        },
        values: { measure: measureOk ? measure : "" },
      },
      { status: 400 },
    );
  }
  try {
    await addAttachment(actor, plan, { planMeasureId: measure, file });
  } catch (error) {
    await upload.discard();
    throw error;
  }
  // Not the file's name in the address (it can say what the office works on; addresses are logged).
  return redirect(`${base}?gespeichert=1#${measure}`);
}

export default function PlanAttachmentsPage() {
  const { office, hasPlan, readable, closed, contribute, maxMb, measures } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [search] = useSearchParams();
  const { t } = useTranslation("planAttachments");
  const saved = search.get("gespeichert");
  const errors = result?.errors;
  const base = `/behoerden/${office.id}/plan/anlagen`;

  return (
    <>
      <p className="eyebrow">{office.name}</p>
      <h1>{t("title")}</h1>
      {!hasPlan ? <p>{t("noPlan")}</p> : !readable ? <p>{t("notReleased")}</p> : null}
      {readable ? (
        <>
          <p>{t("intro", { max: maxMb })}</p>
          {closed ? <p>{t("closed")}</p> : null}
          {saved ? (
            <p role="status" className="form-success">
              {t("upload.done")}
            </p>
          ) : null}
          {search.get("geloescht") ? (
            <p role="status" className="form-success">
              {t("list.deleted")}
            </p>
          ) : null}
          {measures.length === 0 ? <p>{t("noMeasures")}</p> : null}

          {contribute && measures.length > 0 ? (
            <section aria-labelledby="upload-heading" className="card">
              <h2 id="upload-heading">{t("upload.heading")}</h2>
              <FormAlert message={errors ? t("errors.problems") : null} />
              <Form method="post" encType="multipart/form-data" action={base}>
                <div className="field">
                  <label htmlFor="field-measure">{t("upload.measure")}</label>
                  <p id="field-measure-hint" className="field-hint">
                    {t("upload.measureHint")}
                  </p>
                  {errors?.measure ? (
                    <p id="field-measure-error" className="field-error">
                      {t(errors.measure)}
                    </p>
                  ) : null}
                  <select
                    id="field-measure"
                    name="measure"
                    required
                    defaultValue={result?.values.measure ?? ""}
                    aria-invalid={errors?.measure ? true : undefined}
                    aria-describedby={`field-measure-hint${errors?.measure ? " field-measure-error" : ""}`}
                  >
                    <option value="">{t("upload.choose")}</option>
                    {measures.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.title}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor="field-file">{t("upload.file")}</label>
                  <p id="field-file-hint" className="field-hint">
                    {t("upload.fileHint", { max: maxMb })}
                  </p>
                  {errors?.file ? (
                    <p id="field-file-error" className="field-error">
                      {t(errors.file.key, errors.file.params)}
                    </p>
                  ) : null}
                  <input
                    id="field-file"
                    name="file"
                    type="file"
                    required
                    accept=".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg"
                    aria-invalid={errors?.file ? true : undefined}
                    aria-describedby={`field-file-hint${errors?.file ? " field-file-error" : ""}`}
                  />
                </div>
                <SubmitButton>{t("upload.submit")}</SubmitButton>
              </Form>
            </section>
          ) : null}

          {measures.map((m) => (
            <section key={m.id} id={m.id} aria-labelledby={`measure-${m.id}`}>
              <h2 id={`measure-${m.id}`}>{m.title}</h2>
              {m.attachments.length === 0 ? (
                <p>{t("list.none")}</p>
              ) : (
                <DataTable
                  caption={t("list.caption", { measure: m.title })}
                  columns={[t("list.name"), t("list.type"), t("list.size"), t("list.uploaded"), t("list.actions")]}
                >
                  {m.attachments.map((a) => (
                    <tr key={a.id}>
                      <td>{a.name}</td>
                      <td>{a.type}</td>
                      <td>{a.size}</td>
                      <td>{t("list.by", { person: a.by, date: a.at })}</td>
                      <td>
                        <Link to={`${base}/${a.id}`} reloadDocument>
                          {t("list.download")}
                          <span className="visually-hidden"> {t("list.downloadContext", { name: a.name })}</span>
                        </Link>
                        {a.deletable ? (
                          <Form method="post" action={base} className="inline-form">
                            <input type="hidden" name="intent" value="delete" />
                            <input type="hidden" name="attachment" value={a.id} />
                            <SubmitButton intent="delete" className="button-secondary">
                              {t("list.delete")}
                              <span className="visually-hidden"> {t("list.deleteContext", { name: a.name })}</span>
                            </SubmitButton>
                          </Form>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </DataTable>
              )}
            </section>
          ))}
        </>
      ) : null}
    </>
  );
}
