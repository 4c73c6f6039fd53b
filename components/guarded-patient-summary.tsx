import { notFound } from "next/navigation";
import { connection } from "next/server";
import { PatientSummaryView } from "@/components/patient-summary";
import type { Role } from "@/db/schema";
import { getDb } from "@/db";
import { authorizePatient, requirePageActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { getPatientSummary } from "@/lib/patients/summary";

/** A patient's status page for a caregiver or clinician: guarded, audited, 404 when not allowed. */
export async function GuardedPatientSummary({ patientId, role }: { patientId: string; role: Role }) {
  await connection();
  const actor = await requirePageActor(role);
  const db = await getDb();
  try {
    await authorizePatient(db, actor, patientId, "status:read");
  } catch (e) {
    if (e instanceof AppError && (e.status === 404 || e.status === 403)) notFound();
    throw e;
  }
  const summary = await getPatientSummary(db, patientId);
  if (!summary) notFound();
  return (
    <>
      <h1 className="text-2xl font-bold">{summary.patient.displayName}</h1>
      <PatientSummaryView summary={summary} now={new Date()} />
    </>
  );
}
