import { describe, expect, it } from "vitest";
import type { CareScope, Role } from "@/db/schema";
import { decide, PATIENT_ACTIONS, type PatientAction, type Relationship } from "@/lib/auth/policy";
import { homeFor } from "@/lib/auth/roles";

const rel = (over: Partial<Omit<Relationship, "roles">> & { roles: Role[] }): Relationship => ({
  isSelf: false,
  careLink: null,
  clinicMember: false,
  ...over,
  roles: new Set(over.roles),
});

const caregiverWith = (scopes: CareScope[], status: "invited" | "active" | "revoked" = "active") => rel({ roles: ["caregiver"], careLink: { status, scopes } });

describe("authorisation policy", () => {
  const writesNobodyButClinician: PatientAction[] = ["therapy:write", "refills:write"];
  const patientOnly: PatientAction[] = ["sync:write", "bolus:record", "links:manage"];

  it.each(PATIENT_ACTIONS)("%s: the patient themself", (action) => {
    expect(decide(rel({ roles: ["patient"], isSelf: true }), action).allowed).toBe(!writesNobodyButClinician.includes(action));
  });

  it.each(PATIENT_ACTIONS)("%s: a clinician of the patient's clinic", (action) => {
    expect(decide(rel({ roles: ["clinician"], clinicMember: true }), action).allowed).toBe(!patientOnly.includes(action));
  });

  it.each(PATIENT_ACTIONS)("%s: a clinician of another clinic, an admin, another patient", (action) => {
    expect(decide(rel({ roles: ["clinician"] }), action).allowed).toBe(false);
    expect(decide(rel({ roles: ["admin"] }), action).allowed).toBe(false);
    expect(decide(rel({ roles: ["patient"] }), action).allowed).toBe(false);
  });

  it("caregivers get exactly their scopes, read-only, and never bolus or sync", () => {
    expect(decide(caregiverWith(["status"]), "status:read").allowed).toBe(true);
    expect(decide(caregiverWith(["status"]), "history:read").allowed).toBe(true);
    expect(decide(caregiverWith(["status"]), "refills:read").allowed).toBe(false);
    expect(decide(caregiverWith(["refills"]), "refills:read").allowed).toBe(true);
    expect(decide(caregiverWith(["bolus"]), "bolus:read").allowed).toBe(true);
    expect(decide(caregiverWith(["alarms"]), "alarms:ack").allowed).toBe(true);
    expect(decide(caregiverWith(["alarms"]), "profile:read").allowed).toBe(true);
    const all = caregiverWith(["status", "refills", "bolus", "alarms"]);
    for (const a of [...patientOnly, ...writesNobodyButClinician]) expect(decide(all, a).allowed).toBe(false);
  });

  it.each(["invited", "revoked"] as const)("a %s link grants nothing", (status) => {
    for (const a of PATIENT_ACTIONS) expect(decide(caregiverWith(["status", "refills", "bolus", "alarms"], status), a).allowed).toBe(false);
  });

  it("a link or membership without the matching role grants nothing", () => {
    expect(decide(rel({ roles: ["patient"], careLink: { status: "active", scopes: ["status"] } }), "status:read").allowed).toBe(false);
    expect(decide(rel({ roles: ["admin"], clinicMember: true }), "status:read").allowed).toBe(false);
    expect(decide(rel({ roles: ["caregiver"], isSelf: true }), "status:read").allowed).toBe(false);
  });

  it("lands each role on its own home", () => {
    expect(homeFor(["patient"])).toBe("/patient");
    expect(homeFor(["caregiver"])).toBe("/caregiver");
    expect(homeFor(["clinician"])).toBe("/clinic");
    expect(homeFor(["admin"])).toBe("/admin");
    expect(homeFor(["admin", "clinician"])).toBe("/clinic");
    expect(homeFor([])).toBe("/sign-in");
  });
});
