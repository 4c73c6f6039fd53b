import { describe, expect, it } from "vitest";
import { OVERALL_STATUSES, parseAge, type OverallStatus } from "@/lib/trials/ctgov";
import {
  compareMatches,
  describeAge,
  InvalidPatientError,
  matchAll,
  matchTrial,
  type Criterion,
  type PatientProfile,
  type TrialMatch,
} from "@/lib/trials/match";
import { ageOn, parseIsoDate } from "@/lib/trials/age";
import { BOSTON, LOS_ANGELES, NEW_YORK, loadSampleTrials, patient, site, trial } from "./fixtures";

function reason(m: TrialMatch, criterion: Criterion) {
  const r = m.reasons.find((x) => x.criterion === criterion);
  if (r === undefined) throw new Error(`no ${criterion} reason`);
  return r;
}

/** `now` at local noon in New York (UTC-5 in winter, UTC-4 from mid-March) on a date. */
const noonNY = (isoDate: string): Date => new Date(`${isoDate}T17:00:00Z`);

describe("age limits", () => {
  const adults = trial({ minAge: parseAge("18 Years"), maxAge: null });

  it("fails the day before the 18th birthday and passes on the day", () => {
    const p = { dob: "2008-03-01" };
    const before = matchTrial(patient({ ...p, now: noonNY("2026-02-28") }), adults);
    expect(reason(before, "age")).toMatchObject({ outcome: "fail" });
    expect(reason(before, "age").text).toContain("You are 17 years old");
    expect(before.verdict).toBe("not_eligible");
    const on = matchTrial(patient({ ...p, now: noonNY("2026-03-01") }), adults);
    expect(reason(on, "age")).toMatchObject({ outcome: "pass" });
    expect(on.verdict).toBe("eligible");
  });

  it("uses the patient's date: 18 already in Tokyo, still 17 in Los Angeles", () => {
    const now = new Date("2025-03-15T16:00:00Z"); // 01:00 on 16 March in Tokyo, 09:00 on 15 March in LA
    const p = { dob: "2007-03-16", now, travelRadiusKm: 20000 };
    expect(reason(matchTrial(patient({ ...p, timeZone: "Asia/Tokyo" }), adults), "age").outcome).toBe("pass");
    expect(reason(matchTrial(patient({ ...p, timeZone: "America/Los_Angeles" }), adults), "age").outcome).toBe("fail");
  });

  it("treats 1 March as the 18th birthday of someone born on 29 February", () => {
    const p = { dob: "2008-02-29" };
    expect(reason(matchTrial(patient({ ...p, now: noonNY("2026-02-28") }), adults), "age").outcome).toBe("fail");
    expect(reason(matchTrial(patient({ ...p, now: noonNY("2026-03-01") }), adults), "age").outcome).toBe("pass");
  });

  it("counts '6 Months' in calendar months", () => {
    const infants = trial({ minAge: parseAge("6 Months"), maxAge: parseAge("21 Years") });
    const p = { dob: "2025-09-01" };
    const five = matchTrial(patient({ ...p, now: noonNY("2026-02-28") }), infants);
    expect(reason(five, "age")).toMatchObject({ outcome: "fail" });
    expect(reason(five, "age").text).toContain("5 months old");
    expect(reason(five, "age").text).toContain("6 months to 21 years");
    expect(reason(matchTrial(patient({ ...p, now: noonNY("2026-03-01") }), infants), "age").outcome).toBe("pass");
  });

  it("includes the whole year of the maximum age", () => {
    const young = trial({ minAge: parseAge("2 Years"), maxAge: parseAge("21 Years") });
    const p = { dob: "2005-03-01" };
    expect(reason(matchTrial(patient({ ...p, now: noonNY("2026-03-01") }), young), "age").outcome).toBe("pass"); // turns 21
    expect(reason(matchTrial(patient({ ...p, now: noonNY("2027-02-28") }), young), "age").outcome).toBe("pass"); // 21, last day
    const over = matchTrial(patient({ ...p, now: noonNY("2027-03-01") }), young); // turns 22
    expect(reason(over, "age")).toMatchObject({ outcome: "fail" });
    expect(reason(over, "age").text).toContain("over its age limit");
  });

  it("treats a missing maximum (or minimum) as no limit", () => {
    expect(reason(matchTrial(patient({ dob: "1926-03-02" }), adults), "age").outcome).toBe("pass"); // 99
    const none = matchTrial(patient(), trial({ minAge: null, maxAge: null }));
    expect(reason(none, "age")).toEqual({ criterion: "age", outcome: "pass", text: "The trial has no age limits." });
    const upTo = matchTrial(patient({ dob: "2026-01-01" }), trial({ minAge: null, maxAge: parseAge("18 Months") }));
    expect(reason(upTo, "age").text).toContain("up to 18 months");
  });

  it("handles weeks, days, hours and fractional years", () => {
    const p = (dob: string) => patient({ dob, now: noonNY("2026-03-01") });
    const weeks = trial({ minAge: parseAge("12 Weeks"), maxAge: null });
    expect(reason(matchTrial(p("2025-12-07"), weeks), "age").outcome).toBe("pass"); // 84 days
    expect(reason(matchTrial(p("2025-12-08"), weeks), "age").outcome).toBe("fail"); // 83 days
    const days = trial({ minAge: null, maxAge: parseAge("28 Days") });
    expect(reason(matchTrial(p("2026-02-01"), days), "age").outcome).toBe("pass"); // day 28
    expect(reason(matchTrial(p("2026-01-31"), days), "age").outcome).toBe("fail"); // day 29
    const hours = trial({ minAge: parseAge("24 Hours"), maxAge: null });
    expect(reason(matchTrial(p("2026-03-01"), hours), "age").outcome).toBe("fail");
    expect(reason(matchTrial(p("2026-02-28"), hours), "age").outcome).toBe("pass");
    const eighteenMonths = trial({ minAge: parseAge("1.5 Years"), maxAge: null });
    expect(reason(matchTrial(p("2024-09-01"), eighteenMonths), "age").outcome).toBe("pass");
    expect(reason(matchTrial(p("2024-09-02"), eighteenMonths), "age").outcome).toBe("fail");
  });

  it("describes ages in plain words", () => {
    const age = (dob: string, on: string) => {
      const a = parseIsoDate(dob);
      const b = parseIsoDate(on);
      if (!a || !b) throw new Error("bad date");
      return describeAge(ageOn(a, b));
    };
    expect(age("1985-06-15", "2026-03-01")).toBe("40 years old");
    expect(age("2025-01-01", "2026-03-01")).toBe("1 year and 2 months old");
    expect(age("2025-03-01", "2026-03-01")).toBe("1 year old");
    expect(age("2025-09-01", "2026-03-01")).toBe("6 months old");
    expect(age("2026-02-20", "2026-03-01")).toBe("9 days old");
  });
});

