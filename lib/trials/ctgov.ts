/**
 * The subset of the ClinicalTrials.gov API v2 study JSON that trial matching uses, and
 * its normalisation into flat trial records.
 *
 * Input is the API's own shape (`{"studies": [...]}`, as returned by
 * `GET /api/v2/studies` or saved from it), so the importer can read downloaded files and,
 * where online, the API with the same code. Unknown fields are ignored (the API carries
 * far more than we use); a study missing what we need, or with a value we cannot
 * interpret, is reported as an error naming the study and is not imported, rather than
 * imported with a guess.
 */
import { z } from "zod";
import { isMeshId, type MeshRef } from "@/lib/trials/mesh";

// ── enumerations (API v2 spellings) ─────────────────────────────────────────

export const OVERALL_STATUSES = [
  "RECRUITING",
  "NOT_YET_RECRUITING",
  "ENROLLING_BY_INVITATION",
  "ACTIVE_NOT_RECRUITING",
  "COMPLETED",
  "SUSPENDED",
  "TERMINATED",
  "WITHDRAWN",
  "AVAILABLE",
  "NO_LONGER_AVAILABLE",
  "TEMPORARILY_NOT_AVAILABLE",
  "APPROVED_FOR_MARKETING",
  "WITHHELD",
  "UNKNOWN",
] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];

/** Statuses under which a trial can take new participants (the only match candidates). */
export const OPEN_STATUSES: ReadonlySet<OverallStatus> = new Set<OverallStatus>([
  "RECRUITING",
  "NOT_YET_RECRUITING",
  "ENROLLING_BY_INVITATION",
]);

export const PHASES = ["NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4"] as const;
export type Phase = (typeof PHASES)[number];

export const TRIAL_SEXES = ["ALL", "FEMALE", "MALE"] as const;
export type TrialSex = (typeof TRIAL_SEXES)[number];

// ── zod schema of the raw study ─────────────────────────────────────────────

const text = z.string();
const meshRefSchema = z.object({
  id: z.string().trim().refine(isMeshId, { message: "not a MeSH descriptor id (D + 6 or 9 digits)" }),
  term: z.string(),
});
const geoPointSchema = z.object({ lat: z.number(), lon: z.number() });
const locationSchema = z.object({
  facility: text.optional(),
  status: text.optional(),
  city: text.optional(),
  state: text.optional(),
  zip: text.optional(),
  country: text.optional(),
  geoPoint: geoPointSchema.optional(),
});
/** ClinicalTrials.gov dates are "YYYY-MM-DD" or, for some fields, just "YYYY-MM". */
const ctgovDate = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, { message: "expected YYYY-MM-DD or YYYY-MM" });

/**
 * One study, as much of it as we read. zod objects drop unknown keys, which is the
 * tolerance we want: new API fields never break the import.
 */
export const ctgovStudySchema = z.object({
  protocolSection: z.object({
    identificationModule: z.object({
      nctId: z.string().regex(/^NCT\d{8}$/, { message: "expected NCT followed by 8 digits" }),
      briefTitle: text.optional(),
      officialTitle: text.optional(),
    }),
    statusModule: z.object({
      overallStatus: z.enum(OVERALL_STATUSES),
      lastUpdatePostDateStruct: z.object({ date: ctgovDate, type: text.optional() }).optional(),
    }),
    conditionsModule: z
      .object({ conditions: z.array(text).optional(), keywords: z.array(text).optional() })
      .optional(),
    designModule: z.object({ phases: z.array(z.enum(PHASES)).optional() }).optional(),
    eligibilityModule: z
      .object({
        eligibilityCriteria: text.optional(),
        healthyVolunteers: z.boolean().optional(),
        sex: z.enum(TRIAL_SEXES).optional(),
        minimumAge: text.optional(),
        maximumAge: text.optional(),
      })
      .optional(),
    contactsLocationsModule: z.object({ locations: z.array(locationSchema).optional() }).optional(),
  }),
  derivedSection: z
    .object({
      conditionBrowseModule: z
        .object({ meshes: z.array(meshRefSchema).optional(), ancestors: z.array(meshRefSchema).optional() })
        .optional(),
    })
    .optional(),
});
export type CtgovStudy = z.infer<typeof ctgovStudySchema>;

/** The file / API page: `{"studies": [...]}`. Studies are validated one by one. */
export const ctgovStudiesFileSchema = z.object({
  studies: z.array(z.unknown()),
  nextPageToken: z.string().optional(),
});

// ── ages ────────────────────────────────────────────────────────────────────

export type AgeUnit = "years" | "months" | "weeks" | "days" | "hours" | "minutes";

