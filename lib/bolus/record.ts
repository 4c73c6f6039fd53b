import "server-only";
import { and, desc, eq, gte } from "drizzle-orm";
import type { Db } from "@/db";
import { bolusRequests, type BolusRequest } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import type { Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { recheckDeliveries } from "./reconcile";
import type { BolusRecordInput } from "./schemas";

export function publicBolus(r: BolusRequest) {
  return {
    token: r.token,
    state: r.state,
    dose: r.dose,
    requestedAt: r.requestedAt.toISOString(),
    resultCode: r.resultCode,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    deviceSeq: r.deviceSeq,
    outcomeSource: r.outcomeSource,
    limitViolation: r.limitViolation,
  };
}

/** Final states never change: a token delivers at most once, and a denial is the device's decision. */
const FINAL = new Set(["confirmed", "denied"]);

/**
 * Records a bolus request and, when known, the device's live answer — one row per token, so a
 * retried upload or a second tab cannot create a second record. The later synced device record
 * reconciles into the same row (lib/bolus/reconcile.ts).
 */
export async function recordBolus(db: Db, actor: Actor, pumpId: string, patientId: string, input: BolusRecordInput) {
  const result = await db.transaction(async (tx) => {
    // Insert-or-keep first, then lock: two concurrent first uploads of one token cannot both insert.
    await tx
      .insert(bolusRequests)
      .values({ pumpId, token: input.token, dose: input.dose, permissionVersion: input.permissionVersion, requestedAt: input.requestedAt, requestedByUserId: actor.userId, state: "requested" })
      .onConflictDoNothing({ target: [bolusRequests.pumpId, bolusRequests.token] });
    const [existing] = (await tx.select().from(bolusRequests).where(and(eq(bolusRequests.pumpId, pumpId), eq(bolusRequests.token, input.token))).for("update").limit(1)) as [BolusRequest];
    if (existing.dose !== input.dose) {
      throw new AppError(409, "conflict:token", "This bolus token was already used for a different dose. Start a new request.");
    }
    const o = input.outcome;
    const next: Partial<typeof bolusRequests.$inferInsert> = {};
    if (o && !FINAL.has(existing.state)) {
      next.state = o.state;
      next.resultCode = o.state === "denied" ? (o.resultCode ?? "denied") : null;
      if (o.state === "confirmed") {
        next.deliveredAt = o.deliveredAt ?? new Date();
        next.deviceSeq = o.deviceSeq ?? null;
      }
      next.outcomeSource = "live";
    }
    let row: BolusRequest = existing;
    if (Object.keys(next).length) {
      [row] = (await tx.update(bolusRequests).set({ ...next, updatedAt: new Date() }).where(eq(bolusRequests.id, existing.id)).returning()) as [BolusRequest];
    }
    if (row.state === "confirmed" && row.deliveredAt && next.state === "confirmed") {
      await recheckDeliveries(tx as unknown as Db, pumpId, [row.deliveredAt]);
      [row] = (await tx.select().from(bolusRequests).where(eq(bolusRequests.id, row.id))) as [BolusRequest];
    }
    await audit(tx as unknown as Db, { actorUserId: actor.userId, patientId, action: "bolus:record", outcome: "done", detail: { token: input.token, state: row.state } });
    return row;
  });
  return publicBolus(result);
}

export async function listBoluses(db: Db, pumpId: string, limit = 50) {
  const rows = await db.select().from(bolusRequests).where(eq(bolusRequests.pumpId, pumpId)).orderBy(desc(bolusRequests.requestedAt)).limit(limit);
  return rows.map(publicBolus);
}

/** Delivery times the device confirmed within the last `hours` (for the availability rules). */
export async function recentDeliveries(db: Db, pumpId: string, hours = 48, now = new Date()): Promise<Date[]> {
  const rows = await db
    .select({ at: bolusRequests.deliveredAt })
    .from(bolusRequests)
    .where(and(eq(bolusRequests.pumpId, pumpId), eq(bolusRequests.state, "confirmed"), gte(bolusRequests.deliveredAt, new Date(now.getTime() - hours * 3600_000))));
  return rows.flatMap((r) => (r.at ? [r.at] : []));
}
