// The expected-access table for every page and route handler of the app (issue 9).
// Written by hand, independently of lib/auth/policy.ts, so that the policy is tested rather than
// restated. A route that exists in app/ without an entry here fails the matrix test.

export const ACTORS = [
  "anonymous",
  "patient", // Alex, the target patient
  "otherPatient", // Jordan
  "cgAll", // Sam: linked to Alex with every scope
  "cgStatus",
  "cgRefills",
  "cgBolus",
  "cgAlarms",
  "cgUnlinked", // a caregiver linked to Jordan only
  "cgRevoked", // was linked to Alex, revoked
  "clinician", // Alex's clinic
  "otherClinician", // another clinic
  "admin",
] as const;
export type ActorName = (typeof ACTORS)[number];

/** Who may do each patient action to Alex. */
export const MAY: Record<string, ActorName[]> = {
  "status:read": ["patient", "cgAll", "cgStatus", "clinician"],
  "history:read": ["patient", "cgAll", "cgStatus", "clinician"],
  "refills:read": ["patient", "cgAll", "cgRefills", "clinician"],
  "bolus:read": ["patient", "cgAll", "cgBolus", "clinician"],
  "alarms:read": ["patient", "cgAll", "cgAlarms", "clinician"],
  "alarms:ack": ["patient", "cgAll", "cgAlarms", "clinician"],
  "sync:write": ["patient"],
  "bolus:record": ["patient"],
  "links:manage": ["patient"],
  "therapy:write": ["clinician"],
  "refills:write": ["clinician"],
};

const ROLE_OF: Record<ActorName, string | null> = {
  anonymous: null,
  patient: "patient",
  otherPatient: "patient",
  cgAll: "caregiver",
  cgStatus: "caregiver",
  cgRefills: "caregiver",
  cgBolus: "caregiver",
  cgAlarms: "caregiver",
  cgUnlinked: "caregiver",
  cgRevoked: "caregiver",
  clinician: "clinician",
  otherClinician: "clinician",
  admin: "admin",
};
export const roleOf = (a: ActorName) => ROLE_OF[a];

export type Access =
  /** Anyone, signed in or not. */
  | { kind: "public" }
  /** Any signed-in user; anonymous gets 401 / the sign-in page. */
  | { kind: "signed-in" }
  /** A role's own page, no patient data in the address. */
  | { kind: "role"; role: string }
  /** A patient's data (Alex), addressed by [patientId] or implied (the /patient pages). */
  | { kind: "patient"; action: string; role?: string }
  /** Data reached through another id that belongs to Alex (alarm, appointment). */
  | { kind: "patient-child"; action: string; param: string }
  /** Reached only with a secret the submitter holds (trial intake token). */
  | { kind: "token" }
  /** Machine endpoints (tick): loopback or CRON_SECRET only. */
  | { kind: "machine" };

export interface Entry {
  access: Access;
  /** Query string, with [patientId] filled in like the path. */
  query?: string;
  /** Body to send for write methods (authorisation is checked before validation). */
  body?: unknown;
}