/** An age limit as the registry states it ("6 Months" → { value: 6, unit: "months" }). */
export interface AgeLimit {
  readonly value: number;
  readonly unit: AgeUnit;
  /** The original text, for display. */
  readonly text: string;
}

export class AgeFormatError extends Error {
  constructor(readonly input: string) {
    super(`Cannot read the age "${input}": expected a number and a unit, such as "18 Years" or "6 Months".`);
    this.name = "AgeFormatError";
  }
}

const UNIT_WORDS: Readonly<Record<string, AgeUnit>> = {
  year: "years",
  years: "years",
  month: "months",
  months: "months",
  week: "weeks",
  weeks: "weeks",
  day: "days",
  days: "days",
  hour: "hours",
  hours: "hours",
  minute: "minutes",
  minutes: "minutes",
};

/** Mean lengths, used only for the approximate day counts (`minAgeDays`/`maxAgeDays`). */
const UNIT_DAYS: Readonly<Record<AgeUnit, number>> = {
  years: 365.2425,
  months: 365.2425 / 12,
  weeks: 7,
  days: 1,
  hours: 1 / 24,
  minutes: 1 / 1440,
};

/**
 * Reads a ClinicalTrials.gov age limit: "18 Years", "6 Months", "1 Month", "28 Days",
 * "12 Weeks", "24 Hours", "30 Minutes" (any case, singular or plural).
 * Missing, empty and "N/A" mean "no limit" and give null.
 * @throws AgeFormatError for anything else (the importer reports it against the study).
 */
