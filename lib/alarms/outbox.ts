import "server-only";
import { and, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { alarmPreferences, alarmSnoozes, patients, pushOutbox, pushSubscriptions, type Alarm } from "@/db/schema";
import { buildAlarmPayload, type MessageKind } from "./payload";
import { alarmRecipients, type AlarmRecipient } from "./recipients";

export type AlarmForMessage = Pick<Alarm, "id" | "patientId" | "kind" | "severity" | "detail">;

export interface EnqueueInput {
  alarm: AlarmForMessage;
  messageKind: Exclude<MessageKind, "test">;
  round: number;
  now: Date;
  acknowledgedBy?: { name: string; at: Date } | null;
}

const INSERT_CHUNK = 500;

/**
 * next_attempt_at of a message that will never be sent (given up, or no longer wanted): it stays
 * in the table with its reason in last_error, and the due-query never picks it up.
 */
export const NEVER = new Date("9999-12-31T00:00:00.000Z");

/** Preferences may mute warnings and info, never critical (safety rule 5). Defaults: warnings on, info off. */
export function wantsSeverity(severity: Alarm["severity"], pref: { warnings: boolean; info: boolean } | undefined): boolean {
  if (severity === "critical") return true;
  if (severity === "warning") return pref?.warnings ?? true;
  return pref?.info ?? false;
}

/**
 * Queues one outbox row per subscription that should get this message (the transactional
 * outbox: call it in the same transaction that changed the alarm). Idempotent: the unique
 * (alarm, subscription, kind, round) key makes a repeated call queue nothing.
 *
 * - raise / renotify go to everyone who receives the patient's alarms now, minus those who muted
 *   the severity (never critical) and, for reminders, those who snoozed this warning;
 * - all_clear / acknowledged go only to the devices that were sent (or were being sent) the alarm.
 */
export async function enqueueAlarmMessages(db: Db, input: EnqueueInput): Promise<number> {
  const { alarm, messageKind, round, now } = input;
  const recipients = await alarmRecipients(db, [alarm.patientId]);
  if (recipients.length === 0) return 0;
  let targets: AlarmRecipient[] = recipients;
  let onlySubscriptions: Set<string> | null = null;

  if (messageKind === "raise" || messageKind === "renotify") {
    if (alarm.severity !== "critical") {
      const prefs = await db
        .select()
        .from(alarmPreferences)
        .where(and(eq(alarmPreferences.patientId, alarm.patientId), inArray(alarmPreferences.userId, recipients.map((r) => r.userId))));
      const prefByUser = new Map(prefs.map((p) => [p.userId, p]));
      targets = targets.filter((r) => wantsSeverity(alarm.severity, prefByUser.get(r.userId)));
      if (messageKind === "renotify") {
        const snoozed = await db
          .select({ userId: alarmSnoozes.userId })
          .from(alarmSnoozes)
          .where(and(eq(alarmSnoozes.alarmId, alarm.id), gt(alarmSnoozes.until, now)));
        const snoozedUsers = new Set(snoozed.map((s) => s.userId));
        targets = targets.filter((r) => !snoozedUsers.has(r.userId));
      }
    }
  } else {
    const notified = await db
      .selectDistinct({ subscriptionId: pushOutbox.subscriptionId })
      .from(pushOutbox)
      .where(
        and(
          eq(pushOutbox.alarmId, alarm.id),
          inArray(pushOutbox.kind, ["raise", "renotify"]),
          // Sent, or attempted (it may have reached the device even if we never heard back).
          or(isNotNull(pushOutbox.sentAt), gt(pushOutbox.attempts, 0)),
        ),
      );
    onlySubscriptions = new Set(notified.map((n) => n.subscriptionId));
    if (onlySubscriptions.size === 0) return 0;
  }
  if (targets.length === 0) return 0;

  const subs = await db
    .select({ id: pushSubscriptions.id, userId: pushSubscriptions.userId })
    .from(pushSubscriptions)
    .where(inArray(pushSubscriptions.userId, targets.map((t) => t.userId)));
  const [patient] = await db.select({ displayName: patients.displayName, timeZone: patients.timeZone }).from(patients).where(eq(patients.id, alarm.patientId)).limit(1);
  if (!patient) return 0;
  const byUser = new Map(targets.map((t) => [t.userId, t]));
  const rows: (typeof pushOutbox.$inferInsert)[] = [];
  for (const sub of subs) {
    if (onlySubscriptions && !onlySubscriptions.has(sub.id)) continue;
    const recipient = byUser.get(sub.userId);
    if (!recipient) continue;
    const payload = buildAlarmPayload({
      alarm,
      messageKind,
      round,
      recipientIsPatient: recipient.isPatient,
      patient,
      acknowledgedBy: input.acknowledgedBy ?? null,
    });
    rows.push({ alarmId: alarm.id, subscriptionId: sub.id, kind: messageKind, round, payload, nextAttemptAt: now, createdAt: now });
  }
  let queued = 0;
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const inserted = await db
      .insert(pushOutbox)
      .values(rows.slice(i, i + INSERT_CHUNK))
      .onConflictDoNothing({ target: [pushOutbox.alarmId, pushOutbox.subscriptionId, pushOutbox.kind, pushOutbox.round] })
      .returning({ id: pushOutbox.id });
    queued += inserted.length;
  }
  return queued;
}

/** Per message kind: delivered, still being tried, and not delivered (given up or no longer wanted). */
export async function deliverySummary(db: Db, alarmId: string) {
  const rows = await db
    .select({
      kind: pushOutbox.kind,
      sent: sql<number>`count(*) filter (where ${pushOutbox.sentAt} is not null)`.mapWith(Number),
      pending: sql<number>`count(*) filter (where ${pushOutbox.sentAt} is null and ${pushOutbox.nextAttemptAt} < ${NEVER.toISOString()}::timestamptz)`.mapWith(Number),
      failed: sql<number>`count(*) filter (where ${pushOutbox.sentAt} is null and ${pushOutbox.nextAttemptAt} >= ${NEVER.toISOString()}::timestamptz)`.mapWith(Number),
    })
    .from(pushOutbox)
    .where(eq(pushOutbox.alarmId, alarmId))
    .groupBy(pushOutbox.kind);
  return rows;
}
