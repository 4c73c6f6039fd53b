import { z } from "zod";
import { checkPrescriptionBounds, DRUG_IDS, getDrug } from "./drugs";
import { doseToVolumeUl } from "./units";

/** Most implantable pumps cannot deliver more than about 1 mL an hour; a day's programme above this is impossible. */
export const MAX_DAILY_VOLUME_UL = 24_000;

const int = (label: string, min: number, max: number) =>
  z.coerce
    .number({ message: `${label} must be a number.` })
    .refine(Number.isFinite, `${label} must be a number.`)
    .refine(Number.isInteger, `${label} must be a whole number.`)
    .refine((n) => n >= min, `${label} must be at least ${min}.`)
    .refine((n) => n <= max, `${label} must be at most ${max}.`);

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());

/**
 * One schema for the clinician's therapy form and the server: prescription + bolus permission.
 * Impossible combinations are refused with a message on the field to fix; unusual ones need
 * `confirmUnusual`.
 */
export const therapySchema = z
  .object({
    drug: z.enum(DRUG_IDS, { message: "Choose a drug from the list." }),
    concentration: int("Concentration", 1, 100_000_000),
    dailyDose: int("Daily dose", 0, 100_000_000),
    lowReservoirThresholdUl: int("Low-reservoir alarm level (µL)", 500, 10_000),
    bolusEnabled: checkbox,
    bolusDose: int("Bolus dose", 1, 100_000_000),
    bolusDurationSeconds: int("Bolus duration (seconds)", 1, 3600),
    lockoutSeconds: int("Lockout (seconds)", 60, 86_400),
    maxPer24h: int("Boluses per 24 h", 1, 24),
    confirmUnusual: checkbox,
    capacityUl: int("Reservoir capacity", 1000, 100_000),
  })
  .superRefine((v, ctx) => {
    const drug = getDrug(v.drug);
    if (!drug) return;
    const bounds = checkPrescriptionBounds(drug, { concentration: v.concentration, dailyDose: v.dailyDose });
    for (const b of bounds) {
      if (b.severity === "error" || !v.confirmUnusual) {
        ctx.addIssue({ code: "custom", path: [b.field], message: b.severity === "warning" ? `${b.message} Tick “I have checked these unusual values” to save.` : b.message });
      }
    }
    if (v.lockoutSeconds < v.bolusDurationSeconds) {
      ctx.addIssue({ code: "custom", path: ["lockoutSeconds"], message: "The lockout must be at least as long as the bolus takes to deliver." });
    }
    if (v.bolusEnabled && v.maxPer24h * v.lockoutSeconds > 86_400 + v.lockoutSeconds) {
      ctx.addIssue({ code: "custom", path: ["maxPer24h"], message: `With a ${Math.round(v.lockoutSeconds / 60)}-minute lockout, at most ${Math.floor(86_400 / v.lockoutSeconds) + 1} boluses fit in 24 hours.` });
    }
    if (v.lowReservoirThresholdUl >= v.capacityUl) {
      ctx.addIssue({ code: "custom", path: ["lowReservoirThresholdUl"], message: "The alarm level must be below the reservoir's capacity." });
    }
    // Volume arithmetic needs a valid concentration; bounds errors above already explain why not.
    if (bounds.some((b) => b.field === "concentration" && b.severity === "error")) return;
    const basal = doseToVolumeUl(v.dailyDose, v.concentration, drug);
    const bolusVol = doseToVolumeUl(v.bolusDose, v.concentration, drug);
    const worst = basal + (v.bolusEnabled ? v.maxPer24h * bolusVol : 0);
    if (basal > MAX_DAILY_VOLUME_UL) {
      ctx.addIssue({ code: "custom", path: ["dailyDose"], message: `At this concentration the daily dose needs ${(basal / 1000).toFixed(1)} mL a day — more than a pump can deliver. Check the dose and concentration.` });
    } else if (worst > v.capacityUl) {
      ctx.addIssue({ code: "custom", path: [v.bolusEnabled ? "maxPer24h" : "dailyDose"], message: "With these settings the reservoir would empty in under a day." });
    }
    if (v.bolusDose > drug.maxDailyDose) {
      ctx.addIssue({ code: "custom", path: ["bolusDose"], message: `A single bolus cannot exceed the maximum daily dose for ${drug.displayName}.` });
    }
  });

export type TherapyInput = z.infer<typeof therapySchema>;
