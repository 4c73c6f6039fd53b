import { describe, expect, it } from "vitest";
import {
  DRUG_IDS,
  DRUG_LIST,
  DRUGS,
  checkPrescriptionBounds,
  getDrug,
  isDrugId,
  resolveDrug,
  type DrugId,
} from "@/lib/pump/drugs";

describe("drug catalogue", () => {
  it("lists exactly the eight pump drugs, in picker order", () => {
    expect(DRUG_IDS).toEqual([
      "morphine",
      "hydromorphone",
      "fentanyl",
      "bupivacaine",
      "clonidine",
      "baclofen",
      "ziconotide",
      "insulin",
    ]);
    expect(DRUG_LIST.map((d) => d.id)).toEqual(DRUG_IDS);
  });

  it.each(DRUG_IDS)("%s has consistent units and bounds", (id) => {
    const d = DRUGS[id];
    expect(d.id).toBe(id);
    expect(d.displayName.length).toBeGreaterThan(0);
    if (id === "insulin") {
      expect(d.doseUnit).toBe("mU");
      expect(d.concentrationUnit).toBe("U/mL");
    } else {
      expect(d.doseUnit).toBe("ug");
      expect(d.concentrationUnit).toBe("\u00B5g/mL");
    }
    expect(d.concentrationBounds.min).toBeGreaterThan(0);
    expect(d.concentrationBounds.min).toBeLessThanOrEqual(d.typicalConcentration.min);
    expect(d.typicalConcentration.min).toBeLessThanOrEqual(d.typicalConcentration.max);
    expect(d.typicalConcentration.max).toBeLessThanOrEqual(d.concentrationBounds.max);
    expect(d.typicalDailyDose.min).toBeGreaterThan(0);
    expect(d.typicalDailyDose.min).toBeLessThanOrEqual(d.typicalDailyDose.max);
    expect(d.typicalDailyDose.max).toBeLessThanOrEqual(d.maxDailyDose);
    // The "µ" in units must be MICRO SIGN, not GREEK SMALL LETTER MU (U+03BC) which looks the same.
    expect(d.concentrationUnit).not.toContain("\u03BC");
  });

  it.each<[DrugId, number, number]>([
    // [drug, hard max concentration (storage unit), hard max daily dose (storage unit)]
    ["baclofen", 4_000, 2_500],
    ["morphine", 50_000, 20_000],
    ["ziconotide", 100, 19.2],
    ["insulin", 500, 200_000],
  ])("%s validation bounds: conc ≤ %d, daily ≤ %d", (id, maxConc, maxDaily) => {
    expect(DRUGS[id].concentrationBounds.max).toBe(maxConc);
    expect(DRUGS[id].maxDailyDose).toBe(maxDaily);
  });

  it("insulin's usual concentration is U400", () => {
    expect(DRUGS.insulin.typicalConcentration).toEqual({ min: 400, max: 400 });
  });

  it("looks drugs up safely from untyped strings", () => {
    expect(isDrugId("baclofen")).toBe(true);
    expect(isDrugId("Baclofen")).toBe(false);
    expect(isDrugId(42)).toBe(false);
    expect(getDrug("toString")).toBeUndefined();
    expect(getDrug("sufentanil")).toBeUndefined();
    expect(getDrug("insulin")?.doseUnit).toBe("mU");
    expect(resolveDrug(DRUGS.morphine)).toBe(DRUGS.morphine);
    expect(() => resolveDrug("nope" as DrugId)).toThrow(RangeError);
  });
});

describe("checkPrescriptionBounds", () => {
  type Row = [string, DrugId, number, number, Array<[string, string, string]>];
  const rows: Row[] = [
    ["typical baclofen", "baclofen", 2000, 400, []],
    ["typical insulin U400", "insulin", 400, 24_000, []],
    ["zero daily dose is allowed (therapy on hold)", "baclofen", 2000, 0, []],
    ["baclofen entered in mg/mL", "baclofen", 2, 400, [["concentration", "error", "below_min"]]],
    ["baclofen 5000 µg/mL", "baclofen", 5000, 400, [["concentration", "error", "above_max"]]],
    ["baclofen 50 µg/mL is plausible but unusual", "baclofen", 50, 100, [["concentration", "warning", "outside_typical"]]],
    ["baclofen 3000 µg/day", "baclofen", 2000, 3000, [["dailyDose", "error", "above_max"]]],
    ["baclofen 1500 µg/day: confirm", "baclofen", 2000, 1500, [["dailyDose", "warning", "outside_typical"]]],
    ["morphine 25 mg/mL, 5 mg/day", "morphine", 25_000, 5_000, []],
    ["morphine 60 mg/mL", "morphine", 60_000, 5_000, [["concentration", "error", "above_max"]]],
    ["ziconotide 20 µg/day", "ziconotide", 100, 20, [["dailyDose", "error", "above_max"]]],
    ["ziconotide 19 µg/day", "ziconotide", 100, 19, []],
    ["fractional concentration", "clonidine", 500.5, 100, [["concentration", "error", "not_integer"]]],
    ["fractional dose", "clonidine", 500, 100.5, [["dailyDose", "error", "not_integer"]]],
    ["negative dose", "clonidine", 500, -1, [["dailyDose", "error", "negative"]]],
    [
      "NaN everywhere",
      "fentanyl",
      Number.NaN,
      Number.NaN,
      [
        ["concentration", "error", "not_a_number"],
        ["dailyDose", "error", "not_a_number"],
      ],
    ],
    ["insulin U100", "insulin", 100, 24_000, [["concentration", "warning", "outside_typical"]]],
    ["insulin U1000", "insulin", 1000, 24_000, [["concentration", "error", "above_max"]]],
  ];

  it.each(rows)("%s", (_name, drug, concentration, dailyDose, expected) => {
    const issues = checkPrescriptionBounds(drug, { concentration, dailyDose });
    expect(issues.map((i) => [i.field, i.severity, i.code])).toEqual(expected);
    for (const i of issues) {
      expect(i.message).not.toMatch(/mcg|\bug\b/);
    }
  });
});
