import { describe, expect, it } from "vitest";
import { MS_PER_DAY, projectRefill } from "@/lib/pump/projection";
import {
  calendarDaysBetween,
  formatDate,
  formatDateTime,
  formatRelativeAge,
  formatTime,
  isStale,
  isValidTimeZone,
  localDateKey,
  zonedParts,
} from "@/lib/pump/time";

const utc = (iso: string): Date => new Date(iso);

describe("formatDate / formatDateTime in the patient's zone", () => {
  it.each<[string, string, string, string]>([
    // [instant, zone, date, date-time]
    ["2027-01-12T14:05:00Z", "Europe/London", "Tue 12 Jan 2027", "Tue 12 Jan 2027, 14:05"],
    ["2027-01-12T14:05:00Z", "America/New_York", "Tue 12 Jan 2027", "Tue 12 Jan 2027, 09:05"],
    ["2027-01-12T02:00:00Z", "America/New_York", "Mon 11 Jan 2027", "Mon 11 Jan 2027, 21:00"],
    ["2027-01-12T23:30:00Z", "Asia/Tokyo", "Wed 13 Jan 2027", "Wed 13 Jan 2027, 08:30"],
    ["2027-01-12T00:00:00Z", "UTC", "Tue 12 Jan 2027", "Tue 12 Jan 2027, 00:00"],
    // "Sep", not ICU's en-GB "Sept": names come from our own table.
    ["2027-09-05T12:00:00Z", "Europe/London", "Sun 5 Sep 2027", "Sun 5 Sep 2027, 13:00"],
    // Half-hour and 45-minute offsets.
    ["2027-01-12T20:00:00Z", "Asia/Kolkata", "Wed 13 Jan 2027", "Wed 13 Jan 2027, 01:30"],
    ["2027-01-12T10:00:00Z", "Asia/Kathmandu", "Tue 12 Jan 2027", "Tue 12 Jan 2027, 15:45"],
    // Midnight is 00, never 24.
    ["2027-06-30T23:00:00Z", "Europe/London", "Thu 1 Jul 2027", "Thu 1 Jul 2027, 00:00"],
  ])("%s in %s", (iso, zone, date, dateTime) => {
    expect(formatDate(utc(iso), zone)).toBe(date);
    expect(formatDateTime(utc(iso), zone)).toBe(dateTime);
  });

  it.each<[string, string, string]>([
    // Europe/London: BST starts 2027-03-28 01:00 UTC, ends 2027-10-31 01:00 UTC.
    ["2027-03-28T00:59:00Z", "Europe/London", "Sun 28 Mar 2027, 00:59"],
    ["2027-03-28T01:00:00Z", "Europe/London", "Sun 28 Mar 2027, 02:00"],
    ["2027-03-28T23:30:00Z", "Europe/London", "Mon 29 Mar 2027, 00:30"],
    ["2027-10-31T00:30:00Z", "Europe/London", "Sun 31 Oct 2027, 01:30"],
    ["2027-10-31T01:30:00Z", "Europe/London", "Sun 31 Oct 2027, 01:30"],
    ["2027-10-31T23:30:00Z", "Europe/London", "Sun 31 Oct 2027, 23:30"],
    // America/New_York: EDT starts 2027-03-14 07:00 UTC, ends 2027-11-07 06:00 UTC.
    ["2027-03-14T06:59:00Z", "America/New_York", "Sun 14 Mar 2027, 01:59"],
    ["2027-03-14T07:00:00Z", "America/New_York", "Sun 14 Mar 2027, 03:00"],
    ["2027-03-15T04:30:00Z", "America/New_York", "Mon 15 Mar 2027, 00:30"],
    ["2027-11-07T05:30:00Z", "America/New_York", "Sun 7 Nov 2027, 01:30"],
    ["2027-11-07T06:30:00Z", "America/New_York", "Sun 7 Nov 2027, 01:30"],
    ["2027-11-08T04:30:00Z", "America/New_York", "Sun 7 Nov 2027, 23:30"],
  ])("DST edge %s in %s", (iso, zone, text) => {
    expect(formatDateTime(utc(iso), zone)).toBe(text);
  });

  it("formatTime and localDateKey", () => {
    expect(formatTime(utc("2027-01-12T09:05:00Z"), "Europe/London")).toBe("09:05");
    expect(localDateKey(utc("2027-03-28T23:30:00Z"), "Europe/London")).toBe("2027-03-29");
    expect(localDateKey(utc("2027-03-28T23:30:00Z"), "UTC")).toBe("2027-03-28");
  });

  it("zonedParts returns the wall clock and weekday", () => {
    expect(zonedParts(utc("2027-11-08T04:30:00Z"), "America/New_York")).toEqual({
      year: 2027,
      month: 11,
      day: 7,
      hour: 23,
      minute: 30,
      second: 0,
      weekday: 0,
    });
  });

  it("rejects invalid zones and dates", () => {
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(() => formatDate(utc("2027-01-01T00:00:00Z"), "Mars/Olympus_Mons")).toThrow(RangeError);
    expect(() => formatDate(new Date(Number.NaN), "UTC")).toThrow(RangeError);
  });
});

