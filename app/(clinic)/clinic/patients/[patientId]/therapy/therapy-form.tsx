"use client";
import { useActionState, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { DRUG_LIST } from "@/lib/pump/drugs";
import { saveTherapyAction, type TherapyFormState } from "./actions";

export interface TherapyDefaults {
  drug: string;
  concentration: number;
  dailyDose: number;
  lowReservoirThresholdUl: number;
  bolusEnabled: boolean;
  bolusDose: number;
  bolusDurationSeconds: number;
  lockoutSeconds: number;
  maxPer24h: number;
}

export function TherapyForm({ patientId, capacityUl, defaults }: { patientId: string; capacityUl: number; defaults: TherapyDefaults }) {
  const [state, action, pending] = useActionState<TherapyFormState, FormData>(saveTherapyAction, {});
  const v = (k: keyof TherapyDefaults) => state.values?.[k] ?? String(defaults[k]);
  const [drug, setDrug] = useState(defaults.drug);
  const unit = DRUG_LIST.find((d) => d.id === drug)?.doseUnit === "mU" ? "mU (1 U = 1000 mU)" : "µg";
  const conc = DRUG_LIST.find((d) => d.id === drug)?.concentrationUnit ?? "µg/mL";
  return (
    <form action={action} className="flex flex-col gap-4" noValidate>
      <input type="hidden" name="patientId" value={patientId} />
      <input type="hidden" name="capacityUl" value={capacityUl} />
      {state.ok ? <Alert tone="success" live>{state.ok}</Alert> : null}
      {state.message ? <Alert tone="danger" live>{state.message}</Alert> : null}
      <div className="flex flex-col gap-1">
        <label htmlFor="field-drug" className="text-base font-medium">
          Drug
        </label>
        <select id="field-drug" name="drug" value={drug} onChange={(e) => setDrug(e.target.value)} className="min-h-12 rounded-xl border-2 border-slate-400 bg-white px-3 text-base">
          {DRUG_LIST.map((d) => (
            <option key={d.id} value={d.id}>
              {d.displayName}
            </option>
          ))}
        </select>
        {state.fields?.drug ? <p className="text-sm font-medium text-red-800" data-field-error="drug">{state.fields.drug}</p> : null}
      </div>
      <Field label={`Concentration (${conc})`} name="concentration" inputMode="numeric" defaultValue={v("concentration")} error={state.fields?.concentration} key={`c-${state.values?.concentration}`} />
      <Field label={`Daily dose (${unit} per day)`} name="dailyDose" inputMode="numeric" defaultValue={v("dailyDose")} error={state.fields?.dailyDose} key={`d-${state.values?.dailyDose}`} />
      <Field label="Low-reservoir alarm level (µL)" name="lowReservoirThresholdUl" inputMode="numeric" defaultValue={v("lowReservoirThresholdUl")} error={state.fields?.lowReservoirThresholdUl} hint="Typically 2000–3000 µL." />
      <fieldset className="flex flex-col gap-4 rounded-xl border border-slate-300 p-4">
        <legend className="px-1 text-lg font-semibold">Personal bolus</legend>
        <label className="flex min-h-12 items-center gap-3 text-base">
          <input type="checkbox" name="bolusEnabled" defaultChecked={v("bolusEnabled") === "true" || v("bolusEnabled") === "on"} className="h-6 w-6" />
          Patient may trigger a bolus
        </label>
        <Field label={`Bolus dose (${unit})`} name="bolusDose" inputMode="numeric" defaultValue={v("bolusDose")} error={state.fields?.bolusDose} />
        <Field label="Bolus duration (seconds)" name="bolusDurationSeconds" inputMode="numeric" defaultValue={v("bolusDurationSeconds")} error={state.fields?.bolusDurationSeconds} />
        <Field label="Lockout between boluses (seconds)" name="lockoutSeconds" inputMode="numeric" defaultValue={v("lockoutSeconds")} error={state.fields?.lockoutSeconds} hint="3 hours = 10800 seconds." />
        <Field label="Most boluses in any 24 hours" name="maxPer24h" inputMode="numeric" defaultValue={v("maxPer24h")} error={state.fields?.maxPer24h} />
      </fieldset>
      <label className="flex min-h-12 items-center gap-3 text-base">
        <input type="checkbox" name="confirmUnusual" className="h-6 w-6" />I have checked these unusual values
      </label>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save as new version"}
      </Button>
    </form>
  );
}
