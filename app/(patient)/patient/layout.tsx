import { AppShell } from "@/components/app-shell";
import { PumpLinkScope } from "@/components/pump-link/provider";
import { getDb } from "@/db";
import { ownPatientId, requirePageActor } from "@/lib/auth/guard";

export default async function PatientLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("patient");
  const patientId = await ownPatientId(await getDb(), actor);
  return (
    <AppShell
      name={actor.name}
      roles={actor.roles}
      nav={[
        { href: "/patient", label: "My pump" },
        { href: "/patient/bolus", label: "Bolus" },
        { href: "/patient/sync", label: "Sync" },
        { href: "/alarms", label: "Alarms" },
        { href: "/patient/caregivers", label: "Caregivers" },
        { href: "/trials", label: "Clinical trials" },
      ]}
    >
      {/* One pump connection for all patient pages: it survives moving between Sync and Bolus. */}
      {patientId ? <PumpLinkScope patientId={patientId}>{children}</PumpLinkScope> : children}
    </AppShell>
  );
}
