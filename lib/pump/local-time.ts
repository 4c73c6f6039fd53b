import { zonedParts } from "./time";

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

export class LocalTimeError extends Error {}

function offsetMs(instantMs: number, timeZone: string): number {
  const p = zonedParts(new Date(instantMs), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instantMs / 1000) * 1000;
}

/**
 * "2027-03-28T01:30" on a clinic's wall clock in `timeZone` → the UTC instant. A time that does
 * not exist (the spring-forward gap) is refused; an ambiguous one (autumn) takes the earlier.
 */
export function zonedLocalToUtc(local: string, timeZone: string): Date {
  const m = LOCAL_RE.exec(local);
  if (!m) throw new LocalTimeError("Enter a date and time.");
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59) {
    throw new LocalTimeError("That date does not exist.");
  }
  const candidates = new Set<number>();
  for (const probe of [asUtc - 86_400_000, asUtc, asUtc + 86_400_000]) candidates.add(asUtc - offsetMs(probe, timeZone));
  const matches = [...candidates]
    .filter((t) => {
      const p = zonedParts(new Date(t), timeZone);
      return p.year === y && p.month === mo && p.day === d && p.hour === h && p.minute === mi;
    })
    .sort((a, b) => a - b);
  if (matches.length === 0) throw new LocalTimeError("That time does not exist on that day (the clocks change). Choose another time.");
  return new Date(matches[0]!);
}

/** The value for an <input type="datetime-local"> showing `instant` in `timeZone`. */
export function utcToLocalInput(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
