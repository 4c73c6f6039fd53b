import type { Metadata } from "next";
import { StatusSection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "Patient" };

export default async function Page({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return <StatusSection role="clinician" patientId={patientId} />;
}
