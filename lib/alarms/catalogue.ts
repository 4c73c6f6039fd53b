/**
 * Every alarm the server raises: its severity, how it ends, and the words people see.
 * Framework-free (pure data) so the rules, the notification payloads and the pages share it.
 *
 * The words never name a drug or a dose: notification text lands on a lock screen that anyone
 * can read (DESIGN.md, Security and privacy). The alarm page, behind sign-in, shows the detail.
 */
import type { AlarmName } from "@/lib/pump-link/types";

export type AlarmSeverity = "critical" | "warning" | "info";

/**
 * How an alarm ends:
 * - "condition": while a condition holds (device flag set, data stale); resolves when it clears
 *   and followers get an all clear;
 * - "event": a past fact (a limit violation found in history) that never "clears": it stays
 *   until someone acknowledges it, and acknowledging closes it;
 * - "notice": information (bolus delivered) that nobody needs to act on: stored already closed.
 */
export type AlarmLifecycle = "condition" | "event" | "notice";

export interface AlarmKindDefinition {
  readonly severity: AlarmSeverity;
  readonly lifecycle: AlarmLifecycle;
  /** Short, lower-case phrase for a notification title after "Alex's pump — " / "Your pump — ". */
  readonly headline: string;
  /** One sentence of what to do, for the notification body and the alarm page. */
  readonly advice: string;
  /** Body of the all clear when the condition ends (condition alarms only). */
  readonly cleared?: string;
}

export const ALARM_KINDS = {
  device_low_reservoir: {
    severity: "warning",
    lifecycle: "condition",
    headline: "reservoir low",
    advice: "The pump reports a low reservoir. A refill is needed soon.",
    cleared: "The pump no longer reports a low reservoir.",
  },
  device_empty_reservoir: {
    severity: "critical",
    lifecycle: "condition",
    headline: "reservoir empty",
    advice: "The pump reports an empty reservoir and cannot deliver. Contact the clinic now.",
    cleared: "The pump no longer reports an empty reservoir.",
  },
  device_battery_replacement_due: {
    severity: "warning",
    lifecycle: "condition",
    headline: "battery replacement due",
    advice: "The pump battery is due for replacement. Talk to the clinic.",
    cleared: "The pump no longer reports that its battery is due for replacement.",
  },
  device_battery_end_of_service: {
    severity: "critical",
    lifecycle: "condition",
    headline: "battery at end of service",
    advice: "The pump battery has reached end of service. Contact the clinic now.",
    cleared: "The pump no longer reports battery end of service.",
  },
  device_motor_stall: {
    severity: "critical",
    lifecycle: "condition",
    headline: "motor stopped",
    advice: "The pump motor stopped and the pump may not be delivering. Contact the clinic now.",
    cleared: "The pump no longer reports a motor stall.",
  },
  device_memory_error: {
    severity: "critical",
    lifecycle: "condition",
    headline: "memory error",
    advice: "The pump reports a memory error. Contact the clinic now.",
    cleared: "The pump no longer reports a memory error.",
  },
  device_occlusion: {
    severity: "critical",
    lifecycle: "condition",
    headline: "possible catheter blockage",
    advice: "The pump reports a possible blockage in the catheter. Contact the clinic now.",
    cleared: "The pump no longer reports a possible blockage.",
  },
  device_time_not_set: {
    severity: "warning",
    lifecycle: "condition",
    headline: "clock not set",
    advice: "The pump's clock is not set. Sync the handheld.",
    cleared: "The pump's clock is set again.",
  },
  device_unknown: {
    severity: "critical",
    lifecycle: "condition",
    headline: "unrecognised pump alarm",
    advice: "The pump reports an alarm this app does not recognise. Contact the clinic now.",
    cleared: "The pump no longer reports the unrecognised alarm.",
  },
  no_sync: {
    severity: "warning",
    lifecycle: "condition",
    headline: "no recent pump data",
    advice: "The pump has not been synced for longer than expected. Sync the handheld with the phone.",
    cleared: "New pump data has arrived.",
  },
  refill_after_projection: {
    severity: "warning",
    lifecycle: "condition",
    headline: "refill may come too late",
    advice: "The next refill appointment is after the date the reservoir is expected to run low. Contact the clinic.",
    cleared: "The refill appointment is no longer after the expected low-reservoir date.",
  },
  appointment_missed: {
    severity: "warning",
    lifecycle: "condition",
    headline: "refill appointment missed",
    advice: "A refill appointment has passed without being completed. Contact the clinic to rebook.",
    cleared: "The missed refill appointment has been dealt with.",
  },
  bolus_limit_violation: {
    severity: "critical",
    lifecycle: "event",
    headline: "bolus outside the permitted limits",
    advice: "The pump history shows a bolus outside the permitted limits. Contact the clinic now.",
  },
  bolus_delivered: {
    severity: "info",
    lifecycle: "notice",
    headline: "bolus delivered",
    advice: "The pump recorded a bolus.",
  },
} as const satisfies Record<string, AlarmKindDefinition>;

export type AlarmKind = keyof typeof ALARM_KINDS;

export function isAlarmKind(kind: string): kind is AlarmKind {
  return Object.prototype.hasOwnProperty.call(ALARM_KINDS, kind);
}

/** The definition of a stored kind; an unknown kind (newer server version) reads as critical. */
export function alarmKindDefinition(kind: string): AlarmKindDefinition {
  if (isAlarmKind(kind)) return ALARM_KINDS[kind];
  return { severity: "critical", lifecycle: "event", headline: "alarm", advice: "Open the app for details." };
}

/** Device alarm flags (lib/pump-link) → alarm kinds. */
export const DEVICE_ALARM_KIND: Readonly<Record<AlarmName, AlarmKind>> = {
  lowReservoir: "device_low_reservoir",
  emptyReservoir: "device_empty_reservoir",
  batteryReplacementDue: "device_battery_replacement_due",
  batteryEndOfService: "device_battery_end_of_service",
  motorStall: "device_motor_stall",
  memoryError: "device_memory_error",
  occlusion: "device_occlusion",
  timeNotSet: "device_time_not_set",
};

export const SEVERITY_LABEL: Record<AlarmSeverity, string> = { critical: "Critical", warning: "Warning", info: "Information" };

/**
 * How often an unacknowledged alarm notifies again. Critical: every few minutes until someone
 * acknowledges (never muted, never snoozed). Warning: a slower reminder that a caregiver may
 * snooze for themself. Info: once.
 */
export const RENOTIFY_SECONDS: Record<AlarmSeverity, number | null> = {
  critical: 5 * 60,
  warning: 4 * 3600,
  info: null,
};

/** Web Push TTL (how long the push service keeps an undelivered message) and Urgency. */
export const DELIVERY_BY_SEVERITY: Record<AlarmSeverity, { ttlSeconds: number; urgency: "high" | "normal" | "low" }> = {
  // A later round replaces a stale one (same Topic), so a short TTL loses nothing.
  critical: { ttlSeconds: 30 * 60, urgency: "high" },
  warning: { ttlSeconds: 12 * 3600, urgency: "normal" },
  info: { ttlSeconds: 6 * 3600, urgency: "low" },
};

/** Snooze lengths offered for warnings (minutes). Critical alarms cannot be snoozed. */
export const SNOOZE_MINUTES = [30, 60, 240, 720] as const;
