import type { Metadata } from "next";
import { RefillsSection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "Refills" };

export default async function Page({ params }: { params: Promise<{ patientId: string }> }) {
  const { patientId } = await params;
  return <RefillsSection role="caregiver" patientId={patientId} />;
}
