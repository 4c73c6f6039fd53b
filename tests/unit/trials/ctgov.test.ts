import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AgeFormatError,
  mergeTrials,
  newerWins,
  OPEN_STATUSES,
  parseAge,
  parseStudiesFile,
  type AgeUnit,
} from "@/lib/trials/ctgov";
import { loadSampleJson, loadSampleTrials, rawStudy, trial } from "./fixtures";

describe("parseAge", () => {
  it("reads every unit, singular or plural, any case", () => {
    expect(parseAge("6 Months")).toEqual({ value: 6, unit: "months", text: "6 Months" });
    expect(parseAge("1 Month")).toMatchObject({ value: 1, unit: "months" });
    expect(parseAge("18 Years")).toMatchObject({ value: 18, unit: "years" });
    expect(parseAge("1 year")).toMatchObject({ value: 1, unit: "years" });
    expect(parseAge("12 Weeks")).toMatchObject({ value: 12, unit: "weeks" });
    expect(parseAge("28 Days")).toMatchObject({ value: 28, unit: "days" });
    expect(parseAge("24 Hours")).toMatchObject({ value: 24, unit: "hours" });
    expect(parseAge("30 Minutes")).toMatchObject({ value: 30, unit: "minutes" });
    expect(parseAge(" 65  YEARS ")).toMatchObject({ value: 65, unit: "years" });
    expect(parseAge("1.5 Years")).toMatchObject({ value: 1.5, unit: "years" });
  });

  it("treats missing, empty and N/A as no limit", () => {
    expect(parseAge(undefined)).toBeNull();
    expect(parseAge(null)).toBeNull();
    expect(parseAge("")).toBeNull();
    expect(parseAge("N/A")).toBeNull();
    expect(parseAge("n/a")).toBeNull();
  });

  it("throws a typed error for anything else", () => {
    for (const bad of ["eighteen years", "18", "Years", "18 Decades", "-1 Years", "18 Years old"]) {
      expect(() => parseAge(bad), bad).toThrow(AgeFormatError);
    }
  });

  it("round-trips any count and unit (property)", () => {
    const units = ["Year", "Month", "Week", "Day", "Hour", "Minute"] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.constantFrom(...units), fc.boolean(), (n, unit, pluralise) => {
        const text = `${n} ${unit}${pluralise ? "s" : ""}`;
        expect(parseAge(text)).toEqual({ value: n, unit: `${unit.toLowerCase()}s` as AgeUnit, text });
      }),
    );
  });
});

