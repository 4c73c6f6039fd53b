/**
 * Dose/volume arithmetic and display formatting.
 *
 * Storage units (DESIGN.md): doses integer µg (insulin: mU), volumes integer µL, concentrations
 * integer µg/mL (insulin: U/mL). The arithmetic returns exact-as-possible numbers (fractional
 * allowed); whoever stores a result decides how to round it.
 *
 * Display rules (safety-driven, after ISMP's error-prone notation list):
 * - always a leading zero ("0.5 mL"), never a trailing zero ("2 mL", not "2.0 mL"), because a
 *   missed decimal point in "2.0" reads as 20;
 * - thousands grouped with a comma ("1,500 µg"), the app's display locale being en-GB;
 * - "µ" is U+00B5 everywhere; "mcg"/"ug" never reach the UI;
 * - rounding is done on decimal digits, not binary floats, so 0.1 + 0.2 shows as "0.3".
 */
import { resolveDrug, type DrugRef } from "@/lib/pump/drugs";

/** U+00B5 MICRO SIGN; exported so UI code and tests use the same character. */
export const MICRO = "\u00B5";

const MICROGRAM = `${MICRO}g`;
const MICROLITRE = `${MICRO}L`;

/** µL of drug that carries `dose` (µg, or mU for insulin) at `concentration` (µg/mL or U/mL). */
export function doseToVolumeUl(dose: number, concentration: number, drugRef: DrugRef): number {
  assertConcentration(concentration);
  assertFinite(dose, "dose");
  const drug = resolveDrug(drugRef);
  // µg: 1 µg/mL = 1 µg per 1000 µL. Insulin: 1 U/mL = 1000 mU per 1000 µL = 1 mU/µL.
  // Multiply before dividing so the result is rounded once (50 × 1000 / 2000 is exactly 25).
  return drug.doseUnit === "ug" ? (dose * 1000) / concentration : dose / concentration;
}

/** Dose (µg, or mU for insulin) contained in `volumeUl` µL at `concentration`. */
export function volumeToDose(volumeUl: number, concentration: number, drugRef: DrugRef): number {
  assertConcentration(concentration);
  assertFinite(volumeUl, "volume");
  const drug = resolveDrug(drugRef);
  return drug.doseUnit === "ug" ? (volumeUl * concentration) / 1000 : volumeUl * concentration;
}

/**
 * "400 µg", "1.5 mg" (drugs shown in mg from 1000 µg), "1,500 µg" (drugs always shown in µg),
 * insulin "12.5 U". Integer storage values are shown exactly (up to 3 decimals in mg/U) rather
 * than rounded: "1.001 mg", never a misleading "1 mg".
 */
export function formatDose(dose: number, drugRef: DrugRef): string {
  if (!Number.isFinite(dose)) return INVALID;
  const drug = resolveDrug(drugRef);
  if (drug.doseUnit === "mU") return `${formatDecimal(dose / 1000, 3)} U`;
  // Decide the unit after rounding so 999.999 µg becomes "1 mg", not "1,000 µg".
  const roundedUg = roundDecimal(dose, 2);
  if (drug.massDisplay === "auto" && Math.abs(roundedUg) >= 1000) {
    return `${formatDecimal(dose / 1000, 3)} mg`;
  }
  return `${formatDecimal(dose, 2)} ${MICROGRAM}`;
}

/** formatDose plus "/day". */
export function formatDailyDose(dose: number, drugRef: DrugRef): string {
  const text = formatDose(dose, drugRef);
  return text === INVALID ? INVALID : `${text}/day`;
}

/** "2,000 µg/mL" (µg drugs), "25 mg/mL" (mg drugs from 1000 µg/mL), "400 U/mL" (insulin). */
export function formatConcentration(concentration: number, drugRef: DrugRef): string {
  if (!Number.isFinite(concentration)) return INVALID;
  const drug = resolveDrug(drugRef);
  if (drug.doseUnit === "mU") return `${formatDecimal(concentration, 2)} U/mL`;
  const roundedUg = roundDecimal(concentration, 2);
  if (drug.massDisplay === "auto" && Math.abs(roundedUg) >= 1000) {
    return `${formatDecimal(concentration / 1000, 3)} mg/mL`;
  }
  return `${formatDecimal(concentration, 2)} ${MICROGRAM}/mL`;
}

