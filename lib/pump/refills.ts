import "server-only";
import { and, desc, eq } from "drizzle-orm";
import type { z } from "zod";
import type { Db } from "@/db";
import { patients, pumps, pumpStatusReadings, refillAppointments } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { authorizePatient, type Actor } from "@/lib/auth/guard";
import { ALARM_BITS } from "@/lib/pump-link/types";
import { AppError } from "@/lib/http/errors";
import { LocalTimeError, zonedLocalToUtc } from "./local-time";
import type { completeRefillSchema, moveRefillSchema, scheduleRefillSchema } from "./refill-schema";

async function patientPump(db: Db, patientId: string) {
  const [row] = await db
    .select({ pump: pumps, timeZone: patients.timeZone })
    .from(pumps)
    .innerJoin(patients, eq(patients.id, pumps.patientId))
    .where(eq(pumps.patientId, patientId))
    .orderBy(desc(pumps.createdAt))
    .limit(1);
  if (!row) throw new AppError(404, "not_found:pump", "No pump is registered for this patient.");
  return row;
}

function toUtc(local: string, timeZone: string, now: Date): Date {
  let at: Date;
  try {
    at = zonedLocalToUtc(local, timeZone);
  } catch (e) {
    if (e instanceof LocalTimeError) throw new AppError(400, "bad_request:time", e.message, { scheduledAtLocal: e.message });
    throw e;
  }
  if (at.getTime() < now.getTime() - 3600_000) {
    throw new AppError(400, "bad_request:time", "That time is in the past.", { scheduledAtLocal: "That time is in the past." });
  }
  return at;
}

const notScheduled = () => new AppError(409, "conflict:appointment", "That appointment is no longer booked (it was completed or cancelled). Reload the page.");

export async function scheduleRefill(db: Db, actor: Actor, patientId: string, input: z.infer<typeof scheduleRefillSchema>, now = new Date()) {
  await authorizePatient(db, actor, patientId, "refills:write");
  const { pump, timeZone } = await patientPump(db, patientId);
  const scheduledAt = toUtc(input.scheduledAtLocal, timeZone, now);
  const [row] = await db
    .insert(refillAppointments)
    .values({ pumpId: pump.id, scheduledAt, durationMinutes: input.durationMinutes, location: input.location, clinicianUserId: actor.userId })
    .returning({ id: refillAppointments.id });
  await audit(db, { actorUserId: actor.userId, patientId, action: "refills:schedule", outcome: "done", detail: { appointmentId: row?.id } });
  return row!;
}

async function updateScheduled(db: Db, pumpId: string, appointmentId: string, set: Partial<typeof refillAppointments.$inferInsert>) {
  const rows = await db
    .update(refillAppointments)
    .set({ ...set, updatedAt: new Date() })
    .where(and(eq(refillAppointments.id, appointmentId), eq(refillAppointments.pumpId, pumpId), eq(refillAppointments.status, "scheduled")))
    .returning({ id: refillAppointments.id });
  if (rows.length === 0) throw notScheduled();
}

export async function moveRefill(db: Db, actor: Actor, patientId: string, input: z.infer<typeof moveRefillSchema>, now = new Date()) {
  await authorizePatient(db, actor, patientId, "refills:write");
  const { pump, timeZone } = await patientPump(db, patientId);
  await updateScheduled(db, pump.id, input.appointmentId, { scheduledAt: toUtc(input.scheduledAtLocal, timeZone, now) });
  await audit(db, { actorUserId: actor.userId, patientId, action: "refills:move", outcome: "done", detail: { appointmentId: input.appointmentId } });
}

export async function cancelRefill(db: Db, actor: Actor, patientId: string, appointmentId: string) {
  await authorizePatient(db, actor, patientId, "refills:write");
  const { pump } = await patientPump(db, patientId);
  await updateScheduled(db, pump.id, appointmentId, { status: "cancelled" });
  await audit(db, { actorUserId: actor.userId, patientId, action: "refills:cancel", outcome: "done", detail: { appointmentId } });
}

const CLEARED_BY_REFILL = ~((1 << ALARM_BITS.lowReservoir) | (1 << ALARM_BITS.emptyReservoir));

/**
 * Completing records what was added and the new reservoir volume as a status reading, in one
 * transaction: the projection restarts from the refilled reservoir.
 */
export async function completeRefill(db: Db, actor: Actor, patientId: string, input: z.infer<typeof completeRefillSchema>, now = new Date()) {
  await authorizePatient(db, actor, patientId, "refills:write");
  const { pump } = await patientPump(db, patientId);
  if (input.newReservoirUl > pump.reservoirCapacityUl) {
    const m = `The reservoir holds at most ${pump.reservoirCapacityUl} µL.`;
    throw new AppError(400, "bad_request:volume", m, { newReservoirUl: m });
  }
  if (input.volumeAddedUl > input.newReservoirUl) {
    const m = "The volume added cannot be more than the new reservoir volume.";
    throw new AppError(400, "bad_request:volume", m, { volumeAddedUl: m });
  }
  await db.transaction(async (tx) => {
    const rows = await tx
      .update(refillAppointments)
      .set({ status: "completed", completedAt: now, volumeAddedUl: input.volumeAddedUl, newReservoirUl: input.newReservoirUl, updatedAt: now })
      .where(and(eq(refillAppointments.id, input.appointmentId), eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled")))
      .returning({ id: refillAppointments.id });
    if (rows.length === 0) throw notScheduled();
    const [last] = await tx.select().from(pumpStatusReadings).where(eq(pumpStatusReadings.pumpId, pump.id)).orderBy(desc(pumpStatusReadings.recordedAt)).limit(1);
    await tx.insert(pumpStatusReadings).values({
      pumpId: pump.id,
      recordedAt: now,
      receivedAt: now,
      reservoirUl: input.newReservoirUl,
      batteryPercent: last?.batteryPercent ?? null,
      alarmFlags: (last?.alarmFlags ?? 0) & CLEARED_BY_REFILL,
      therapyState: last?.therapyState ?? "running",
      source: "refill",
    });
    await audit(tx as unknown as Db, { actorUserId: actor.userId, patientId, action: "refills:complete", outcome: "done", detail: { appointmentId: input.appointmentId, volumeAddedUl: input.volumeAddedUl } });
  });
}