describe("parseStudiesFile", () => {
  it("parses the whole sample catalogue with no errors", () => {
    const { trials, errors } = parseStudiesFile(loadSampleJson());
    expect(errors).toEqual([]);
    expect(trials).toHaveLength(17);
    expect(new Set(trials.map((t) => t.nctId)).size).toBe(trials.length);
  });

  it("covers the statuses, units and shapes the matcher must handle", () => {
    const trials = loadSampleTrials();
    const statuses = new Set(trials.map((t) => t.status));
    for (const s of ["RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION", "COMPLETED", "ACTIVE_NOT_RECRUITING"] as const) {
      expect(statuses.has(s), s).toBe(true);
    }
    expect(trials.some((t) => t.minAge?.unit === "months")).toBe(true);
    expect(trials.some((t) => t.maxAge === null)).toBe(true);
    expect(trials.some((t) => t.sex === "FEMALE") && trials.some((t) => t.sex === "MALE")).toBe(true);
    expect(trials.some((t) => t.meshes.length === 0)).toBe(true); // text-only conditions
    expect(trials.some((t) => t.sites.some((s) => s.lat === null))).toBe(true);
  });

  it("normalises a study into a flat record", () => {
    const t = loadSampleTrials().find((x) => x.nctId === "NCT09000107");
    expect(t).toBeDefined();
    if (!t) return;
    expect(t.title).toBe("Targeted Therapy for Children and Young Adults With Recurrent High-Grade Glioma");
    expect(t.status).toBe("RECRUITING");
    expect(t.phases).toEqual(["PHASE1"]);
    expect(t.minAge).toMatchObject({ value: 6, unit: "months" });
    expect(t.maxAge).toMatchObject({ value: 21, unit: "years" });
    expect(t.minAgeDays).toBeCloseTo(182.6, 1);
    expect(t.maxAgeDays).toBeCloseTo(7670.1, 1);
    expect(t.meshIds).toEqual(["D005910", "D001932"]);
    expect(t.ancestorMeshIds).toContain("D009369");
    expect(t.sites[0]).toMatchObject({ city: "Philadelphia", status: "RECRUITING", lat: 39.95233, lon: -75.16379 });
    expect(t.lastUpdatePostDate).toBe("2026-02-11");
  });

  it("accepts the file as JSON text too", () => {
    const { trials, errors } = parseStudiesFile(JSON.stringify({ studies: [rawStudy("NCT09990001")] }));
    expect(errors).toEqual([]);
    expect(trials[0]?.nctId).toBe("NCT09990001");
  });

  it("ignores fields it does not use", () => {
    const s = rawStudy("NCT09990002", { somethingNew: { x: 1 } });
    (s as Record<string, unknown>)["resultsSection"] = { lots: "of data" };
    const { trials, errors } = parseStudiesFile({ studies: [s], nextPageToken: "abc", totalCount: 1 });
    expect(errors).toEqual([]);
    expect(trials).toHaveLength(1);
  });

  it("uses defaults for optional parts: no ages, no sex, no sites, title from the id", () => {
    const { trials } = parseStudiesFile({
      studies: [
        {
          protocolSection: {
            identificationModule: { nctId: "NCT09990003" },
            statusModule: { overallStatus: "NOT_YET_RECRUITING" },
          },
        },
      ],
    });
    expect(trials[0]).toMatchObject({
      nctId: "NCT09990003",
      title: "NCT09990003",
      minAge: null,
      maxAge: null,
      minAgeDays: null,
      maxAgeDays: null,
      sex: null,
      sites: [],
      conditions: [],
      meshIds: [],
      lastUpdatePostDate: null,
    });
  });

  it("treats out-of-range coordinates as unknown rather than failing the study", () => {
    const s = rawStudy("NCT09990004", {
      contactsLocationsModule: { locations: [{ facility: "X", city: "Y", geoPoint: { lat: 123, lon: 10 } }] },
    });
    const { trials, errors } = parseStudiesFile({ studies: [s] });
    expect(errors).toEqual([]);
    expect(trials[0]?.sites[0]).toMatchObject({ facility: "X", lat: null, lon: null });
  });

  it("reports a malformed file as one file-level error", () => {
    expect(parseStudiesFile("{not json").errors[0]).toMatchObject({ code: "invalid_file", index: -1, nctId: null });
    expect(parseStudiesFile({ trials: [] }).errors[0]).toMatchObject({ code: "invalid_file", index: -1 });
    expect(parseStudiesFile([]).errors[0]?.code).toBe("invalid_file");
  });

  it("names each bad study and still imports the good ones", () => {
    const noId = rawStudy("NCT09990010");
    (noId as { protocolSection: { identificationModule: Record<string, unknown> } }).protocolSection.identificationModule = {
      briefTitle: "No id",
    };
    const file = {
      studies: [
        rawStudy("NCT09990011"),
        noId,
        rawStudy("NCT09990012", { statusModule: { overallStatus: "RECRUITING_SOON" } }),
        rawStudy("NCT09990013", { eligibilityModule: { minimumAge: "eighteen years" } }),
        rawStudy("NCT09990014", { eligibilityModule: { minimumAge: "65 Years", maximumAge: "18 Years" } }),
        { ...rawStudy("NCT09990015"), derivedSection: { conditionBrowseModule: { meshes: [{ id: "C04", term: "Neoplasms" }] } } },
        rawStudy("NCT0999"),
        "not an object",
        rawStudy("NCT09990016"),
      ],
    };
    const { trials, errors } = parseStudiesFile(file);
    expect(trials.map((t) => t.nctId)).toEqual(["NCT09990011", "NCT09990016"]);
    expect(errors.map((e) => [e.index, e.nctId, e.code])).toEqual([
      [1, null, "invalid_study"],
      [2, "NCT09990012", "invalid_study"],
      [3, "NCT09990013", "invalid_age"],
      [4, "NCT09990014", "invalid_age"],
      [5, "NCT09990015", "invalid_study"],
      [6, "NCT0999", "invalid_study"],
      [7, null, "invalid_study"],
    ]);
    expect(errors[0]?.message).toContain("#2");
    expect(errors[1]?.message).toContain("NCT09990012");
    expect(errors[1]?.issues.join()).toContain("overallStatus");
    expect(errors[2]?.issues.join()).toContain("minimumAge");
    expect(errors[2]?.issues.join()).toContain("eighteen years");
    expect(errors[3]?.issues.join()).toContain("above maximum age");
    expect(errors[4]?.issues.join()).toContain("MeSH");
    expect(errors[5]?.issues.join()).toContain("nctId");
  });
});

