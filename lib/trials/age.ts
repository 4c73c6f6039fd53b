/**
 * Calendar ages from a date of birth, on the patient's own calendar day.
 *
 * Ages are whole calendar units (a person is 18 from their 18th birthday, not after
 * 18 × 365.25 days), computed on the date it currently is in the patient's IANA time zone:
 * at 01:00 in Tokyo on someone's birthday they are a year older, even though it is still
 * the day before in Los Angeles. Dates of birth have no time zone; they are civil dates.
 *
 * Birthdays on 29 February: in years without one, the birthday is taken to be 1 March
 * (the person is not a year older on 28 February). Monthly anniversaries of the 29th–31st
 * in shorter months follow the same rule: the first day of the next month.
 */

/** A date on the calendar with no time or zone (month 1–12). */
export interface CivilDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** An exact age: whole years, then months, then days, plus the total in days. */
export interface ExactAge {
  readonly years: number;
  readonly months: number;
  readonly days: number;
  /** Completed months in total (years × 12 + months). */
  readonly totalMonths: number;
  /** Days lived (the birth date itself is day 0). */
  readonly totalDays: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when year, month and day form a real calendar date (year 1–9999). */
export function isRealDate(d: CivilDate): boolean {
  return (
    Number.isInteger(d.year) &&
    Number.isInteger(d.month) &&
    Number.isInteger(d.day) &&
    d.year >= 1 &&
    d.year <= 9999 &&
    d.month >= 1 &&
    d.month <= 12 &&
    d.day >= 1 &&
    d.day <= daysInMonth(d.year, d.month)
  );
}

/**
 * Reads "YYYY-MM-DD". Null when the text is not in that form or is not a real date
 * ("2023-02-30"); use {@link validateBirthDate} for user-facing messages.
 */
export function parseIsoDate(text: string): CivilDate | null {
  const m = ISO_DATE.exec(text.trim());
  if (!m || m[1] === undefined || m[2] === undefined || m[3] === undefined) return null;
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  return isRealDate(d) ? d : null;
}

export function formatIsoDate(d: CivilDate): string {
  const p = (n: number, w: number): string => String(n).padStart(w, "0");
  return `${p(d.year, 4)}-${p(d.month, 2)}-${p(d.day, 2)}`;
}

/** Negative, zero or positive as a is before, equal to or after b. */
export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Day number since 1970-01-01 (proleptic Gregorian), for exact day differences. */
function dayNumber(d: CivilDate): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day);
  return Math.round(t.getTime() / 86_400_000);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CivilDate, to: CivilDate): number {
  return dayNumber(to) - dayNumber(from);
}

/** True when `timeZone` is an IANA zone name this runtime knows (e.g. "Asia/Tokyo"). */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone }).format(0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar date at instant `now` in `timeZone`.
 * @throws RangeError for an unknown time zone (validate with {@link isValidTimeZone}).
 */
export function civilDateInZone(now: Date, timeZone: string): CivilDate {
  if (Number.isNaN(now.getTime())) throw new RangeError("civilDateInZone: invalid Date");
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    calendar: "gregory",
    numberingSystem: "latn",
  }).formatToParts(now);
  const get = (type: Intl.DateTimeFormatPartTypes): number => {
    const part = parts.find((p) => p.type === type);
    if (part === undefined) throw new RangeError(`civilDateInZone: no ${type} in formatted date`);
    return Number(part.value);
  };
  return { year: get("year"), month: get("month"), day: get("day") };
}

/**
 * The date `months` calendar months after `d`, where a day that does not exist in the
 * target month rolls to the 1st of the following month (29 Feb → 1 Mar in common years).
 */
function monthAnniversary(d: CivilDate, months: number): CivilDate {
  const index = d.year * 12 + (d.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  if (d.day <= daysInMonth(year, month)) return { year, month, day: d.day };
  return month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 };
}

/**
 * Exact age on date `on` of someone born on `dob`.
 * @throws RangeError when `on` is before `dob`.
 */
export function ageOn(dob: CivilDate, on: CivilDate): ExactAge {
  if (compareDates(on, dob) < 0) {
    throw new RangeError(`ageOn: ${formatIsoDate(on)} is before the date of birth ${formatIsoDate(dob)}`);
  }
  // Start from the naive month difference and step back while the anniversary is still
  // ahead; at most two steps (day-of-month, then the roll-over rule).
  let totalMonths = (on.year - dob.year) * 12 + (on.month - dob.month);
  while (totalMonths > 0 && compareDates(monthAnniversary(dob, totalMonths), on) > 0) totalMonths--;
  const anniversary = monthAnniversary(dob, totalMonths);
  return {
    years: Math.floor(totalMonths / 12),
    months: totalMonths % 12,
    days: daysBetween(anniversary, on),
    totalMonths,
    totalDays: daysBetween(dob, on),
  };
}

/** Days lived on date `on` (0 on the day of birth). */
export function ageInDays(dob: CivilDate, on: CivilDate): number {
  return ageOn(dob, on).totalDays;
}

/**
 * Exact age at instant `now`, on the calendar of `timeZone`.
 * @throws RangeError for a malformed date of birth, an unknown zone, or a future birth.
 */
export function ageAt(dobIso: string, now: Date, timeZone: string): ExactAge {
  const dob = parseIsoDate(dobIso);
  if (dob === null) throw new RangeError(`ageAt: "${dobIso}" is not a real date in YYYY-MM-DD form`);
  return ageOn(dob, civilDateInZone(now, timeZone));
}

export const MAX_AGE_YEARS = 120;

export type BirthDateErrorCode = "format" | "not_a_date" | "future" | "too_old" | "time_zone";

export type BirthDateValidation =
  | { readonly ok: true; readonly dob: CivilDate; readonly age: ExactAge }
  | { readonly ok: false; readonly code: BirthDateErrorCode; readonly message: string };

/**
 * Checks a date of birth typed on the intake, as of `now` in the patient's time zone.
 * Born today is fine (age 0); exactly 120 years old today is fine; one day more is not.
 * Messages are in plain words, ready to show next to the field.
 */
export function validateBirthDate(dob: string, now: Date, timeZone: string): BirthDateValidation {
  const m = ISO_DATE.exec(dob.trim());
  if (!m) return { ok: false, code: "format", message: "Enter the date of birth as year-month-day, for example 1980-04-23." };
  const date = parseIsoDate(dob);
  if (date === null) return { ok: false, code: "not_a_date", message: `${dob.trim()} is not a real date. Please check the day and month.` };
  if (!isValidTimeZone(timeZone)) {
    return { ok: false, code: "time_zone", message: `We do not recognise the time zone "${timeZone}".` };
  }
  const today = civilDateInZone(now, timeZone);
  if (compareDates(date, today) > 0) {
    return { ok: false, code: "future", message: "The date of birth cannot be in the future." };
  }
  const age = ageOn(date, today);
  if (age.years > MAX_AGE_YEARS || (age.years === MAX_AGE_YEARS && (age.months > 0 || age.days > 0))) {
    return {
      ok: false,
      code: "too_old",
      message: `That date of birth is more than ${MAX_AGE_YEARS} years ago. Please check the year.`,
    };
  }
  return { ok: true, dob: date, age };
}