describe("sex", () => {
  const women = trial({ sex: "FEMALE" });
  const men = trial({ sex: "MALE" });

  it("passes a matching sex and fails the other", () => {
    expect(reason(matchTrial(patient({ sex: "female" }), women), "sex").outcome).toBe("pass");
    expect(reason(matchTrial(patient({ sex: "male" }), women), "sex")).toMatchObject({
      outcome: "fail",
      text: "The trial is for female participants only.",
    });
    expect(reason(matchTrial(patient({ sex: "male" }), men), "sex").outcome).toBe("pass");
    expect(reason(matchTrial(patient({ sex: "female" }), men), "sex").outcome).toBe("fail");
  });

  it("asks for review when the patient's sex is other or unknown", () => {
    const m = matchTrial(patient({ sex: "other/unknown" }), women);
    expect(reason(m, "sex").outcome).toBe("review");
    expect(m.verdict).toBe("needs_review");
  });

  it("passes everyone when the trial is open to all or says nothing", () => {
    for (const sex of ["female", "male", "other/unknown"] as const) {
      expect(reason(matchTrial(patient({ sex }), trial({ sex: "ALL" })), "sex").outcome).toBe("pass");
      expect(reason(matchTrial(patient({ sex }), trial({ sex: null })), "sex").outcome).toBe("pass");
    }
  });
});

describe("recruiting status", () => {
  it("takes only recruiting, not-yet-recruiting and by-invitation trials", () => {
    const expected: Partial<Record<OverallStatus, string>> = {
      RECRUITING: "pass",
      NOT_YET_RECRUITING: "pass",
      ENROLLING_BY_INVITATION: "review",
    };
    for (const status of OVERALL_STATUSES) {
      const m = matchTrial(patient(), trial({ status }));
      expect(reason(m, "status").outcome, status).toBe(expected[status] ?? "fail");
      expect(m.verdict, status).toBe(
        expected[status] === "pass" ? "eligible" : expected[status] === "review" ? "needs_review" : "not_eligible",
      );
    }
  });

  it("explains a closed trial in plain words", () => {
    expect(reason(matchTrial(patient(), trial({ status: "COMPLETED" })), "status").text).toBe(
      "The trial has finished and is not taking participants.",
    );
  });
});

