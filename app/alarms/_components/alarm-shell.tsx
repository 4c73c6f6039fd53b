import { AppShell, type NavItem } from "@/components/app-shell";
import type { Role } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import { ROLE_HOME } from "@/lib/auth/roles";

const HOME_LABEL: Record<Role, string> = { patient: "My pump", caregiver: "People I care for", clinician: "Clinic patients", admin: "Administration" };
const PRIORITY: Role[] = ["patient", "caregiver", "clinician", "admin"];

/** The frame for the alarm pages, which every role reaches (the role layouts cover their own pages). */
export function AlarmShell({ actor, children }: { actor: Actor; children: React.ReactNode }) {
  const home = PRIORITY.find((r) => actor.roles.has(r));
  const nav: NavItem[] = [];
  if (home) nav.push({ href: ROLE_HOME[home], label: HOME_LABEL[home] });
  nav.push({ href: "/alarms", label: "Alarms" });
  // Clinicians see alarms but are not pushed to; everyone else can set up notifications.
  if (actor.roles.has("patient") || actor.roles.has("caregiver")) nav.push({ href: "/notifications", label: "Alarms & notifications" });
  return (
    <AppShell name={actor.name} roles={actor.roles} nav={nav}>
      {children}
    </AppShell>
  );
}
