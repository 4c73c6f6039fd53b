/**
 * Dose/volume arithmetic shared by the simulator and the app (docs/pump-link-protocol.md §3).
 * Integer maths only: a float rounding that lets a bolus slip past the reservoir floor is a safety bug.
 */
import type { DoseUnit } from "@/lib/pump-link/types";

/** nL per (dose unit ÷ concentration unit): µg ÷ µg/mL = mL = 1e6 nL; mU ÷ U/mL = µL = 1e3 nL. */
export function nanolitreFactor(unit: DoseUnit): number {
  return unit === "microgram" ? 1_000_000 : 1_000;
}

/** Volume in nL that delivers `dose`, rounded up so the device never under-reserves. */
export function doseToVolumeNl(dose: number, concentration: number, unit: DoseUnit): number {
  const num = BigInt(dose) * BigInt(nanolitreFactor(unit));
  const den = BigInt(concentration);
  return Number((num + den - 1n) / den);
}

/** Volume in whole µL, rounded up (the figure reported as the bolus volume). */
export function doseToVolumeUl(dose: number, concentration: number, unit: DoseUnit): number {
  return Math.ceil(doseToVolumeNl(dose, concentration, unit) / 1000);
}

/** Daily basal volume in µL (DESIGN: dose µg/day × 1000 / concentration µg/mL), rounded down. */
export function dailyVolumeUl(dosePerDay: number, concentration: number, unit: DoseUnit): number {
  return Number((BigInt(dosePerDay) * BigInt(nanolitreFactor(unit))) / (BigInt(concentration) * 1000n));
}
