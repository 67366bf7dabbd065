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

/**
 * Label, hint and error (an i18n key) of one field, wired to the control by id and
 * aria-describedby: the one place that lays out every form field.
 */
function FieldFrame({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: (aria: { "aria-invalid"?: true; "aria-describedby"?: string }) => React.ReactNode;
}) {
  const { t } = useTranslation();
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
      {children({ "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
    </div>
  );
}

/** A labelled input with its hint and error (an i18n key) right next to it. */
export function Field({ name, label, type = "text", error, hint, defaultValue, autoComplete, required, inputMode }: FieldProps) {
  const id = `field-${name}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <input
          id={id}
          name={name}
          type={type}
          defaultValue={defaultValue}
          autoComplete={autoComplete}
          required={required}
          inputMode={inputMode}
          {...aria}
        />
      )}
    </FieldFrame>
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
export function SubmitButton({
  children,
  intent,
  className = "button-primary",
}: {
  children: React.ReactNode;
  intent?: string;
  className?: string;
}) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && (intent === undefined || navigation.formData?.get("intent") === intent);
  return (
    <button type="submit" className={className} disabled={busy} aria-busy={busy || undefined}>
      {children}
    </button>
  );
}

/** A labelled multi-line field; like Field, with hint and error (an i18n key) beside it. */
export function TextArea({
  name,
  id: idProp,
  label,
  error,
  hint,
  defaultValue,
  rows = 4,
  readOnly,
}: {
  name: string;
  id?: string;
  label: string;
  error?: string;
  hint?: string;
  defaultValue?: string;
  rows?: number;
  readOnly?: boolean;
}) {
  const id = idProp ?? `field-${name}`;
  return (
    <FieldFrame id={id} label={label} hint={hint} error={error}>
      {(aria) => <textarea id={id} name={name} rows={rows} defaultValue={defaultValue} readOnly={readOnly} {...aria} />}
    </FieldFrame>
  );
}
