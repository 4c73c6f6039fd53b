import type { InputHTMLAttributes } from "react";

/** A labelled input with its error next to it (aria-describedby ties them for screen readers). */
export function Field({ label, name, error, hint, ...props }: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: string; hint?: string }) {
  const id = props.id ?? `field-${name}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-base font-medium">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="text-sm text-muted">
          {hint}
        </p>
      ) : null}
      <input
        {...props}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        className={`min-h-12 rounded-xl border-2 bg-white px-4 py-2 text-base ${error ? "border-red-700" : "border-slate-400"} focus:border-brand-600`}
      />
      {error ? (
        <p id={errorId} className="text-sm font-medium text-red-800" data-field-error={name}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
