/**
 * A valid intake payload as the form posts it, with the consent the server would show at
 * `now` in the payload's time zone, for unit and integration tests of the intake.
 */
import { consentToShow } from "@/lib/trials/consent";
import type { IntakePayload } from "@/lib/trials/intake-schema";

export const NOW = new Date("2026-11-25T15:00:00Z");

type Overrides = Partial<Omit<IntakePayload, "consent">> & { consent?: Partial<IntakePayload["consent"]> };

export function validPayload(overrides: Overrides = {}, now: Date = NOW): IntakePayload & Record<string, unknown> {
  const timeZone = overrides.timeZone ?? "America/New_York";
  const shown = consentToShow(now, typeof timeZone === "string" ? timeZone : "UTC");
  const { consent, ...rest } = overrides;
  return {
    signerRole: "self",
    guardianRelationship: "",
    patientName: "Ann Lee",
    cancerTypeId: "breast",
    dateOfBirth: "1980-02-03",
    timeZone,
    sex: "female",
    zip: "02115",
    travelMiles: "50",
    stage: "II",
    metastatic: "no",
    currentTreatments: ["chemotherapy"],
    priorTreatments: ["surgery"],
    treatmentNotes: "",
    activityLevel: "1",
    contactEmail: "ann@example.test",
    contactPhone: "",
    website: "",
    ...rest,
    consent: {
      accepted: true,
      signatureName: "Ann Lee",
      version: shown.version,
      sha256: shown.sha256,
      expiresOn: shown.expiresOn,
      ...consent,
    } as IntakePayload["consent"],
  };
}
