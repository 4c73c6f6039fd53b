import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DRUG_IDS, type DrugId } from "@/lib/pump/drugs";
import {
  INVALID,
  MICRO,
  doseToVolumeUl,
  formatConcentration,
  formatDailyDose,
  formatDailyVolume,
  formatDecimal,
  formatDose,
  formatVolume,
  roundDecimal,
  volumeToDose,
} from "@/lib/pump/units";

describe("doseToVolumeUl / volumeToDose", () => {
  it.each<[string, number, number, DrugId, number]>([
    ["baclofen 400 µg/day at 2000 µg/mL", 400, 2000, "baclofen", 200],
    ["baclofen bolus 50 µg at 2000 µg/mL", 50, 2000, "baclofen", 25],
    ["morphine 5 mg at 25 mg/mL", 5000, 25_000, "morphine", 200],
    ["ziconotide 2 µg at 25 µg/mL", 2, 25, "ziconotide", 80],
    ["ziconotide 19 µg at 100 µg/mL", 19, 100, "ziconotide", 190],
    ["clonidine 150 µg at 1000 µg/mL", 150, 1000, "clonidine", 150],
    ["insulin 20 U (20000 mU) at U400", 20_000, 400, "insulin", 50],
    ["insulin 4 U at U400", 4000, 400, "insulin", 10],
    ["insulin 1 mU at U400 (fractional volume)", 1, 400, "insulin", 0.0025],
    ["insulin 12 U at U100", 12_000, 100, "insulin", 120],
    ["zero dose", 0, 2000, "baclofen", 0],
    ["non-terminating ratio", 400, 3000, "baclofen", 400_000 / 3000],
  ])("%s → %d µL", (_n, dose, conc, drug, ul) => {
    expect(doseToVolumeUl(dose, conc, drug)).toBe(ul);
  });

  it.each<[number, number, DrugId, number]>([
    [200, 2000, "baclofen", 400],
    [25, 2000, "baclofen", 50],
    [50, 400, "insulin", 20_000],
    [1000, 50, "baclofen", 50],
  ])("volumeToDose(%d µL, %d, %s) = %d", (ul, conc, drug, dose) => {
    expect(volumeToDose(ul, conc, drug)).toBe(dose);
  });

  it("round-trips within float precision", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 1, max: 50_000 }),
        fc.constantFrom(...DRUG_IDS),
        (dose, conc, drug) => {
          const back = volumeToDose(doseToVolumeUl(dose, conc, drug), conc, drug);
          expect(Math.abs(back - dose)).toBeLessThan(1e-9 * Math.max(1, dose));
        },
      ),
    );
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])("rejects concentration %d", (conc) => {
    expect(() => doseToVolumeUl(100, conc, "baclofen")).toThrow(RangeError);
    expect(() => volumeToDose(100, conc, "baclofen")).toThrow(RangeError);
  });

  it("rejects a non-finite dose or volume", () => {
    expect(() => doseToVolumeUl(Number.NaN, 2000, "baclofen")).toThrow(RangeError);
    expect(() => volumeToDose(Number.POSITIVE_INFINITY, 2000, "baclofen")).toThrow(RangeError);
  });
});

describe("formatDose", () => {
  it.each<[number, DrugId, string]>([
    [400, "morphine", "400 µg"],
    [1500, "morphine", "1.5 mg"],
    [1000, "morphine", "1 mg"],
    [1001, "morphine", "1.001 mg"],
    [1250, "hydromorphone", "1.25 mg"],
    [20_000, "morphine", "20 mg"],
    [999, "morphine", "999 µg"],
    [999.999, "morphine", "1 mg"],
    [15_000, "bupivacaine", "15 mg"],
    // Drugs handled in µg throughout stay in µg (matches their vials and programmers).
    [400, "baclofen", "400 µg"],
    [1500, "baclofen", "1,500 µg"],
    [600, "clonidine", "600 µg"],
    [1000, "fentanyl", "1,000 µg"],
    [2.4, "ziconotide", "2.4 µg"],
    [19.2, "ziconotide", "19.2 µg"],
    [0.5, "ziconotide", "0.5 µg"],
    [0, "baclofen", "0 µg"],
    // Insulin: milli-units shown as units.
    [12_500, "insulin", "12.5 U"],
    [20_000, "insulin", "20 U"],
    [100, "insulin", "0.1 U"],
    [1, "insulin", "0.001 U"],
    [150_000, "insulin", "150 U"],
    [1_200_000, "insulin", "1,200 U"],
    // Float junk must not leak.
    [0.1 + 0.2, "ziconotide", "0.3 µg"],
    [(0.1 + 0.2) * 1000, "morphine", "300 µg"],
    [1000 * 1.1, "morphine", "1.1 mg"],
  ])("formatDose(%d, %s) = %s", (dose, drug, text) => {
    expect(formatDose(dose, drug)).toBe(text);
  });

  it("shows non-finite values as a dash rather than NaN", () => {
    expect(formatDose(Number.NaN, "baclofen")).toBe(INVALID);
    expect(formatDailyDose(Number.NaN, "baclofen")).toBe(INVALID);
  });

  it("formats daily doses", () => {
    expect(formatDailyDose(400, "baclofen")).toBe("400 µg/day");
    expect(formatDailyDose(5000, "morphine")).toBe("5 mg/day");
    expect(formatDailyDose(24_000, "insulin")).toBe("24 U/day");
  });

  it("is exact and well-formed for every integer storage dose (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(...DRUG_IDS), (dose, drug) => {
        const text = formatDose(dose, drug);
        const m = /^(\d{1,3}(?:,\d{3})*(?:\.\d*[1-9])?) (µg|mg|U)$/.exec(text);
        expect(m, text).not.toBeNull();
        const value = Number(m![1]!.replace(/,/g, ""));
        const factor = m![2] === "µg" ? 1 : 1000;
        // Integer µg / mU are shown exactly: parsing the text gives the stored value back.
        expect(Math.round(value * factor)).toBe(dose);
        expect(text).not.toMatch(/mcg|ug|e[+-]?\d|NaN/);
      }),
    );
  });
});

