import "server-only";
import { and, count, desc, eq, max, min } from "drizzle-orm";
import type { Db } from "@/db";
import { deviceEvents, pumps, pumpStatusReadings } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { reconcileSyncedBoluses } from "@/lib/bolus/reconcile";
import { AppError } from "@/lib/http/errors";
import { recordPayload, type SyncStateJson, type SyncUpload, type SyncUploadResult } from "./schema";

type Reconcile = typeof reconcileSyncedBoluses;

/** The patient's current pump (the newest registered), as the status page picks it. */
async function currentPump(db: Db, patientId: string) {
  const [pump] = await db
    .select({ id: pumps.id, reservoirCapacityUl: pumps.reservoirCapacityUl })
    .from(pumps)
    .where(eq(pumps.patientId, patientId))
    .orderBy(desc(pumps.createdAt))
    .limit(1);
  if (!pump) throw new AppError(404, "not_found:pump", "No pump is registered for this patient yet, so there is nowhere to store synced records.");
  return pump;
}

const mL = (ul: number) => `${(ul / 1000).toLocaleString("en-GB", { maximumFractionDigits: 1 })} mL`;

/**
 * Stores one upload from the patient's phone: a status reading and the pump's records, all or
 * nothing, in one transaction. Records already stored (same pump, log and sequence number) are
 * ignored and counted, so a retried or overlapping upload is harmless. Newly stored bolus records
 * are re-checked against the permission in force (lib/bolus/reconcile) inside the same
 * transaction, so a limit violation can never be stored without its flag.
 *
 * The caller has already authorised the actor for "sync:write" on this patient.
 */
export async function ingestSync(
  db: Db,
  input: { patientId: string; actorUserId: string; upload: SyncUpload; now?: Date },
  deps: { reconcile?: Reconcile } = {},
): Promise<SyncUploadResult> {
  const { patientId, upload } = input;
  const now = input.now ?? new Date();
  const reconcile = deps.reconcile ?? reconcileSyncedBoluses;
  const pump = await currentPump(db, patientId);
  const { logId, status } = upload.device;

  // The registered capacity is the one identity check the protocol lets us make (the serial number
  // is hidden from web pages): records from another pump must not land in this patient's history.
  if (status.capacityUl !== pump.reservoirCapacityUl) {
    throw new AppError(
      422,
      "unprocessable:pump_mismatch",
      `The pump reports a ${mL(status.capacityUl)} reservoir, but the pump registered for this patient holds ${mL(pump.reservoirCapacityUl)}. ` +
        "This looks like a different pump, so nothing was stored. Ask your clinic to check which pump is registered.",
    );
  }

  // A reading dated in the future would look fresh forever and hide a stale status (safety rule 7).
  // The phone read the status just before uploading, so "now" is the truthful upper bound.
  const deviceTime = new Date(status.deviceTime * 1000);
  const recordedAt = deviceTime.getTime() > now.getTime() ? now : deviceTime;

  return db.transaction(async (tx) => {
    let readingStored = false;
    // Chunked uploads of one sync carry the same status: store it once.
    const [sameReading] = await tx
      .select({ id: pumpStatusReadings.id })
      .from(pumpStatusReadings)
      .where(and(eq(pumpStatusReadings.pumpId, pump.id), eq(pumpStatusReadings.source, "sync"), eq(pumpStatusReadings.recordedAt, recordedAt)))
      .limit(1);
    if (!sameReading) {
      await tx.insert(pumpStatusReadings).values({
        pumpId: pump.id,
        recordedAt,
        receivedAt: now,
        reservoirUl: status.reservoirUl,
        batteryPercent: status.batteryPercent,
        alarmFlags: status.alarmFlags,
        therapyState: status.therapyState,
        source: "sync",
      });
      readingStored = true;
    }

    const inserted = upload.records.length
      ? await tx
          .insert(deviceEvents)
          .values(
            upload.records.map((r) => ({
              pumpId: pump.id,
              logId,
              deviceSeq: r.seq,
              occurredAt: new Date(r.time * 1000),
              type: r.kind,
              payload: recordPayload(r),
              receivedAt: now,
            })),
          )
          .onConflictDoNothing({ target: [deviceEvents.pumpId, deviceEvents.logId, deviceEvents.deviceSeq] })
          .returning({
            deviceSeq: deviceEvents.deviceSeq,
            logId: deviceEvents.logId,
            occurredAt: deviceEvents.occurredAt,
            type: deviceEvents.type,
            payload: deviceEvents.payload,
          })
      : [];

    if (inserted.length > 0) {
      // Typed for the top-level Db; a transaction offers the same query surface.
      await reconcile(tx as unknown as Db, { pumpId: pump.id, patientId, events: inserted });
    }

    const [last] = await tx
      .select({ lastSeq: max(deviceEvents.deviceSeq) })
      .from(deviceEvents)
      .where(and(eq(deviceEvents.pumpId, pump.id), eq(deviceEvents.logId, logId)));

    const result: SyncUploadResult = {
      newEvents: inserted.length,
      duplicateEvents: upload.records.length - inserted.length,
      lastSeq: Number(last?.lastSeq ?? 0),
      readingStored,
    };
    // Counts and ids only: no health data in the audit trail.
    await audit(tx as unknown as Db, {
      actorUserId: input.actorUserId,
      patientId,
      action: "sync:upload",
      outcome: "done",
      detail: { uploadId: upload.uploadId, logId, ...result },
    });
    return result;
  });
}

/**
 * Where the phone resumes and what the server holds, for one log (`logId`) or, without it, for the
 * log of the most recently stored event.
 */
export async function getSyncState(db: Db, patientId: string, logId?: number): Promise<SyncStateJson> {
  const pump = await currentPump(db, patientId);
  let log: number | null = logId ?? null;
  if (log === null) {
    const [latest] = await db
      .select({ logId: deviceEvents.logId })
      .from(deviceEvents)
      .where(eq(deviceEvents.pumpId, pump.id))
      .orderBy(desc(deviceEvents.id))
      .limit(1);
    log = latest?.logId ?? null;
  }
  const [stats] =
    log === null
      ? [undefined]
      : await db
          .select({ lastSeq: max(deviceEvents.deviceSeq), firstSeq: min(deviceEvents.deviceSeq), eventCount: count() })
          .from(deviceEvents)
          .where(and(eq(deviceEvents.pumpId, pump.id), eq(deviceEvents.logId, log)));
  const [lastEvent] = await db.select({ at: max(deviceEvents.receivedAt) }).from(deviceEvents).where(eq(deviceEvents.pumpId, pump.id));
  const [lastReading] = await db
    .select({ at: max(pumpStatusReadings.receivedAt) })
    .from(pumpStatusReadings)
    .where(and(eq(pumpStatusReadings.pumpId, pump.id), eq(pumpStatusReadings.source, "sync")));
  const times = [lastEvent?.at, lastReading?.at].filter((d): d is Date => d instanceof Date).map((d) => d.getTime());
  return {
    logId: log,
    lastSeq: Number(stats?.lastSeq ?? 0),
    firstSeq: Number(stats?.firstSeq ?? 0),
    eventCount: Number(stats?.eventCount ?? 0),
    lastSyncAt: times.length ? new Date(Math.max(...times)).toISOString() : null,
  };
}
