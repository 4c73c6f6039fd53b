import { formatDateTime } from "@/lib/pump/time";

function date(detail: Record<string, unknown> | null, key: string): Date | null {
  const v = detail?.[key];
  if (typeof v !== "string") return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The facts behind an alarm, in words, for the (signed-in) alarm page. */
export function alarmDetailLines(kind: string, detail: Record<string, unknown> | null, timeZone: string): { label: string; value: string }[] {
  const at = (key: string) => {
    const d = date(detail, key);
    return d ? formatDateTime(d, timeZone) : null;
  };
  const lines: { label: string; value: string | null }[] = [];
  if (kind.startsWith("device_")) lines.push({ label: "Reported by the pump", value: at("reportedAt") });
  if (kind === "no_sync") {
    lines.push({ label: "Last pump data", value: at("lastReadingAt") ?? "None received yet" });
    const s = detail?.thresholdSeconds;
    if (typeof s === "number") lines.push({ label: "Expected at least every", value: s % 3600 === 0 ? `${s / 3600} h` : `${Math.round(s / 60)} min` });
  }
  if (kind === "refill_after_projection") {
    lines.push({ label: "Refill appointment", value: at("scheduledAt") });
    lines.push({ label: "Reservoir expected to run low", value: at("expectedLowAt") });
  }
  if (kind === "appointment_missed") lines.push({ label: "Appointment was", value: at("scheduledAt") });
  if (kind === "bolus_limit_violation") lines.push({ label: "Bolus recorded", value: at("at") });
  if (kind === "bolus_delivered") lines.push({ label: "Bolus delivered", value: at("deliveredAt") });
  return lines.filter((l): l is { label: string; value: string } => l.value !== null);
}
