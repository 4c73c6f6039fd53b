"use client";
import { useRef, useState, useSyncExternalStore } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { zodFieldErrors } from "@/lib/http/errors";
import type { ConsentBlock } from "@/lib/trials/consent-text";
import {
  ACTIVITY_OPTIONS,
  FIELD_ORDER,
  METASTATIC_OPTIONS,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
  SIGNER_ROLE_OPTIONS,
  STAGE_OPTIONS,
  TRAVEL_MILES,
  TREATMENT_OPTIONS,
  intakeSchema,
  travelLabel,
  type IntakePayload,
  type SignerRole,
  type Treatment,
} from "@/lib/trials/intake-schema";
import { CheckboxField, CheckboxGroup, DateField, RadioGroup, SelectField, TextAreaField, fieldId, useHydrated, type DateParts } from "./_components/controls";

export interface ConsentProps {
  version: string;
  expiresOn: string;
  sha256: string;
  blocks: readonly ConsentBlock[];
}

interface Props {
  cancerTypes: readonly { value: string; label: string }[];
  consent: ConsentProps;
  prefill: { patientName: string; dateOfBirth: string | null; timeZone: string; contactEmail: string } | null;
}

interface FormState {
  signerRole: SignerRole;
  guardianRelationship: string;
  patientName: string;
  dob: DateParts;
  sex: string;
  cancerTypeId: string;
  stage: string;
  metastatic: string;
  currentTreatments: Treatment[];
  priorTreatments: Treatment[];
  treatmentNotes: string;
  activityLevel: string;
  zip: string;
  travelMiles: string;
  contactEmail: string;
  contactPhone: string;
  accepted: boolean;
  signatureName: string;
  website: string;
}

function partsOf(iso: string | null): DateParts {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? { year: m[1]!, month: String(Number(m[2])), day: String(Number(m[3])) } : { day: "", month: "", year: "" };
}

/** "YYYY-MM-DD" from the three boxes, or a message about the boxes themselves. */
function composeDate(p: DateParts, who: string): { iso: string } | { error: string } {
  const day = p.day.trim();
  const year = p.year.trim();
  if (day === "" && p.month === "" && year === "") return { error: `Enter ${who}.` };
  if (day === "" || p.month === "" || year === "") return { error: `Enter ${who} with a day, a month and a year.` };
  if (!/^\d{1,2}$/.test(day)) return { error: "Enter the day as a number, for example 7." };
  if (!/^\d{4}$/.test(year)) return { error: "Enter the year with 4 digits, for example 1980." };
  return { iso: `${year}-${p.month.padStart(2, "0")}-${day.padStart(2, "0")}` };
}

type Errors = Record<string, string>;

/** The device's time zone does not change while the form is open. */
const noSubscription = () => () => {};

