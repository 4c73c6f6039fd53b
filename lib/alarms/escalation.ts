import "server-only";
import { and, asc, eq, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { alarms } from "@/db/schema";
import { RENOTIFY_SECONDS } from "./catalogue";
import { enqueueAlarmMessages } from "./outbox";

/**
 * Queues the next reminder round for every unacknowledged alarm that is due. The due alarms are
 * locked FOR UPDATE SKIP LOCKED, so two ticks at once each take different alarms, and the round
 * number (part of the outbox's unique key) makes a repeat queue nothing.
 */
export async function renotifyDue(db: Db, now: Date = new Date(), limit = 200): Promise<{ alarms: number; queued: number }> {
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db;
    const due = await tx
      .select()
      .from(alarms)
      .where(and(eq(alarms.state, "active"), lte(alarms.nextNotifyAt, now)))
      .orderBy(asc(alarms.nextNotifyAt))
      .limit(limit)
      .for("update", { skipLocked: true });
    let queued = 0;
    for (const alarm of due) {
      const interval = RENOTIFY_SECONDS[alarm.severity];
      const round = alarm.notifyRound + 1;
      await tx
        .update(alarms)
        .set({ notifyRound: round, nextNotifyAt: interval === null ? null : new Date(now.getTime() + interval * 1000) })
        .where(eq(alarms.id, alarm.id));
      queued += await enqueueAlarmMessages(tx, { alarm, messageKind: "renotify", round, now });
    }
    return { alarms: due.length, queued };
  });
}
