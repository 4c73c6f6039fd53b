import "server-only";
import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/db";
import { clinicMembers, clinics, patients } from "@/db/schema";

/** The clinics this clinician belongs to and their patients (identity only). */
export async function listClinicPatients(db: Db, clinicianUserId: string) {
  const memberships = await db
    .select({ clinicId: clinics.id, clinicName: clinics.name })
    .from(clinicMembers)
    .innerJoin(clinics, eq(clinics.id, clinicMembers.clinicId))
    .where(eq(clinicMembers.userId, clinicianUserId));
  if (memberships.length === 0) return { clinics: memberships, patients: [] };
  const rows = await db
    .select({ patientId: patients.id, displayName: patients.displayName, clinicId: patients.clinicId, dateOfBirth: patients.dateOfBirth })
    .from(patients)
    .where(inArray(patients.clinicId, memberships.map((m) => m.clinicId)))
    .orderBy(asc(patients.displayName));
  return { clinics: memberships, patients: rows };
}
