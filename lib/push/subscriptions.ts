import "server-only";
import { and, count, desc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { pushOutbox, pushSubscriptions } from "@/db/schema";
import { buildTestPayload } from "@/lib/alarms/payload";
import { AppError, badRequest, notFound } from "@/lib/http/errors";
import { allowedPushHosts, pushEndpointProblem } from "./endpoint-policy";
import type { SubscribeInput } from "./schemas";

/** Enough for every phone, tablet and browser a person uses; stops runaway registrations. */
export const MAX_DEVICES_PER_USER = 20;

export interface DeviceView {
  id: string;
  label: string;
  userAgent: string | null;
  createdAt: Date;
  lastSuccessAt: Date | null;
  /** Host of the push service (which browser family), not the secret endpoint path. */
  service: string;
  endpoint: string;
}

function toView(row: typeof pushSubscriptions.$inferSelect): DeviceView {
  let service = "unknown";
  try {
    service = new URL(row.endpoint).hostname;
  } catch {
    /* stored endpoints were validated; keep "unknown" for anything odd */
  }
  return { id: row.id, label: row.label, userAgent: row.userAgent, createdAt: row.createdAt, lastSuccessAt: row.lastSuccessAt, service, endpoint: row.endpoint };
}

/**
 * Stores this browser's push subscription for the signed-in user. An endpoint is one browser
 * profile: if someone else had registered it (a shared tablet), it now belongs to whoever
 * subscribed last, so alarms never go to the previous user's device.
 */
export async function saveSubscription(
  db: Db,
  userId: string,
  input: SubscribeInput,
  { userAgent = null, allowedHosts = allowedPushHosts(), now = new Date() }: { userAgent?: string | null; allowedHosts?: readonly string[]; now?: Date } = {},
): Promise<DeviceView> {
  const problem = pushEndpointProblem(input.endpoint, allowedHosts);
  if (problem) throw badRequest("subscription", problem, { endpoint: problem });
  const [existing] = await db.select({ id: pushSubscriptions.id, userId: pushSubscriptions.userId }).from(pushSubscriptions).where(eq(pushSubscriptions.endpoint, input.endpoint)).limit(1);
  if (!existing || existing.userId !== userId) {
    const [{ n } = { n: 0 }] = await db.select({ n: count() }).from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
    if (n >= MAX_DEVICES_PER_USER) {
      throw new AppError(409, "conflict:devices", `You already have ${MAX_DEVICES_PER_USER} devices. Remove one you no longer use first.`);
    }
  }
  const label = input.label ?? "This device";
  const ua = userAgent ? userAgent.slice(0, 300) : null;
  const [row] = await db
    .insert(pushSubscriptions)
    .values({ userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth, label, userAgent: ua, createdAt: now })
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { userId, p256dh: input.keys.p256dh, auth: input.keys.auth, label, userAgent: ua },
    })
    .returning();
  if (!row) throw new Error("saving the push subscription returned no row");
  return toView(row);
}

export async function listDevices(db: Db, userId: string): Promise<DeviceView[]> {
  const rows = await db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId)).orderBy(desc(pushSubscriptions.createdAt));
  return rows.map(toView);
}

/** Removes one of the user's own devices (by id, or by endpoint when the browser unsubscribes). */
export async function removeDevice(db: Db, userId: string, which: { id?: string; endpoint?: string }): Promise<number> {
  const where = which.id
    ? and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.id, which.id))
    : and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, which.endpoint ?? ""));
  const removed = await db.delete(pushSubscriptions).where(where).returning({ id: pushSubscriptions.id });
  if (which.id && removed.length === 0) throw notFound("That device");
  return removed.length;
}

/** Queues a test message to one or all of the user's devices; returns the outbox ids to deliver. */
export async function queueTestNotification(db: Db, userId: string, subscriptionId?: string, now: Date = new Date()): Promise<number[]> {
  const subs = await db
    .select({ id: pushSubscriptions.id })
    .from(pushSubscriptions)
    .where(subscriptionId ? and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.id, subscriptionId)) : eq(pushSubscriptions.userId, userId));
  if (subscriptionId && subs.length === 0) throw notFound("That device");
  if (subs.length === 0) throw badRequest("test", "This account has no devices with notifications turned on yet.");
  const rows = await db
    .insert(pushOutbox)
    .values(subs.map((s) => ({ alarmId: null, subscriptionId: s.id, kind: "test", round: 0, payload: buildTestPayload(s.id), nextAttemptAt: now, createdAt: now })))
    .returning({ id: pushOutbox.id });
  return rows.map((r) => r.id);
}

/** What happened to test messages after delivery, per device. */
export async function testResults(db: Db, outboxIds: readonly number[]) {
  if (outboxIds.length === 0) return [];
  const rows = await db
    .select({ subscriptionId: pushOutbox.subscriptionId, sentAt: pushOutbox.sentAt, lastError: pushOutbox.lastError })
    .from(pushOutbox)
    .where(inArray(pushOutbox.id, [...outboxIds]));
  return rows.map((r) => ({ subscriptionId: r.subscriptionId, delivered: r.sentAt !== null, error: r.lastError }));
}