/** Keyed "METHOD /path" with route groups removed and dynamic segments kept as [name]. */
export const TABLE: Record<string, Entry> = {
  "GET /": { access: { kind: "public" } },
  "GET /sign-in": { access: { kind: "public" } },
  "GET /invite": { access: { kind: "public" } },
  "GET /offline": { access: { kind: "public" } },
  "GET /trials": { access: { kind: "public" } },
  // A shell page: it shows nothing until the browser proves the token (the API entries below).
  "GET /trials/intake/[id]": { access: { kind: "public" } },
  "GET /admin": { access: { kind: "role", role: "admin" } },
  "GET /caregiver": { access: { kind: "role", role: "caregiver" } },
  "GET /clinic": { access: { kind: "role", role: "clinician" } },
  "GET /patient": { access: { kind: "patient", action: "status:read", role: "patient" } },
  "GET /patient/refills": { access: { kind: "patient", action: "refills:read", role: "patient" } },
  "GET /patient/history": { access: { kind: "patient", action: "history:read", role: "patient" } },
  "GET /patient/bolus": { access: { kind: "patient", action: "bolus:read", role: "patient" } },
  "GET /patient/caregivers": { access: { kind: "patient", action: "links:manage", role: "patient" } },
  "GET /caregiver/patients/[patientId]": { access: { kind: "patient", action: "status:read", role: "caregiver" } },
  "GET /caregiver/patients/[patientId]/refills": { access: { kind: "patient", action: "refills:read", role: "caregiver" } },
  "GET /caregiver/patients/[patientId]/history": { access: { kind: "patient", action: "history:read", role: "caregiver" } },
  "GET /caregiver/patients/[patientId]/bolus": { access: { kind: "patient", action: "bolus:read", role: "caregiver" } },
  "GET /clinic/patients/[patientId]": { access: { kind: "patient", action: "status:read", role: "clinician" } },
  "GET /clinic/patients/[patientId]/refills": { access: { kind: "patient", action: "refills:write", role: "clinician" } },
  "GET /clinic/patients/[patientId]/history": { access: { kind: "patient", action: "history:read", role: "clinician" } },
  "GET /clinic/patients/[patientId]/therapy": { access: { kind: "patient", action: "therapy:write", role: "clinician" } },
  "GET /api/health": { access: { kind: "public" } },
  "GET /api/me": { access: { kind: "signed-in" } },
  "GET /api/auth/[...nextauth]": { access: { kind: "public" } },
  "POST /api/auth/[...nextauth]": { access: { kind: "public" } },
  "GET /api/patients/[patientId]/status": { access: { kind: "patient", action: "status:read" } },
  "GET /api/patients/[patientId]/boluses": { access: { kind: "patient", action: "bolus:read" } },
  "POST /api/patients/[patientId]/boluses": { access: { kind: "patient", action: "bolus:record" }, body: {} },
  "GET /api/patients/[patientId]/refills/[appointmentId]/calendar.ics": { access: { kind: "patient-child", action: "refills:read", param: "appointmentId" } },
  "GET /patient/sync": { access: { kind: "patient", action: "sync:write", role: "patient" } },
  "GET /alarms": { access: { kind: "signed-in" } },
  "GET /alarms/[alarmId]": { access: { kind: "patient-child", action: "alarms:read", param: "alarmId" } },
  "GET /notifications": { access: { kind: "signed-in" } },
  "GET /api/alarms": { access: { kind: "patient", action: "alarms:read" }, query: "patientId=[patientId]" },
  "GET /api/alarms/[alarmId]": { access: { kind: "patient-child", action: "alarms:read", param: "alarmId" } },
  "POST /api/alarms/[alarmId]/ack": { access: { kind: "patient-child", action: "alarms:ack", param: "alarmId" } },
  "POST /api/alarms/[alarmId]/snooze": { access: { kind: "patient-child", action: "alarms:read", param: "alarmId" }, body: { minutes: 30 } },
  "DELETE /api/alarms/[alarmId]/snooze": { access: { kind: "patient-child", action: "alarms:read", param: "alarmId" } },
  "GET /api/alarms/preferences": { access: { kind: "signed-in" } },
  "PUT /api/alarms/preferences": { access: { kind: "signed-in" } },
  "GET /api/patients/[patientId]/sync": { access: { kind: "patient", action: "status:read" } },
  "POST /api/patients/[patientId]/sync": { access: { kind: "patient", action: "sync:write" }, body: {} },
  "GET /api/push/devices": { access: { kind: "signed-in" } },
  "POST /api/push/subscribe": { access: { kind: "signed-in" } },
  "POST /api/push/test": { access: { kind: "signed-in" } },
  "POST /api/push/unsubscribe": { access: { kind: "signed-in" } },
  "GET /api/push/vapid-public-key": { access: { kind: "public" } },
  "GET /api/trials/catalogue": { access: { kind: "public" } },
  "POST /api/trials/catalogue": { access: { kind: "role", role: "admin" } },
  "GET /api/trials/consent": { access: { kind: "public" } },
  "GET /api/trials/intake": { access: { kind: "signed-in" } },
  "POST /api/trials/intake": { access: { kind: "public" } },
  "GET /api/trials/intake/[id]": { access: { kind: "token" } },
  "POST /api/trials/intake/[id]/access": { access: { kind: "token" } },
  "GET /api/trials/intake/[id]/consent.pdf": { access: { kind: "token" } },
  "GET /api/trials/intake/[id]/fhir/consent": { access: { kind: "token" } },
  "GET /api/trials/intake/[id]/fhir/questionnaire-response": { access: { kind: "token" } },
  "POST /api/trials/intake/[id]/revoke": { access: { kind: "token" } },
  "GET /api/tick": { access: { kind: "machine" } },
  "POST /api/tick": { access: { kind: "machine" } },
};

/**
 * Server actions, keyed "ACTION <file>#<exported name>" as the build's server-reference manifest
 * names them (an inline action keeps the compiler's name, e.g. $$RSC_SERVER_ACTION_0). A server
 * action in the build without an entry here fails the matrix test.
 *
 * Each is called over HTTP as every actor, the way React calls it (POST to its page with a
 * Next-Action header). `inWhen` is what the response carries only when the action ran past its
 * authorisation: either its real effect or an error that only an authorised caller can reach.
 * Placeholders in fields: [patientId] (Alex), [actor], [stamp], [matrixLinkId].
 */
export interface ActionEntry {
  access: Access;
  /** Page that posts it ([patientId] filled in); from the manifest's workers when omitted. */
  page?: string;
  /** "state-form": (prevState, formData), as useActionState calls it; "form": (formData). */
  args: "state-form" | "form";
  fields: Record<string, string | string[]>;
  inWhen?: RegExp;
}

const NIL = "00000000-0000-4000-8000-000000000000";
const DENIED_ANYWAY = /^$/; // public actions: nothing to get into

