/**
 * Trial matching: one patient against a local ClinicalTrials.gov catalogue.
 *
 * Every trial gets one reason per criterion, each with an outcome:
 *   status · condition · age · sex · distance · phase (phase is information only).
 * Verdict: any "fail" → not_eligible; otherwise any "review" → needs_review; otherwise
 * eligible. "Eligible" means "passes the registry's structured criteria" — the trial team
 * still checks the full eligibility criteria (stage, prior treatment, tests), which the
 * registry only has as free text. The wording in reasons says so where it matters.
 *
 * Pure and deterministic: the clock and time zone come in with the patient.
 */
import { ageOn, civilDateInZone, isValidTimeZone, parseIsoDate, type ExactAge } from "@/lib/trials/age";
import type { CancerType } from "@/lib/trials/cancer-types";
import { CANCER_TYPES } from "@/lib/trials/cancer-types";
import { matchCondition, type Outcome } from "@/lib/trials/condition";
import type { AgeLimit, AgeUnit, OverallStatus, Phase, TrialRecord, TrialSex, TrialSite } from "@/lib/trials/ctgov";
import { OPEN_STATUSES } from "@/lib/trials/ctgov";
import { isSiteOpen, isValidLatLon, kmToMiles, nearestSite, type LatLon } from "@/lib/trials/geo";

export type { Outcome } from "@/lib/trials/condition";

export type PatientSex = "female" | "male" | "other/unknown";

export interface PatientProfile {
  /** An id from `CANCER_TYPES`. */
  readonly cancerTypeId: string;
  /** Date of birth, "YYYY-MM-DD". */
  readonly dob: string;
  readonly sex: PatientSex;
  /** Where the patient would travel from (e.g. a ZIP centroid); null when not given. */
  readonly location: LatLon | null;
  /** How far the patient is willing to travel, in km (> 0). */
  readonly travelRadiusKm: number;
  /** Free-text stage, e.g. "III". Carried for the trial team; not matched (see docs). */
  readonly stage?: string | null;
  /** Whether the cancer has spread. Carried for the trial team; not matched (see docs). */
  readonly metastatic?: boolean | null;
  /** The instant of matching; ages are computed on this date in `timeZone`. */
  readonly now: Date;
  /** The patient's IANA time zone, e.g. "America/Los_Angeles". */
  readonly timeZone: string;
}

export type Criterion = "status" | "condition" | "age" | "sex" | "distance" | "phase";

export interface MatchReason {
  readonly criterion: Criterion;
  readonly outcome: Outcome;
  readonly text: string;
}

export type Verdict = "eligible" | "needs_review" | "not_eligible";

export interface TrialMatch {
  readonly nctId: string;
  readonly title: string;
  readonly verdict: Verdict;
  /** In criterion order: status, condition, age, sex, distance, phase. */
  readonly reasons: readonly MatchReason[];
  /** Straight-line km to the nearest open site with coordinates; null when unknown. */
  readonly distanceKm: number | null;
  /** That site; null when unknown. */
  readonly site: TrialSite | null;
}

export interface MatchOptions {
  /** The cancer-type list to resolve `cancerTypeId` against (tests; default CANCER_TYPES). */
  readonly cancerTypes?: readonly CancerType[];
}

/** Thrown for a patient profile that the intake should never have accepted. */
export class InvalidPatientError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidPatientError";
  }
}

interface PatientContext {
  readonly patient: PatientProfile;
  readonly type: CancerType;
  readonly age: ExactAge;
}

function prepare(patient: PatientProfile, opts: MatchOptions): PatientContext {
  const types = opts.cancerTypes ?? CANCER_TYPES;
  const type = types.find((t) => t.id === patient.cancerTypeId);
  if (type === undefined) throw new InvalidPatientError(`Unknown cancer type id "${patient.cancerTypeId}".`);
  const dob = parseIsoDate(patient.dob);
  if (dob === null) throw new InvalidPatientError(`Date of birth "${patient.dob}" is not a real YYYY-MM-DD date.`);
  if (!isValidTimeZone(patient.timeZone)) throw new InvalidPatientError(`Unknown time zone "${patient.timeZone}".`);
  if (Number.isNaN(patient.now.getTime())) throw new InvalidPatientError("`now` is not a valid date.");
  if (!(Number.isFinite(patient.travelRadiusKm) && patient.travelRadiusKm > 0)) {
    throw new InvalidPatientError(`Travel radius must be a positive number of km, got ${patient.travelRadiusKm}.`);
  }
  if (patient.location !== null && !isValidLatLon(patient.location)) {
    throw new InvalidPatientError("Location has invalid coordinates.");
  }
  const today = civilDateInZone(patient.now, patient.timeZone);
  let age: ExactAge;
  try {
    age = ageOn(dob, today);
  } catch {
    throw new InvalidPatientError(`Date of birth ${patient.dob} is after today's date in ${patient.timeZone}.`);
  }
  return { patient, type, age };
}

