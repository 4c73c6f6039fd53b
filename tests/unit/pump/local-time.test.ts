import { describe, expect, it } from "vitest";
import { utcToLocalInput, zonedLocalToUtc } from "@/lib/pump/local-time";

describe("clinic wall-clock times to UTC", () => {
  it.each([
    ["2026-12-01T10:30", "Europe/London", "2026-12-01T10:30:00.000Z"],
    ["2026-07-01T10:30", "Europe/London", "2026-07-01T09:30:00.000Z"],
    ["2026-07-01T10:30", "America/New_York", "2026-07-01T14:30:00.000Z"],
    ["2026-12-31T23:59", "Asia/Tokyo", "2026-12-31T14:59:00.000Z"],
    ["2027-03-28T00:30", "Europe/London", "2027-03-28T00:30:00.000Z"],
    ["2027-03-28T02:30", "Europe/London", "2027-03-28T01:30:00.000Z"],
  ])("%s in %s is %s", (local, tz, utc) => {
    expect(zonedLocalToUtc(local, tz).toISOString()).toBe(utc);
    expect(utcToLocalInput(new Date(utc), tz)).toBe(local);
  });

  it("refuses a time inside the spring-forward gap", () => {
    expect(() => zonedLocalToUtc("2027-03-28T01:30", "Europe/London")).toThrow(/clocks change/);
    expect(() => zonedLocalToUtc("2027-03-14T02:30", "America/New_York")).toThrow(/clocks change/);
  });

  it("takes the earlier instant for an ambiguous autumn time", () => {
    expect(zonedLocalToUtc("2026-10-25T01:30", "Europe/London").toISOString()).toBe("2026-10-25T00:30:00.000Z");
  });

  it("refuses impossible dates and malformed input", () => {
    expect(() => zonedLocalToUtc("2027-02-30T10:00", "Europe/London")).toThrow(/does not exist/);
    expect(() => zonedLocalToUtc("tomorrow", "Europe/London")).toThrow(/Enter a date/);
    expect(() => zonedLocalToUtc("2027-01-01T24:00", "Europe/London")).toThrow();
  });
});
