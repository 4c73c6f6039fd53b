/**
 * The clinical-trial matching intake: answer options in plain words and the one zod schema
 * that the browser form and `POST /api/trials/intake` both validate with.
 *
 * Pure (runs in the browser too). What only the server can check — the ZIP code against the
 * offline centroid table, the consent hash, the rate limit, the honeypot — lives in
 * `intake.ts`, and its messages use the same field keys, so the form shows every problem
 * next to its field whichever side found it.
 *
 * Field keys are the paths zod reports ("consent.accepted"), and are also the form's input
 * names and the keys of `{ error: { fields } }` in API responses.
 */
import { z } from "zod";
import { isSafeText, SAFE_TEXT_MESSAGE } from "@/lib/http/safe-text";
import { validateBirthDate } from "@/lib/trials/age";
import { CANCER_TYPE_IDS } from "@/lib/trials/cancer-types";

// ── answer options ──────────────────────────────────────────────────────────

export interface Option<V extends string = string> {
  readonly value: V;
  readonly label: string;
  readonly hint?: string;
}

export const SEX_OPTIONS = [
  { value: "female", label: "Female" },
  { value: "male", label: "Male" },
  { value: "other/unknown", label: "Another answer, or I prefer not to say" },
] as const satisfies readonly Option[];

/** Miles, because the form is for US ZIP codes; stored and matched in km. */
export const TRAVEL_MILES = [10, 25, 50, 100, 250, 500, 1000, 3000] as const;
export type TravelMiles = (typeof TRAVEL_MILES)[number];
export function travelLabel(miles: number): string {
  return miles >= 3000 ? "Anywhere in the US (up to 3,000 miles)" : `Up to ${miles.toLocaleString("en-US")} miles`;
}

export const STAGE_OPTIONS = [
  { value: "0", label: "Stage 0 (in place, has not spread into nearby tissue)" },
  { value: "I", label: "Stage I" },
  { value: "II", label: "Stage II" },
  { value: "III", label: "Stage III" },
  { value: "IV", label: "Stage IV" },
  { value: "not-staged", label: "My cancer is not staged this way (for example, some blood cancers)" },
  { value: "unknown", label: "I don't know" },
] as const satisfies readonly Option[];

export const METASTATIC_OPTIONS = [
  { value: "yes", label: "Yes, it has spread to other parts of the body" },
  { value: "no", label: "No, it has not spread" },
  { value: "unknown", label: "I don't know" },
] as const satisfies readonly Option[];

export const TREATMENT_OPTIONS = [
  { value: "surgery", label: "Surgery" },
  { value: "chemotherapy", label: "Chemotherapy" },
  { value: "radiation", label: "Radiation therapy" },
  { value: "immunotherapy", label: "Immunotherapy" },
  { value: "targeted", label: "Targeted therapy (for example, pills aimed at a gene change)" },
  { value: "hormone", label: "Hormone therapy" },
  { value: "transplant", label: "Stem cell or bone marrow transplant" },
  { value: "car-t", label: "CAR T-cell therapy" },
  { value: "other", label: "Something else" },
] as const satisfies readonly Option[];

/**
 * ECOG performance status 0–4 in plain words (5, "dead", is not an answer). The LOINC
 * answer codes let the FHIR export carry the grade unambiguously.
 */
export const ACTIVITY_OPTIONS = [
  { value: "0", label: "I am fully active and can do everything I did before my illness.", loinc: "LA9622-7" },
  {
    value: "1",
    label: "I can't do heavy physical work, but I can walk and do light work such as housework or office work.",
    loinc: "LA9623-5",
  },
  {
    value: "2",
    label: "I can walk and look after myself but can't work. I am up and about more than half of my waking hours.",
    loinc: "LA9624-3",
  },
  { value: "3", label: "I can only partly look after myself. I am in a bed or chair more than half of my waking hours.", loinc: "LA9625-0" },
  { value: "4", label: "I can't look after myself at all and spend all of my time in a bed or chair.", loinc: "LA9626-8" },
] as const satisfies readonly (Option & { loinc: string })[];

export const SIGNER_ROLE_OPTIONS = [
  { value: "self", label: "I am the patient" },
  { value: "guardian", label: "I am filling it in for the patient, as their parent, guardian or legal representative" },
] as const satisfies readonly Option[];

export const RELATIONSHIP_OPTIONS = [
  { value: "parent", label: "Parent" },
  { value: "legal-guardian", label: "Legal guardian" },
  { value: "representative", label: "Other legal representative (for example, health-care power of attorney)" },
] as const satisfies readonly Option[];

type Values<T extends readonly { value: string }[]> = T[number]["value"];
const values = <T extends readonly { value: string }[]>(opts: T) => opts.map((o) => o.value) as unknown as readonly [Values<T>, ...Values<T>[]];

