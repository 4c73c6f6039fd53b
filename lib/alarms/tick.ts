import "server-only";
import { and, isNotNull, lt, or, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { alarmSnoozes, pushOutbox } from "@/db/schema";
import { deliverDue, NEVER, type DeliveryOptions, type DeliveryReport } from "./deliver";
import { renotifyDue } from "./escalation";
import { evaluatePatientAlarms, patientsToEvaluate } from "./evaluate";

/** Sent and abandoned messages are kept this long for the alarm pages, then purged. */
export const OUTBOX_RETENTION_MS = 30 * 24 * 3_600_000;

export interface TickReport {
  at: string;
  evaluated: number;
  raised: number;
  resolved: number;
  /** Patients whose evaluation failed (logged; the others still ran). */
  evaluationErrors: number;
  reminders: number;
  delivery: DeliveryReport;
  purged: number;
}

export interface TickOptions {
  /** Fixed clock for tests; production reads the time. */
  now?: Date;
  delivery?: Omit<DeliveryOptions, "now">;
}

/**
 * All time-based alarm work, in one idempotent pass (Vercel Cron in production, an interval in
 * the local server): evaluate every patient (stale sync, missed appointments, and whatever the
 * last sync left unevaluated), queue due reminders, send what is due, purge old messages.
 * Any number of ticks may overlap: evaluations are serialised per patient, reminders and
 * messages are claimed with FOR UPDATE SKIP LOCKED, and every queued message has a unique key.
 */
export async function runTick(db: Db, opts: TickOptions = {}): Promise<TickReport> {
  const now = opts.now ?? new Date();
  let raised = 0;
  let resolved = 0;
  let evaluationErrors = 0;
  const ids = await patientsToEvaluate(db);
  for (const id of ids) {
    try {
      const r = await evaluatePatientAlarms(db, id, now);
      raised += r.raised;
      resolved += r.resolved;
    } catch (e) {
      evaluationErrors++;
      console.error(`[alarms] evaluating patient ${id} failed:`, e instanceof Error ? e.message : e);
    }
  }
  const reminders = await renotifyDue(db, now);
  const delivery = await deliverDue(db, { ...opts.delivery, ...(opts.now ? { now: opts.now } : {}) });
  const cutoff = new Date(now.getTime() - OUTBOX_RETENTION_MS);
  const purged = await db
    .delete(pushOutbox)
    .where(or(and(isNotNull(pushOutbox.sentAt), lt(pushOutbox.sentAt, cutoff)), and(eq(pushOutbox.nextAttemptAt, NEVER), lt(pushOutbox.createdAt, cutoff))))
    .returning({ id: pushOutbox.id });
  await db.delete(alarmSnoozes).where(lt(alarmSnoozes.until, now));
  return { at: now.toISOString(), evaluated: ids.length, raised, resolved, evaluationErrors, reminders: reminders.queued, delivery, purged: purged.length };
}
