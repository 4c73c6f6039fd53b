// Pure authorisation policy: "may this actor do X to patient P?" Framework-free so the
// whole decision table is unit-tested; lib/auth/guard.ts feeds it from the database.
import type { CareScope, Role } from "@/db/schema";

export type PatientAction =
  | "profile:read"
  | "status:read"
  | "history:read"
  | "refills:read"
  | "bolus:read"
  | "alarms:read"
  | "alarms:ack"
  | "sync:write"
  | "bolus:record"
  | "links:manage"
  | "therapy:read"
  | "therapy:write"
  | "refills:write";

interface Rule {
  /** The patient themself. */
  patient: boolean;
  /** A caregiver with an active link needs this scope; null: caregivers never may; "any": any active link. */
  caregiverScope: CareScope | "any" | null;
  /** A clinician who is a member of the patient's clinic. */
  clinician: boolean;
}

export const PATIENT_ACTION_RULES = {
  "profile:read": { patient: true, caregiverScope: "any", clinician: true },
  "status:read": { patient: true, caregiverScope: "status", clinician: true },
  "history:read": { patient: true, caregiverScope: "status", clinician: true },
  "refills:read": { patient: true, caregiverScope: "refills", clinician: true },
  "bolus:read": { patient: true, caregiverScope: "bolus", clinician: true },
  "alarms:read": { patient: true, caregiverScope: "alarms", clinician: true },
  "alarms:ack": { patient: true, caregiverScope: "alarms", clinician: true },
  "therapy:read": { patient: true, caregiverScope: "status", clinician: true },
  // Only the patient's own phone uploads what their handheld reported; caregivers never bolus (safety rule 1).
  "sync:write": { patient: true, caregiverScope: null, clinician: false },
  "bolus:record": { patient: true, caregiverScope: null, clinician: false },
  "links:manage": { patient: true, caregiverScope: null, clinician: false },
  "therapy:write": { patient: false, caregiverScope: null, clinician: true },
  "refills:write": { patient: false, caregiverScope: null, clinician: true },
} as const satisfies Record<PatientAction, Rule>;

export const PATIENT_ACTIONS = Object.keys(PATIENT_ACTION_RULES) as PatientAction[];

export interface Relationship {
  roles: ReadonlySet<Role>;
  /** The actor is this patient. */
  isSelf: boolean;
  /** The actor's care link to this patient, if any (any status). */
  careLink: { status: "invited" | "active" | "revoked"; scopes: readonly CareScope[] } | null;
  /** The actor is a member of the patient's clinic. */
  clinicMember: boolean;
}

export type Decision = { allowed: true; via: "self" | "caregiver" | "clinician" } | { allowed: false; reason: string };

export function decide(rel: Relationship, action: PatientAction): Decision {
  const rule: Rule = PATIENT_ACTION_RULES[action];
  if (rel.isSelf && rel.roles.has("patient") && rule.patient) return { allowed: true, via: "self" };
  if (rel.clinicMember && rel.roles.has("clinician") && rule.clinician) return { allowed: true, via: "clinician" };
  if (rel.careLink && rel.roles.has("caregiver") && rule.caregiverScope) {
    if (rel.careLink.status !== "active") return { allowed: false, reason: `care link is ${rel.careLink.status}` };
    if (rule.caregiverScope === "any" || rel.careLink.scopes.includes(rule.caregiverScope)) {
      return { allowed: true, via: "caregiver" };
    }
    return { allowed: false, reason: `scope "${rule.caregiverScope}" not granted` };
  }
  return { allowed: false, reason: "no relationship grants this action" };
}
