import type { Metadata } from "next";
import { connection } from "next/server";
import { notFound } from "next/navigation";
import { PatientSummaryView } from "@/components/patient-summary";
import { Alert } from "@/components/ui/alert";
import { getDb } from "@/db";
import { authorizePatient, ownPatientId, requirePageActor } from "@/lib/auth/guard";
import { getPatientSummary } from "@/lib/patients/summary";

export const metadata: Metadata = { title: "My pump" };

export default async function PatientHome() {
  await connection();
  const actor = await requirePageActor("patient");
  const db = await getDb();
  const patientId = await ownPatientId(db, actor);
  if (!patientId) return <Alert tone="info">Your patient record has not been set up yet. Please contact your clinic.</Alert>;
  await authorizePatient(db, actor, patientId, "status:read");
  const summary = await getPatientSummary(db, patientId);
  if (!summary) notFound();
  return (
    <>
      <h1 className="text-2xl font-bold">My pump</h1>
      <PatientSummaryView summary={summary} now={new Date()} />
    </>
  );
}
