import { alarmNames } from "@/lib/pump-link/alarms";
import { ALARM_BITS, WARNING_ALARM_MASK, type AlarmName } from "@/lib/pump-link/types";

/** Plain words for the device's alarm flags (no jargon: patients read these on their phone). */
const TEXT: Record<AlarmName, string> = {
  lowReservoir: "Reservoir low — a refill is needed soon.",
  emptyReservoir: "Reservoir empty — the pump cannot deliver. Contact your clinic now.",
  batteryReplacementDue: "Pump battery is due for replacement — talk to your clinic.",
  batteryEndOfService: "Pump battery has reached end of service — contact your clinic now.",
  motorStall: "Pump motor stopped — the pump may not be delivering. Contact your clinic now.",
  memoryError: "Pump memory error — contact your clinic now.",
  occlusion: "Possible blockage in the catheter — contact your clinic now.",
  timeNotSet: "The pump's clock is not set — sync your handheld.",
};

export interface DeviceAlarm {
  name: string;
  severity: "critical" | "warning";
  text: string;
}

export function describeAlarmFlags(flags: number): DeviceAlarm[] {
  return alarmNames(flags).map((name) => {
    const bit = name in ALARM_BITS ? ALARM_BITS[name as AlarmName] : Number(name.slice(3));
    return {
      name,
      // Unknown bits are outside the warning mask: an alarm this app cannot name is never shown as harmless.
      severity: (WARNING_ALARM_MASK & (1 << bit)) !== 0 ? "warning" : "critical",
      text: TEXT[name as AlarmName] ?? "The pump reports an alarm this app does not recognise — contact your clinic.",
    };
  });
}