export function parseAge(input: string | null | undefined): AgeLimit | null {
  if (input === null || input === undefined) return null;
  const trimmed = input.trim();
  if (trimmed === "" || /^n\/?a$/i.test(trimmed)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*([A-Za-z]+)$/.exec(trimmed);
  const unit = m?.[2] === undefined ? undefined : UNIT_WORDS[m[2].toLowerCase()];
  if (!m || m[1] === undefined || unit === undefined) throw new AgeFormatError(input);
  const value = Number(m[1]);
  if (!Number.isFinite(value)) throw new AgeFormatError(input);
  return { value, unit, text: trimmed };
}

/** Approximate length of an age limit in days (mean month/year lengths), for sorting and
 *  coarse filtering only; eligibility is decided on calendar ages in `match.ts`. */
export function ageLimitApproxDays(limit: AgeLimit): number {
  return limit.value * UNIT_DAYS[limit.unit];
}

// ── normalised record ───────────────────────────────────────────────────────

export interface TrialSite {
  readonly facility: string | null;
  /** Site recruitment status as given (e.g. "RECRUITING"), null when not stated. */
  readonly status: string | null;
  readonly city: string | null;
  readonly state: string | null;
  readonly zip: string | null;
  readonly country: string | null;
  /** Null when the registry gives no usable coordinates. */
  readonly lat: number | null;
  readonly lon: number | null;
}

export interface TrialRecord {
  readonly nctId: string;
  /** Brief title, else official title, else the NCT id. */
  readonly title: string;
  readonly officialTitle: string | null;
  readonly status: OverallStatus;
  readonly phases: readonly Phase[];
  readonly conditions: readonly string[];
  readonly keywords: readonly string[];
  /** MeSH descriptors ClinicalTrials.gov assigned to the conditions. */
  readonly meshes: readonly MeshRef[];
  readonly ancestors: readonly MeshRef[];
  readonly meshIds: readonly string[];
  readonly ancestorMeshIds: readonly string[];
  readonly minAge: AgeLimit | null;
  readonly maxAge: AgeLimit | null;
  /** Approximate limits in days, null = no limit (see {@link ageLimitApproxDays}). */
  readonly minAgeDays: number | null;
  readonly maxAgeDays: number | null;
  /** Null when the registry does not state a sex requirement. */
  readonly sex: TrialSex | null;
  readonly healthyVolunteers: boolean | null;
  readonly eligibilityCriteria: string | null;
  readonly sites: readonly TrialSite[];
  /** "YYYY-MM-DD" (or "YYYY-MM"); null when missing. Drives {@link newerWins}. */
  readonly lastUpdatePostDate: string | null;
}

export type StudyErrorCode = "invalid_file" | "invalid_study" | "invalid_age";

/** One study (or the whole file) that could not be imported, and why. */
export interface StudyParseError {
  readonly code: StudyErrorCode;
  /** Position in `studies`; -1 when the file itself is malformed. */
  readonly index: number;
  /** The study's NCT id when it could be read, so the message can name the study. */
  readonly nctId: string | null;
  readonly message: string;
  /** Individual problems, each as "path: message". */
  readonly issues: readonly string[];
}

export interface ParseStudiesResult {
  readonly trials: TrialRecord[];
  readonly errors: StudyParseError[];
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`);
}

function peekNctId(raw: unknown): string | null {
  // Best effort, for naming a study whose schema validation failed.
  if (typeof raw !== "object" || raw === null) return null;
  const ps: unknown = (raw as Record<string, unknown>)["protocolSection"];
  if (typeof ps !== "object" || ps === null) return null;
  const im: unknown = (ps as Record<string, unknown>)["identificationModule"];
  if (typeof im !== "object" || im === null) return null;
  const id: unknown = (im as Record<string, unknown>)["nctId"];
  return typeof id === "string" && id.trim() !== "" ? id.trim() : null;
}

function orNull(value: string | undefined): string | null {
  const t = value?.trim();
  return t === undefined || t === "" ? null : t;
}

function validCoordinate(lat: number, lon: number): boolean {
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
}

function uniqueMesh(refs: readonly { id: string; term: string }[] | undefined): MeshRef[] {
  const seen = new Set<string>();
  const out: MeshRef[] = [];
  for (const r of refs ?? []) {
    const id = r.id.trim().toUpperCase();
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ id, term: r.term.trim() });
  }
  return out;
}

export type NormaliseResult =
  | { readonly ok: true; readonly trial: TrialRecord }
  | { readonly ok: false; readonly code: StudyErrorCode; readonly issues: string[] };

/** Turns one schema-valid study into a {@link TrialRecord}. */
export function normaliseStudy(study: CtgovStudy): NormaliseResult {
  const ps = study.protocolSection;
  const id = ps.identificationModule;
  const elig = ps.eligibilityModule;

  let minAge: AgeLimit | null;
  let maxAge: AgeLimit | null;
  const ageIssues: string[] = [];
  try {
    minAge = parseAge(elig?.minimumAge);
  } catch (e) {
    minAge = null;
    ageIssues.push(`protocolSection.eligibilityModule.minimumAge: ${(e as Error).message}`);
  }
  try {
    maxAge = parseAge(elig?.maximumAge);
  } catch (e) {
    maxAge = null;
    ageIssues.push(`protocolSection.eligibilityModule.maximumAge: ${(e as Error).message}`);
  }
  const minAgeDays = minAge === null ? null : ageLimitApproxDays(minAge);
  const maxAgeDays = maxAge === null ? null : ageLimitApproxDays(maxAge);
  if (minAgeDays !== null && maxAgeDays !== null && minAgeDays > maxAgeDays) {
    ageIssues.push(
      `protocolSection.eligibilityModule: minimum age (${minAge?.text}) is above maximum age (${maxAge?.text})`,
    );
  }
  if (ageIssues.length > 0) return { ok: false, code: "invalid_age", issues: ageIssues };

  const sites: TrialSite[] = (ps.contactsLocationsModule?.locations ?? []).map((loc) => {
    // Out-of-range coordinates are treated as unknown, not as an error: the site is
    // still real, we just cannot measure the distance to it.
    const geo = loc.geoPoint && validCoordinate(loc.geoPoint.lat, loc.geoPoint.lon) ? loc.geoPoint : null;
    return {
      facility: orNull(loc.facility),
      status: orNull(loc.status)?.toUpperCase() ?? null,
      city: orNull(loc.city),
      state: orNull(loc.state),
      zip: orNull(loc.zip),
      country: orNull(loc.country),
      lat: geo?.lat ?? null,
      lon: geo?.lon ?? null,
    };
  });

  const meshes = uniqueMesh(study.derivedSection?.conditionBrowseModule?.meshes);
  const ancestors = uniqueMesh(study.derivedSection?.conditionBrowseModule?.ancestors);
  const briefTitle = orNull(id.briefTitle);
  const officialTitle = orNull(id.officialTitle);

  return {
    ok: true,
    trial: {
      nctId: id.nctId,
      title: briefTitle ?? officialTitle ?? id.nctId,
      officialTitle,
      status: ps.statusModule.overallStatus,
      phases: [...new Set(ps.designModule?.phases ?? [])],
      conditions: (ps.conditionsModule?.conditions ?? []).map((c) => c.trim()).filter((c) => c !== ""),
      keywords: (ps.conditionsModule?.keywords ?? []).map((c) => c.trim()).filter((c) => c !== ""),
      meshes,
      ancestors,
      meshIds: meshes.map((m) => m.id),
      ancestorMeshIds: ancestors.map((m) => m.id),
      minAge,
      maxAge,
      minAgeDays,
      maxAgeDays,
      sex: elig?.sex ?? null,
      healthyVolunteers: elig?.healthyVolunteers ?? null,
      eligibilityCriteria: orNull(elig?.eligibilityCriteria),
      sites,
      lastUpdatePostDate: ps.statusModule.lastUpdatePostDateStruct?.date ?? null,
    },
  };
}

/**
 * Parses a ClinicalTrials.gov API v2 studies file: `{"studies": [...]}`, given as the
 * parsed JSON value or as its text. Every valid study becomes a {@link TrialRecord}; every
 * invalid one becomes a {@link StudyParseError} naming it, so one bad study never blocks
 * the rest of the file.
 */
export function parseStudiesFile(json: unknown): ParseStudiesResult {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json) as unknown;
    } catch (e) {
      return {
        trials: [],
        errors: [
          { code: "invalid_file", index: -1, nctId: null, message: "The file is not valid JSON.", issues: [(e as Error).message] },
        ],
      };
    }
  }
  const file = ctgovStudiesFileSchema.safeParse(value);
  if (!file.success) {
    return {
      trials: [],
      errors: [
        {
          code: "invalid_file",
          index: -1,
          nctId: null,
          message: 'The file is not a ClinicalTrials.gov studies file: expected {"studies": [...]}.',
          issues: issuesOf(file.error),
        },
      ],
    };
  }

  const trials: TrialRecord[] = [];
  const errors: StudyParseError[] = [];
  file.data.studies.forEach((raw, index) => {
    const parsed = ctgovStudySchema.safeParse(raw);
    if (!parsed.success) {
      const nctId = peekNctId(raw);
      errors.push({
        code: "invalid_study",
        index,
        nctId,
        message: `Study ${nctId ?? `#${index + 1} (no NCT id)`} does not have the expected ClinicalTrials.gov fields.`,
        issues: issuesOf(parsed.error),
      });
      return;
    }
    const normalised = normaliseStudy(parsed.data);
    if (!normalised.ok) {
      const nctId = parsed.data.protocolSection.identificationModule.nctId;
      errors.push({
        code: normalised.code,
        index,
        nctId,
        message: `Study ${nctId} has an age limit we cannot read.`,
        issues: normalised.issues,
      });
      return;
    }
    trials.push(normalised.trial);
  });
  return { trials, errors };
}

// ── idempotent import ───────────────────────────────────────────────────────

export type ImportAction = "insert" | "update" | "unchanged";

export interface NewerWinsResult {
  readonly action: ImportAction;
  /** The record to keep. */
  readonly record: TrialRecord;
}

/** Pads "YYYY-MM" to the first of the month so partial dates compare with full ones. */
function comparableDate(date: string | null): string | null {
  if (date === null) return null;
  return date.length === 7 ? `${date}-01` : date;
}

/**
 * Decides what an import does with an incoming record for an NCT id we may already hold.
 * The newer `lastUpdatePostDate` wins; equal dates change nothing (so re-importing the
 * same file is a no-op); a record with a date beats one without; with no dates on either
 * side the existing record stays. Re-running an import therefore converges.
 * @throws Error when the two records are for different NCT ids (a caller bug).
 */
export function newerWins(existing: TrialRecord | null | undefined, incoming: TrialRecord): NewerWinsResult {
  if (existing === null || existing === undefined) return { action: "insert", record: incoming };
  if (existing.nctId !== incoming.nctId) {
    throw new Error(`newerWins: cannot compare ${existing.nctId} with ${incoming.nctId}`);
  }
  const a = comparableDate(existing.lastUpdatePostDate);
  const b = comparableDate(incoming.lastUpdatePostDate);
  if (b !== null && (a === null || b > a)) return { action: "update", record: incoming };
  return { action: "unchanged", record: existing };
}

export interface MergeResult {
  readonly trials: TrialRecord[];
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
}

/**
 * Applies {@link newerWins} for each incoming record against a catalogue (also handling
 * the same NCT id appearing twice in one file). Returns the new catalogue sorted by NCT
 * id, so the result does not depend on input order.
 */
export function mergeTrials(existing: readonly TrialRecord[], incoming: readonly TrialRecord[]): MergeResult {
  const byId = new Map<string, TrialRecord>(existing.map((t) => [t.nctId, t]));
  let inserted = 0;
  let updated = 0;
  let unchanged = 0;
  for (const t of incoming) {
    const { action, record } = newerWins(byId.get(t.nctId), t);
    byId.set(t.nctId, record);
    if (action === "insert") inserted++;
    else if (action === "update") updated++;
    else unchanged++;
  }
  const trials = [...byId.values()].sort((x, y) => (x.nctId < y.nctId ? -1 : x.nctId > y.nctId ? 1 : 0));
  return { trials, inserted, updated, unchanged };
}
