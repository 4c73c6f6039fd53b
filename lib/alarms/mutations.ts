import "server-only";
import { and, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { alarmPreferences, alarms, alarmSnoozes, type Alarm } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { authorizePatient, type Actor } from "@/lib/auth/guard";
import { AppError, badRequest, notFound } from "@/lib/http/errors";
import { alarmKindDefinition } from "./catalogue";
import { enqueueAlarmMessages } from "./outbox";
import { alarmIdSchema, type PreferencesInput } from "./schemas";

/** Loads an alarm and authorises the actor for its patient; unknown and forbidden look alike (404). */
export async function authorizedAlarm(db: Db, actor: Actor, alarmId: string, action: "alarms:read" | "alarms:ack"): Promise<Alarm> {
  if (!alarmIdSchema.safeParse(alarmId).success) throw notFound("That alarm");
  const [alarm] = await db.select().from(alarms).where(eq(alarms.id, alarmId)).limit(1);
  if (!alarm) throw notFound("That alarm");
  await authorizePatient(db, actor, alarm.patientId, action);
  return alarm;
}

export interface AckResult {
  /** False when someone had already acknowledged it (or it had ended): the first acknowledgement stands. */
  changed: boolean;
  alarm: Alarm;
  /** Messages queued to tell the other followers. */
  queued: number;
}

/**
 * Acknowledges an alarm for everyone who follows it: reminders stop, and every device that was
 * alerted gets a quiet "acknowledged by …" that replaces the alarm notification. A past fact
 * (a limit violation) is closed by its acknowledgement; a condition stays visible, acknowledged,
 * until it clears.
 */
export async function acknowledgeAlarm(db: Db, actor: Actor, alarmId: string, now: Date = new Date()): Promise<AckResult> {
  const alarm = await authorizedAlarm(db, actor, alarmId, "alarms:ack");
  const closesOnAck = alarmKindDefinition(alarm.kind).lifecycle !== "condition";
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const [updated] = await tx
      .update(alarms)
      .set({
        state: closesOnAck ? "resolved" : "acknowledged",
        acknowledgedAt: now,
        acknowledgedByUserId: actor.userId,
        nextNotifyAt: null,
        ...(closesOnAck ? { resolvedAt: now } : {}),
      })
      .where(and(eq(alarms.id, alarm.id), eq(alarms.state, "active")))
      .returning();
    if (!updated) {
      const [current] = await tx.select().from(alarms).where(eq(alarms.id, alarm.id)).limit(1);
      return { changed: false, alarm: current ?? alarm, queued: 0 };
    }
    const queued = await enqueueAlarmMessages(tx, { alarm: updated, messageKind: "acknowledged", round: 0, now, acknowledgedBy: { name: actor.name, at: now } });
    await audit(tx, { actorUserId: actor.userId, patientId: alarm.patientId, action: "alarms:ack", outcome: "done", detail: { alarmId: alarm.id, kind: alarm.kind } });
    return { changed: true, alarm: updated, queued };
  });
}

/**
 * Silences reminders of one warning for this user only (others keep getting them). Critical
 * alarms cannot be snoozed: they repeat for everyone until someone acknowledges (safety rule 5).
 */
export async function snoozeAlarm(db: Db, actor: Actor, alarmId: string, minutes: number, now: Date = new Date()): Promise<{ until: Date }> {
  const alarm = await authorizedAlarm(db, actor, alarmId, "alarms:read");
  if (alarm.severity === "critical") {
    throw badRequest("snooze", "Critical alarms cannot be snoozed: they repeat until someone acknowledges them.");
  }
  if (alarm.severity === "info") throw badRequest("snooze", "Information notifications are sent once; there is nothing to snooze.");
  if (alarm.state !== "active") throw new AppError(409, "conflict:snooze", "This alarm is no longer waiting for anyone, so there is nothing to snooze.");
  const until = new Date(now.getTime() + minutes * 60_000);
  await db
    .insert(alarmSnoozes)
    .values({ alarmId: alarm.id, userId: actor.userId, until })
    .onConflictDoUpdate({ target: [alarmSnoozes.alarmId, alarmSnoozes.userId], set: { until } });
  await audit(db, { actorUserId: actor.userId, patientId: alarm.patientId, action: "alarms:snooze", outcome: "done", detail: { alarmId: alarm.id, minutes } });
  return { until };
}

export async function cancelSnooze(db: Db, actor: Actor, alarmId: string): Promise<void> {
  const alarm = await authorizedAlarm(db, actor, alarmId, "alarms:read");
  await db.delete(alarmSnoozes).where(and(eq(alarmSnoozes.alarmId, alarm.id), eq(alarmSnoozes.userId, actor.userId)));
}

/** Per follower and patient: warnings (default on) and information (default off). Critical cannot be turned off. */
export async function setAlarmPreferences(db: Db, actor: Actor, input: PreferencesInput, now: Date = new Date()) {
  await authorizePatient(db, actor, input.patientId, "alarms:read");
  await db
    .insert(alarmPreferences)
    .values({ userId: actor.userId, patientId: input.patientId, warnings: input.warnings, info: input.info, updatedAt: now })
    .onConflictDoUpdate({ target: [alarmPreferences.userId, alarmPreferences.patientId], set: { warnings: input.warnings, info: input.info, updatedAt: now } });
  return { patientId: input.patientId, warnings: input.warnings, info: input.info };
}
