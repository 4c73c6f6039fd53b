import "server-only";
import { and, desc, eq, gte, inArray, lte, ne, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { alarms, bolusRequests, deviceEvents, patients, pumps, refillAppointments } from "@/db/schema";
import { getPumpStatus } from "@/lib/pump/status-query";
import { RENOTIFY_SECONDS } from "./catalogue";
import { enqueueAlarmMessages } from "./outbox";
import { BOLUS_NOTICE_WINDOW_MS, deriveAlarms, planAlarmChanges, VIOLATION_LOOKBACK_MS, type AlarmSnapshot } from "./rules";

export interface EvaluationResult {
  raised: number;
  resolved: number;
  /** Push messages queued in the outbox (sent by deliverDue: right after a sync, or by the tick). */
  queued: number;
}

/** Everything the rules look at for one patient, read inside the evaluation's transaction. */
async function loadSnapshot(db: Db, patientId: string, now: Date): Promise<AlarmSnapshot | null> {
  const [patient] = await db
    .select({ threshold: patients.staleSyncThresholdSeconds })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  if (!patient) return null;
  const status = await getPumpStatus(db, patientId, now);
  if (!status || !status.pump) {
    return {
      now,
      hasPump: false,
      pumpCreatedAt: null,
      staleSyncThresholdSeconds: patient.threshold,
      latestReadingAt: null,
      deviceFlags: null,
      deviceFlagsAt: null,
      scheduledAppointments: [],
      projection: null,
      violations: [],
      deliveredBoluses: [],
    };
  }
  const { pump, reading } = status;
  const [alarmEvent] = await db
    .select({ at: deviceEvents.occurredAt, payload: deviceEvents.payload })
    .from(deviceEvents)
    .where(and(eq(deviceEvents.pumpId, pump.id), inArray(deviceEvents.type, ["alarm_raised", "alarm_cleared"])))
    .orderBy(desc(deviceEvents.occurredAt), desc(deviceEvents.deviceSeq))
    .limit(1);
  let deviceFlags = reading ? reading.alarmFlags : null;
  let deviceFlagsAt = reading ? reading.recordedAt : null;
  const eventFlags = alarmEvent?.payload.alarmFlags;
  // Each alarm record carries the device's whole flag set: a record newer than the last status
  // reading is the better picture of the device now.
  if (alarmEvent && typeof eventFlags === "number" && Number.isInteger(eventFlags) && (!deviceFlagsAt || alarmEvent.at > deviceFlagsAt)) {
    deviceFlags = eventFlags;
    deviceFlagsAt = alarmEvent.at;
  }
  const scheduled = await db
    .select({ id: refillAppointments.id, scheduledAt: refillAppointments.scheduledAt })
    .from(refillAppointments)
    .where(and(eq(refillAppointments.pumpId, pump.id), eq(refillAppointments.status, "scheduled")));
  const bolusAt = sql<Date>`coalesce(${bolusRequests.deliveredAt}, ${bolusRequests.requestedAt})`.mapWith(bolusRequests.requestedAt);
  const violations = await db
    .select({ id: bolusRequests.id, at: bolusAt })
    .from(bolusRequests)
    .where(
      and(
        eq(bolusRequests.pumpId, pump.id),
        eq(bolusRequests.limitViolation, true),
        gte(sql`coalesce(${bolusRequests.deliveredAt}, ${bolusRequests.requestedAt})`, new Date(now.getTime() - VIOLATION_LOOKBACK_MS)),
      ),
    );
  const delivered = await db
    .select({ id: bolusRequests.id, deliveredAt: bolusRequests.deliveredAt })
    .from(bolusRequests)
    .where(
      and(
        eq(bolusRequests.pumpId, pump.id),
        eq(bolusRequests.state, "confirmed"),
        gte(bolusRequests.deliveredAt, new Date(now.getTime() - BOLUS_NOTICE_WINDOW_MS)),
        lte(bolusRequests.deliveredAt, new Date(now.getTime() + 3_600_000)),
      ),
    );
  return {
    now,
    hasPump: true,
    pumpCreatedAt: pump.createdAt,
    staleSyncThresholdSeconds: patient.threshold,
    latestReadingAt: reading?.recordedAt ?? null,
    deviceFlags,
    deviceFlagsAt,
    scheduledAppointments: scheduled,
    projection: status.projection,
    violations,
    deliveredBoluses: delivered.filter((d): d is { id: string; deliveredAt: Date } => d.deliveredAt !== null),
  };
}

/**
 * Brings one patient's alarms up to date with the database: raises what the data calls for,
 * resolves what has cleared (queuing an all clear), and queues the push messages — all in one
 * transaction, so an alarm and its messages exist together or not at all. Idempotent: running
 * it again without new data changes nothing. Evaluations of one patient are serialised by an
 * advisory lock, so a sync and a tick at the same moment cannot raise the same alarm twice.
 */
export async function evaluatePatientAlarms(db: Db, patientId: string, now: Date = new Date()): Promise<EvaluationResult> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"alarms:" + patientId}))`);
    const snapshot = await loadSnapshot(tx, patientId, now);
    if (!snapshot) return { raised: 0, resolved: 0, queued: 0 };
    const want = deriveAlarms(snapshot);
    const open = await tx
      .select({ id: alarms.id, kind: alarms.kind, dedupeKey: alarms.dedupeKey })
      .from(alarms)
      .where(and(eq(alarms.patientId, patientId), ne(alarms.state, "resolved")));
    const onceKeys = want.filter((w) => w.lifecycle !== "condition").map((w) => w.dedupeKey);
    const ever = onceKeys.length
      ? await tx.select({ key: alarms.dedupeKey }).from(alarms).where(and(eq(alarms.patientId, patientId), inArray(alarms.dedupeKey, onceKeys)))
      : [];
    const plan = planAlarmChanges(want, open, new Set(ever.map((e) => e.key)));

    let raised = 0;
    let queued = 0;
    for (const a of plan.raise) {
      const renotify = RENOTIFY_SECONDS[a.severity];
      const notice = a.lifecycle === "notice";
      const [row] = await tx
        .insert(alarms)
        .values({
          patientId,
          kind: a.kind,
          severity: a.severity,
          dedupeKey: a.dedupeKey,
          // Information needs no acknowledgement: it is stored closed, and sent once.
          state: notice ? "resolved" : "active",
          raisedAt: now,
          resolvedAt: notice ? now : null,
          nextNotifyAt: notice || renotify === null ? null : new Date(now.getTime() + renotify * 1000),
          detail: a.detail,
        })
        .onConflictDoNothing({ target: [alarms.patientId, alarms.dedupeKey], where: sql`${alarms.state} <> 'resolved'` })
        .returning();
      if (!row) continue;
      raised++;
      queued += await enqueueAlarmMessages(tx, { alarm: row, messageKind: "raise", round: 0, now });
    }

    let resolved = 0;
    if (plan.resolve.length) {
      const rows = await tx
        .update(alarms)
        .set({ state: "resolved", resolvedAt: now, nextNotifyAt: null })
        .where(and(inArray(alarms.id, plan.resolve), ne(alarms.state, "resolved")))
        .returning();
      for (const row of rows) {
        resolved++;
        queued += await enqueueAlarmMessages(tx, { alarm: row, messageKind: "all_clear", round: 0, now });
      }
    }
    return { raised, resolved, queued };
  });
}

/** Patients the tick evaluates: everyone with a pump, and anyone with an alarm still open. */
export async function patientsToEvaluate(db: Db): Promise<string[]> {
  const withPump = await db.selectDistinct({ id: pumps.patientId }).from(pumps);
  const withOpen = await db.selectDistinct({ id: alarms.patientId }).from(alarms).where(ne(alarms.state, "resolved"));
  return [...new Set([...withPump, ...withOpen].map((r) => r.id))];
}