export type Sex = Values<typeof SEX_OPTIONS>;
export type Stage = Values<typeof STAGE_OPTIONS>;
export type Metastatic = Values<typeof METASTATIC_OPTIONS>;
export type Treatment = Values<typeof TREATMENT_OPTIONS>;
export type ActivityLevel = Values<typeof ACTIVITY_OPTIONS>;
export type SignerRole = Values<typeof SIGNER_ROLE_OPTIONS>;
export type GuardianRelationship = Values<typeof RELATIONSHIP_OPTIONS>;

export function optionLabel(options: readonly Option[], value: string): string {
  return options.find((o) => o.value === value)?.label ?? value;
}

// ── schema ──────────────────────────────────────────────────────────────────

/** Adults sign for themselves; under this age a parent or guardian must sign. */
export const ADULT_AGE_YEARS = 18;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZIP = /^\d{5}(-\d{4})?$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Digits only, keeping a leading "+": "(617) 555-0100" → "6175550100". */
export function normalisePhone(phone: string): string {
  const trimmed = phone.trim();
  return (trimmed.startsWith("+") ? "+" : "") + trimmed.replace(/\D/g, "");
}

/** Case, accents, punctuation and spacing do not make a typed name a different name. */
export function normaliseName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

const emailSchema = z.email();

function enumOf<T extends readonly [string, ...string[]]>(options: T, message: string) {
  return z.enum(options, { error: message });
}

const nameField = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .min(2, { error: message })
    .max(120, { error: "Use at most 120 characters." })
    .refine(isSafeText, { error: SAFE_TEXT_MESSAGE });

export const consentSubmissionSchema = z.object({
  accepted: z.literal(true, {
    error: "Tick the box to give your consent. Without it we cannot keep your answers or look for trials.",
  }),
  signatureName: nameField("Type your full name to sign."),
  version: z.string({ error: "The consent version is missing. Reload the page." }).min(1).max(64),
  sha256: z.string({ error: "The consent fingerprint is missing. Reload the page." }).regex(SHA256_HEX, {
    error: "The consent fingerprint is not valid. Reload the page.",
  }),
  expiresOn: z.string({ error: "The consent expiry date is missing. Reload the page." }).regex(ISO_DATE, {
    error: "The consent expiry date is not valid. Reload the page.",
  }),
}, { error: "Without your consent nothing is saved: read it, tick the box and type your name to sign." });

const fieldsSchema = z.object({
  signerRole: enumOf(values(SIGNER_ROLE_OPTIONS), "Tell us who is filling in this form."),
  guardianRelationship: z
    .union([enumOf(values(RELATIONSHIP_OPTIONS), "Choose your relationship to the patient."), z.literal("")])
    .default(""),
  patientName: nameField("Enter your full name, or the patient's if you are filling this in for them."),
  cancerTypeId: enumOf(CANCER_TYPE_IDS, "Choose a cancer type from the list."),
  // Checked against the calendar and the clock in the refinement below (needs the time zone).
  dateOfBirth: z.string({ error: "Enter your birthday." }).trim().min(1, { error: "Enter your birthday." }).max(10),
  /** The patient's IANA zone; the form sends the browser's. Ages are computed on that calendar. */
  timeZone: z.string({ error: "Your time zone is missing." }).min(1, { error: "Your time zone is missing." }).max(64),
  sex: enumOf(values(SEX_OPTIONS), "Choose an answer for sex."),
  zip: z
    .string({ error: "Enter your ZIP code." })
    .trim()
    .min(1, { error: "Enter your ZIP code." })
    .regex(ZIP, { error: "Enter a 5-digit US ZIP code, for example 02115." }),
  travelMiles: z.coerce
    .number({ error: "Choose how far you can travel." })
    .refine((n): n is TravelMiles => (TRAVEL_MILES as readonly number[]).includes(n), { error: "Choose how far you can travel." }),
  stage: enumOf(values(STAGE_OPTIONS), "Choose a stage, or \"I don't know\"."),
  metastatic: enumOf(values(METASTATIC_OPTIONS), "Tell us whether the cancer has spread, or choose \"I don't know\"."),
  currentTreatments: z.array(enumOf(values(TREATMENT_OPTIONS), "Choose treatments from the list.")).max(TREATMENT_OPTIONS.length).default([]),
  priorTreatments: z.array(enumOf(values(TREATMENT_OPTIONS), "Choose treatments from the list.")).max(TREATMENT_OPTIONS.length).default([]),
  treatmentNotes: z.string().trim().max(1000, { error: "Use at most 1,000 characters." }).default(""),
  activityLevel: enumOf(values(ACTIVITY_OPTIONS), "Choose the sentence that fits best."),
  contactEmail: z
    .string()
    .trim()
    .max(254, { error: "Use at most 254 characters." })
    .refine((s) => s === "" || emailSchema.safeParse(s).success, { error: "Enter a valid e-mail address, like name@example.com." })
    .default(""),
  contactPhone: z
    .string()
    .trim()
    .max(40, { error: "Use at most 40 characters." })
    .refine((s) => s === "" || (/^[\d\s()+.\-]+$/.test(s) && /^\+?\d{7,15}$/.test(normalisePhone(s))), {
      error: "Enter a phone number with 7 to 15 digits, like (617) 555-0100.",
    })
    .default(""),
  consent: consentSubmissionSchema,
});

