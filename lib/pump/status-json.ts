import type { PumpStatus } from "./status-query";

/**
 * The status endpoint's body: what the status page shows, with every timestamp and the age of
 * the reading, so that an offline copy can still say how old it is (safety rule 7).
 * Refill details only when the viewer may see refills.
 */
export function statusToJson(status: PumpStatus, includeRefills: boolean) {
  const { patient, pump, prescription, drug, bolusPermission, reading, projection, explanation, nextRefill, now } = status;
  return {
    generatedAt: now.toISOString(),
    patient: { id: patient.id, displayName: patient.displayName, timeZone: patient.timeZone, staleSyncThresholdSeconds: patient.staleSyncThresholdSeconds },
    pump: { id: pump.id, model: pump.model, reservoirCapacityUl: pump.reservoirCapacityUl, batteryReplacementDueAt: pump.batteryReplacementDueAt?.toISOString() ?? null },
    therapy: prescription && {
      version: prescription.version,
      drug: prescription.drug,
      drugName: drug?.displayName ?? prescription.drug,
      doseUnit: drug?.doseUnit ?? "ug",
      concentration: prescription.concentration,
      dailyDose: prescription.dailyDose,
      lowReservoirThresholdUl: prescription.lowReservoirThresholdUl,
      effectiveFrom: prescription.effectiveFrom.toISOString(),
    },
    bolusPermission: bolusPermission && {
      version: bolusPermission.version,
      enabled: bolusPermission.enabled,
      dose: bolusPermission.dose,
      durationSeconds: bolusPermission.durationSeconds,
      lockoutSeconds: bolusPermission.lockoutSeconds,
      maxPer24h: bolusPermission.maxPer24h,
    },
    reading: reading && {
      recordedAt: reading.recordedAt.toISOString(),
      ageSeconds: Math.max(0, Math.round((now.getTime() - reading.recordedAt.getTime()) / 1000)),
      stale: reading.stale,
      reservoirUl: reading.reservoirUl,
      percent: reading.percent,
      batteryPercent: reading.batteryPercent,
      therapyState: reading.therapyState,
      alarms: reading.alarms,
    },
    projection: {
      kind: projection.kind,
      estimatedCurrentUl: projection.estimatedCurrentUl === null ? null : Math.round(projection.estimatedCurrentUl),
      worstCase: { status: projection.worstCase.status, lowReservoirAt: projection.worstCase.lowReservoirAt?.toISOString() ?? null, explanation: explanation.worstCase },
      expected: { status: projection.expected.status, lowReservoirAt: projection.expected.lowReservoirAt?.toISOString() ?? null, explanation: explanation.expected },
    },
    nextRefill:
      includeRefills && nextRefill
        ? { id: nextRefill.id, scheduledAt: nextRefill.scheduledAt.toISOString(), location: nextRefill.location, clinicianName: nextRefill.clinicianName, check: nextRefill.check }
        : null,
  };
}

export type StatusJson = ReturnType<typeof statusToJson>;
