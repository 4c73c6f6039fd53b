import "server-only";
import type https from "node:https";
import { and, asc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { alarmPreferences, alarms, alarmSnoozes, pushOutbox, pushSubscriptions, type PushOutboxRow } from "@/db/schema";
import { classifyPushResult } from "@/lib/push/retry";
import { sendPush } from "@/lib/push/send";
import { vapidKeys, type VapidKeys } from "@/lib/push/vapid";
import { DELIVERY_BY_SEVERITY, type AlarmSeverity } from "./catalogue";
import { NEVER, wantsSeverity } from "./outbox";

export { NEVER };
import { pushPayloadSchema } from "./payload";
import { alarmRecipients } from "./recipients";

/**
 * A claimed message is hidden from other senders for this long. If the sender dies mid-send the
 * message becomes due again afterwards (at-least-once; the push Topic collapses a duplicate that
 * is still queued at the push service, and the notification tag replaces one already shown).
 */
export const CLAIM_LEASE_MS = 2 * 60_000;

export interface DeliveryOptions {
  /** Fixed clock (tests); otherwise each batch reads the time. */
  now?: Date;
  agent?: https.Agent;
  vapid?: VapidKeys;
  /** Messages in flight at once (bounded: the push service and our sockets are shared). */
  concurrency?: number;
  batchSize?: number;
  /** Stop claiming new batches after this long (a cron invocation has a time limit). */
  timeBudgetMs?: number;
  /** Only these outbox rows (the "send a test notification" button). */
  onlyIds?: readonly number[];
  random?: () => number;
  timeoutMs?: number;
}

export interface DeliveryReport {
  claimed: number;
  sent: number;
  retried: number;
  /** Given up: permanent error, too many attempts, or expired before it could be sent. */
  failed: number;
  /** Not sent because nobody should get it any more (access revoked, alarm acknowledged, muted, snoozed). */
  cancelled: number;
  removedSubscriptions: number;
}

type Decision = { send: true } | { send: false; reason: string };

interface AlarmState {
  id: string;
  patientId: string;
  state: "active" | "acknowledged" | "resolved";
  severity: AlarmSeverity;
}

/** Claims up to `limit` due messages atomically: concurrent senders never get the same row. */
async function claimDue(db: Db, now: Date, limit: number, onlyIds?: readonly number[]): Promise<PushOutboxRow[]> {
  const due = db
    .select({ id: pushOutbox.id })
    .from(pushOutbox)
    .where(and(isNull(pushOutbox.sentAt), lte(pushOutbox.nextAttemptAt, now), onlyIds ? inArray(pushOutbox.id, [...onlyIds]) : undefined))
    .orderBy(asc(pushOutbox.nextAttemptAt), asc(pushOutbox.id))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(pushOutbox)
    .set({ attempts: sql`${pushOutbox.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + CLAIM_LEASE_MS) })
    .where(inArray(pushOutbox.id, due))
    .returning();
}

/** Re-decides at send time from the database: access, alarm state, preferences and snoozes may have changed. */
async function decideBatch(db: Db, rows: PushOutboxRow[], subs: Map<string, { userId: string }>, now: Date): Promise<Map<number, Decision>> {
  const alarmIds = [...new Set(rows.map((r) => r.alarmId).filter((id): id is string => id !== null))];
  const alarmRows: AlarmState[] = alarmIds.length
    ? await db.select({ id: alarms.id, patientId: alarms.patientId, state: alarms.state, severity: alarms.severity }).from(alarms).where(inArray(alarms.id, alarmIds))
    : [];
  const alarmById = new Map(alarmRows.map((a) => [a.id, a]));
  const patientIds = [...new Set(alarmRows.map((a) => a.patientId))];
  const recipients = await alarmRecipients(db, patientIds);
  const mayReceive = new Set(recipients.map((r) => `${r.userId}:${r.patientId}`));
  const userIds = [...new Set([...subs.values()].map((s) => s.userId))];
  const prefs = patientIds.length && userIds.length
    ? await db.select().from(alarmPreferences).where(and(inArray(alarmPreferences.patientId, patientIds), inArray(alarmPreferences.userId, userIds)))
    : [];
  const prefByKey = new Map(prefs.map((p) => [`${p.userId}:${p.patientId}`, p]));
  const snoozes = alarmIds.length
    ? await db.select({ alarmId: alarmSnoozes.alarmId, userId: alarmSnoozes.userId }).from(alarmSnoozes).where(and(inArray(alarmSnoozes.alarmId, alarmIds), gt(alarmSnoozes.until, now)))
    : [];
  const snoozed = new Set(snoozes.map((s) => `${s.userId}:${s.alarmId}`));

  const out = new Map<number, Decision>();
  for (const row of rows) {
    const sub = subs.get(row.subscriptionId);
    if (!sub) {
      out.set(row.id, { send: false, reason: "the device was removed" });
      continue;
    }
    if (row.kind === "test" || row.alarmId === null) {
      out.set(row.id, { send: true });
      continue;
    }
    const alarm = alarmById.get(row.alarmId);
    if (!alarm) {
      out.set(row.id, { send: false, reason: "the alarm no longer exists" });
      continue;
    }
    const key = `${sub.userId}:${alarm.patientId}`;
    if (!mayReceive.has(key)) {
      out.set(row.id, { send: false, reason: "the recipient no longer receives this patient's alarms" });
      continue;
    }
    if (row.kind === "raise" || row.kind === "renotify") {
      if (alarm.state === "acknowledged" || (alarm.state === "resolved" && alarm.severity !== "info")) {
        out.set(row.id, { send: false, reason: `the alarm was ${alarm.state} before this message went out` });
        continue;
      }
      if (!wantsSeverity(alarm.severity, prefByKey.get(key))) {
        out.set(row.id, { send: false, reason: `the recipient turned off ${alarm.severity} notifications` });
        continue;
      }
      if (alarm.severity !== "critical" && row.kind === "renotify" && snoozed.has(`${sub.userId}:${alarm.id}`)) {
        out.set(row.id, { send: false, reason: "the recipient snoozed this alarm" });
        continue;
      }
    }
    out.set(row.id, { send: true });
  }
  return out;
}

function severityOf(row: PushOutboxRow): AlarmSeverity {
  const s = row.payload.severity;
  return s === "critical" || s === "warning" || s === "info" ? s : "critical";
}

/** Outcomes waiting to be written back, flushed in a few statements rather than one per message. */
class Outcomes {
  sent: number[] = [];
  sentSubs = new Set<string>();
  goneSubs = new Set<string>();
  retries: { id: number; at: Date; error: string }[] = [];
  closed: { id: number; error: string }[] = [];
  get size() {
    return this.sent.length + this.retries.length + this.closed.length + this.goneSubs.size;
  }
}

/** Outcomes this many or more are written back while sending continues. */
const FLUSH_AT = 200;

async function writeOutcomes(db: Db, o: Outcomes, doneAt: Date): Promise<number> {
  if (o.sent.length) {
    await db.update(pushOutbox).set({ sentAt: doneAt, lastError: null }).where(inArray(pushOutbox.id, o.sent));
    await db.update(pushSubscriptions).set({ lastSuccessAt: doneAt }).where(inArray(pushSubscriptions.id, [...o.sentSubs]));
  }
  for (const r of o.retries) {
    await db.update(pushOutbox).set({ nextAttemptAt: r.at, lastError: r.error }).where(eq(pushOutbox.id, r.id));
  }
  const closedByReason = new Map<string, number[]>();
  for (const c of o.closed) {
    const reason = c.error.slice(0, 300);
    closedByReason.set(reason, [...(closedByReason.get(reason) ?? []), c.id]);
  }
  for (const [error, ids] of closedByReason) {
    await db.update(pushOutbox).set({ nextAttemptAt: NEVER, lastError: error }).where(inArray(pushOutbox.id, ids));
  }
  if (o.goneSubs.size === 0) return 0;
  // The push service says this subscription is gone for good (404/410): forget the device
  // (its queued messages go with it).
  const removed = await db.delete(pushSubscriptions).where(inArray(pushSubscriptions.id, [...o.goneSubs])).returning({ id: pushSubscriptions.id });
  return removed.length;
}

interface Ready {
  row: PushOutboxRow;
  sub: { endpoint: string; p256dh: string; auth: string };
  now: Date;
}

/**
 * Sends every due message in the outbox: claim a batch (FOR UPDATE SKIP LOCKED, then a lease),
 * re-check who should still get each one, send with bounded concurrency, and record the outcome:
 * sent; retry later with exponential backoff and jitter (429/5xx/network, honouring Retry-After);
 * subscription deleted (404/410); or given up (other 4xx, too many attempts, expired).
 *
 * A pipeline: the next batch is claimed while the current one is still being sent, and outcomes
 * are written back in groups, so the senders never wait for the database between batches.
 */
export async function deliverDue(db: Db, opts: DeliveryOptions = {}): Promise<DeliveryReport> {
  const report: DeliveryReport = { claimed: 0, sent: 0, retried: 0, failed: 0, cancelled: 0, removedSubscriptions: 0 };
  const started = Date.now();
  const budget = opts.timeBudgetMs ?? 25_000;
  const batchSize = opts.batchSize ?? 250;
  const concurrency = Math.max(1, opts.concurrency ?? 50);
  const random = opts.random ?? Math.random;
  let vapid: VapidKeys | undefined = opts.vapid;

  const queue: Ready[] = [];
  let exhausted = false;
  let failure: unknown = null;
  let claiming: Promise<void> | null = null;
  let pending = new Outcomes();
  let flushing: Promise<void> = Promise.resolve();

  const claimMore = async () => {
    if (Date.now() - started >= budget) {
      exhausted = true;
      return;
    }
    const now = opts.now ?? new Date();
    const rows = await claimDue(db, now, batchSize, opts.onlyIds);
    if (rows.length === 0) {
      exhausted = true;
      return;
    }
    report.claimed += rows.length;
    vapid ??= vapidKeys();
    const subRows = await db
      .select()
      .from(pushSubscriptions)
      .where(inArray(pushSubscriptions.id, [...new Set(rows.map((r) => r.subscriptionId))]));
    const subs = new Map(subRows.map((sub) => [sub.id, sub]));
    const decisions = await decideBatch(db, rows, subs, now);
    for (const row of rows) {
      const d = decisions.get(row.id);
      if (!d || !d.send) {
        pending.closed.push({ id: row.id, error: `not sent: ${d && !d.send ? d.reason : "undecided"}` });
        report.cancelled++;
        continue;
      }
      const { ttlSeconds } = DELIVERY_BY_SEVERITY[severityOf(row)];
      const ageSeconds = (now.getTime() - row.createdAt.getTime()) / 1000;
      if (ageSeconds > ttlSeconds) {
        pending.closed.push({ id: row.id, error: `not sent: expired after ${Math.round(ageSeconds)} s (TTL ${ttlSeconds} s)` });
        report.failed++;
        continue;
      }
      queue.push({ row, sub: subs.get(row.subscriptionId)!, now });
    }
  };
  // One claim at a time; a failed claim (database down) stops the run and is rethrown at the end.
  const claim = () =>
    (claiming ??= claimMore()
      .catch((e: unknown) => {
        failure ??= e;
        exhausted = true;
      })
      .finally(() => {
        claiming = null;
      }));
  const flush = () => {
    const taken = pending;
    pending = new Outcomes();
    flushing = flushing
      .then(async () => {
        report.removedSubscriptions += await writeOutcomes(db, taken, opts.now ?? new Date());
      })
      .catch((e: unknown) => {
        // Unwritten outcomes leave their rows leased: they are sent again after the lease (at least once).
        failure ??= e;
        exhausted = true;
      });
    return flushing;
  };

  const sendOne = async ({ row, sub, now }: Ready) => {
    const severity = severityOf(row);
    const { ttlSeconds, urgency } = DELIVERY_BY_SEVERITY[severity];
    const ageSeconds = Math.max(0, (now.getTime() - row.createdAt.getTime()) / 1000);
    const payload = pushPayloadSchema.safeParse(row.payload);
    if (!payload.success) {
      pending.closed.push({ id: row.id, error: "not sent: the stored payload is not a valid notification" });
      report.failed++;
      return;
    }
    // All clears and acknowledgements go out at normal urgency; raises and reminders follow the alarm.
    const effectiveUrgency = row.kind === "all_clear" || row.kind === "acknowledged" ? "normal" : urgency;
    const result = await sendPush(sub, JSON.stringify(payload.data), {
      vapid: vapid!,
      ttlSeconds: ttlSeconds - ageSeconds,
      urgency: effectiveUrgency,
      topic: row.alarmId ? row.alarmId.replace(/-/g, "") : undefined,
      agent: opts.agent,
      timeoutMs: opts.timeoutMs,
    });
    const outcome = classifyPushResult(result, row.attempts, now, random);
    switch (outcome.type) {
      case "sent":
        pending.sent.push(row.id);
        pending.sentSubs.add(row.subscriptionId);
        report.sent++;
        break;
      case "gone":
        pending.goneSubs.add(row.subscriptionId);
        break;
      case "retry":
        pending.retries.push({ id: row.id, at: new Date(now.getTime() + outcome.delayMs), error: outcome.error });
        report.retried++;
        break;
      case "failed":
        pending.closed.push({ id: row.id, error: outcome.error });
        report.failed++;
        break;
    }
  };

  const sender = async () => {
    for (;;) {
      // Running low: fetch the next batch in the background while these are sent.
      if (!exhausted && queue.length <= concurrency) void claim();
      const next = queue.shift();
      if (!next) {
        if (claiming) {
          await claiming;
          continue;
        }
        if (exhausted) return;
        await claim();
        continue;
      }
      await sendOne(next);
      if (pending.size >= FLUSH_AT) void flush();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, sender));
  await flush();
  if (failure) throw failure;
  return report;
}