describe("newerWins (idempotent import by NCT id)", () => {
  const old = trial({ lastUpdatePostDate: "2025-12-01", title: "old" });
  const same = trial({ lastUpdatePostDate: "2025-12-01", title: "same date, different text" });
  const newer = trial({ lastUpdatePostDate: "2026-01-15", title: "new" });
  const undated = trial({ lastUpdatePostDate: null, title: "undated" });

  it("inserts a trial we do not have", () => {
    expect(newerWins(undefined, old)).toEqual({ action: "insert", record: old });
    expect(newerWins(null, old).action).toBe("insert");
  });

  it("replaces with a newer update and keeps ours otherwise", () => {
    expect(newerWins(old, newer)).toEqual({ action: "update", record: newer });
    expect(newerWins(newer, old)).toEqual({ action: "unchanged", record: newer });
  });

  it("changes nothing on an equal date, even if the content differs", () => {
    expect(newerWins(old, same)).toEqual({ action: "unchanged", record: old });
  });

  it("prefers a dated record to an undated one", () => {
    expect(newerWins(undated, old)).toEqual({ action: "update", record: old });
    expect(newerWins(old, undated)).toEqual({ action: "unchanged", record: old });
    expect(newerWins(undated, undated).action).toBe("unchanged");
  });

  it("compares month-only dates with full dates", () => {
    expect(newerWins(trial({ lastUpdatePostDate: "2026-01" }), trial({ lastUpdatePostDate: "2026-01-02" })).action).toBe("update");
    expect(newerWins(trial({ lastUpdatePostDate: "2026-01-01" }), trial({ lastUpdatePostDate: "2026-01" })).action).toBe("unchanged");
  });

  it("refuses to compare different trials", () => {
    expect(() => newerWins(old, trial({ nctId: "NCT09999002" }))).toThrow(/NCT09999001.*NCT09999002/);
  });

  it("re-importing the same catalogue is a no-op; a newer file only updates what changed", () => {
    const sample = loadSampleTrials();
    const first = mergeTrials([], sample);
    expect(first).toMatchObject({ inserted: 17, updated: 0, unchanged: 0 });
    const again = mergeTrials(first.trials, [...sample].reverse());
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 17 });
    expect(again.trials).toEqual(first.trials);

    const target = sample[3];
    if (target === undefined) throw new Error("sample too small");
    const bumped = { ...target, status: "COMPLETED" as const, lastUpdatePostDate: "2026-06-30" };
    const third = mergeTrials(again.trials, [bumped, ...sample]);
    expect(third).toMatchObject({ inserted: 0, updated: 1, unchanged: 17 });
    expect(third.trials.find((t) => t.nctId === target.nctId)?.status).toBe("COMPLETED");
  });

  it("only the three open statuses are candidates", () => {
    expect([...OPEN_STATUSES].sort()).toEqual(["ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING", "RECRUITING"]);
  });
});
