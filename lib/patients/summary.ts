import "server-only";
import { and, asc, desc, eq, gte, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { bolusPermissions, patients, prescriptions, pumps, pumpStatusReadings, refillAppointments, users } from "@/db/schema";

/** What a patient's status view shows; every part carries its own timestamp (safety rule 7). */
export async function getPatientSummary(db: Db, patientId: string, now = new Date()) {
  const [patient] = await db
    .select({ id: patients.id, displayName: patients.displayName, timeZone: patients.timeZone, staleSyncThresholdSeconds: patients.staleSyncThresholdSeconds })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  if (!patient) return null;
  const [pump] = await db.select().from(pumps).where(eq(pumps.patientId, patientId)).orderBy(desc(pumps.createdAt)).limit(1);
  if (!pump) return { patient, pump: null, prescription: null, bolusPermission: null, latestReading: null, nextRefill: null };
  const [prescription] = await db
    .select()
    .from(prescriptions)
    .where(and(eq(prescriptions.pumpId, pump.id), lte(prescriptions.effectiveFrom, now)))
    .orderBy(desc(prescriptions.version))
    .limit(1);
  const [bolusPermission] = await db
    .select()
    .from(bolusPermissions)
    .where(and(eq(bolusPermissions.pumpId, pump.id), lte(bolusPermissions.effectiveFrom, now)))
    .orderBy(desc(bolusPermissions.version))
    .limit(1);
  const [latestReading] = await db
    .select()
    .from(pumpStatusReadings)
    .where(eq(pumpStatusReadings.pumpId, pump.id))
    .orderBy(desc(pumpStatusReadings.recordedAt))
    .limit(1);
  const [nextRefill] = await db
    .select({ appointment: refillAppointments, clinicianName: users.name })
    .from(refillAppointments)
    .leftJoin(users, eq(users.id, refillAppointments.clinicianUserId))
    .where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled"), gte(refillAppointments.scheduledAt, new Date(now.getTime() - 24 * 3600_000))))
    .orderBy(asc(refillAppointments.scheduledAt))
    .limit(1);
  return {
    patient,
    pump,
    prescription: prescription ?? null,
    bolusPermission: bolusPermission ?? null,
    latestReading: latestReading ?? null,
    nextRefill: nextRefill ? { ...nextRefill.appointment, clinicianName: nextRefill.clinicianName } : null,
  };
}

export type PatientSummary = NonNullable<Awaited<ReturnType<typeof getPatientSummary>>>;
