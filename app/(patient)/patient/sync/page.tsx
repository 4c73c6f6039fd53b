import type { Metadata } from "next";
import { desc, eq } from "drizzle-orm";
import { PumpConnectionCard } from "@/components/pump-link/pump-connection-card";
import { PumpLinkScope } from "@/components/pump-link/provider";
import { SyncPanel } from "@/components/pump-link/sync-panel";
import { Alert } from "@/components/ui/alert";
import { patients, pumps } from "@/db/schema";
import { pagePatient } from "@/lib/patients/page-access";

export const metadata: Metadata = { title: "Sync" };

export default async function SyncPage() {
  const { db, patientId } = await pagePatient("patient", null, "sync:write");
  const [patient] = await db.select({ timeZone: patients.timeZone }).from(patients).where(eq(patients.id, patientId)).limit(1);
  const [pump] = await db.select({ id: pumps.id }).from(pumps).where(eq(pumps.patientId, patientId)).orderBy(desc(pumps.createdAt)).limit(1);
  return (
    <>
      <h1 className="text-2xl font-bold">Sync your handheld</h1>
      {pump ? (
        // The patient layout may already provide the connection; the scope adds one only if not.
        <PumpLinkScope patientId={patientId}>
          <PumpConnectionCard timeZone={patient?.timeZone ?? "UTC"} />
          <SyncPanel />
        </PumpLinkScope>
      ) : (
        <Alert tone="info">No pump is registered for you yet, so there is nothing to sync. Your clinic registers it.</Alert>
      )}
    </>
  );
}
