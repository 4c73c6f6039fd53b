import { ALARM_BITS, CRITICAL_ALARM_MASK } from "@/lib/pump-link/types";
import type { AlarmName } from "@/lib/pump-link/types";

/** Names of the known alarms set in `flags`, plus `bit<n>` for bits this app version does not know. */
export function alarmNames(flags: number): (AlarmName | `bit${number}`)[] {
  const out: (AlarmName | `bit${number}`)[] = [];
  const known = new Map<number, AlarmName>(
    (Object.keys(ALARM_BITS) as AlarmName[]).map((name) => [ALARM_BITS[name], name]),
  );
  for (let bit = 0; bit < 16; bit++) {
    if ((flags & (1 << bit)) !== 0) out.push(known.get(bit) ?? `bit${bit}`);
  }
  return out;
}

/** Unknown bits count as critical: an alarm this app cannot name must not be shown as harmless. */
export function hasCriticalAlarm(flags: number): boolean {
  return (flags & CRITICAL_ALARM_MASK) !== 0;
}
