import { z } from "zod";

export type FieldErrors = Record<string, string>;

/**
 * Validates a submitted form with a zod schema. On failure it returns, per field, the
 * i18n key of the first problem (messages are translated in the page) and the values
 * the user typed, so the form can be shown again with nothing lost.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData, { keep = [] as string[] } = {}) {
  const raw = Object.fromEntries([...formData.keys()].map((key) => [key, formData.get(key)]));
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true as const, data: result.data as z.output<S> };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    errors[field] ??= issue.message;
  }
  const values = Object.fromEntries(keep.map((key) => [key, typeof raw[key] === "string" ? (raw[key] as string) : ""]));
  return { ok: false as const, errors, values };
}

/** Common field rules; messages are i18n keys. */
export const fields = {
  email: z
    .string({ message: "auth:validation.email" })
    .trim()
    .toLowerCase()
    .max(254, "auth:validation.email")
    .pipe(z.email({ message: "auth:validation.email" })),
  name: z
    .string({ message: "auth:validation.required" })
    .trim()
    .min(1, "auth:validation.required")
    .max(120, "auth:validation.nameLength"),
  newPassword: z
    .string({ message: "auth:validation.required" })
    .min(12, "auth:validation.passwordLength")
    .max(200, "auth:validation.passwordTooLong"),
  password: z
    .string({ message: "auth:validation.required" })
    .min(1, "auth:validation.required")
    .max(200, "auth:validation.passwordTooLong"),
};

/**
 * The posted form. A body that is not one (a broken multipart upload, say) is a 400 –
 * the error page says it in the reader's language – instead of the 500 that formData()'s
 * exception would give.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw new Response(null, { status: 400 });
  }
}
