// GET /api/patients/:patientId/summary — the pump summary the status page shows (authorised, audited).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { authorizePatient, requireActor } from "@/lib/auth/guard";
import { notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";
import { getPatientSummary } from "@/lib/patients/summary";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ patientId: string }> }>(async (_req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "status:read");
  const now = new Date();
  const summary = await getPatientSummary(db, patientId, now);
  if (!summary) throw notFound("That patient");
  const { patient, pump, prescription, bolusPermission, latestReading, nextRefill } = summary;
  return NextResponse.json(
    {
      generatedAt: now.toISOString(),
      patient: { id: patient.id, displayName: patient.displayName, timeZone: patient.timeZone, staleSyncThresholdSeconds: patient.staleSyncThresholdSeconds },
      pump: pump && { id: pump.id, model: pump.model, reservoirCapacityUl: pump.reservoirCapacityUl },
      prescription: prescription && {
        version: prescription.version,
        drug: prescription.drug,
        concentration: prescription.concentration,
        dailyDose: prescription.dailyDose,
        lowReservoirThresholdUl: prescription.lowReservoirThresholdUl,
        effectiveFrom: prescription.effectiveFrom,
      },
      bolusPermission: bolusPermission && {
        version: bolusPermission.version,
        enabled: bolusPermission.enabled,
        dose: bolusPermission.dose,
        lockoutSeconds: bolusPermission.lockoutSeconds,
        maxPer24h: bolusPermission.maxPer24h,
      },
      latestReading: latestReading && {
        recordedAt: latestReading.recordedAt,
        reservoirUl: latestReading.reservoirUl,
        batteryPercent: latestReading.batteryPercent,
        ageSeconds: Math.round((now.getTime() - latestReading.recordedAt.getTime()) / 1000),
        stale: now.getTime() - latestReading.recordedAt.getTime() > patient.staleSyncThresholdSeconds * 1000,
      },
      nextRefill: nextRefill && { scheduledAt: nextRefill.scheduledAt, location: nextRefill.location, clinicianName: nextRefill.clinicianName },
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
});
