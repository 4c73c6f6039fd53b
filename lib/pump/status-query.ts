import "server-only";
import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { bolusPermissions, deviceEvents, patients, prescriptions, pumps, pumpStatusReadings, refillAppointments, users } from "@/db/schema";
import { describeAlarmFlags } from "./alarm-text";
import { getDrug } from "./drugs";
import { compareAppointment, explainProjection, projectRefill } from "./projection";
import { isStale, localDateKey } from "./time";
import { doseToVolumeUl } from "./units";

const DAY_MS = 86_400_000;

/** Bolus volume the device reported delivering (device events are the authority). */
function bolusVolume(payloads: readonly Record<string, unknown>[], concentration: number, drug: string): number {
  let total = 0;
  const def = getDrug(drug);
  for (const payload of payloads) {
    const v = payload.volumeUl;
    const d = payload.dose;
    if (typeof v === "number" && Number.isFinite(v)) total += v;
    else if (typeof d === "number" && def && concentration > 0) total += doseToVolumeUl(d, concentration, def);
  }
  return total;
}

/**
 * Everything the status page and the status endpoint show, computed once. Every value carries
 * the time it refers to; nothing here is "live" (safety rule 7). Two round trips: the patient
 * and pump, then everything else in parallel.
 */
export async function getPumpStatus(db: Db, patientId: string, now = new Date()) {
  const [row] = await db
    .select({
      patient: { id: patients.id, displayName: patients.displayName, timeZone: patients.timeZone, staleSyncThresholdSeconds: patients.staleSyncThresholdSeconds },
      pump: pumps,
    })
    .from(patients)
    .leftJoin(pumps, eq(pumps.patientId, patients.id))
    .where(eq(patients.id, patientId))
    .orderBy(desc(pumps.createdAt))
    .limit(1);
  if (!row) return null;
  const { patient, pump } = row;
  if (!pump) return { patient, pump: null } as const;

  const [[prescription], [bolusPermission], [reading], [nextRefill], recentBoluses] = await Promise.all([
    db.select().from(prescriptions).where(and(eq(prescriptions.pumpId, pump.id), lte(prescriptions.effectiveFrom, now))).orderBy(desc(prescriptions.version)).limit(1),
    db.select().from(bolusPermissions).where(and(eq(bolusPermissions.pumpId, pump.id), lte(bolusPermissions.effectiveFrom, now))).orderBy(desc(bolusPermissions.version)).limit(1),
    db.select().from(pumpStatusReadings).where(eq(pumpStatusReadings.pumpId, pump.id)).orderBy(desc(pumpStatusReadings.recordedAt)).limit(1),
    db
      .select({ appointment: refillAppointments, clinicianName: users.name })
      .from(refillAppointments)
      .leftJoin(users, eq(users.id, refillAppointments.clinicianUserId))
      .where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled")))
      .orderBy(asc(refillAppointments.scheduledAt))
      .limit(1),
    db
      .select({ payload: deviceEvents.payload })
      .from(deviceEvents)
      .where(and(eq(deviceEvents.pumpId, pump.id), eq(deviceEvents.type, "bolus_delivered"), gte(deviceEvents.occurredAt, new Date(now.getTime() - 7 * DAY_MS)))),
  ]);

  const bolusVolumeLast7DaysUl = prescription ? bolusVolume(recentBoluses.map((r) => r.payload), prescription.concentration, prescription.drug) : 0;
  const projection = projectRefill({
    reading: reading ? { reservoirUl: reading.reservoirUl, at: reading.recordedAt, deliveryPaused: reading.therapyState !== "running" } : null,
    capacityUl: pump.reservoirCapacityUl,
    prescription: prescription ?? null,
    bolusPermission: bolusPermission ?? null,
    bolusVolumeLast7DaysUl,
    now,
  });
  const drug = prescription ? getDrug(prescription.drug) : undefined;
  return {
    patient,
    pump,
    prescription: prescription ?? null,
    drug: drug ?? null,
    bolusPermission: bolusPermission ?? null,
    reading: reading
      ? {
          ...reading,
          stale: isStale(reading.recordedAt, now, patient.staleSyncThresholdSeconds),
          percent: Math.round((reading.reservoirUl / pump.reservoirCapacityUl) * 100),
          alarms: describeAlarmFlags(reading.alarmFlags),
        }
      : null,
    projection,
    explanation: explainProjection(projection, { timeZone: patient.timeZone }),
    nextRefill: nextRefill
      ? { ...nextRefill.appointment, clinicianName: nextRefill.clinicianName, check: compareAppointment(nextRefill.appointment.scheduledAt, projection) }
      : null,
    now,
  } as const;
}

export type PumpStatus = Extract<NonNullable<Awaited<ReturnType<typeof getPumpStatus>>>, { pump: object }>;

/** Past and cancelled refill appointments, newest first. */
export async function listRefillHistory(db: Db, pumpId: string, limit = 20) {
  return db
    .select({ appointment: refillAppointments, clinicianName: users.name })
    .from(refillAppointments)
    .leftJoin(users, eq(users.id, refillAppointments.clinicianUserId))
    .where(and(eq(refillAppointments.pumpId, pumpId), sql`${refillAppointments.status} <> 'scheduled'`))
    .orderBy(desc(refillAppointments.scheduledAt))
    .limit(limit);
}

/** Reservoir readings and bolus counts per local day for the history charts. */
export async function getHistory(db: Db, pumpId: string, timeZone: string, now = new Date(), days = 90) {
  const since = new Date(now.getTime() - days * DAY_MS);
  const readings = await db
    .select({ at: pumpStatusReadings.recordedAt, reservoirUl: pumpStatusReadings.reservoirUl })
    .from(pumpStatusReadings)
    .where(and(eq(pumpStatusReadings.pumpId, pumpId), gte(pumpStatusReadings.recordedAt, since)))
    .orderBy(asc(pumpStatusReadings.recordedAt));
  // Grouped here rather than in SQL: the local day depends on the patient's zone (and DST).
  const events = await db
    .select({ at: deviceEvents.occurredAt })
    .from(deviceEvents)
    .where(and(eq(deviceEvents.pumpId, pumpId), eq(deviceEvents.type, "bolus_delivered"), gte(deviceEvents.occurredAt, since)))
    .orderBy(asc(deviceEvents.occurredAt));
  const perDay = new Map<string, number>();
  for (const e of events) {
    const day = localDateKey(e.at, timeZone);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const boluses = [...perDay.entries()].map(([day, count]) => ({ day, count }));
  return { readings, boluses, since };
}