describe("projected low-reservoir dates across DST changes land on the right local date", () => {
  // 1000 µL/day (baclofen 500 µg/mL, 500 µg/day), no boluses, threshold 2 mL.
  const project = (readingIso: string, reservoirUl: number) =>
    projectRefill({
      reading: { reservoirUl, at: utc(readingIso) },
      capacityUl: 40_000,
      prescription: { drug: "baclofen", concentration: 500, dailyDose: 500, lowReservoirThresholdUl: 2000 },
      bolusPermission: null,
      bolusVolumeLast7DaysUl: 0,
      now: utc(readingIso),
    });

  it.each<[string, string, number, string, string, string]>([
    // [case, reading, reservoir µL, zone, local date, UTC date (for contrast)]
    ["London, into BST", "2027-03-01T23:30:00Z", 29_000, "Europe/London", "Mon 29 Mar 2027", "Sun 28 Mar 2027"],
    ["London, before BST (same instant time)", "2027-02-21T23:30:00Z", 29_000, "Europe/London", "Sat 20 Mar 2027", "Sat 20 Mar 2027"],
    ["London, out of BST", "2027-10-17T23:30:00Z", 16_000, "Europe/London", "Sun 31 Oct 2027", "Sun 31 Oct 2027"],
    ["New York, into EDT", "2027-03-01T04:30:00Z", 16_000, "America/New_York", "Mon 15 Mar 2027", "Mon 15 Mar 2027"],
    ["New York, out of EDT", "2027-10-25T04:30:00Z", 16_000, "America/New_York", "Sun 7 Nov 2027", "Mon 8 Nov 2027"],
  ])("%s", (_name, readingIso, reservoirUl, zone, localDate, utcDate) => {
    const p = project(readingIso, reservoirUl);
    const low = p.worstCase.lowReservoirAt;
    expect(low).not.toBeNull();
    // The projection is elapsed time (the pump drains per hour, not per calendar day) …
    expect(low!.getTime() - utc(readingIso).getTime()).toBe(((reservoirUl - 2000) / 1000) * MS_PER_DAY);
    // … and the date shown is the patient's local date of that instant.
    expect(formatDate(low!, zone)).toBe(localDate);
    expect(formatDate(low!, "UTC")).toBe(utcDate);
  });

  it("New York: 14 × 24 h from local midnight ends at 23:30 the day before, across the fall-back", () => {
    const p = project("2027-10-25T04:30:00Z", 16_000);
    expect(formatDateTime(utc("2027-10-25T04:30:00Z"), "America/New_York")).toBe("Mon 25 Oct 2027, 00:30");
    expect(formatDateTime(p.worstCase.lowReservoirAt!, "America/New_York")).toBe("Sun 7 Nov 2027, 23:30");
  });
});

describe("calendarDaysBetween", () => {
  it.each<[string, string, string, number]>([
    ["2027-01-12T10:00:00Z", "2027-01-12T22:00:00Z", "Europe/London", 0],
    ["2027-01-12T23:00:00Z", "2027-01-13T00:30:00Z", "Europe/London", 1],
    // 23-hour day: Sat 27 Mar 12:00 GMT → Mon 29 Mar 00:30 BST is 2 calendar days, 35.5 h.
    ["2027-03-27T12:00:00Z", "2027-03-28T23:30:00Z", "Europe/London", 2],
    ["2027-03-27T12:00:00Z", "2027-03-28T23:30:00Z", "UTC", 1],
    // 25-hour day in New York.
    ["2027-11-06T12:00:00Z", "2027-11-08T04:30:00Z", "America/New_York", 1],
    ["2027-01-13T10:00:00Z", "2027-01-12T10:00:00Z", "UTC", -1],
    ["2027-12-31T12:00:00Z", "2028-01-01T12:00:00Z", "UTC", 1],
  ])("%s → %s in %s = %d", (a, b, zone, days) => {
    expect(calendarDaysBetween(utc(a), utc(b), zone)).toBe(days);
  });
});

describe("formatRelativeAge", () => {
  const now = utc("2027-01-12T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  it.each<[number, string]>([
    [0, "just now"],
    [59, "just now"],
    [-30, "just now"],
    [60, "1 min ago"],
    [59 * 60 + 59, "59 min ago"],
    [3600, "1 h ago"],
    [3 * 3600 + 59 * 60, "3 h ago"],
    [23 * 3600 + 3599, "23 h ago"],
    [86_400, "1 day ago"],
    [2 * 86_400 + 5, "2 days ago"],
    [45 * 86_400, "45 days ago"],
    [-2 * 3600, "in 2 h"],
    [-5 * 60, "in 5 min"],
    [-3 * 86_400, "in 3 days"],
  ])("%d s → %s", (seconds, text) => {
    expect(formatRelativeAge(ago(seconds), now)).toBe(text);
  });

  it("invalid dates read as unknown", () => {
    expect(formatRelativeAge(new Date(Number.NaN), now)).toBe("unknown");
  });
});

describe("isStale", () => {
  const now = utc("2027-01-12T12:00:00Z");
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  it.each<[string, Date | null, number, boolean]>([
    ["fresh", ago(60), 3600, false],
    ["exactly at the threshold", ago(3600), 3600, false],
    ["one second over", ago(3601), 3600, true],
    ["never synced", null, 3600, true],
    ["invalid date", new Date(Number.NaN), 3600, true],
    ["future sync (clock skew)", ago(-600), 3600, false],
    ["zero threshold, same instant", ago(0), 0, false],
    ["zero threshold, 1 ms old", new Date(now.getTime() - 1), 0, true],
  ])("%s", (_name, last, threshold, stale) => {
    expect(isStale(last, now, threshold)).toBe(stale);
  });

  it("rejects nonsense thresholds", () => {
    expect(() => isStale(now, now, -1)).toThrow(RangeError);
    expect(() => isStale(now, now, Number.NaN)).toThrow(RangeError);
  });
});
