import "server-only";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Db } from "@/db";
import { auditLog } from "@/db/schema";

export interface AuditInput {
  actorUserId: string | null;
  patientId: string | null;
  action: string;
  outcome: "allowed" | "denied" | "done" | "failed";
  detail?: Record<string, unknown>;
}

type Row = typeof auditLog.$inferInsert;
interface Waiter {
  row: Row;
  resolve(): void;
  reject(e: unknown): void;
}
interface Queue {
  waiting: Waiter[];
  flushing: boolean;
}

/** Most entries one INSERT carries (well under the 65,535 bind-parameter limit: 6 per row). */
const MAX_BATCH = 500;
const queues = new WeakMap<Db, Queue>();

/**
 * Append-only audit trail. No PHI in `detail`: ids, action names, reasons.
 *
 * Durable before the caller goes on: the promise settles only after the entry's INSERT has
 * committed, so a response that showed patient data always has its audit row. Group commit:
 * while one INSERT is in flight, entries from concurrent requests wait and go in the next
 * INSERT together, so under load the audit costs one round trip per batch instead of one per
 * request, and adds no delay when idle (no timer). `at` is the moment of the access, not of the
 * write. Inside a transaction the entry is written in that transaction, immediately (it commits
 * or rolls back with the change it records).
 */
export async function audit(db: Db, entry: AuditInput): Promise<void> {
  const row: Row = {
    at: new Date(),
    actorUserId: entry.actorUserId,
    patientId: entry.patientId,
    action: entry.action,
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  };
  if (db instanceof PgTransaction) {
    await db.insert(auditLog).values(row);
    return;
  }
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], flushing: false };
    queues.set(db, queue);
  }
  const done = new Promise<void>((resolve, reject) => queue.waiting.push({ row, resolve, reject }));
  if (!queue.flushing) void flush(db, queue);
  return done;
}

async function flush(db: Db, queue: Queue): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.waiting.length > 0) {
      const batch = queue.waiting.splice(0, MAX_BATCH);
      try {
        await db.insert(auditLog).values(batch.map((w) => w.row));
        for (const w of batch) w.resolve();
      } catch (e) {
        if (batch.length === 1) {
          batch[0]!.reject(e);
          continue;
        }
        // One bad entry must not fail its neighbours' requests: write them one by one.
        await Promise.all(
          batch.map(async (w) => {
            try {
              await db.insert(auditLog).values(w.row);
              w.resolve();
            } catch (err) {
              w.reject(err);
            }
          }),
        );
      }
    }
  } finally {
    queue.flushing = false;
  }
}
