import { AppShell } from "@/components/app-shell";
import { requirePageActor } from "@/lib/auth/guard";

export default async function CaregiverLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("caregiver");
  return (
    <AppShell name={actor.name} roles={actor.roles} nav={[
        { href: "/caregiver", label: "People I care for" },
        { href: "/alarms", label: "Alarms" },
        { href: "/notifications", label: "Notifications" },
        { href: "/invite", label: "Enter invite code" },
      ]}>
      {children}
    </AppShell>
  );
}
