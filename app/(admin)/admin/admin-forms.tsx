"use client";
import { useActionState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { createClinicAction, createClinicianAction, type AdminFormState } from "./actions";

function Status({ state }: { state: AdminFormState }) {
  if (state.ok) return <Alert tone="success" live>{state.ok}</Alert>;
  if (state.message) return <Alert tone="danger" live>{state.message}</Alert>;
  return null;
}

export function ClinicForm() {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(createClinicAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <Status state={state} />
      <Field label="Clinic name" name="name" error={state.fields?.name} />
      <Field label="Time zone" name="timeZone" defaultValue="Europe/London" error={state.fields?.timeZone} />
      <Field label="Address" name="address" error={state.fields?.address} />
      <Button type="submit" disabled={pending}>Create clinic</Button>
    </form>
  );
}

export function ClinicianForm({ clinics }: { clinics: { id: string; name: string }[] }) {
  const [state, action, pending] = useActionState<AdminFormState, FormData>(createClinicianAction, {});
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <Status state={state} />
      <div className="flex flex-col gap-1">
        <label htmlFor="field-clinicId" className="text-base font-medium">
          Clinic
        </label>
        <select id="field-clinicId" name="clinicId" className="min-h-12 rounded-xl border-2 border-slate-400 bg-white px-3 text-base" aria-invalid={state.fields?.clinicId ? true : undefined}>
          {clinics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {state.fields?.clinicId ? <p className="text-sm font-medium text-red-800">{state.fields.clinicId}</p> : null}
      </div>
      <Field label="Name" name="name" error={state.fields?.name} />
      <Field label="E-mail" name="email" type="email" error={state.fields?.email} />
      <Field label="Temporary password" name="password" type="password" hint="At least 12 characters. Share it securely." error={state.fields?.password} autoComplete="new-password" />
      <Button type="submit" disabled={pending}>Create clinician account</Button>
    </form>
  );
}
