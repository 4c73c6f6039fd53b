import { formatDateTime, formatRelativeAge, isStale } from "@/lib/pump/time";

/**
 * Every piece of pump data shows how old it is (safety rule 7): "3 h ago", with the exact
 * time in the patient's zone on the element, and a stale style past the threshold.
 */
export function DataAge({ at, now, timeZone, staleAfterSeconds }: { at: Date; now: Date; timeZone: string; staleAfterSeconds?: number }) {
  const stale = staleAfterSeconds !== undefined && isStale(at, now, staleAfterSeconds);
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at, timeZone)} className={stale ? "font-semibold text-amber-900" : ""} data-stale={stale ? "true" : "false"}>
      {formatRelativeAge(at, now)}
    </time>
  );
}
