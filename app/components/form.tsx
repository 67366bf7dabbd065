import { useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";

type FieldProps = {
  name: string;
  label: string;
  type?: string;
  error?: string;
  hint?: string;
  defaultValue?: string;
  autoComplete?: string;
  required?: boolean;
  inputMode?: "text" | "numeric" | "email";
};

/** A labelled input with its hint and error (an i18n key) right next to it. */
export function Field({ name, label, type = "text", error, hint, defaultValue, autoComplete, required, inputMode }: FieldProps) {
  const { t } = useTranslation();
  const id = `field-${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {t(error)}
        </p>
      ) : null}
      <input
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        autoComplete={autoComplete}
        required={required}
        inputMode={inputMode}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}

/** Announces that the form has problems; each is shown at its field. */
export function FormAlert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="form-alert">
      {message}
    </div>
  );
}

/** A submit button that says it is busy while its form (or its `intent`) is being sent. */
export function SubmitButton({ children, intent, className = "button-primary" }: { children: React.ReactNode; intent?: string; className?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (intent === undefined || navigation.formData?.get("intent") === intent);
  return (
    <button type="submit" className={className} disabled={busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}
