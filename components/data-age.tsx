/**
 * Every piece of pump data shows how old it is (safety rule 7): "3 h ago", with the exact
 * time in the patient's zone on the element, and a stale style past the threshold.
 */
export function relativeAge(from: Date, now: Date): string {
  const s = Math.max(0, Math.round((now.getTime() - from.getTime()) / 1000));
  if (s < 60) return "just now";
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ago`;
  return `${Math.floor(h / 24)} days ago`;
}

export function formatDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(at);
}

export function DataAge({ at, now, timeZone, staleAfterSeconds }: { at: Date; now: Date; timeZone: string; staleAfterSeconds?: number }) {
  const stale = staleAfterSeconds !== undefined && now.getTime() - at.getTime() > staleAfterSeconds * 1000;
  return (
    <time dateTime={at.toISOString()} title={formatDateTime(at, timeZone)} className={stale ? "font-semibold text-amber-900" : "text-muted"} data-stale={stale ? "true" : "false"}>
      {relativeAge(at, now)}
    </time>
  );
}
