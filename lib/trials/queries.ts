import "server-only";
/** Read-only queries for a signed-in user's own intakes. */
import { desc, eq, inArray, or } from "drizzle-orm";
import type { Db } from "@/db";
import { patients, trialConsents, trialIntakes, type TrialConsent } from "@/db/schema";
import { ownPatientId, type Actor } from "@/lib/auth/guard";
import { getCancerType } from "@/lib/trials/cancer-types";
import { consentState, type ConsentStatus } from "@/lib/trials/consent";

export interface OwnIntakeSummary {
  readonly id: string;
  readonly createdAt: string;
  readonly cancerType: string;
  readonly consent: ConsentStatus | "missing";
}

/** Intakes the actor submitted or that are linked to their patient record, newest first. */
export async function listOwnIntakes(db: Db, actor: Actor, now: Date): Promise<OwnIntakeSummary[]> {
  const patientId = await ownPatientId(db, actor);
  const mine = eq(trialIntakes.submittedByUserId, actor.userId);
  const rows = await db
    .select({ id: trialIntakes.id, createdAt: trialIntakes.createdAt, cancerTypeId: trialIntakes.cancerTypeId })
    .from(trialIntakes)
    .where(patientId === null ? mine : or(mine, eq(trialIntakes.patientId, patientId)))
    .orderBy(desc(trialIntakes.createdAt));
  if (rows.length === 0) return [];
  const consents = await db.select().from(trialConsents).where(inArray(trialConsents.intakeId, rows.map((r) => r.id)));
  const byIntake = new Map<string, TrialConsent[]>();
  for (const c of consents) byIntake.set(c.intakeId, [...(byIntake.get(c.intakeId) ?? []), c]);
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt.toISOString(),
    cancerType: getCancerType(r.cancerTypeId)?.label ?? r.cancerTypeId,
    consent: consentState(byIntake.get(r.id) ?? [], now)?.status ?? "missing",
  }));
}

export interface IntakePrefill {
  readonly patientName: string;
  readonly dateOfBirth: string | null;
  readonly timeZone: string;
  readonly contactEmail: string;
}

/** What the form can fill in for a signed-in patient (their own record only). */
export async function prefillFor(db: Db, actor: Actor): Promise<IntakePrefill | null> {
  const patientId = await ownPatientId(db, actor);
  if (patientId === null) return null;
  const [row] = await db
    .select({ name: patients.displayName, dob: patients.dateOfBirth, timeZone: patients.timeZone })
    .from(patients)
    .where(eq(patients.id, patientId))
    .limit(1);
  if (row === undefined) return null;
  return { patientName: row.name, dateOfBirth: row.dob, timeZone: row.timeZone, contactEmail: actor.email };
}
