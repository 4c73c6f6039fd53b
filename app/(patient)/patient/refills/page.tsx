import type { Metadata } from "next";
import { RefillsSection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "Refills" };

export default async function Page() {
  return <RefillsSection role="patient" patientId={null} />;
}
