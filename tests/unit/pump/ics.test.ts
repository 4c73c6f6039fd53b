import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildIcsEvent, escapeIcsText, foldIcsLine, formatIcsUtc, type IcsEventInput } from "@/lib/pump/time";

const base: IcsEventInput = {
  uid: "appt-42@pump-portal.example",
  start: new Date("2027-01-12T14:00:00Z"),
  durationMinutes: 30,
  timeZone: "Europe/London",
  summary: "Pump refill appointment",
  location: "Pain Clinic, Level 2; Building B",
  description: "Bring your pump card.\nArrive 10 minutes early.",
  dtstamp: new Date("2026-11-18T09:15:30.250Z"),
};

const octets = (s: string): number => new TextEncoder().encode(s).length;
/** RFC 5545 §3.1 unfolding: remove every CRLF followed by one space or tab. */
const unfold = (ics: string): string[] => ics.replace(/\r\n[ \t]/g, "").split("\r\n");

describe("buildIcsEvent", () => {
  const ics = buildIcsEvent(base);

  it("produces the expected content lines", () => {
    expect(unfold(ics)).toEqual([
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Pump Portal//Refill appointments//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "BEGIN:VEVENT",
      "UID:appt-42@pump-portal.example",
      "DTSTAMP:20261118T091530Z",
      "DTSTART:20270112T140000Z",
      "DTEND:20270112T143000Z",
      "SUMMARY:Pump refill appointment",
      "LOCATION:Pain Clinic\\, Level 2\\; Building B",
      "DESCRIPTION:Time: Tue 12 Jan 2027\\, 14:00 (Europe/London)\\nBring your pump card.\\nArrive 10 minutes early.",
      "END:VEVENT",
      "END:VCALENDAR",
      "",
    ]);
  });

  it("uses CRLF line endings only and ends with CRLF", () => {
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
  });

  it("folds long lines at 75 octets", () => {
    for (const line of ics.split("\r\n")) expect(octets(line)).toBeLessThanOrEqual(75);
    // The DESCRIPTION line is longer than 75 octets, so it must have been folded.
    expect(ics).toMatch(/\r\n /);
  });

  it("writes the patient's local time in the description, in summer time too", () => {
    const summer = buildIcsEvent({ ...base, start: new Date("2027-07-01T13:00:00Z"), description: undefined, location: undefined });
    const lines = unfold(summer);
    expect(lines).toContain("DTSTART:20270701T130000Z");
    expect(lines).toContain("DESCRIPTION:Time: Thu 1 Jul 2027\\, 14:00 (Europe/London)");
    expect(summer).not.toContain("LOCATION");
    const ny = unfold(buildIcsEvent({ ...base, timeZone: "America/New_York" }));
    expect(ny.find((l) => l.startsWith("DESCRIPTION:"))).toMatch(/^DESCRIPTION:Time: Tue 12 Jan 2027\\, 09:00 \(America\/New_York\)/);
  });

  it("escapes the UID and odd characters in text", () => {
    const out = unfold(buildIcsEvent({ ...base, uid: "a,b;c", summary: "Back\\slash\r\nCRLF\rCR\ttab\u0007bell" }));
    expect(out).toContain("UID:a\\,b\\;c");
    expect(out).toContain("SUMMARY:Back\\\\slash\\nCRLF\\nCR\ttabbell");
  });

  it.each<[string, Partial<IcsEventInput>]>([
    ["empty uid", { uid: "  " }],
    ["zero duration", { durationMinutes: 0 }],
    ["fractional duration", { durationMinutes: 1.5 }],
    ["invalid start", { start: new Date(Number.NaN) }],
    ["invalid dtstamp", { dtstamp: new Date(Number.NaN) }],
    ["invalid zone", { timeZone: "Europe/Atlantis" }],
  ])("rejects %s", (_name, over) => {
    expect(() => buildIcsEvent({ ...base, ...over })).toThrow(RangeError);
  });
});

describe("ICS helpers", () => {
  it.each<[string, string]>([
    ["2027-01-12T14:05:09.999Z", "20270112T140509Z"],
    ["2027-12-31T23:59:59Z", "20271231T235959Z"],
    ["2000-02-29T00:00:00Z", "20000229T000000Z"],
  ])("formatIcsUtc(%s) = %s", (iso, text) => {
    expect(formatIcsUtc(new Date(iso))).toBe(text);
  });

  it.each<[string, string]>([
    ["a,b", "a\\,b"],
    ["a;b", "a\\;b"],
    ["a\\b", "a\\\\b"],
    ["a\nb", "a\\nb"],
    ["a\r\nb", "a\\nb"],
    ["a\rb", "a\\nb"],
    ["a:b", "a:b"], // colons need no escaping in TEXT
    ["µg \u{1F489}", "µg \u{1F489}"],
  ])("escapeIcsText(%j) = %j", (input, output) => {
    expect(escapeIcsText(input)).toBe(output);
  });

  it("folds at exactly 75 octets and continuation lines start with one space", () => {
    const line = `DESCRIPTION:${"x".repeat(200)}`;
    const folded = foldIcsLine(line).split("\r\n");
    expect(folded[0]).toHaveLength(75);
    expect(folded[1]).toMatch(/^ x{74}$/);
    expect(foldIcsLine("SHORT:ok")).toBe("SHORT:ok");
    expect(foldIcsLine(`X:${"y".repeat(73)}`)).toBe(`X:${"y".repeat(73)}`); // exactly 75
  });

  it.each<[string, string, number[]]>([
    // [name, text, expected octets per physical line]
    ["2-octet µ", `SUMMARY:${"\u00B5".repeat(100)}`, [74, 75, 61]],
    ["3-octet €", `SUMMARY:${"\u20AC".repeat(40)}`, [74, 55]],
    ["4-octet emoji", `SUMMARY:${"\u{1F489}".repeat(30)}`, [72, 57]],
  ])("counts octets, not characters: %s", (_name, line, sizes) => {
    const physical = foldIcsLine(line).split("\r\n");
    expect(physical.map(octets)).toEqual(sizes);
  });

  it("never splits a multi-octet character (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 300, size: "max" }), (text) => {
        const line = `SUMMARY:${escapeIcsText(text)}`;
        const folded = foldIcsLine(line);
        const physical = folded.split("\r\n");
        for (const p of physical) {
          expect(octets(p)).toBeLessThanOrEqual(75);
          // A split surrogate pair or partial character would not survive a UTF-8 round trip.
          expect(new TextDecoder().decode(new TextEncoder().encode(p))).toBe(p);
        }
        expect(physical.slice(1).every((p) => p.startsWith(" "))).toBe(true);
        expect(folded.replace(/\r\n /g, "")).toBe(line);
      }),
    );
  });
});
