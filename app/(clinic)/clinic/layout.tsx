import { AppShell } from "@/components/app-shell";
import { requirePageActor } from "@/lib/auth/guard";

export default async function ClinicLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("clinician");
  return (
    <AppShell name={actor.name} roles={actor.roles} nav={[{ href: "/clinic", label: "Patients" }, { href: "/alarms", label: "Alarms" }]}>
      {children}
    </AppShell>
  );
}
