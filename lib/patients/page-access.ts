import "server-only";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { getDb } from "@/db";
import type { Role } from "@/db/schema";
import { authorizePatient, ownPatientId, requirePageActor } from "@/lib/auth/guard";
import type { PatientAction } from "@/lib/auth/policy";
import { AppError } from "@/lib/http/errors";

/** Where each role's view of one patient lives. */
export function patientBase(role: Role, patientId: string): string {
  return role === "patient" ? "/patient" : role === "caregiver" ? `/caregiver/patients/${patientId}` : `/clinic/patients/${patientId}`;
}

/**
 * Resolves and authorises the patient a page is about: the signed-in patient themself, or the
 * id in the address for caregivers and clinicians. Anything not allowed is a plain 404.
 */
export async function pagePatient(role: Role, patientIdParam: string | null, action: PatientAction) {
  await connection();
  const actor = await requirePageActor(role);
  const db = await getDb();
  const patientId = role === "patient" ? await ownPatientId(db, actor) : patientIdParam;
  if (!patientId) notFound();
  let access;
  try {
    access = await authorizePatient(db, actor, patientId, action);
  } catch (e) {
    if (e instanceof AppError && (e.status === 404 || e.status === 403)) notFound();
    throw e;
  }
  return { db, actor, patientId, access, base: patientBase(role, patientId) };
}
