import { AppShell } from "@/components/app-shell";
import { requirePageActor } from "@/lib/auth/guard";

export default async function PatientLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("patient");
  return (
    <AppShell
      name={actor.name}
      roles={actor.roles}
      nav={[
        { href: "/patient", label: "My pump" },
        { href: "/patient/caregivers", label: "Caregivers" },
      ]}
    >
      {children}
    </AppShell>
  );
}
