import type { Metadata } from "next";
import { HistorySection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "History" };

export default async function Page() {
  return <HistorySection role="patient" patientId={null} />;
}