export function IntakeForm({ cancerTypes, consent, prefill }: Props) {
  const [form, setForm] = useState<FormState>({
    signerRole: "self",
    guardianRelationship: "",
    patientName: prefill?.patientName ?? "",
    dob: partsOf(prefill?.dateOfBirth ?? null),
    sex: "",
    cancerTypeId: "",
    stage: "",
    metastatic: "",
    currentTreatments: [],
    priorTreatments: [],
    treatmentNotes: "",
    activityLevel: "",
    zip: "",
    travelMiles: "50",
    contactEmail: prefill?.contactEmail ?? "",
    contactPhone: "",
    accepted: false,
    signatureName: "",
    website: "",
  });
  // Ages are computed on the patient's calendar: a linked patient's stored zone, else this device's.
  const deviceZone = useSyncExternalStore(noSubscription, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => null);
  const timeZone = prefill?.timeZone ?? deviceZone ?? "UTC";
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const hydrated = useHydrated();

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...f, [key]: value }));
  const guardian = form.signerRole === "guardian";
  const who = guardian ? "the patient's birthday" : "your birthday";

  function payload(dobIso: string): IntakePayload {
    return {
      signerRole: form.signerRole,
      guardianRelationship: guardian ? (form.guardianRelationship as IntakePayload["guardianRelationship"]) : "",
      patientName: form.patientName,
      cancerTypeId: form.cancerTypeId as IntakePayload["cancerTypeId"],
      dateOfBirth: dobIso,
      timeZone,
      sex: form.sex as IntakePayload["sex"],
      zip: form.zip,
      travelMiles: form.travelMiles,
      stage: form.stage as IntakePayload["stage"],
      metastatic: form.metastatic as IntakePayload["metastatic"],
      currentTreatments: form.currentTreatments,
      priorTreatments: form.priorTreatments,
      treatmentNotes: form.treatmentNotes,
      activityLevel: form.activityLevel as IntakePayload["activityLevel"],
      contactEmail: form.contactEmail,
      contactPhone: form.contactPhone,
      consent: { accepted: form.accepted as true, signatureName: form.signatureName, version: consent.version, sha256: consent.sha256, expiresOn: consent.expiresOn },
      website: form.website,
    };
  }

  function showErrors(next: Errors, summary: string | null) {
    setErrors(next);
    setMessage(summary);
    // Move focus to the summary so keyboard and screen-reader users learn what went wrong.
    requestAnimationFrame(() => summaryRef.current?.focus());
  }

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const dob = composeDate(form.dob, who);
    const body = payload("iso" in dob ? dob.iso : "");
    // The same schema the server uses: most mistakes are explained without a round trip.
    const parsed = intakeSchema().safeParse(body);
    const local: Errors = parsed.success ? {} : zodFieldErrors(parsed.error);
    if ("error" in dob) local.dateOfBirth = dob.error;
    if (Object.keys(local).length > 0) return showErrors(local, null);

    setPending(true);
    try {
      const res = await fetch("/api/trials/intake", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json().catch(() => null)) as { privateLink?: string; error?: { message?: string; fields?: Errors } } | null;
      if (res.ok && json?.privateLink) {
        // A full navigation: the intake page is rendered on the server with the new access cookie.
        window.location.assign(json.privateLink);
        return;
      }
      showErrors(json?.error?.fields ?? {}, json?.error?.message ?? "Something went wrong. Nothing was saved. Please try again.");
    } catch {
      showErrors({}, "We could not reach the server. Check your connection and try again. Nothing was saved.");
    } finally {
      setPending(false);
    }
  }

  const errorList = FIELD_ORDER.filter((k) => errors[k]).map((k) => ({ key: k, text: errors[k]! }));
  const extra = Object.entries(errors).filter(([k]) => !(FIELD_ORDER as readonly string[]).includes(k));
  const consentTitleId = "consent-title";

  return (
    // method="post": should the form ever submit natively, answers must not end up in a URL.
    <form method="post" onSubmit={onSubmit} noValidate className="flex flex-col gap-5" aria-describedby={message || errorList.length ? "form-problems" : undefined}>
      <div ref={summaryRef} tabIndex={-1} id="form-problems" className="outline-none">
        {message || errorList.length > 0 || extra.length > 0 ? (
          <Alert tone="danger" live>
            <p className="font-semibold">{message ?? (errorList.length + extra.length === 1 ? "One answer needs attention." : `${errorList.length + extra.length} answers need attention.`)}</p>
            {errorList.length > 0 ? (
              <ul className="mt-2 list-disc pl-5">
                {errorList.map((e) => (
                  <li key={e.key}>
                    <a href={`#${fieldId(e.key === "consent" ? "consent.accepted" : e.key)}`} className="underline">
                      {e.text}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {extra.map(([k, v]) => (
              <p key={k}>{v}</p>
            ))}
          </Alert>
        ) : null}
      </div>

      <Card title="About you">
        <div className="flex flex-col gap-5">
          <RadioGroup legend="Who is filling in this form?" name="signerRole" options={SIGNER_ROLE_OPTIONS} value={form.signerRole} onChange={(v) => set("signerRole", v)} error={errors.signerRole} hint="Patients under 18 need a parent or legal guardian to fill in and sign this form." />
          {guardian ? (
            <SelectField label="Your relationship to the patient" name="guardianRelationship" options={RELATIONSHIP_OPTIONS} placeholder="Choose one" value={form.guardianRelationship} onChange={(e) => set("guardianRelationship", e.target.value)} error={errors.guardianRelationship} />
          ) : null}
          <Field id={fieldId("patientName")} label={guardian ? "The patient's full name" : "Your full name"} name="patientName" value={form.patientName} onChange={(e) => set("patientName", e.target.value)} error={errors.patientName} autoComplete={guardian ? "off" : "name"} maxLength={120} hint="As it appears on medical records, so the records can be found." />
          <DateField legend={guardian ? "The patient's birthday" : "Your Birthday"} name="dateOfBirth" value={form.dob} onChange={(v) => set("dob", v)} error={errors.dateOfBirth} hint="Trials have age limits. For example: March 7 1980." />
          <RadioGroup legend="Sex" name="sex" options={SEX_OPTIONS} value={form.sex} onChange={(v) => set("sex", v)} error={errors.sex} hint="As in medical records. Some trials are only for women or only for men." />
        </div>
      </Card>

      <Card title="About the cancer">
        <div className="flex flex-col gap-5">
          <SelectField label="Cancer type" name="cancerTypeId" options={cancerTypes} placeholder="Choose the closest match" value={form.cancerTypeId} onChange={(e) => set("cancerTypeId", e.target.value)} error={errors.cancerTypeId} hint={'If it is not listed, choose "Other solid tumour".'} />
          <SelectField label="Stage" name="stage" options={STAGE_OPTIONS} placeholder="Choose a stage" value={form.stage} onChange={(e) => set("stage", e.target.value)} error={errors.stage} hint="Your doctor may have told you a stage from 0 to IV." />
          <RadioGroup legend="Has the cancer spread to other parts of the body (metastatic)?" name="metastatic" options={METASTATIC_OPTIONS} value={form.metastatic} onChange={(v) => set("metastatic", v)} error={errors.metastatic} />
          <CheckboxGroup legend="Treatments you are having now" name="currentTreatments" options={TREATMENT_OPTIONS} values={form.currentTreatments} onChange={(v) => set("currentTreatments", v)} error={errors.currentTreatments} hint="Tick all that apply. Leave them all empty if none." />
          <CheckboxGroup legend="Treatments you have had before" name="priorTreatments" options={TREATMENT_OPTIONS} values={form.priorTreatments} onChange={(v) => set("priorTreatments", v)} error={errors.priorTreatments} hint="Tick all that apply. Leave them all empty if none." />
          <TextAreaField label="Anything else about treatments (optional)" name="treatmentNotes" value={form.treatmentNotes} onChange={(e) => set("treatmentNotes", e.target.value)} error={errors.treatmentNotes} maxLength={1000} hint="For example the names of medicines, or when a treatment ended." />
          <RadioGroup legend={guardian ? "Which sentence describes the patient's usual day best?" : "Which sentence describes your usual day best?"} name="activityLevel" options={ACTIVITY_OPTIONS} value={form.activityLevel} onChange={(v) => set("activityLevel", v)} error={errors.activityLevel} hint="Trials often ask how active someone is." />
        </div>
      </Card>

      <Card title="Where and how to reach you">
        <div className="flex flex-col gap-5">
          <Field id={fieldId("zip")} label="ZIP code" name="zip" value={form.zip} onChange={(e) => set("zip", e.target.value)} error={errors.zip} inputMode="numeric" autoComplete="postal-code" maxLength={10} hint="Where you would travel from. We use it only to work out distances to trial sites." />
          <SelectField label="How far can you travel for a trial?" name="travelMiles" options={TRAVEL_MILES.map((m) => ({ value: String(m), label: travelLabel(m) }))} value={form.travelMiles} onChange={(e) => set("travelMiles", e.target.value)} error={errors.travelMiles} />
          <p className="text-base text-muted">Give at least one way for a trial team to contact you.</p>
          <Field id={fieldId("contactEmail")} label="E-mail address" name="contactEmail" type="email" value={form.contactEmail} onChange={(e) => set("contactEmail", e.target.value)} error={errors.contactEmail} autoComplete="email" maxLength={254} />
          <Field id={fieldId("contactPhone")} label="Phone number" name="contactPhone" type="tel" value={form.contactPhone} onChange={(e) => set("contactPhone", e.target.value)} error={errors.contactPhone} autoComplete="tel" maxLength={40} />
        </div>
      </Card>

      {/* Honeypot: hidden from people and assistive technology; bots that fill every field are refused. */}
      <div aria-hidden="true" className="absolute left-[-10000px] top-auto h-px w-px overflow-hidden">
        <label htmlFor="website">Leave this empty</label>
        <input id="website" name="website" tabIndex={-1} autoComplete="off" value={form.website} onChange={(e) => set("website", e.target.value)} />
      </div>

      <Card title="Your consent">
        <div className="flex flex-col gap-4">
          <p className="text-base">Please read this before you sign. It is the whole text; nothing else is hidden.</p>
          <section aria-labelledby={consentTitleId} data-testid="consent-text" data-consent-version={consent.version} data-consent-sha256={consent.sha256} className="flex flex-col gap-3 rounded-xl border-2 border-slate-300 bg-slate-50 p-4">
            {consent.blocks.map((b, i) =>
              b.kind === "title" ? (
                <h3 key={i} id={consentTitleId} data-consent-block className="text-lg font-bold">
                  {b.text}
                </h3>
              ) : b.kind === "heading" ? (
                <h4 key={i} data-consent-block className="text-base font-semibold">
                  {b.text}
                </h4>
              ) : (
                <p key={i} data-consent-block className="text-base">
                  {b.text}
                </p>
              ),
            )}
            <p className="text-sm text-muted">
              Text version {consent.version}. Fingerprint (SHA-256): <span className="break-all font-mono">{consent.sha256}</span>
            </p>
          </section>
          {errors.consent ? (
            <p className="text-sm font-medium text-red-800" data-field-error="consent" id="field-consent-error">
              {errors.consent}
            </p>
          ) : null}
          <CheckboxField name="consent.accepted" label="I have read this authorization and I agree to release my medical records for clinical-trial matching only." checked={form.accepted} onChange={(v) => set("accepted", v)} error={errors["consent.accepted"]} />
          <Field id={fieldId("consent.signatureName")} label={guardian ? "Type your own full name to sign (parent, guardian or representative)" : "Type your full name to sign"} name="consent.signatureName" value={form.signatureName} onChange={(e) => set("signatureName", e.target.value)} error={errors["consent.signatureName"]} autoComplete="off" maxLength={120} />
          <Button type="submit" disabled={pending || !hydrated}>
            {pending ? "Saving…" : "Sign and find trials"}
          </Button>
          <p className="text-sm text-muted">Nothing is saved unless you tick the box and sign.</p>
        </div>
      </Card>
    </form>
  );
}
