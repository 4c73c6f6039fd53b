/**
 * Time display helpers. Instants are stored and passed as UTC `Date`s; they are shown in the
 * patient's IANA time zone (DESIGN.md, Safety rule 4), with a 24-hour clock and British date
 * order ("Tue 12 Jan 2027, 14:05").
 *
 * Intl.DateTimeFormat is used only to obtain NUMERIC wall-clock fields for a zone; month and
 * weekday names come from the tables below. Different ICU versions spell things differently
 * (Node 20 en-GB says "Sept", others "Sep"; some insert commas), and the server render, the
 * browser and the tests must agree character for character.
 *
 * Nothing here reads the clock: every function that needs "now" takes it as a parameter.
 */

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

const MS_PER_SECOND = 1000;
const MS_PER_DAY = 86_400_000;

/** Wall-clock fields of an instant in a time zone. `weekday`: 0 = Sunday. */
export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly weekday: number;
}

// Constructing a DateTimeFormat is costly; a per-zone cache is harmless (pure, no shared state
// that differs between server instances).
const formatterCache = new Map<string, Intl.DateTimeFormat>();

function numericFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatterCache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      // hourCycle rather than hour12:false: some engines render midnight as "24" with the latter.
      hourCycle: "h23",
      era: "short",
    });
    formatterCache.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone (or alias) this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== "string" || timeZone.length === 0) return false;
  try {
    numericFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields of `instant` in `timeZone`. Throws RangeError for invalid dates or zones. */
export function zonedParts(instant: Date, timeZone: string): ZonedParts {
  assertValidDate(instant, "instant");
  const parts = numericFormatter(timeZone).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (!part) throw new RangeError(`Intl did not return a ${type} field`);
    return Number(part.value);
  };
  const era = parts.find((p) => p.type === "era")?.value ?? "AD";
  const rawYear = field("year");
  // Intl reports years before 1 CE as era BC with a positive year; keep astronomical numbering.
  const year = era === "BC" || era === "B" ? 1 - rawYear : rawYear;
  const month = field("month");
  const day = field("day");
  const hour = field("hour") % 24;
  const weekday = new Date(utcMidnight(year, month, day)).getUTCDay();
  return { year, month, day, hour, minute: field("minute"), second: field("second"), weekday };
}

