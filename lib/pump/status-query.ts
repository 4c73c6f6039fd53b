import "server-only";
import { and, asc, desc, eq, gte, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { preparedPer, statementName } from "@/db/prepared";
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

/** A row from a LEFT JOIN LATERAL that found nothing comes back with every column null. */
function present<T extends { id: unknown }>(row: T | null | undefined): T | null {
  return row && row.id !== null && row.id !== undefined ? row : null;
}

/**
 * The patient, their newest pump, and everything the status needs, in ONE round trip: each part
 * is a LEFT JOIN LATERAL on the pump (same rows as separate queries would read, one statement so
 * one consistent snapshot), prepared once per database handle (db/prepared.ts).
 */
const statusQuery = preparedPer((db: Db) => {
  const now = sql.placeholder("now");
  const since = sql.placeholder("since");
  const pump = db.select().from(pumps).where(eq(pumps.patientId, patients.id)).orderBy(desc(pumps.createdAt)).limit(1).as("st_pump");
  const prescription = db
    .select()
    .from(prescriptions)
    .where(and(eq(prescriptions.pumpId, pump.id), lte(prescriptions.effectiveFrom, now)))
    .orderBy(desc(prescriptions.version))
    .limit(1)
    .as("st_prescription");
  const permission = db
    .select()
    .from(bolusPermissions)
    .where(and(eq(bolusPermissions.pumpId, pump.id), lte(bolusPermissions.effectiveFrom, now)))
    .orderBy(desc(bolusPermissions.version))
    .limit(1)
    .as("st_permission");
  const reading = db
    .select()
    .from(pumpStatusReadings)
    .where(eq(pumpStatusReadings.pumpId, pump.id))
    .orderBy(desc(pumpStatusReadings.recordedAt))
    .limit(1)
    .as("st_reading");
  const refill = db
    .select()
    .from(refillAppointments)
    .where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled")))
    .orderBy(asc(refillAppointments.scheduledAt))
    .limit(1)
    .as("st_refill");
  return db
    .select({
      patient: { id: patients.id, displayName: patients.displayName, timeZone: patients.timeZone, staleSyncThresholdSeconds: patients.staleSyncThresholdSeconds },
      pump: pump._.selectedFields,
      prescription: prescription._.selectedFields,
      bolusPermission: permission._.selectedFields,
      reading: reading._.selectedFields,
      nextRefill: refill._.selectedFields,
      clinicianName: users.name,
      // Device-reported boluses of the last 7 days (the device is the authority on delivery).
      recentBolusPayloads: sql<Record<string, unknown>[]>`coalesce((
        select jsonb_agg(${deviceEvents.payload}) from ${deviceEvents}
        where ${deviceEvents.pumpId} = ${pump.id} and ${deviceEvents.type} = 'bolus_delivered' and ${deviceEvents.occurredAt} >= ${since}
      ), '[]'::jsonb)`,
    })
    .from(patients)
    .leftJoinLateral(pump, sql`true`)
    .leftJoinLateral(prescription, sql`true`)
    .leftJoinLateral(permission, sql`true`)
    .leftJoinLateral(reading, sql`true`)
    .leftJoinLateral(refill, sql`true`)
    .leftJoin(users, eq(users.id, refill.clinicianUserId))
    .where(eq(patients.id, sql.placeholder("patientId")))
    .prepare(statementName("pump_status_v1"));
});

async function readStatusRows(db: Db, patientId: string, now: Date) {
  const [row] = await statusQuery(db).execute({ patientId, now, since: new Date(now.getTime() - 7 * DAY_MS) });
  return row;
}

/** jsonb arrives parsed from node-postgres and PGlite; @vercel/postgres may hand back text. */
function asPayloads(v: unknown): Record<string, unknown>[] {
  const parsed: unknown = typeof v === "string" ? JSON.parse(v) : v;
  return Array.isArray(parsed) ? (parsed as Record<string, unknown>[]) : [];
}

/**
 * Everything the status page and the status endpoint show, computed once. Every value carries
 * the time it refers to; nothing here is "live" (safety rule 7). One round trip.
 */
export async function getPumpStatus(db: Db, patientId: string, now = new Date()) {
  const row = await readStatusRows(db, patientId, now);
  if (!row) return null;
  const patient = row.patient;
  const pump = present(row.pump);
  if (!pump) return { patient, pump: null } as const;
  const prescription = present(row.prescription);
  const bolusPermission = present(row.bolusPermission);
  const reading = present(row.reading);
  const nextRefill = present(row.nextRefill);

  const bolusVolumeLast7DaysUl = prescription ? bolusVolume(asPayloads(row.recentBolusPayloads), prescription.concentration, prescription.drug) : 0;
  const projection = projectRefill({
    reading: reading ? { reservoirUl: reading.reservoirUl, at: reading.recordedAt, deliveryPaused: reading.therapyState !== "running" } : null,
    capacityUl: pump.reservoirCapacityUl,
    prescription,
    bolusPermission,
    bolusVolumeLast7DaysUl,
    now,
  });
  const drug = prescription ? getDrug(prescription.drug) : undefined;
  return {
    patient,
    pump,
    prescription,
    drug: drug ?? null,
    bolusPermission,
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
    nextRefill: nextRefill ? { ...nextRefill, clinicianName: row.clinicianName, check: compareAppointment(nextRefill.scheduledAt, projection) } : null,
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