export interface VolumeFormatOptions {
  /** "auto" (default): µL below 1 mL, mL from 1 mL. */
  readonly unit?: "auto" | "mL" | "µL";
  /** Decimals in mL (default 1: reservoirs read to 0.1 mL) — µL always use at most 1. */
  readonly mlFractionDigits?: number;
}

/** "18.4 mL", "850 µL", "2 mL". Input in µL. */
export function formatVolume(volumeUl: number, options: VolumeFormatOptions = {}): string {
  if (!Number.isFinite(volumeUl)) return INVALID;
  const unit = options.unit ?? "auto";
  const mlDigits = options.mlFractionDigits ?? 1;
  const ul = roundDecimal(volumeUl, 1);
  if (unit === "µL" || (unit === "auto" && Math.abs(ul) < 1000)) {
    return `${formatDecimal(volumeUl, 1)} ${MICROLITRE}`;
  }
  return `${formatDecimal(volumeUl / 1000, mlDigits)} mL`;
}

/** Daily volume, e.g. "0.3 mL/day" (mL, up to 3 decimals: µL precision). */
export function formatDailyVolume(volumeUlPerDay: number): string {
  const text = formatVolume(volumeUlPerDay, { unit: "mL", mlFractionDigits: 3 });
  return text === INVALID ? INVALID : `${text}/day`;
}

/** Shown for NaN/Infinity: a visible placeholder beats a crash or "NaN µg" on a patient's screen. */
export const INVALID = "\u2014";

/**
 * Formats `value` with at most `maxFractionDigits` decimals, trailing zeros removed, rounded
 * half away from zero on the decimal digits, comma-grouped thousands, "-" for negatives and no
 * "-0". Non-finite → "—".
 */
export function formatDecimal(value: number, maxFractionDigits: number): string {
  if (!Number.isFinite(value)) return INVALID;
  if (!Number.isInteger(maxFractionDigits) || maxFractionDigits < 0 || maxFractionDigits > 10) {
    throw new RangeError(`maxFractionDigits must be an integer 0–10, got ${maxFractionDigits}`);
  }
  const scaled = scaledAbs(value, maxFractionDigits);
  if (scaled === 0) return "0";
  const digits = String(scaled).padStart(maxFractionDigits + 1, "0");
  const intPart = digits.slice(0, digits.length - maxFractionDigits);
  const fracPart = digits.slice(digits.length - maxFractionDigits).replace(/0+$/, "");
  const grouped = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fracPart ? `.${fracPart}` : ""}`;
}

/** `value` rounded to `digits` decimals (half away from zero), without binary-float drift. */
export function roundDecimal(value: number, digits: number): number {
  if (!Number.isFinite(value)) return value;
  const scaled = scaledAbs(value, digits);
  const result = Number(`${scaled}e-${digits}`);
  return value < 0 && result !== 0 ? -result : result;
}

/**
 * |value| × 10^digits rounded to an integer, computed on the shortest decimal representation of
 * the double ("1.005" → 1005 → 100.5 → 101 at 2 digits) rather than on 1.005 × 100, which is
 * 100.49999999999999 in binary and would round the wrong way.
 */
function scaledAbs(value: number, digits: number): number {
  const abs = Math.abs(value);
  const text = String(abs);
  if (text.includes("e")) {
    // Exponent form only for < 1e-6 or ≥ 1e21: far outside any dose/volume; plain maths is fine.
    return Math.round(abs * 10 ** digits);
  }
  return Math.round(Number(`${text}e${digits}`));
}

function assertConcentration(concentration: number): void {
  if (!Number.isFinite(concentration) || concentration <= 0) {
    throw new RangeError(`Concentration must be a positive number, got ${concentration}`);
  }
}

function assertFinite(value: number, name: string): void {
  if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite number, got ${value}`);
}