describe("formatConcentration", () => {
  it.each<[number, DrugId, string]>([
    [2000, "baclofen", "2,000 µg/mL"],
    [500, "baclofen", "500 µg/mL"],
    [50, "baclofen", "50 µg/mL"],
    [25_000, "morphine", "25 mg/mL"],
    [10_000, "morphine", "10 mg/mL"],
    [500, "morphine", "500 µg/mL"],
    [1500, "hydromorphone", "1.5 mg/mL"],
    [100, "ziconotide", "100 µg/mL"],
    [400, "insulin", "400 U/mL"],
    [100, "insulin", "100 U/mL"],
  ])("formatConcentration(%d, %s) = %s", (conc, drug, text) => {
    expect(formatConcentration(conc, drug)).toBe(text);
  });
});

describe("formatVolume", () => {
  it.each<[number, string]>([
    [18_400, "18.4 mL"],
    [850, "850 µL"],
    [2000, "2 mL"],
    [40_000, "40 mL"],
    [18_450, "18.5 mL"], // half rounds up on the decimal digit, not via binary 18.449999…
    [18_449, "18.4 mL"],
    [1000, "1 mL"],
    [999, "999 µL"],
    [999.96, "1 mL"], // rounds to 1000.0 µL → switches unit
    [12.5, "12.5 µL"],
    [0, "0 µL"],
    [25, "25 µL"],
    [0.1 + 0.2, "0.3 µL"],
    [-500, "-500 µL"],
    [-0.01, "0 µL"], // no "-0"
  ])("formatVolume(%d) = %s", (ul, text) => {
    expect(formatVolume(ul)).toBe(text);
  });

  it("honours unit and precision options", () => {
    expect(formatVolume(25, { unit: "mL", mlFractionDigits: 3 })).toBe("0.025 mL");
    expect(formatVolume(18_400, { unit: "µL" })).toBe("18,400 µL");
    expect(formatVolume(18_456, { mlFractionDigits: 2 })).toBe("18.46 mL");
    expect(formatDailyVolume(300)).toBe("0.3 mL/day");
    expect(formatDailyVolume(400_000 / 3000)).toBe("0.133 mL/day");
    expect(formatVolume(Number.POSITIVE_INFINITY)).toBe(INVALID);
  });

  it("never prints float junk for sums of µL (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1000, noNaN: true }), { maxLength: 10 }), (parts) => {
        const total = parts.reduce((a, b) => a + b, 0);
        const text = formatVolume(total);
        expect(text).toMatch(/^\d{1,3}(,\d{3})*(\.\d)? (µL|mL)$/);
      }),
    );
  });
});

describe("formatDecimal / roundDecimal", () => {
  it.each<[number, number, string]>([
    [0.1 + 0.2, 3, "0.3"],
    [1.005, 2, "1.01"],
    [1.0049, 2, "1"],
    [2.5, 0, "3"],
    [-2.5, 0, "-3"],
    [1234567.891, 2, "1,234,567.89"],
    [0.000001, 3, "0"],
    [1e-7, 8, "0.0000001"],
    [-0, 2, "0"],
    [Number.NaN, 2, INVALID],
  ])("formatDecimal(%d, %d) = %s", (value, digits, text) => {
    expect(formatDecimal(value, digits)).toBe(text);
  });

  it("rejects silly precisions", () => {
    expect(() => formatDecimal(1, -1)).toThrow(RangeError);
    expect(() => formatDecimal(1, 1.5)).toThrow(RangeError);
  });

  it.each<[number, number, number]>([
    [1.005, 2, 1.01],
    [0.1 + 0.2, 2, 0.3],
    [-1.005, 2, -1.01],
    [184.5, 0, 185],
  ])("roundDecimal(%d, %d) = %d", (value, digits, rounded) => {
    expect(roundDecimal(value, digits)).toBe(rounded);
  });
});

describe("UI strings", () => {
  it("use MICRO SIGN U+00B5 and never mcg/ug", () => {
    expect(MICRO).toBe("\u00B5");
    const samples = [
      formatDose(400, "baclofen"),
      formatConcentration(2000, "baclofen"),
      formatVolume(850),
      formatDailyDose(19, "ziconotide"),
    ];
    for (const s of samples) {
      expect(s).toContain("\u00B5");
      expect(s).not.toContain("\u03BC");
      expect(s).not.toMatch(/mcg|ug/);
    }
  });
});
