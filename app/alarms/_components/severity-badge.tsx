import type { AlarmSeverity } from "@/lib/alarms/catalogue";
import { SEVERITY_LABEL } from "@/lib/alarms/catalogue";

const STYLE: Record<AlarmSeverity, string> = {
  critical: "bg-red-700 text-white",
  warning: "bg-amber-200 text-amber-950",
  info: "bg-slate-200 text-slate-900",
};

export function SeverityBadge({ severity }: { severity: AlarmSeverity }) {
  return <span className={`inline-block rounded-md px-2 py-0.5 text-sm font-bold uppercase tracking-wide ${STYLE[severity]}`}>{SEVERITY_LABEL[severity]}</span>;
}

export const STATE_LABEL = { active: "Waiting for acknowledgement", acknowledged: "Acknowledged", resolved: "Ended" } as const;