// ── status ──────────────────────────────────────────────────────────────────

const CLOSED_STATUS_TEXT: Readonly<Record<Exclude<OverallStatus, "RECRUITING" | "NOT_YET_RECRUITING" | "ENROLLING_BY_INVITATION">, string>> = {
  ACTIVE_NOT_RECRUITING: "The trial is still running but is no longer taking new participants.",
  COMPLETED: "The trial has finished and is not taking participants.",
  SUSPENDED: "The trial is paused and is not taking participants for now.",
  TERMINATED: "The trial was stopped early and is not taking participants.",
  WITHDRAWN: "The trial was withdrawn before it enrolled anyone.",
  AVAILABLE: "This is an expanded-access programme, not a trial you can join through this service.",
  NO_LONGER_AVAILABLE: "This expanded-access programme is no longer available.",
  TEMPORARILY_NOT_AVAILABLE: "This expanded-access programme is temporarily not available.",
  APPROVED_FOR_MARKETING: "The treatment is approved for use, so this expanded-access programme is closed.",
  WITHHELD: "The registry withholds this study's status, so we cannot tell whether it is recruiting.",
  UNKNOWN: "The trial's status has not been confirmed recently, so we cannot tell whether it is recruiting.",
};

function statusReason(status: OverallStatus): MatchReason {
  switch (status) {
    case "RECRUITING":
      return { criterion: "status", outcome: "pass", text: "The trial is recruiting now." };
    case "NOT_YET_RECRUITING":
      return {
        criterion: "status",
        outcome: "pass",
        text: "The trial has not started recruiting yet, but is expected to. You can ask to be contacted when it opens.",
      };
    case "ENROLLING_BY_INVITATION":
      return {
        criterion: "status",
        outcome: "review",
        text: "The trial only enrols people it invites; the trial team decides whether to invite you.",
      };
    default:
      return { criterion: "status", outcome: "fail", text: CLOSED_STATUS_TEXT[status] };
  }
}

// ── age ─────────────────────────────────────────────────────────────────────

const APPROX_UNIT_DAYS: Readonly<Record<AgeUnit, number>> = {
  years: 365.2425,
  months: 365.2425 / 12,
  weeks: 7,
  days: 1,
  hours: 1 / 24,
  minutes: 1 / 1440,
};

/**
 * Whole units of `unit` the patient has completed. Years and months are calendar units
 * (birthdays), so "18 Years" is met exactly on the 18th birthday. Hours and minutes use
 * whole days lived, since we do not know the time of birth (they only occur in neonatal
 * trials).
 */
function completed(age: ExactAge, unit: AgeUnit): number {
  switch (unit) {
    case "years":
      return Math.floor(age.totalMonths / 12);
    case "months":
      return age.totalMonths;
    case "weeks":
      return Math.floor(age.totalDays / 7);
    case "days":
      return age.totalDays;
    case "hours":
      return age.totalDays * 24;
    case "minutes":
      return age.totalDays * 1440;
  }
}

/** Fractional limits ("1.5 Years") are compared in the largest unit that makes them whole. */
function comparable(limit: AgeLimit): { unit: AgeUnit; value: number } {
  if (Number.isInteger(limit.value)) return { unit: limit.unit, value: limit.value };
  if (limit.unit === "years" && Number.isInteger(limit.value * 12)) return { unit: "months", value: limit.value * 12 };
  return { unit: "days", value: limit.value * APPROX_UNIT_DAYS[limit.unit] };
}

/** A trial's minimum age is met once the patient has completed that many units. */
export function meetsMinimumAge(age: ExactAge, limit: AgeLimit): boolean {
  const { unit, value } = comparable(limit);
  return completed(age, unit) >= value;
}

