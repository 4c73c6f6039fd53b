/**
 * Form controls for the trial intake that components/ui does not have yet (select, radio and
 * checkbox groups, textarea, a three-part date, a single checkbox). Same contract as
 * components/ui/field.tsx: a visible label, the error next to the control, tied to it with
 * aria-describedby, `data-field-error` for tests, and 48 px tap targets.
 */
"use client";
import { useSyncExternalStore, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";

export function fieldId(name: string): string {
  return `field-${name.replace(/\./g, "-")}`;
}

function describedBy(...ids: unknown[]): string | undefined {
  return ids.filter((x): x is string => typeof x === "string" && x !== "").join(" ") || undefined;
}

export function ErrorText({ id, name, error }: { id: string; name: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="text-sm font-medium text-red-800" data-field-error={name}>
      {error}
    </p>
  );
}

function Hint({ id, hint }: { id: string; hint?: ReactNode }) {
  if (!hint) return null;
  return (
    <p id={id} className="text-sm text-muted">
      {hint}
    </p>
  );
}

const CONTROL = "min-h-12 rounded-xl border-2 bg-white px-4 py-2 text-base focus:border-brand-600";

export function SelectField({
  label,
  name,
  error,
  hint,
  options,
  placeholder,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & {
  label: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  options: readonly { value: string; label: string }[];
  placeholder?: string;
}) {
  const id = fieldId(name);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-base font-medium">
        {label}
      </label>
      <Hint id={`${id}-hint`} hint={hint} />
      <select
        {...props}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        className={`${CONTROL} ${error ? "border-red-700" : "border-slate-400"}`}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <ErrorText id={`${id}-error`} name={name} error={error} />
    </div>
  );
}

export function TextAreaField({ label, name, error, hint, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; name: string; error?: string; hint?: ReactNode }) {
  const id = fieldId(name);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-base font-medium">
        {label}
      </label>
      <Hint id={`${id}-hint`} hint={hint} />
      <textarea
        {...props}
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}
        className={`${CONTROL} min-h-24 ${error ? "border-red-700" : "border-slate-400"}`}
      />
      <ErrorText id={`${id}-error`} name={name} error={error} />
    </div>
  );
}

/**
 * A fieldset whose legend names the question. The hint and error are inside the fieldset and
 * referenced from it, so screen readers announce them with the group.
 */
export function Group({ legend, name, error, hint, children }: { legend: string; name: string; error?: string; hint?: ReactNode; children: ReactNode }) {
  const id = fieldId(name);
  return (
    <fieldset id={id} tabIndex={-1} className="flex flex-col gap-2" aria-describedby={describedBy(hint && `${id}-hint`, error && `${id}-error`)}>
      <legend className="mb-1 text-base font-medium">{legend}</legend>
      <Hint id={`${id}-hint`} hint={hint} />
      <ErrorText id={`${id}-error`} name={name} error={error} />
      {children}
    </fieldset>
  );
}

export function RadioGroup<V extends string>({
  legend,
  name,
  error,
  hint,
  options,
  value,
  onChange,
}: {
  legend: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  options: readonly { value: V; label: string }[];
  value: string;
  onChange: (value: V) => void;
}) {
  return (
    <Group legend={legend} name={name} error={error} hint={hint}>
      {options.map((o) => (
        <label key={o.value} className="flex min-h-12 items-center gap-3 rounded-xl px-1 text-base">
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
            className="h-6 w-6 shrink-0"
          />
          <span>{o.label}</span>
        </label>
      ))}
    </Group>
  );
}

export function CheckboxGroup<V extends string>({
  legend,
  name,
  error,
  hint,
  options,
  values,
  onChange,
}: {
  legend: string;
  name: string;
  error?: string;
  hint?: ReactNode;
  options: readonly { value: V; label: string }[];
  values: readonly V[];
  onChange: (values: V[]) => void;
}) {
  return (
    <Group legend={legend} name={name} error={error} hint={hint}>
      {options.map((o) => (
        <label key={o.value} className="flex min-h-12 items-center gap-3 rounded-xl px-1 text-base">
          <input
            type="checkbox"
            name={name}
            value={o.value}
            checked={values.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...values, o.value] : values.filter((v) => v !== o.value))}
            className="h-6 w-6 shrink-0"
          />
          <span>{o.label}</span>
        </label>
      ))}
    </Group>
  );
}

export function CheckboxField({ label, name, error, checked, onChange }: { label: ReactNode; name: string; error?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = fieldId(name);
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="flex min-h-12 items-start gap-3 text-base font-medium">
        <input
          id={id}
          type="checkbox"
          name={name}
          checked={checked}
          onChange={(e) => onChange(e.target.checked)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          className="mt-1 h-6 w-6 shrink-0"
        />
        <span>{label}</span>
      </label>
      <ErrorText id={`${id}-error`} name={name} error={error} />
    </div>
  );
}

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/**
 * Day, month and year as separate boxes (the GOV.UK pattern): easier on phones and for screen
 * readers than a date picker, and "31 February" can be typed and then explained.
 */
export function DateField({ legend, name, error, hint, value, onChange }: { legend: string; name: string; error?: string; hint?: ReactNode; value: DateParts; onChange: (value: DateParts) => void }) {
  const id = fieldId(name);
  const errId = error ? `${id}-error` : undefined;
  const input = "min-h-12 rounded-xl border-2 bg-white px-3 py-2 text-base focus:border-brand-600";
  const border = error ? "border-red-700" : "border-slate-400";
  return (
    <Group legend={legend} name={name} error={error} hint={hint}>
      <div className="flex flex-wrap gap-3">
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-month`} className="text-base">
            Month
          </label>
          <select id={`${id}-month`} value={value.month} onChange={(e) => onChange({ ...value, month: e.target.value })} aria-invalid={error ? true : undefined} aria-describedby={errId} className={`${input} ${border}`} autoComplete="bday-month">
            <option value="">Month</option>
            {MONTHS.map((m, i) => (
              <option key={m} value={String(i + 1)}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-day`} className="text-base">
            Day
          </label>
          <input id={`${id}-day`} inputMode="numeric" maxLength={2} value={value.day} onChange={(e) => onChange({ ...value, day: e.target.value })} aria-invalid={error ? true : undefined} aria-describedby={errId} className={`${input} ${border} w-20`} autoComplete="bday-day" />
        </div>
        <div className="flex flex-col gap-1">
          <label htmlFor={`${id}-year`} className="text-base">
            Year
          </label>
          <input id={`${id}-year`} inputMode="numeric" maxLength={4} value={value.year} onChange={(e) => onChange({ ...value, year: e.target.value })} aria-invalid={error ? true : undefined} aria-describedby={errId} className={`${input} ${border} w-28`} autoComplete="bday-year" />
        </div>
      </div>
    </Group>
  );
}

const noSubscription = () => () => {};

/**
 * False during server rendering and hydration, true once React runs in the browser. The forms
 * submit with fetch; a native submit before hydration would put answers in a URL.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
