import "server-only";
import { and, asc, desc, eq, gt, inArray, ne } from "drizzle-orm";
import type { Db } from "@/db";
import { alarmPreferences, alarms, alarmSnoozes, patients, users, type Alarm } from "@/db/schema";
import type { Actor } from "@/lib/auth/guard";
import { listClinicPatients } from "@/lib/patients/clinic";
import { alarmKindDefinition } from "./catalogue";
import { patientsFollowedBy } from "./recipients";

export interface AlarmView {
  id: string;
  patientId: string;
  kind: string;
  severity: Alarm["severity"];
  state: Alarm["state"];
  headline: string;
  advice: string;
  raisedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  notifyRound: number;
  nextNotifyAt: Date | null;
  detail: Record<string, unknown> | null;
  /** The viewer's own snooze of this alarm, if any. */
  snoozedUntil: Date | null;
}

async function toViews(db: Db, rows: Alarm[], viewerUserId: string | null, now: Date): Promise<AlarmView[]> {
  const ackIds = [...new Set(rows.map((r) => r.acknowledgedByUserId).filter((id): id is string => id !== null))];
  const names = ackIds.length ? await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ackIds)) : [];
  const nameById = new Map(names.map((n) => [n.id, n.name]));
  const snoozes =
    viewerUserId && rows.length
      ? await db
          .select({ alarmId: alarmSnoozes.alarmId, until: alarmSnoozes.until })
          .from(alarmSnoozes)
          .where(and(eq(alarmSnoozes.userId, viewerUserId), inArray(alarmSnoozes.alarmId, rows.map((r) => r.id)), gt(alarmSnoozes.until, now)))
      : [];
  const snoozeById = new Map(snoozes.map((s) => [s.alarmId, s.until]));
  return rows.map((r) => {
    const def = alarmKindDefinition(r.kind);
    return {
      id: r.id,
      patientId: r.patientId,
      kind: r.kind,
      severity: r.severity,
      state: r.state,
      headline: def.headline.charAt(0).toUpperCase() + def.headline.slice(1),
      advice: def.advice,
      raisedAt: r.raisedAt,
      acknowledgedAt: r.acknowledgedAt,
      acknowledgedBy: r.acknowledgedByUserId ? (nameById.get(r.acknowledgedByUserId) ?? "a former user") : null,
      resolvedAt: r.resolvedAt,
      notifyRound: r.notifyRound,
      nextNotifyAt: r.nextNotifyAt,
      detail: r.detail ?? null,
      snoozedUntil: snoozeById.get(r.id) ?? null,
    };
  });
}

const SEVERITY_ORDER = { critical: 0, warning: 1, info: 2 } as const;

/** Open alarms (most severe, then newest first) and recent closed ones, for one patient. Caller authorises. */
export async function listPatientAlarms(db: Db, patientId: string, viewerUserId: string | null, { pastLimit = 20, now = new Date() } = {}) {
  const open = await db
    .select()
    .from(alarms)
    .where(and(eq(alarms.patientId, patientId), ne(alarms.state, "resolved")))
    .orderBy(desc(alarms.raisedAt));
  open.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || b.raisedAt.getTime() - a.raisedAt.getTime());
  const past = await db
    .select()
    .from(alarms)
    .where(and(eq(alarms.patientId, patientId), eq(alarms.state, "resolved")))
    .orderBy(desc(alarms.raisedAt))
    .limit(pastLimit);
  return { active: await toViews(db, open, viewerUserId, now), past: await toViews(db, past, viewerUserId, now) };
}

/** One alarm as the page shows it. Caller authorises (lib/alarms/mutations authorizedAlarm). */
export async function alarmView(db: Db, alarm: Alarm, viewerUserId: string | null, now = new Date()): Promise<AlarmView> {
  const [view] = await toViews(db, [alarm], viewerUserId, now);
  return view!;
}

/**
 * Patients whose alarm pages this actor may open: their own record, caregiver links with the
 * alarms scope, and (for clinicians) their clinics' patients. Identity only — each page still
 * authorises (and audits) through the guard before reading alarms.
 */
export async function alarmPatientsForActor(db: Db, actor: Actor) {
  const followed = await patientsFollowedBy(db, actor.userId);
  const relation = new Map<string, "self" | "caregiver" | "clinician">();
  for (const p of followed) relation.set(p.patientId, p.isSelf ? "self" : "caregiver");
  if (actor.roles.has("clinician")) {
    const clinic = await listClinicPatients(db, actor.userId);
    for (const p of clinic.patients) if (!relation.has(p.patientId)) relation.set(p.patientId, "clinician");
  }
  if (relation.size === 0) return [];
  const rows = await db
    .select({ patientId: patients.id, displayName: patients.displayName, timeZone: patients.timeZone })
    .from(patients)
    .where(inArray(patients.id, [...relation.keys()]))
    .orderBy(asc(patients.displayName));
  // The patient's own record first, then everyone else by name.
  return rows
    .map((r) => ({ ...r, relation: relation.get(r.patientId)! }))
    .sort((a, b) => Number(b.relation === "self") - Number(a.relation === "self"));
}

/** This follower's settings for each patient they receive alarms for (defaults filled in). */
export async function preferencesFor(db: Db, userId: string) {
  const followed = await patientsFollowedBy(db, userId);
  const prefs = followed.length
    ? await db.select().from(alarmPreferences).where(and(eq(alarmPreferences.userId, userId), inArray(alarmPreferences.patientId, followed.map((f) => f.patientId))))
    : [];
  const byPatient = new Map(prefs.map((p) => [p.patientId, p]));
  return followed.map((f) => ({
    patientId: f.patientId,
    displayName: f.displayName,
    isSelf: f.isSelf,
    warnings: byPatient.get(f.patientId)?.warnings ?? true,
    info: byPatient.get(f.patientId)?.info ?? false,
  }));
}