describe("distance", () => {
  it("passes within the travel radius and reports the nearest open site", () => {
    const ny = site({ facility: "NY site", city: "New York", state: "New York", lat: NEW_YORK.lat, lon: NEW_YORK.lon });
    const la = site({ facility: "LA site", city: "Los Angeles", state: "California", lat: LOS_ANGELES.lat, lon: LOS_ANGELES.lon });
    const m = matchTrial(patient({ location: BOSTON, travelRadiusKm: 400 }), trial({ sites: [la, ny] }));
    expect(reason(m, "distance").outcome).toBe("pass");
    expect(m.site?.facility).toBe("NY site");
    expect(m.distanceKm).toBeGreaterThan(300);
    expect(m.distanceKm).toBeLessThan(310);
    expect(reason(m, "distance").text).toContain("NY site, New York, New York");
    expect(reason(m, "distance").text).toMatch(/about 30\d km \(19\d miles\)/);
  });

  it("fails beyond the radius, and the boundary itself counts as within", () => {
    const ny = site({ lat: NEW_YORK.lat, lon: NEW_YORK.lon });
    const far = matchTrial(patient({ location: BOSTON, travelRadiusKm: 100 }), trial({ sites: [ny] }));
    expect(reason(far, "distance").outcome).toBe("fail");
    expect(far.verdict).toBe("not_eligible");
    expect(far.distanceKm).not.toBeNull();
    const exact = far.distanceKm ?? 0;
    expect(reason(matchTrial(patient({ location: BOSTON, travelRadiusKm: exact }), trial({ sites: [ny] })), "distance").outcome).toBe(
      "pass",
    );
  });

  it("ignores sites that are not recruiting", () => {
    const closedHere = site({ facility: "Closed Boston", status: "COMPLETED" });
    const openFar = site({ facility: "Open LA", lat: LOS_ANGELES.lat, lon: LOS_ANGELES.lon });
    const m = matchTrial(patient({ travelRadiusKm: 50 }), trial({ sites: [closedHere, openFar] }));
    expect(m.site?.facility).toBe("Open LA");
    expect(reason(m, "distance").outcome).toBe("fail");
    const allClosed = matchTrial(patient(), trial({ sites: [closedHere] }));
    expect(reason(allClosed, "distance")).toMatchObject({ outcome: "fail", text: "None of the trial's sites is taking new participants." });
  });

  it("asks for review when the patient gave no location", () => {
    const m = matchTrial(patient({ location: null }), trial());
    expect(reason(m, "distance").outcome).toBe("review");
    expect(m.distanceKm).toBeNull();
    expect(m.verdict).toBe("needs_review");
  });

  it("asks for review when the open sites have no coordinates", () => {
    const m = matchTrial(patient(), trial({ sites: [site({ lat: null, lon: null })] }));
    expect(reason(m, "distance").outcome).toBe("review");
    expect(m.site).toBeNull();
  });

  it("asks for review when the only located site is too far but others have no coordinates", () => {
    const m = matchTrial(
      patient({ travelRadiusKm: 50 }),
      trial({ sites: [site({ lat: LOS_ANGELES.lat, lon: LOS_ANGELES.lon }), site({ lat: null, lon: null })] }),
    );
    expect(reason(m, "distance").outcome).toBe("review");
    expect(reason(m, "distance").text).toContain("1 other open site has no map location");
  });

  it("asks for review when an open trial lists no sites yet", () => {
    expect(reason(matchTrial(patient(), trial({ sites: [] })), "distance").outcome).toBe("review");
  });
});

