import { AppShell } from "@/components/app-shell";
import { requirePageActor } from "@/lib/auth/guard";

export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor("admin");
  return (
    <AppShell name={actor.name} roles={actor.roles} nav={[{ href: "/admin", label: "Clinics" }]}>
      {children}
    </AppShell>
  );
}
