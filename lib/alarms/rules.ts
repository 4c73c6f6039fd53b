/**
 * Alarm rules as pure functions: what should be raised given a snapshot of one patient's data,
 * and what changes that means against the alarms already open. lib/alarms/evaluate.ts feeds
 * them from the database; tests call them directly.
 */
import { compareAppointment, type RefillProjection } from "@/lib/pump/projection";
import { alarmNames } from "@/lib/pump-link/alarms";
import { ALARM_KINDS, alarmKindDefinition, DEVICE_ALARM_KIND, type AlarmKind, type AlarmLifecycle, type AlarmSeverity } from "./catalogue";

const HOUR_MS = 3_600_000;
/** A scheduled appointment this long past its start without completion counts as missed. */
export const MISSED_APPOINTMENT_GRACE_MS = HOUR_MS;
/** Boluses confirmed this recently are news ("bolus delivered"); older ones are history. */
export const BOLUS_NOTICE_WINDOW_MS = 12 * HOUR_MS;
/** Limit violations found in history this far back raise alarms (older ones are not news). */
export const VIOLATION_LOOKBACK_MS = 30 * 24 * HOUR_MS;

export interface AlarmSnapshot {
  readonly now: Date;
  /** The patient has a pump on record (without one there is nothing to watch but appointments). */
  readonly hasPump: boolean;
  readonly pumpCreatedAt: Date | null;
  readonly staleSyncThresholdSeconds: number;
  /** Device time of the latest status reading. */
  readonly latestReadingAt: Date | null;
  /**
   * The device's alarm flags as last reported: from the latest status reading or from the latest
   * alarm_raised / alarm_cleared record (each carries the whole flag set), whichever is newer.
   */
  readonly deviceFlags: number | null;
  readonly deviceFlagsAt: Date | null;
  /** Appointments still in status "scheduled". */
  readonly scheduledAppointments: readonly { id: string; scheduledAt: Date }[];
  readonly projection: RefillProjection | null;
  /** bolus_requests rows marked as limit violations by the sync re-check (within the lookback). */
  readonly violations: readonly { id: string; at: Date }[];
  /** Boluses the device confirmed delivered within the notice window. */
  readonly deliveredBoluses: readonly { id: string; deliveredAt: Date }[];
}

export interface DesiredAlarm {
  readonly kind: AlarmKind;
  readonly severity: AlarmSeverity;
  readonly lifecycle: AlarmLifecycle;
  readonly dedupeKey: string;
  /** Stored with the alarm for the alarm page; ids and times only (no PHI beyond what the page shows). */
  readonly detail: Record<string, unknown>;
}

function desired(kind: AlarmKind, dedupeKey: string, detail: Record<string, unknown>): DesiredAlarm {
  const def = ALARM_KINDS[kind];
  return { kind, severity: def.severity, lifecycle: def.lifecycle, dedupeKey, detail };
}

/** Every alarm the snapshot calls for, each once (by dedupe key). */
export function deriveAlarms(s: AlarmSnapshot): DesiredAlarm[] {
  const out = new Map<string, DesiredAlarm>();
  const add = (a: DesiredAlarm) => {
    if (!out.has(a.dedupeKey)) out.set(a.dedupeKey, a);
  };

  if (s.deviceFlags !== null && s.deviceFlags !== 0) {
    for (const name of alarmNames(s.deviceFlags)) {
      const at = s.deviceFlagsAt?.toISOString() ?? null;
      if (name in DEVICE_ALARM_KIND) {
        add(desired(DEVICE_ALARM_KIND[name as keyof typeof DEVICE_ALARM_KIND], `device:${name}`, { flag: name, reportedAt: at }));
      } else {
        // A bit this version cannot name is never treated as harmless (same rule as the status page).
        add(desired("device_unknown", `device:${name}`, { flag: name, bit: Number(name.slice(3)), reportedAt: at }));
      }
    }
  }

  if (s.hasPump) {
    const thresholdMs = s.staleSyncThresholdSeconds * 1000;
    const since = s.latestReadingAt ?? s.pumpCreatedAt;
    if (since && s.now.getTime() - since.getTime() > thresholdMs) {
      add(desired("no_sync", "no_sync", { lastReadingAt: s.latestReadingAt?.toISOString() ?? null, thresholdSeconds: s.staleSyncThresholdSeconds }));
    }
  }

  const missedBefore = s.now.getTime() - MISSED_APPOINTMENT_GRACE_MS;
  const sorted = [...s.scheduledAppointments].sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
  for (const appt of sorted) {
    if (appt.scheduledAt.getTime() < missedBefore) {
      add(desired("appointment_missed", `appointment_missed:${appt.id}`, { appointmentId: appt.id, scheduledAt: appt.scheduledAt.toISOString() }));
    }
  }
  const upcoming = sorted.find((a) => a.scheduledAt.getTime() >= missedBefore);
  if (upcoming && s.projection && compareAppointment(upcoming.scheduledAt, s.projection) === "after_expected") {
    const low = s.projection.expected.lowReservoirAt;
    add(
      desired("refill_after_projection", `refill_after_projection:${upcoming.id}`, {
        appointmentId: upcoming.id,
        scheduledAt: upcoming.scheduledAt.toISOString(),
        expectedLowAt: low ? low.toISOString() : null,
      }),
    );
  }

  const violationSince = s.now.getTime() - VIOLATION_LOOKBACK_MS;
  for (const v of s.violations) {
    if (v.at.getTime() >= violationSince) add(desired("bolus_limit_violation", `bolus_limit_violation:${v.id}`, { bolusRequestId: v.id, at: v.at.toISOString() }));
  }

  const noticeSince = s.now.getTime() - BOLUS_NOTICE_WINDOW_MS;
  for (const b of s.deliveredBoluses) {
    const t = b.deliveredAt.getTime();
    if (t >= noticeSince && t <= s.now.getTime() + HOUR_MS) {
      add(desired("bolus_delivered", `bolus_delivered:${b.id}`, { bolusRequestId: b.id, deliveredAt: b.deliveredAt.toISOString() }));
    }
  }
  return [...out.values()];
}

export interface OpenAlarm {
  readonly id: string;
  readonly kind: string;
  readonly dedupeKey: string;
}

export interface AlarmPlan {
  readonly raise: DesiredAlarm[];
  /** Ids of open alarms whose condition has cleared. */
  readonly resolve: string[];
}

/**
 * The changes that make the stored alarms match the snapshot. `everRaisedKeys` holds the dedupe
 * keys of event and notice alarms that exist in any state: a past fact is raised once, ever —
 * acknowledging a limit violation must not bring it back on the next sync.
 */
export function planAlarmChanges(want: readonly DesiredAlarm[], open: readonly OpenAlarm[], everRaisedKeys: ReadonlySet<string>): AlarmPlan {
  const openKeys = new Set(open.map((a) => a.dedupeKey));
  const wantKeys = new Set(want.map((a) => a.dedupeKey));
  const raise = want.filter((a) => !openKeys.has(a.dedupeKey) && (a.lifecycle === "condition" || !everRaisedKeys.has(a.dedupeKey)));
  // Only condition alarms end by themselves; unknown kinds (a newer server) are left alone.
  const resolve = open.filter((a) => alarmKindDefinition(a.kind).lifecycle === "condition" && isKnown(a.kind) && !wantKeys.has(a.dedupeKey)).map((a) => a.id);
  return { raise, resolve };
}

function isKnown(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(ALARM_KINDS, kind);
}
