import { z } from "zod";

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "audit:invalidDate")
  .refine((v) => !Number.isNaN(Date.parse(v)), "audit:invalidDate")
  .optional()
  .or(z.literal("").transform(() => undefined));

/** The audit page's query string: ?aktion=…&von=YYYY-MM-DD&bis=YYYY-MM-DD&vor=<id>. */
export const auditFilterSchema = z.object({
  aktion: z
    .string()
    .max(60)
    .regex(/^[a-z_.]*$/)
    .optional(),
  von: date,
  bis: date,
  vor: z
    .string()
    .regex(/^\d{1,19}$/)
    .optional(),
});