/** "Tue 12 Jan 2027": the calendar date of `instant` in `timeZone`. */
export function formatDate(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTHS[p.month - 1]} ${p.year}`;
}

/** "14:05" (24-hour) in `timeZone`. */
export function formatTime(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "Tue 12 Jan 2027, 14:05" in `timeZone`. */
export function formatDateTime(instant: Date, timeZone: string): string {
  return `${formatDate(instant, timeZone)}, ${formatTime(instant, timeZone)}`;
}

/** "2027-01-12": the local calendar date, for grouping and equality checks. */
export function localDateKey(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  return `${String(p.year).padStart(4, "0")}-${pad2(p.month)}-${pad2(p.day)}`;
}

/**
 * Calendar days from the local date of `from` to the local date of `to` in `timeZone`
 * (0 = same local day, 1 = "tomorrow"), independent of the hours in between, so a DST change
 * (23- or 25-hour day) never makes "tomorrow" read as "today" or "in 2 days".
 */
export function calendarDaysBetween(from: Date, to: Date, timeZone: string): number {
  const a = zonedParts(from, timeZone);
  const b = zonedParts(to, timeZone);
  return Math.round((utcMidnight(b.year, b.month, b.day) - utcMidnight(a.year, a.month, a.day)) / MS_PER_DAY);
}

/**
 * Age of a timestamp for "last synced …" labels: "just now" (< 1 min either way), "5 min ago",
 * "3 h ago", "1 day ago", "12 days ago". Units are floored (3 h 59 min → "3 h ago"), matching
 * how people read such labels. A timestamp more than a minute in the future (device clock
 * ahead) is shown as such — "in 2 h" — rather than hidden as "just now", because data must
 * show its true age (Safety rule 7).
 */
export function formatRelativeAge(then: Date, now: Date): string {
  if (!isValidDate(then) || !isValidDate(now)) return "unknown";
  const deltaSeconds = (now.getTime() - then.getTime()) / MS_PER_SECOND;
  const abs = Math.abs(deltaSeconds);
  if (abs < 60) return "just now";
  let amount: string;
  if (abs < 3600) amount = `${Math.floor(abs / 60)} min`;
  else if (abs < 86_400) amount = `${Math.floor(abs / 3600)} h`;
  else {
    const days = Math.floor(abs / 86_400);
    amount = `${days} ${days === 1 ? "day" : "days"}`;
  }
  return deltaSeconds > 0 ? `${amount} ago` : `in ${amount}`;
}

/**
 * True when the last sync is older than `thresholdSeconds` at `now`, or there was never one
 * (or its date is invalid): nothing that may be stale is presented as live. Exactly at the
 * threshold is not yet stale. A sync time in the future (clock skew) is not stale.
 */
export function isStale(lastSyncAt: Date | null | undefined, now: Date, thresholdSeconds: number): boolean {
  if (!Number.isFinite(thresholdSeconds) || thresholdSeconds < 0) {
    throw new RangeError(`thresholdSeconds must be a non-negative number, got ${thresholdSeconds}`);
  }
  assertValidDate(now, "now");
  if (!lastSyncAt || !isValidDate(lastSyncAt)) return true;
  return now.getTime() - lastSyncAt.getTime() > thresholdSeconds * MS_PER_SECOND;
}

// ---------------------------------------------------------------------------------------------
// iCalendar (RFC 5545)
// ---------------------------------------------------------------------------------------------

export interface IcsEventInput {
  /** Globally unique, stable per appointment (so re-downloads update rather than duplicate). */
  readonly uid: string;
  readonly start: Date;
  readonly durationMinutes: number;
  /** Patient's IANA zone: used for the human-readable local time line in DESCRIPTION. */
  readonly timeZone: string;
  readonly summary: string;
  readonly location?: string;
  readonly description?: string;
  /** When the object was created (DTSTAMP, required by RFC 5545). Passed in: no clock reads. */
  readonly dtstamp: Date;
  readonly prodId?: string;
}

const DEFAULT_PRODID = "-//Pump Portal//Refill appointments//EN";
const CRLF = "\r\n";

/**
 * A complete VCALENDAR with one VEVENT, CRLF line endings, lines folded at 75 octets.
 *
 * Times are written in UTC ("DTSTART:20270112T140000Z"). RFC 5545 §3.2.19 requires a VTIMEZONE
 * for every TZID used, and Intl exposes no transition rules to build one; a UTC instant is
 * unambiguous and every calendar client shows it in the viewer's own zone. The patient's local
 * time is additionally spelled out in DESCRIPTION so a caregiver in another zone sees both.
 *
 * Keep PHI out: callers should not put drug names or doses in summary/description (the file
 * ends up in third-party calendars and their notifications).
 */
export function buildIcsEvent(input: IcsEventInput): string {
  const { uid, start, durationMinutes, timeZone, summary, location, description, dtstamp } = input;
  if (uid.trim().length === 0) throw new RangeError("uid must not be empty");
  assertValidDate(start, "start");
  assertValidDate(dtstamp, "dtstamp");
  if (!Number.isInteger(durationMinutes) || durationMinutes <= 0) {
    throw new RangeError(`durationMinutes must be a positive integer, got ${durationMinutes}`);
  }
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Invalid time zone: ${timeZone}`);

  const end = new Date(start.getTime() + durationMinutes * 60_000);
  const localLine = `Time: ${formatDateTime(start, timeZone)} (${timeZone})`;
  const fullDescription = description ? `${localLine}\n${description}` : localLine;

  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeIcsText(input.prodId ?? DEFAULT_PRODID)}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    "BEGIN:VEVENT",
    `UID:${escapeIcsText(uid)}`,
    `DTSTAMP:${formatIcsUtc(dtstamp)}`,
    `DTSTART:${formatIcsUtc(start)}`,
    `DTEND:${formatIcsUtc(end)}`,
    `SUMMARY:${escapeIcsText(summary)}`,
    ...(location ? [`LOCATION:${escapeIcsText(location)}`] : []),
    `DESCRIPTION:${escapeIcsText(fullDescription)}`,
    "END:VEVENT",
    "END:VCALENDAR",
  ];
  return lines.map(foldIcsLine).join(CRLF) + CRLF;
}

/** RFC 5545 UTC DATE-TIME: "20270112T140500Z" (seconds kept, milliseconds dropped). */
export function formatIcsUtc(instant: Date): string {
  assertValidDate(instant, "instant");
  const iso = instant.toISOString(); // 2027-01-12T14:05:00.000Z
  if (iso.length !== 24) throw new RangeError("Only years 0000–9999 can be written to iCalendar");
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
}

/**
 * TEXT value escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, and line breaks as "\n".
 * Other control characters are not allowed in TEXT and are dropped.
 */
export function escapeIcsText(text: string): string {
  return text
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000A-\u001F\u007F]/g, "");
}

/**
 * Folds a content line so no physical line exceeds 75 octets (UTF-8), continuation lines
 * starting with one space (which counts toward their 75). Never splits a multi-octet character.
 */
export function foldIcsLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let currentOctets = 0;
  for (const char of line) {
    const octets = utf8Length(char);
    if (currentOctets + octets > 75) {
      out.push(current);
      current = " ";
      currentOctets = 1;
    }
    current += char;
    currentOctets += octets;
  }
  out.push(current);
  return out.join(CRLF);
}

function utf8Length(char: string): number {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp < 0x10000) return 3;
  return 4;
}

/** Epoch ms of a proleptic-Gregorian date's UTC midnight (Date.UTC maps years 0–99 to 19xx). */
function utcMidnight(year: number, month: number, day: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  return d.getTime();
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

function assertValidDate(value: Date, name: string): void {
  if (!isValidDate(value)) throw new RangeError(`${name} must be a valid Date`);
}
