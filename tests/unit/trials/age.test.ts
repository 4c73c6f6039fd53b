import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ageAt,
  ageInDays,
  ageOn,
  civilDateInZone,
  compareDates,
  daysInMonth,
  formatIsoDate,
  isValidTimeZone,
  parseIsoDate,
  validateBirthDate,
  type CivilDate,
} from "@/lib/trials/age";

const d = (iso: string): CivilDate => {
  const p = parseIsoDate(iso);
  if (p === null) throw new Error(`bad test date ${iso}`);
  return p;
};

describe("parseIsoDate", () => {
  it("reads real dates and rejects impossible ones", () => {
    expect(parseIsoDate("2024-02-29")).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate("2023-02-30")).toBeNull();
    expect(parseIsoDate("2023-04-31")).toBeNull();
    expect(parseIsoDate("2023-13-01")).toBeNull();
    expect(parseIsoDate("2023-00-10")).toBeNull();
    expect(parseIsoDate("23-02-01")).toBeNull();
    expect(parseIsoDate("2023/02/01")).toBeNull();
    expect(parseIsoDate("1900-02-29")).toBeNull(); // century, not a leap year
    expect(parseIsoDate("2000-02-29")).not.toBeNull(); // divisible by 400
  });
});

describe("civilDateInZone", () => {
  it("gives the local calendar date, which differs across the date line", () => {
    const now = new Date("2025-03-15T16:00:00Z");
    expect(civilDateInZone(now, "Asia/Tokyo")).toEqual({ year: 2025, month: 3, day: 16 });
    expect(civilDateInZone(now, "America/Los_Angeles")).toEqual({ year: 2025, month: 3, day: 15 });
    expect(civilDateInZone(now, "UTC")).toEqual({ year: 2025, month: 3, day: 15 });
  });

  it("changes date exactly at local midnight", () => {
    // New York is UTC-5 in February.
    expect(formatIsoDate(civilDateInZone(new Date("2026-03-01T04:59:59Z"), "America/New_York"))).toBe("2026-02-28");
    expect(formatIsoDate(civilDateInZone(new Date("2026-03-01T05:00:00Z"), "America/New_York"))).toBe("2026-03-01");
  });

  it("rejects unknown zones", () => {
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(() => civilDateInZone(new Date(0), "Mars/Olympus_Mons")).toThrow(RangeError);
  });
});

describe("ageOn", () => {
  it("turns 18 on the birthday, not the day before", () => {
    expect(ageOn(d("2008-03-01"), d("2026-02-28")).years).toBe(17);
    expect(ageOn(d("2008-03-01"), d("2026-03-01")).years).toBe(18);
  });

  it("gives exact years, months and days", () => {
    expect(ageOn(d("1985-06-15"), d("2026-03-01"))).toMatchObject({ years: 40, months: 8, days: 14, totalMonths: 488 });
    expect(ageOn(d("2026-03-01"), d("2026-03-01"))).toEqual({ years: 0, months: 0, days: 0, totalMonths: 0, totalDays: 0 });
  });

  it("treats 1 March as the birthday of someone born on 29 February in common years", () => {
    const leapling = d("2008-02-29");
    expect(ageOn(leapling, d("2026-02-28")).years).toBe(17);
    expect(ageOn(leapling, d("2026-03-01"))).toMatchObject({ years: 18, months: 0, days: 0 });
    // In a leap year the real birthday counts.
    expect(ageOn(leapling, d("2028-02-28")).years).toBe(19);
    expect(ageOn(leapling, d("2028-02-29"))).toMatchObject({ years: 20, months: 0, days: 0 });
  });

  it("rolls month-ends that do not exist to the 1st of the next month", () => {
    expect(ageOn(d("2026-01-31"), d("2026-02-28"))).toMatchObject({ totalMonths: 0, days: 28 });
    expect(ageOn(d("2026-01-31"), d("2026-03-01"))).toMatchObject({ totalMonths: 1, days: 0 });
    expect(ageOn(d("2026-01-31"), d("2026-03-31"))).toMatchObject({ totalMonths: 2, days: 0 });
  });

  it("refuses a date before birth", () => {
    expect(() => ageOn(d("2026-03-02"), d("2026-03-01"))).toThrow(RangeError);
  });

  it("counts days exactly, across leap days", () => {
    expect(ageInDays(d("2024-02-28"), d("2024-03-01"))).toBe(2);
    expect(ageInDays(d("2023-02-28"), d("2023-03-01"))).toBe(1);
    expect(ageInDays(d("2000-01-01"), d("2001-01-01"))).toBe(366);
    expect(ageInDays(d("1926-03-01"), d("2026-03-01"))).toBe(36525);
  });

  const civil = fc
    .record({ year: fc.integer({ min: 1900, max: 2100 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 31 }) })
    .map((x) => ({ ...x, day: Math.min(x.day, daysInMonth(x.year, x.month)) }));
  const ordered = fc
    .tuple(civil, civil)
    .map(([a, b]): readonly [CivilDate, CivilDate] => (compareDates(a, b) <= 0 ? [a, b] : [b, a]));

  it("agrees with the plain 'has the birthday passed this year' rule (property)", () => {
    fc.assert(
      fc.property(ordered, ([dob, on]) => {
        const before = on.month < dob.month || (on.month === dob.month && on.day < dob.day);
        expect(ageOn(dob, on).years).toBe(on.year - dob.year - (before ? 1 : 0));
      }),
    );
  });

  it("is internally consistent and never goes down as time passes (property)", () => {
    fc.assert(
      fc.property(ordered, ([dob, on]) => {
        const a = ageOn(dob, on);
        expect(a.years * 12 + a.months).toBe(a.totalMonths);
        expect(a.months).toBeGreaterThanOrEqual(0);
        expect(a.months).toBeLessThan(12);
        expect(a.days).toBeGreaterThanOrEqual(0);
        expect(a.days).toBeLessThan(31);
        const next = new Date(Date.UTC(on.year, on.month - 1, on.day + 1));
        const b = ageOn(dob, { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() });
        expect(b.totalMonths).toBeGreaterThanOrEqual(a.totalMonths);
        expect(b.totalDays).toBe(a.totalDays + 1);
      }),
    );
  });
});

