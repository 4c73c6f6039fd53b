import "server-only";
/**
 * Reads the local trial catalogue for matching, and matches a stored intake against it.
 */
import type { Db } from "@/db";
import { trials } from "@/db/schema";
import { ctgovStudySchema, normaliseStudy, type TrialRecord, type TrialSite } from "@/lib/trials/ctgov";
import { matchAll, type MatchReason, type PatientProfile, type Verdict } from "@/lib/trials/match";
import type { PatientSex } from "@/lib/trials/match";

/**
 * Every study in the catalogue, normalised. Stored studies were valid when imported; one
 * that no longer parses (after a parser change) is skipped and logged by NCT id only.
 */
export async function loadCatalogue(db: Db): Promise<TrialRecord[]> {
  const rows = await db.select({ nctId: trials.nctId, study: trials.study }).from(trials);
  const out: TrialRecord[] = [];
  for (const row of rows) {
    const parsed = ctgovStudySchema.safeParse(row.study);
    const normalised = parsed.success ? normaliseStudy(parsed.data) : null;
    if (normalised?.ok) out.push(normalised.trial);
    else console.warn(`[trials] catalogue study ${row.nctId} no longer parses; skipped`);
  }
  return out;
}

/** The columns of a stored intake that matching reads. */
export interface MatchableIntake {
  readonly cancerTypeId: string;
  readonly dateOfBirth: string;
  readonly sex: string;
  readonly latitude: number | null;
  readonly longitude: number | null;
  readonly travelKm: number | null;
  readonly timeZone: string;
}

/** What the API returns per trial (the shape promised in the issue). */
export interface MatchView {
  readonly nctId: string;
  readonly title: string;
  readonly verdict: Verdict;
  readonly reasons: readonly MatchReason[];
  /** Straight-line km to the nearest open site, one decimal; null when unknown. */
  readonly distanceKm: number | null;
  readonly site: Omit<TrialSite, "lat" | "lon"> | null;
}

function patientSex(sex: string): PatientSex {
  return sex === "female" || sex === "male" ? sex : "other/unknown";
}

/** Matches a stored intake against `catalogue` at `now` (ages on the intake's calendar). */
export function matchIntake(intake: MatchableIntake, catalogue: readonly TrialRecord[], now: Date, extra: Pick<PatientProfile, "stage" | "metastatic"> = {}): MatchView[] {
  const profile: PatientProfile = {
    cancerTypeId: intake.cancerTypeId,
    dob: intake.dateOfBirth,
    sex: patientSex(intake.sex),
    location: intake.latitude !== null && intake.longitude !== null ? { lat: intake.latitude, lon: intake.longitude } : null,
    // travelKm is always set by the intake; the fallback only guards older rows.
    travelRadiusKm: intake.travelKm !== null && intake.travelKm > 0 ? intake.travelKm : 80,
    now,
    timeZone: intake.timeZone,
    ...extra,
  };
  return matchAll(profile, catalogue).map((m) => ({
    nctId: m.nctId,
    title: m.title,
    verdict: m.verdict,
    reasons: m.reasons,
    distanceKm: m.distanceKm === null ? null : Math.round(m.distanceKm * 10) / 10,
    site:
      m.site === null
        ? null
        : { facility: m.site.facility, status: m.site.status, city: m.site.city, state: m.site.state, zip: m.site.zip, country: m.site.country },
  }));
}

/**
 * The sample catalogue uses NCT ids 09000101–09000117, deliberately outside the range
 * ClinicalTrials.gov has issued, so the UI can label them as not real.
 */
export function isSampleTrial(nctId: string): boolean {
  return /^NCT090001\d\d$/.test(nctId);
}
