import "server-only";
import { and, eq, gte, inArray, lte } from "drizzle-orm";
import type { Db } from "@/db";
import { bolusPermissions, bolusRequests } from "@/db/schema";
import { DAY_S, findViolations, type PermissionRule } from "./rules";

export interface SyncedEvent {
  deviceSeq: number;
  logId: number;
  occurredAt: Date;
  type: string;
  payload: Record<string, unknown>;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * Folds newly synced bolus records into the one-row-per-token bolus table (the live answer and
 * the synced record reconcile into the same row), then re-checks every confirmed delivery near
 * them against the permission in force at the time. Must run in the sync's transaction.
 */
export async function reconcileSyncedBoluses(db: Db, input: { pumpId: string; patientId: string; events: readonly SyncedEvent[] }) {
  const { pumpId } = input;
  let reconciled = 0;
  const touched: Date[] = [];
  for (const e of input.events) {
    const token = num(e.payload.token);
    if (token === null) continue;
    if (e.type === "bolus_delivered") {
      const dose = num(e.payload.dose) ?? 0;
      const permissionVersion = num(e.payload.permissionVersion);
      await db
        .insert(bolusRequests)
        .values({ pumpId, token, requestedAt: e.occurredAt, dose, permissionVersion, state: "confirmed", deliveredAt: e.occurredAt, deviceSeq: e.deviceSeq, outcomeSource: "sync" })
        .onConflictDoUpdate({
          target: [bolusRequests.pumpId, bolusRequests.token],
          // The device's record is the truth: it confirms whatever the phone last knew.
          set: { state: "confirmed", deliveredAt: e.occurredAt, deviceSeq: e.deviceSeq, resultCode: null, updatedAt: new Date() },
        });
      touched.push(e.occurredAt);
      reconciled++;
    } else if (e.type === "bolus_denied") {
      const reason = typeof e.payload.reason === "string" ? e.payload.reason : "denied";
      const dose = num(e.payload.requestedDose) ?? 0;
      const [existing] = await db.select({ state: bolusRequests.state }).from(bolusRequests).where(and(eq(bolusRequests.pumpId, pumpId), eq(bolusRequests.token, token))).limit(1);
      if (existing?.state === "confirmed") continue; // a token delivers at most once; never downgrade
      await db
        .insert(bolusRequests)
        .values({ pumpId, token, requestedAt: e.occurredAt, dose, state: "denied", resultCode: reason, deviceSeq: e.deviceSeq, outcomeSource: "sync" })
        .onConflictDoUpdate({ target: [bolusRequests.pumpId, bolusRequests.token], set: { state: "denied", resultCode: reason, deviceSeq: e.deviceSeq, updatedAt: new Date() } });
      reconciled++;
    }
  }
  const violations = touched.length ? await recheckDeliveries(db, pumpId, touched) : 0;
  return { violations, reconciled };
}

/** Re-checks confirmed deliveries within 24 h of the given times; marks violating rows. */
export async function recheckDeliveries(db: Db, pumpId: string, around: readonly Date[]): Promise<number> {
  const times = around.map((d) => d.getTime());
  const from = new Date(Math.min(...times) - DAY_S * 1000);
  const to = new Date(Math.max(...times) + DAY_S * 1000);
  const rows = await db
    .select({ id: bolusRequests.id, at: bolusRequests.deliveredAt, dose: bolusRequests.dose, limitViolation: bolusRequests.limitViolation })
    .from(bolusRequests)
    .where(and(eq(bolusRequests.pumpId, pumpId), eq(bolusRequests.state, "confirmed"), gte(bolusRequests.deliveredAt, from), lte(bolusRequests.deliveredAt, to)));
  const permissions: PermissionRule[] = await db
    .select({ version: bolusPermissions.version, enabled: bolusPermissions.enabled, dose: bolusPermissions.dose, lockoutSeconds: bolusPermissions.lockoutSeconds, maxPer24h: bolusPermissions.maxPer24h, effectiveFrom: bolusPermissions.effectiveFrom })
    .from(bolusPermissions)
    .where(eq(bolusPermissions.pumpId, pumpId));
  const violations = findViolations(
    rows.filter((r) => r.at).map((r) => ({ key: r.id, at: r.at!, dose: r.dose })),
    permissions,
  );
  const byRow = new Map<string, string[]>();
  for (const v of violations) byRow.set(v.key, [...(byRow.get(v.key) ?? []), `${v.rule}: ${v.detail}`]);
  const fresh = [...byRow.keys()].filter((id) => !rows.find((r) => r.id === id)?.limitViolation);
  for (const id of fresh) {
    await db
      .update(bolusRequests)
      .set({ limitViolation: true, violationDetail: { problems: byRow.get(id) ?? [] }, updatedAt: new Date() })
      .where(and(eq(bolusRequests.pumpId, pumpId), inArray(bolusRequests.id, [id])));
  }
  return fresh.length;
}