export type IntakeInput = z.output<typeof fieldsSchema>;
/** The answers without the signature: what `trial_intakes.answers` holds. */
export const answersSchema = fieldsSchema.omit({ consent: true });
/** What the form posts (before defaults and coercion). */
export type IntakePayload = z.input<typeof fieldsSchema> & { website?: string };

interface CrossIssue {
  readonly path: string;
  readonly message: string;
}

function str(v: unknown): string | null {
  return typeof v === "string" ? v.trim() : null;
}

/**
 * Rules that involve more than one field or the clock. Written against the raw value so
 * they also run when other fields are invalid: the form shows every problem at once.
 */
export function crossFieldIssues(raw: unknown, now: Date): CrossIssue[] {
  if (typeof raw !== "object" || raw === null) return [];
  const v = raw as Record<string, unknown>;
  const out: CrossIssue[] = [];
  const role = str(v.signerRole);
  const dob = str(v.dateOfBirth);
  const timeZone = str(v.timeZone);
  const who = role === "guardian" ? "The patient's birthday" : "Your birthday";

  if (dob && timeZone) {
    const check = validateBirthDate(dob, now, timeZone);
    if (!check.ok) {
      if (check.code === "time_zone") out.push({ path: "timeZone", message: check.message });
      else if (check.code === "future") out.push({ path: "dateOfBirth", message: `${who} cannot be in the future.` });
      else out.push({ path: "dateOfBirth", message: check.message });
    } else if (check.age.years < ADULT_AGE_YEARS && role === "self") {
      out.push({
        path: "signerRole",
        message: "The patient is under 18, so a parent or legal guardian must fill in and sign this form.",
      });
    }
  }
  if (role === "guardian" && !str(v.guardianRelationship)) {
    out.push({ path: "guardianRelationship", message: "Choose your relationship to the patient." });
  }
  if (!str(v.contactEmail) && !str(v.contactPhone)) {
    out.push({ path: "contactEmail", message: "Give an e-mail address or a phone number, so a trial team can reach you." });
  }
  const consent = typeof v.consent === "object" && v.consent !== null ? (v.consent as Record<string, unknown>) : null;
  const signature = str(consent?.signatureName);
  const patientName = str(v.patientName);
  if (role === "self" && signature && patientName && normaliseName(signature) !== normaliseName(patientName)) {
    out.push({ path: "consent.signatureName", message: "To sign, type your full name as you entered it above." });
  }
  if (role === "guardian" && signature && patientName && normaliseName(signature) === normaliseName(patientName)) {
    out.push({
      path: "consent.signatureName",
      message: "Type your own name (the parent, guardian or representative who signs), not the patient's.",
    });
  }
  return out;
}

/**
 * The intake schema as of `now()` (a function, so one schema instance can serve many
 * requests and tests can fix the clock).
 */
export function intakeSchema(now: () => Date = () => new Date()) {
  return fieldsSchema.superRefine(
    (value, ctx) => {
      for (const issue of crossFieldIssues(value, now())) {
        ctx.addIssue({ code: "custom", path: issue.path.split("."), message: issue.message });
      }
    },
    // Run even when some fields failed, so every problem is reported in one round trip.
    { when: () => true },
  );
}

/** Field error keys in the order the form shows them (for the error summary and focus). */
export const FIELD_ORDER = [
  "signerRole",
  "guardianRelationship",
  "patientName",
  "dateOfBirth",
  "sex",
  "cancerTypeId",
  "stage",
  "metastatic",
  "currentTreatments",
  "priorTreatments",
  "treatmentNotes",
  "activityLevel",
  "zip",
  "travelMiles",
  "contactEmail",
  "contactPhone",
  "consent",
  "consent.accepted",
  "consent.signatureName",
  "timeZone",
] as const;

/** `POST /api/trials/intake/:id/revoke` and the revoke form: the person types their name to confirm. */
export const revokeSchema = z.strictObject({
  name: nameField("Type your full name to confirm."),
});