export const ACTION_TABLE: Record<string, ActionEntry> = {
  "ACTION app/(auth)/sign-in/actions.ts#signInAction": {
    access: { kind: "public" },
    args: "state-form",
    fields: { email: "not-an-e-mail", password: "x" },
    inWhen: DENIED_ANYWAY,
  },
  "ACTION components/app-shell.tsx#$$RSC_SERVER_ACTION_0": { access: { kind: "public" }, page: "/alarms", args: "form", fields: {}, inWhen: DENIED_ANYWAY },
  // Real effect: a pending invite labelled with the actor's name.
  "ACTION app/(patient)/patient/caregivers/actions.ts#createInviteAction": {
    access: { kind: "role", role: "patient" },
    args: "state-form",
    fields: { label: "matrix-[actor]-[stamp]", scopes: ["status"] },
    inWhen: /"code":"[0-9A-Z]{5}-[0-9A-Z]{5}"/,
  },
  // Real effect: cancels Alex's pending "matrix-patient" invite (Alex is called last).
  "ACTION app/(patient)/patient/caregivers/actions.ts#revokeLinkAction": {
    access: { kind: "patient", action: "links:manage" },
    args: "state-form",
    fields: { linkId: "[matrixLinkId]" },
    inWhen: /"ok":true/,
  },
  // Real effect: a clinic named after the actor.
  "ACTION app/(admin)/admin/actions.ts#createClinicAction": {
    access: { kind: "role", role: "admin" },
    args: "state-form",
    fields: { name: "Matrix clinic [actor] [stamp]", timeZone: "Europe/London", address: "" },
    inWhen: /created/,
  },
  // Past the role check, an unknown clinic is refused: nothing is created.
  "ACTION app/(admin)/admin/actions.ts#createClinicianAction": {
    access: { kind: "role", role: "admin" },
    args: "state-form",
    fields: { clinicId: NIL, name: "Matrix clinician", email: "matrix-[actor]-[stamp]@example.test", password: "matrix-password-1234" },
    inWhen: /That clinic does not exist/,
  },
  // The refill and therapy actions authorise first; an authorised clinician then reaches an error
  // that changes nothing (a past time, an unknown appointment, a stale pump), so that the shared
  // demo data later specs rely on stays as it is.
  "ACTION app/(clinic)/clinic/patients/[patientId]/refills/actions.ts#scheduleRefillAction": {
    access: { kind: "patient", action: "refills:write" },
    args: "state-form",
    fields: { patientId: "[patientId]", scheduledAtLocal: "2020-01-06T10:00", durationMinutes: "30", location: "Matrix room" },
    inWhen: /That time is in the past/,
  },
  "ACTION app/(clinic)/clinic/patients/[patientId]/refills/actions.ts#moveRefillAction": {
    access: { kind: "patient", action: "refills:write" },
    args: "state-form",
    fields: { patientId: "[patientId]", appointmentId: NIL, scheduledAtLocal: "2031-01-06T10:00" },
    inWhen: /That appointment is no longer booked/,
  },
  "ACTION app/(clinic)/clinic/patients/[patientId]/refills/actions.ts#cancelRefillAction": {
    access: { kind: "patient", action: "refills:write" },
    args: "state-form",
    fields: { patientId: "[patientId]", appointmentId: NIL },
    inWhen: /That appointment is no longer booked/,
  },
  "ACTION app/(clinic)/clinic/patients/[patientId]/refills/actions.ts#completeRefillAction": {
    access: { kind: "patient", action: "refills:write" },
    args: "state-form",
    fields: { patientId: "[patientId]", appointmentId: NIL, volumeAddedUl: "100", newReservoirUl: "200" },
    inWhen: /That appointment is no longer booked/,
  },
  "ACTION app/(clinic)/clinic/patients/[patientId]/therapy/actions.ts#saveTherapyAction": {
    access: { kind: "patient", action: "therapy:write" },
    args: "state-form",
    fields: {
      patientId: "[patientId]",
      drug: "baclofen",
      concentration: "2000",
      dailyDose: "400",
      lowReservoirThresholdUl: "2000",
      bolusEnabled: "on",
      bolusDose: "50",
      bolusDurationSeconds: "600",
      lockoutSeconds: "10800",
      maxPer24h: "4",
      confirmUnusual: "on",
      // Alex's pump holds 40 000 µL: the server refuses the save as stale, after authorising.
      capacityUl: "20000",
    },
    inWhen: /The pump changed while you were editing/,
  },
  // Any signed-in user may redeem a code; an unknown code is refused after the sign-in check.
  "ACTION app/invite/actions.ts#acceptInviteAction": {
    access: { kind: "signed-in" },
    args: "state-form",
    fields: { code: "ABCDE-12345" },
    inWhen: /That invite code is not valid/,
  },
  "ACTION app/invite/actions.ts#signUpWithInviteAction": {
    access: { kind: "public" },
    args: "state-form",
    fields: { code: "ABCDE-12345", name: "Matrix", email: "matrix-signup-[actor]-[stamp]@example.test", password: "matrix-password-1234" },
    inWhen: DENIED_ANYWAY,
  },
};
