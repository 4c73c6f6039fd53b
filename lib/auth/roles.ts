import type { Role } from "@/db/schema";

export const ROLE_HOME: Record<Role, string> = {
  patient: "/patient",
  caregiver: "/caregiver",
  clinician: "/clinic",
  admin: "/admin",
};

const PRIORITY: Role[] = ["clinician", "patient", "caregiver", "admin"];

/** The page a user lands on after sign-in: the first of their roles in a fixed priority. */
export function homeFor(roles: Iterable<Role>): string {
  const set = new Set(roles);
  const role = PRIORITY.find((r) => set.has(r));
  return role ? ROLE_HOME[role] : "/sign-in";
}

export const ROLE_LABEL: Record<Role, string> = {
  patient: "Patient",
  caregiver: "Caregiver",
  clinician: "Clinician",
  admin: "Administrator",
};
