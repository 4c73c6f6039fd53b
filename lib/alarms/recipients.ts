import "server-only";
import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { careLinks, patients, userRoles, users } from "@/db/schema";
import { PATIENT_ACTION_RULES } from "@/lib/auth/policy";

/** The care-link scope that lets a caregiver receive a patient's alarms (the policy table's). */
const ALARM_SCOPE = PATIENT_ACTION_RULES["alarms:read"].caregiverScope;

export interface AlarmRecipient {
  userId: string;
  patientId: string;
  /** The patient themself (notifications say "Your pump"). */
  isPatient: boolean;
  name: string;
}

/**
 * Who receives a patient's alarms, read now from the database: the patient, and caregivers
 * with an active link that grants the alarms scope. Called when a message is queued AND again
 * when it is sent, so a revoked link or a disabled account stops notifications at once.
 * Clinicians see alarms on the alarm pages but are not pushed to (their clinic has its own
 * on-call routes).
 */
export async function alarmRecipients(db: Db, patientIds: readonly string[]): Promise<AlarmRecipient[]> {
  if (patientIds.length === 0) return [];
  const ids = [...new Set(patientIds)];
  const selves = await db
    .select({ userId: users.id, patientId: patients.id, name: users.name })
    .from(patients)
    .innerJoin(users, eq(users.id, patients.userId))
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "patient")))
    .where(and(inArray(patients.id, ids), isNull(users.disabledAt)));
  const caregivers = await db
    .select({ userId: users.id, patientId: careLinks.patientId, name: users.name })
    .from(careLinks)
    .innerJoin(users, eq(users.id, careLinks.caregiverUserId))
    .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, "caregiver")))
    .where(and(inArray(careLinks.patientId, ids), eq(careLinks.status, "active"), sql`${ALARM_SCOPE} = any(${careLinks.scopes})`, isNull(users.disabledAt)));
  const out = new Map<string, AlarmRecipient>();
  for (const r of selves) out.set(`${r.userId}:${r.patientId}`, { ...r, isPatient: true });
  for (const r of caregivers) if (!out.has(`${r.userId}:${r.patientId}`)) out.set(`${r.userId}:${r.patientId}`, { ...r, isPatient: false });
  return [...out.values()];
}

/** The patients whose alarms this user receives (for the preferences page and the alarm list). */
export async function patientsFollowedBy(db: Db, userId: string) {
  const own = await db
    .select({ patientId: patients.id, displayName: patients.displayName, timeZone: patients.timeZone })
    .from(patients)
    .innerJoin(userRoles, and(eq(userRoles.userId, patients.userId), eq(userRoles.role, "patient")))
    .where(eq(patients.userId, userId));
  const linked = await db
    .select({ patientId: patients.id, displayName: patients.displayName, timeZone: patients.timeZone })
    .from(careLinks)
    .innerJoin(patients, eq(patients.id, careLinks.patientId))
    .innerJoin(userRoles, and(eq(userRoles.userId, careLinks.caregiverUserId), eq(userRoles.role, "caregiver")))
    .where(and(eq(careLinks.caregiverUserId, userId), eq(careLinks.status, "active"), sql`${ALARM_SCOPE} = any(${careLinks.scopes})`))
    .orderBy(asc(patients.displayName));
  return [...own.map((p) => ({ ...p, isSelf: true })), ...linked.filter((l) => !own.some((o) => o.patientId === l.patientId)).map((p) => ({ ...p, isSelf: false }))];
}
