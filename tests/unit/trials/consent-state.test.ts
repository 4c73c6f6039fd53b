import { describe, expect, it } from "vitest";
import type { TrialConsent } from "@/db/schema";
import { consentState, endOfDayInZone } from "@/lib/trials/consent";

describe("end of the expiry day in the signer's zone", () => {
  it("is the last millisecond before local midnight", () => {
    expect(endOfDayInZone({ year: 2027, month: 11, day: 25 }, "America/New_York").toISOString()).toBe("2027-11-26T04:59:59.999Z");
    expect(endOfDayInZone({ year: 2027, month: 7, day: 1 }, "America/New_York").toISOString()).toBe("2027-07-02T03:59:59.999Z");
    expect(endOfDayInZone({ year: 2027, month: 7, day: 1 }, "Europe/London").toISOString()).toBe("2027-07-01T22:59:59.999Z");
    expect(endOfDayInZone({ year: 2027, month: 1, day: 1 }, "Asia/Tokyo").toISOString()).toBe("2027-01-01T14:59:59.999Z");
    expect(endOfDayInZone({ year: 2027, month: 1, day: 1 }, "UTC").toISOString()).toBe("2027-01-01T23:59:59.999Z");
  });

  it("handles the day before a DST change", () => {
    // US DST starts 14 March 2027 at 02:00; midnight of the 14th is still EST.
    expect(endOfDayInZone({ year: 2027, month: 3, day: 13 }, "America/New_York").toISOString()).toBe("2027-03-14T04:59:59.999Z");
    expect(endOfDayInZone({ year: 2027, month: 3, day: 14 }, "America/New_York").toISOString()).toBe("2027-03-15T03:59:59.999Z");
  });
});

function row(overrides: Partial<TrialConsent>): TrialConsent {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    intakeId: "00000000-0000-4000-8000-0000000000aa",
    event: "signed",
    textVersion: "v",
    textSha256: "a".repeat(64),
    signerName: "Ann Lee",
    signerRole: "self",
    guardianRelationship: null,
    actorUserId: null,
    at: new Date("2026-11-25T15:00:00Z"),
    expiresAt: new Date("2027-11-26T04:59:59.999Z"),
    ip: null,
    userAgent: null,
    ...overrides,
  };
}

describe("consent state from append-only rows", () => {
  const signed = row({});
  const revoked = row({ id: "00000000-0000-4000-8000-000000000002", event: "revoked", at: new Date("2026-12-01T00:00:00Z") });

  it("is active after signing, until the end of the expiry day", () => {
    expect(consentState([signed], new Date("2026-11-25T15:00:01Z"))?.status).toBe("active");
    expect(consentState([signed], new Date("2027-11-26T04:59:59.999Z"))?.status).toBe("active");
    expect(consentState([signed], new Date("2027-11-26T05:00:00Z"))?.status).toBe("expired");
  });

  it("is revoked once a revocation row exists, whatever the order and the date", () => {
    expect(consentState([signed, revoked], new Date("2026-12-02T00:00:00Z"))).toMatchObject({ status: "revoked", revoked });
    expect(consentState([revoked, signed], new Date("2028-01-01T00:00:00Z"))?.status).toBe("revoked");
  });

  it("has no state without a signature", () => {
    expect(consentState([], new Date())).toBeNull();
    expect(consentState([revoked], new Date())).toBeNull();
  });
});
