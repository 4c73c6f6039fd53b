import type { Metadata } from "next";
import { StatusSection } from "@/components/pump/sections";

export const metadata: Metadata = { title: "My pump" };

export default async function Page() {
  return <StatusSection role="patient" patientId={null} />;
}
