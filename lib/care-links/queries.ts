import "server-only";
import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "@/db";
import { careLinks, patients, users } from "@/db/schema";

export async function listLinksForPatient(db: Db, patientId: string) {
  return db
    .select({
      id: careLinks.id,
      label: careLinks.inviteLabel,
      status: careLinks.status,
      scopes: careLinks.scopes,
      createdAt: careLinks.createdAt,
      acceptedAt: careLinks.acceptedAt,
      revokedAt: careLinks.revokedAt,
      inviteExpiresAt: careLinks.inviteExpiresAt,
      caregiverName: users.name,
      caregiverEmail: users.email,
    })
    .from(careLinks)
    .leftJoin(users, eq(users.id, careLinks.caregiverUserId))
    .where(eq(careLinks.patientId, patientId))
    .orderBy(desc(careLinks.createdAt));
}

/** Patients who granted this caregiver an active link (identity only; data needs the guard). */
export async function listPatientsForCaregiver(db: Db, caregiverUserId: string) {
  return db
    .select({ patientId: patients.id, displayName: patients.displayName, scopes: careLinks.scopes, since: careLinks.acceptedAt })
    .from(careLinks)
    .innerJoin(patients, eq(patients.id, careLinks.patientId))
    .where(and(eq(careLinks.caregiverUserId, caregiverUserId), eq(careLinks.status, "active")))
    .orderBy(asc(patients.displayName));
}