describe("ageAt (time zones)", () => {
  // 16:00 UTC on 15 March 2025 is 01:00 on 16 March in Tokyo, 09:00 on 15 March in LA.
  const now = new Date("2025-03-15T16:00:00Z");
  it("is already the 18th birthday in Tokyo but not yet in Los Angeles", () => {
    expect(ageAt("2007-03-16", now, "Asia/Tokyo").years).toBe(18);
    expect(ageAt("2007-03-16", now, "America/Los_Angeles").years).toBe(17);
  });
});

describe("validateBirthDate", () => {
  const now = new Date("2026-03-01T17:00:00Z");
  const tz = "America/New_York";

  it("accepts a normal date of birth and returns the age", () => {
    const r = validateBirthDate("1985-06-15", now, tz);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.age.years).toBe(40);
  });

  it("rejects dates that do not exist, with a message naming the date", () => {
    const r = validateBirthDate("2023-02-30", now, tz);
    expect(r).toMatchObject({ ok: false, code: "not_a_date" });
    if (!r.ok) expect(r.message).toContain("2023-02-30");
    expect(validateBirthDate("2023-02-29", now, tz)).toMatchObject({ ok: false, code: "not_a_date" });
  });

  it("rejects text that is not YYYY-MM-DD", () => {
    expect(validateBirthDate("01/02/1990", now, tz)).toMatchObject({ ok: false, code: "format" });
    expect(validateBirthDate("", now, tz)).toMatchObject({ ok: false, code: "format" });
  });

  it("rejects the future, using the patient's own date", () => {
    expect(validateBirthDate("2026-03-02", now, tz)).toMatchObject({ ok: false, code: "future" });
    expect(validateBirthDate("2026-03-01", now, tz).ok).toBe(true); // born today
    // 03:00 UTC on 1 March is still 28 February in New York: 1 March is tomorrow there.
    const early = new Date("2026-03-01T03:00:00Z");
    expect(validateBirthDate("2026-03-01", early, tz)).toMatchObject({ ok: false, code: "future" });
    expect(validateBirthDate("2026-03-01", early, "Asia/Tokyo").ok).toBe(true);
  });

  it("rejects more than 120 years ago, but accepts exactly 120", () => {
    expect(validateBirthDate("1906-03-01", now, tz).ok).toBe(true);
    expect(validateBirthDate("1906-02-28", now, tz)).toMatchObject({ ok: false, code: "too_old" });
    expect(validateBirthDate("1850-01-01", now, tz)).toMatchObject({ ok: false, code: "too_old" });
  });

  it("rejects an unknown time zone", () => {
    expect(validateBirthDate("1985-06-15", now, "Nowhere/Special")).toMatchObject({ ok: false, code: "time_zone" });
  });
});