describe("verdicts, reasons and phase", () => {
  it("gives one reason per criterion, in a fixed order", () => {
    const m = matchTrial(patient(), trial());
    expect(m.reasons.map((r) => r.criterion)).toEqual(["status", "condition", "age", "sex", "distance", "phase"]);
    expect(m).toMatchObject({ nctId: "NCT09999001", title: "Test trial", verdict: "eligible" });
    for (const r of m.reasons) expect(r.text.length).toBeGreaterThan(10);
  });

  it("treats phase as information only", () => {
    const m = matchTrial(patient(), trial({ phases: ["PHASE1", "PHASE2"] }));
    expect(reason(m, "phase")).toMatchObject({ outcome: "pass" });
    expect(reason(m, "phase").text).toContain("Phase 1");
    expect(reason(m, "phase").text).toContain("does not affect the match");
  });

  it("a fail outweighs a review", () => {
    const m = matchTrial(patient({ sex: "other/unknown", cancerTypeId: "melanoma" }), trial({ sex: "FEMALE" }));
    expect(m.reasons.map((r) => r.outcome)).toContain("review");
    expect(m.verdict).toBe("not_eligible");
  });

  it("rejects a patient profile the intake should never have accepted", () => {
    const bad: Partial<PatientProfile>[] = [
      { cancerTypeId: "nope" },
      { dob: "2023-02-30" },
      { dob: "2030-01-01" },
      { timeZone: "Nowhere/Special" },
      { travelRadiusKm: 0 },
      { travelRadiusKm: Number.NaN },
      { location: { lat: 200, lon: 0 } },
      { now: new Date(Number.NaN) },
    ];
    for (const b of bad) expect(() => matchTrial(patient(b), trial()), JSON.stringify(b)).toThrow(InvalidPatientError);
  });
});

describe("matchAll on the sample catalogue", () => {
  const trials = loadSampleTrials();
  const nyPatient = (overrides: Partial<PatientProfile> = {}): PatientProfile =>
    patient({ location: NEW_YORK, travelRadiusKm: 1500, dob: "1970-05-01", now: noonNY("2026-03-01"), ...overrides });

  it("sorts eligible, then needs review, then not eligible; nearest first; unknown distance last", () => {
    const results = matchAll(nyPatient({ cancerTypeId: "lung-unspecified", sex: "other/unknown" }), trials);
    expect(results).toHaveLength(trials.length);
    const rank = { eligible: 0, needs_review: 1, not_eligible: 2 } as const;
    for (let i = 1; i < results.length; i++) {
      const a = results[i - 1];
      const b = results[i];
      if (!a || !b) continue;
      expect(rank[a.verdict]).toBeLessThanOrEqual(rank[b.verdict]);
      if (a.verdict === b.verdict) {
        if (a.distanceKm === null) expect(b.distanceKm).toBeNull();
        else if (b.distanceKm !== null) expect(a.distanceKm).toBeLessThanOrEqual(b.distanceKm);
      }
      expect(compareMatches(a, b)).toBeLessThanOrEqual(0);
    }
    expect(results[0]?.nctId).toBe("NCT09000104"); // Lung Neoplasms, Philadelphia
  });

  it("finds the expected trials for an NSCLC patient in New York", () => {
    const results = matchAll(nyPatient({ cancerTypeId: "lung-nsclc", sex: "male" }), trials);
    const eligible = results.filter((r) => r.verdict === "eligible").map((r) => r.nctId);
    expect(eligible).toEqual(["NCT09000104", "NCT09000103"]);
    const nsclc = results.find((r) => r.nctId === "NCT09000103");
    // The Miami site is COMPLETED; the nearest open one is Chicago.
    expect(nsclc?.site?.city).toBe("Chicago");
    expect(reason(results.find((r) => r.nctId === "NCT09000104") as TrialMatch, "condition").text).toContain("Broader match");
  });

  it("sends a blood-cancer patient nowhere near the solid-tumour basket trial", () => {
    const results = matchAll(nyPatient({ cancerTypeId: "lymphoma-dlbcl", travelRadiusKm: 5000 }), trials);
    const basket = results.find((r) => r.nctId === "NCT09000105");
    expect(basket?.verdict).toBe("not_eligible");
    expect(results[0]).toMatchObject({ nctId: "NCT09000112", verdict: "eligible" });
  });

  it("matches a text-only trial by synonym", () => {
    const results = matchAll(nyPatient({ cancerTypeId: "liver-hcc", travelRadiusKm: 5000 }), trials);
    const hcc = results.find((r) => r.nctId === "NCT09000117");
    expect(hcc?.verdict).toBe("eligible");
    expect(reason(hcc as TrialMatch, "condition").text).toContain("Name match");
  });

  it("is deterministic and does not depend on catalogue order", () => {
    const p = nyPatient({ cancerTypeId: "melanoma" });
    expect(matchAll(p, [...trials].reverse())).toEqual(matchAll(p, trials));
  });
});
