import type { Metadata } from "next";
import { GuardedPatientSummary } from "@/components/guarded-patient-summary";

export const metadata: Metadata = { title: "Pump status" };

export default async function Page({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return <GuardedPatientSummary patientId={patientId} role="clinician" />;
}
