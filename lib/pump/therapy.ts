import "server-only";
import { desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { bolusPermissions, prescriptions, pumps, users } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { authorizePatient, type Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import type { TherapyInput } from "./therapy-schema";

export async function getPatientPump(db: Db, patientId: string) {
  const [pump] = await db.select().from(pumps).where(eq(pumps.patientId, patientId)).orderBy(desc(pumps.createdAt)).limit(1);
  return pump ?? null;
}

/**
 * Saves a therapy change as new versions (never an update): the prescription and/or the bolus
 * permission, each only if something changed. The pump row is locked so that two clinicians
 * saving at once get consecutive versions, not a collision.
 */
export async function saveTherapy(db: Db, actor: Actor, patientId: string, input: TherapyInput, now = new Date()) {
  await authorizePatient(db, actor, patientId, "therapy:write");
  return db.transaction(async (tx) => {
    const [pump] = await tx.select().from(pumps).where(eq(pumps.patientId, patientId)).orderBy(desc(pumps.createdAt)).limit(1).for("update");
    if (!pump) throw new AppError(404, "not_found:pump", "No pump is registered for this patient.");
    if (pump.reservoirCapacityUl !== input.capacityUl) throw new AppError(409, "conflict:pump", "The pump changed while you were editing. Reload the page and try again.");
    const [rx] = await tx.select().from(prescriptions).where(eq(prescriptions.pumpId, pump.id)).orderBy(desc(prescriptions.version)).limit(1);
    const [bp] = await tx.select().from(bolusPermissions).where(eq(bolusPermissions.pumpId, pump.id)).orderBy(desc(bolusPermissions.version)).limit(1);
    const rxChanged = !rx || rx.drug !== input.drug || rx.concentration !== input.concentration || rx.dailyDose !== input.dailyDose || rx.lowReservoirThresholdUl !== input.lowReservoirThresholdUl;
    const bpChanged =
      !bp || bp.enabled !== input.bolusEnabled || bp.dose !== input.bolusDose || bp.durationSeconds !== input.bolusDurationSeconds || bp.lockoutSeconds !== input.lockoutSeconds || bp.maxPer24h !== input.maxPer24h;
    if (rxChanged) {
      await tx.insert(prescriptions).values({
        pumpId: pump.id,
        version: (rx?.version ?? 0) + 1,
        drug: input.drug,
        concentration: input.concentration,
        dailyDose: input.dailyDose,
        lowReservoirThresholdUl: input.lowReservoirThresholdUl,
        effectiveFrom: now,
        setByUserId: actor.userId,
      });
    }
    if (bpChanged) {
      await tx.insert(bolusPermissions).values({
        pumpId: pump.id,
        version: (bp?.version ?? 0) + 1,
        enabled: input.bolusEnabled,
        dose: input.bolusDose,
        durationSeconds: input.bolusDurationSeconds,
        lockoutSeconds: input.lockoutSeconds,
        maxPer24h: input.maxPer24h,
        effectiveFrom: now,
        setByUserId: actor.userId,
      });
    }
    await audit(tx as unknown as Db, { actorUserId: actor.userId, patientId, action: "therapy:write", outcome: "done", detail: { prescription: rxChanged, bolusPermission: bpChanged } });
    return { prescriptionChanged: rxChanged, bolusPermissionChanged: bpChanged };
  });
}

export async function therapyHistory(db: Db, pumpId: string) {
  const rx = await db
    .select({ row: prescriptions, by: users.name })
    .from(prescriptions)
    .leftJoin(users, eq(users.id, prescriptions.setByUserId))
    .where(eq(prescriptions.pumpId, pumpId))
    .orderBy(desc(prescriptions.version));
  const bp = await db
    .select({ row: bolusPermissions, by: users.name })
    .from(bolusPermissions)
    .leftJoin(users, eq(users.id, bolusPermissions.setByUserId))
    .where(eq(bolusPermissions.pumpId, pumpId))
    .orderBy(desc(bolusPermissions.version));
  return { prescriptions: rx, bolusPermissions: bp };
}
