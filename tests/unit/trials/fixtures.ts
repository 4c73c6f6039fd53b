/**
 * Builders for trial-matching tests: a raw API v2 study (for parser tests) and a
 * normalised TrialRecord / PatientProfile with overridable defaults (for matcher tests).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { TrialRecord, TrialSite } from "@/lib/trials/ctgov";
import { parseAge, parseStudiesFile } from "@/lib/trials/ctgov";
import type { PatientProfile } from "@/lib/trials/match";

export const SAMPLE_FILE = fileURLToPath(new URL("../../../data/trials/sample-studies.json", import.meta.url));

export function loadSampleJson(): unknown {
  return JSON.parse(readFileSync(SAMPLE_FILE, "utf8")) as unknown;
}

export function loadSampleTrials(): TrialRecord[] {
  const { trials, errors } = parseStudiesFile(loadSampleJson());
  if (errors.length > 0) throw new Error(`sample catalogue has errors: ${JSON.stringify(errors)}`);
  return trials;
}

/** A minimal valid raw study; `patch` is merged into protocolSection modules. */
export function rawStudy(nctId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    protocolSection: {
      identificationModule: { nctId, briefTitle: `Study ${nctId}` },
      statusModule: { overallStatus: "RECRUITING", lastUpdatePostDateStruct: { date: "2026-01-01", type: "ACTUAL" } },
      conditionsModule: { conditions: ["Breast Cancer"] },
      eligibilityModule: { sex: "ALL", minimumAge: "18 Years" },
      ...extra,
    },
  };
}

export const BOSTON = { lat: 42.35843, lon: -71.05977 } as const;
export const NEW_YORK = { lat: 40.71427, lon: -74.00597 } as const;
export const LOS_ANGELES = { lat: 34.05223, lon: -118.24368 } as const;

export function site(overrides: Partial<TrialSite> = {}): TrialSite {
  return {
    facility: "Test Site",
    status: "RECRUITING",
    city: "Boston",
    state: "Massachusetts",
    zip: "02115",
    country: "United States",
    lat: BOSTON.lat,
    lon: BOSTON.lon,
    ...overrides,
  };
}

/** A recruiting, all-comers breast-cancer trial in Boston with no upper age limit. */
export function trial(overrides: Partial<TrialRecord> = {}): TrialRecord {
  const minAge = parseAge("18 Years");
  return {
    nctId: "NCT09999001",
    title: "Test trial",
    officialTitle: null,
    status: "RECRUITING",
    phases: ["PHASE2"],
    conditions: ["Breast Cancer"],
    keywords: [],
    meshes: [{ id: "D001943", term: "Breast Neoplasms" }],
    ancestors: [
      { id: "D009371", term: "Neoplasms by Site" },
      { id: "D009369", term: "Neoplasms" },
    ],
    meshIds: ["D001943"],
    ancestorMeshIds: ["D009371", "D009369"],
    minAge,
    maxAge: null,
    minAgeDays: 18 * 365.2425,
    maxAgeDays: null,
    sex: "ALL",
    healthyVolunteers: false,
    eligibilityCriteria: null,
    sites: [site()],
    lastUpdatePostDate: "2026-01-01",
    ...overrides,
  };
}

/** Sets meshes and ancestors together so the id lists stay consistent. */
export function withMesh(
  meshes: readonly { id: string; term: string }[],
  ancestors: readonly { id: string; term: string }[] = [],
): Pick<TrialRecord, "meshes" | "ancestors" | "meshIds" | "ancestorMeshIds"> {
  return { meshes, ancestors, meshIds: meshes.map((m) => m.id), ancestorMeshIds: ancestors.map((m) => m.id) };
}

/** A 40-year-old woman with breast cancer in Boston, willing to travel 100 km. */
export function patient(overrides: Partial<PatientProfile> = {}): PatientProfile {
  return {
    cancerTypeId: "breast",
    dob: "1985-06-15",
    sex: "female",
    location: BOSTON,
    travelRadiusKm: 100,
    stage: null,
    metastatic: null,
    now: new Date("2026-03-01T17:00:00Z"),
    timeZone: "America/New_York",
    ...overrides,
  };
}
