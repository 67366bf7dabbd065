import { z } from "zod";

/** Marks a secret as the insecure development default; production refuses it. */
export const DEV_SESSION_SECRET = "dev-only-insecure-session-secret-change-me-0000";

const flag = z
  .enum(["true", "false", "1", "0"], { message: "muss true oder false sein" })
  .transform((value) => value === "true" || value === "1");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce
      .number({ message: "muss eine Zahl sein" })
      .int()
      .min(0)
      .max(65535, "muss zwischen 0 und 65535 liegen")
      .default(3000),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "muss mit postgres:// oder postgresql:// beginnen")
      .optional(),
    /** Optional: the portal's own login (role abh_app). Without it, start-up provisions
     *  abh_app with a password derived from SESSION_SECRET, using DATABASE_URL's rights. */
    APP_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "muss mit postgres:// oder postgresql:// beginnen")
      .optional(),
    /** Optional: the login of abh_stats, which computes closed rounds' figures. Without it,
     *  start-up provisions abh_stats like abh_app (password derived from SESSION_SECRET). */
    STATS_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "muss mit postgres:// oder postgresql:// beginnen")
      .optional(),
    EMBEDDED_PG_DIR: z.string().min(1).default(".data/postgres"),
    RESEND_API_KEY: z
      .string()
      .regex(/^re_\w+$/, "muss mit re_ beginnen")
      .optional(),
    EMAIL_FROM: z.string().min(3).default("ABH-Netz <noreply@abh-netz.invalid>"),
    /** Days a delivered e-mail's text is kept (for questions about it) before it is deleted. */
    EMAIL_KEEP_DAYS: z.coerce
      .number({ message: "muss eine Zahl sein" })
      .int("muss eine ganze Zahl sein")
      .min(0, "muss zwischen 0 und 3650 liegen")
      .max(3650, "muss zwischen 0 und 3650 liegen")
      .default(30),
    SESSION_SECRET: z.string().min(32, "muss mindestens 32 Zeichen lang sein").default(DEV_SESSION_SECRET),
    PUBLIC_URL: z.url({ message: "muss eine vollständige URL sein, z. B. https://abh-netz.example.de" }).optional(),
    DEMO_DATA: flag.optional(),
    LEGAL_DIR: z.string().min(1).default("content/legal"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Uploaded files on disk (without STORAGE_S3_BUCKET), relative to the working directory. */
    STORAGE_DIR: z.string().min(1).default(".data/files"),
    /** Largest accepted file, in MB. */
    UPLOAD_MAX_MB: z.coerce
      .number({ message: "muss eine Zahl sein" })
      .positive("muss größer als 0 sein")
      .max(2048, "darf höchstens 2048 sein")
      .default(20),
    /** Largest accepted form body without a file, in KB. */
    FORM_MAX_KB: z.coerce
      .number({ message: "muss eine Zahl sein" })
      .int("muss eine ganze Zahl sein")
      .min(1, "muss mindestens 1 sein")
      .max(102400, "darf höchstens 102400 sein")
      .default(1024),
    /** An S3-compatible store (MinIO, Ceph, AWS S3) instead of STORAGE_DIR: set with the bucket. */
    STORAGE_S3_BUCKET: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "muss 3–63 Zeichen lang sein: Kleinbuchstaben, Ziffern, Punkt, Bindestrich")
      .optional(),
    STORAGE_S3_ENDPOINT: z
      .url({ protocol: /^https?$/, message: "muss eine vollständige URL sein, z. B. https://minio.example.de:9000" })
      .optional(),
    STORAGE_S3_REGION: z.string().min(1).default("eu-central-1"),
    STORAGE_S3_ACCESS_KEY: z.string().min(1).optional(),
    STORAGE_S3_SECRET_KEY: z.string().min(1).optional(),
    STORAGE_S3_FORCE_PATH_STYLE: flag.optional(),
    /** inline: `npm start` also runs the job worker; off: only `npm run worker` processes run jobs. */
    WORKER: z.enum(["inline", "off"], { message: "muss inline oder off sein" }).default("inline"),
    WORKER_CONCURRENCY: z.coerce
      .number({ message: "muss eine Zahl sein" })
      .int("muss eine ganze Zahl sein")
      .min(1, "muss zwischen 1 und 20 liegen")
      .max(20, "muss zwischen 1 und 20 liegen")
      .default(2),
  })
  .transform((env) => ({
    ...env,
    isProduction: env.NODE_ENV === "production",
    // Demo data is on by default for local use and never allowed in production.
    demoData: env.DEMO_DATA ?? env.NODE_ENV !== "production",
  }))
  .superRefine((env, ctx) => {
    if (!env.isProduction) return;
    if (env.SESSION_SECRET === DEV_SESSION_SECRET) {
      ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "der Standardwert ist in Produktion nicht erlaubt" });
    }
    if (env.demoData) {
      ctx.addIssue({ code: "custom", path: ["DEMO_DATA"], message: "Demodaten sind in Produktion nicht erlaubt" });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "ist in Produktion erforderlich" });
    }
    if (!env.PUBLIC_URL) {
      ctx.addIssue({ code: "custom", path: ["PUBLIC_URL"], message: "ist in Produktion erforderlich" });
    }
    if (!env.RESEND_API_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["RESEND_API_KEY"],
        message: "ist in Produktion erforderlich, sonst geht keine E-Mail hinaus",
      });
    }
  })
  .superRefine((env, ctx) => {
    const s3Settings = [
      "STORAGE_S3_ENDPOINT",
      "STORAGE_S3_ACCESS_KEY",
      "STORAGE_S3_SECRET_KEY",
      "STORAGE_S3_FORCE_PATH_STYLE",
    ] as const;
    if (!env.STORAGE_S3_BUCKET) {
      for (const key of s3Settings.filter((key) => env[key] !== undefined)) {
        ctx.addIssue({ code: "custom", path: [key], message: "wirkt nur zusammen mit STORAGE_S3_BUCKET, das fehlt" });
      }
      return;
    }
    // Both keys or neither (then the AWS SDK's own chain: IAM role, AWS_* variables, …).
    if (!env.STORAGE_S3_ACCESS_KEY !== !env.STORAGE_S3_SECRET_KEY) {
      const missing = env.STORAGE_S3_ACCESS_KEY ? "STORAGE_S3_SECRET_KEY" : "STORAGE_S3_ACCESS_KEY";
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: "fehlt: Zugangsschlüssel und geheimer Schlüssel gehören zusammen",
      });
    }
  });

export type Config = z.output<typeof schema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates the environment; throws a ConfigError naming every bad setting. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings count as "not set" so that `FOO= npm start` behaves like no FOO.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "?"}: ${issue.message}`));
  }
  return result.data;
}

let cached: Config | undefined;
export function getConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