/** A maximum age includes everyone of that age: "65 Years" admits a 65-year-old up to the day before turning 66. */
export function meetsMaximumAge(age: ExactAge, limit: AgeLimit): boolean {
  const { unit, value } = comparable(limit);
  return completed(age, unit) <= value;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** "42 years old", "1 year and 3 months old", "7 months old", "12 days old". */
export function describeAge(age: ExactAge): string {
  if (age.years >= 2) return `${plural(age.years, "year")} old`;
  if (age.years === 1) return `${plural(1, "year")}${age.months > 0 ? ` and ${plural(age.months, "month")}` : ""} old`;
  if (age.totalMonths >= 1) return `${plural(age.totalMonths, "month")} old`;
  return `${plural(age.totalDays, "day")} old`;
}

function describeLimit(limit: AgeLimit): string {
  return plural(limit.value, limit.unit.replace(/s$/, ""));
}

function ageReason(age: ExactAge, min: AgeLimit | null, max: AgeLimit | null): MatchReason {
  const you = `You are ${describeAge(age)}`;
  const range =
    min && max
      ? `aged ${describeLimit(min)} to ${describeLimit(max)}`
      : min
        ? `aged ${describeLimit(min)} or older`
        : max
          ? `aged up to ${describeLimit(max)}`
          : "of any age";
  if (min === null && max === null) {
    return { criterion: "age", outcome: "pass", text: "The trial has no age limits." };
  }
  if (min !== null && !meetsMinimumAge(age, min)) {
    return { criterion: "age", outcome: "fail", text: `${you}; the trial takes people ${range}, so you are too young for it.` };
  }
  if (max !== null && !meetsMaximumAge(age, max)) {
    return { criterion: "age", outcome: "fail", text: `${you}; the trial takes people ${range}, so you are over its age limit.` };
  }
  return { criterion: "age", outcome: "pass", text: `${you}; the trial takes people ${range}.` };
}

// ── sex ─────────────────────────────────────────────────────────────────────

function sexReason(trialSex: TrialSex | null, patientSex: PatientSex): MatchReason {
  if (trialSex === null || trialSex === "ALL") {
    return { criterion: "sex", outcome: "pass", text: "The trial is open to people of any sex." };
  }
  const wanted = trialSex === "FEMALE" ? "female" : "male";
  if (patientSex === "other/unknown") {
    return {
      criterion: "sex",
      outcome: "review",
      text: `The trial is for ${wanted} participants only; the trial team will check whether it applies to you.`,
    };
  }
  return patientSex === wanted
    ? { criterion: "sex", outcome: "pass", text: `The trial is for ${wanted} participants, which includes you.` }
    : { criterion: "sex", outcome: "fail", text: `The trial is for ${wanted} participants only.` };
}

// ── distance ────────────────────────────────────────────────────────────────

function formatKm(km: number): string {
  const round = (x: number): string => (x < 10 ? x.toFixed(1) : String(Math.round(x)));
  return `${round(km)} km (${round(kmToMiles(km))} miles)`;
}

function describeSite(site: TrialSite): string {
  const place = [site.city, site.state].filter((s): s is string => s !== null).join(", ");
  if (site.facility !== null && place !== "") return `${site.facility}, ${place}`;
  return site.facility ?? (place !== "" ? place : "an unnamed site");
}

interface DistanceResult {
  readonly reason: MatchReason;
  readonly distanceKm: number | null;
  readonly site: TrialSite | null;
}

function distanceResult(trial: TrialRecord, from: LatLon | null, radiusKm: number): DistanceResult {
  const open = trial.sites.filter((s) => isSiteOpen(s, trial.status));
  const radius = `your ${formatKm(radiusKm)} travel limit`;
  if (open.length === 0) {
    // An open trial that lists no sites yet may still add one near the patient; a trial
    // whose listed sites are all closed cannot take anyone.
    const reason: MatchReason =
      trial.sites.length === 0 && OPEN_STATUSES.has(trial.status)
        ? { criterion: "distance", outcome: "review", text: "The trial does not list any sites yet, so we could not check the distance." }
        : trial.sites.length === 0
          ? { criterion: "distance", outcome: "fail", text: "The trial lists no sites." }
          : { criterion: "distance", outcome: "fail", text: "None of the trial's sites is taking new participants." };
    return { reason, distanceKm: null, site: null };
  }
  if (from === null) {
    return {
      reason: {
        criterion: "distance",
        outcome: "review",
        text: `We do not know where you are, so we could not check the distance to the trial's ${plural(open.length, "open site")}.`,
      },
      distanceKm: null,
      site: null,
    };
  }
  const nearest = nearestSite(from, open);
  const unlocated = open.filter((s) => s.lat === null || s.lon === null).length;
  if (nearest === null) {
    return {
      reason: {
        criterion: "distance",
        outcome: "review",
        text: `The trial's open sites have no map location, so we could not check the distance.`,
      },
      distanceKm: null,
      site: null,
    };
  }
  const where = `The nearest open site is ${describeSite(nearest.site)}, about ${formatKm(nearest.distanceKm)} away in a straight line`;
  if (nearest.distanceKm <= radiusKm) {
    return {
      reason: { criterion: "distance", outcome: "pass", text: `${where}, within ${radius}.` },
      distanceKm: nearest.distanceKm,
      site: nearest.site,
    };
  }
  if (unlocated > 0) {
    return {
      reason: {
        criterion: "distance",
        outcome: "review",
        text: `${where}, beyond ${radius}; ${plural(unlocated, "other open site")} ${unlocated === 1 ? "has" : "have"} no map location and may be closer.`,
      },
      distanceKm: nearest.distanceKm,
      site: nearest.site,
    };
  }
  return {
    reason: { criterion: "distance", outcome: "fail", text: `${where}, beyond ${radius}.` },
    distanceKm: nearest.distanceKm,
    site: nearest.site,
  };
}

// ── phase (information only) ────────────────────────────────────────────────

const PHASE_TEXT: Readonly<Record<Phase, string>> = {
  EARLY_PHASE1: "Early phase 1 (a first, very small study in people)",
  PHASE1: "Phase 1 (tests safety and the right dose)",
  PHASE2: "Phase 2 (tests whether the treatment works and its side effects)",
  PHASE3: "Phase 3 (compares the new treatment with the usual treatment)",
  PHASE4: "Phase 4 (studies a treatment that is already approved)",
  NA: "Phase does not apply (not a drug trial)",
};

function phaseReason(phases: readonly Phase[]): MatchReason {
  const described = phases.length === 0 ? "The registry does not give a phase" : phases.map((p) => PHASE_TEXT[p]).join(" and ");
  return {
    criterion: "phase",
    outcome: "pass",
    text: `${described}. For information only; it does not affect the match.`,
  };
}

// ── putting it together ─────────────────────────────────────────────────────

function verdictOf(reasons: readonly MatchReason[]): Verdict {
  if (reasons.some((r) => r.outcome === "fail")) return "not_eligible";
  if (reasons.some((r) => r.outcome === "review")) return "needs_review";
  return "eligible";
}

function matchWithContext(ctx: PatientContext, trial: TrialRecord): TrialMatch {
  const { patient, type, age } = ctx;
  const condition = matchCondition(type, trial);
  const distance = distanceResult(trial, patient.location, patient.travelRadiusKm);
  const reasons: MatchReason[] = [
    statusReason(trial.status),
    { criterion: "condition", outcome: condition.outcome, text: condition.text },
    ageReason(age, trial.minAge, trial.maxAge),
    sexReason(trial.sex, patient.sex),
    distance.reason,
    phaseReason(trial.phases),
  ];
  return {
    nctId: trial.nctId,
    title: trial.title,
    verdict: verdictOf(reasons),
    reasons,
    distanceKm: distance.distanceKm,
    site: distance.site,
  };
}

/**
 * Matches one patient against one trial.
 * @throws InvalidPatientError for a profile the intake should have rejected.
 */
export function matchTrial(patient: PatientProfile, trial: TrialRecord, opts: MatchOptions = {}): TrialMatch {
  return matchWithContext(prepare(patient, opts), trial);
}

const VERDICT_RANK: Readonly<Record<Verdict, number>> = { eligible: 0, needs_review: 1, not_eligible: 2 };

/** Eligible first, then needs review, then not eligible; within each, nearest first
 *  (unknown distance last), then by NCT id so the order is fully deterministic. */
export function compareMatches(a: TrialMatch, b: TrialMatch): number {
  const byVerdict = VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict];
  if (byVerdict !== 0) return byVerdict;
  if (a.distanceKm !== b.distanceKm) {
    if (a.distanceKm === null) return 1;
    if (b.distanceKm === null) return -1;
    return a.distanceKm - b.distanceKm;
  }
  return a.nctId < b.nctId ? -1 : a.nctId > b.nctId ? 1 : 0;
}

/**
 * Matches one patient against every trial and sorts the results ({@link compareMatches}).
 * @throws InvalidPatientError for a profile the intake should have rejected.
 */
export function matchAll(patient: PatientProfile, trials: readonly TrialRecord[], opts: MatchOptions = {}): TrialMatch[] {
  const ctx = prepare(patient, opts);
  return trials.map((t) => matchWithContext(ctx, t)).sort(compareMatches);
}
