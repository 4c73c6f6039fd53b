import type { Metadata } from "next";
import { HistorySection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "History" };

export default async function Page({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return <HistorySection role="clinician" patientId={patientId} />;
}
