import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  CONSENT_LEAD,
  CURRENT_CONSENT_VERSION,
  UnknownConsentVersionError,
  consentExpiresOn,
  formatLongDate,
  isKnownConsentVersion,
  renderConsent,
} from "@/lib/trials/consent-text";
import { checkPostedConsent, consentToShow, consentWithHash, sha256Hex } from "@/lib/trials/consent";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

describe("consent text", () => {
  const doc = renderConsent(CURRENT_CONSENT_VERSION, "2027-11-25");

  it("starts with the required plain-language sentence, right under the title", () => {
    expect(CONSENT_LEAD).toBe(
      "By filling out this form, you're consenting only to release your medical records. You're not agreeing to participate in clinical trials yet.",
    );
    expect(doc.blocks[0]?.kind).toBe("title");
    expect(doc.blocks[1]).toEqual({ kind: "paragraph", text: CONSENT_LEAD });
  });

  it("states what, who discloses and receives, purpose, expiry, revocation, no conditioning, redisclosure", () => {
    const t = doc.text;
    expect(t).toMatch(/What will be released/);
    expect(t).toMatch(/Released by: .*Received by: /s);
    expect(t).toMatch(/For matching you with clinical trials only/);
    expect(t).toContain("expires at the end of November 25, 2027");
    expect(t).toMatch(/revoke \(cancel\) this authorization at any time/);
    expect(t).toMatch(/Revoke consent/);
    expect(t).toMatch(/do not depend on whether you sign/);
    expect(t).toMatch(/may share it again, and it may no longer be protected/);
  });

  it("is the blocks joined by blank lines, so the rendered blocks are exactly the hashed text", () => {
    expect(doc.text).toBe(doc.blocks.map((b) => b.text).join("\n\n"));
  });

  it("pins the released text: an edit to a released version changes this hash (add a new version instead)", () => {
    expect(sha256Hex(doc.text)).toBe(sha(doc.text));
    expect(consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-25").sha256).toBe("1845598f9284c389ac9e11db4d8dc3d289257d27a9f040e329c5bdb8104af01a");
  });

  it("hashes the exact characters: one changed character or date gives a different hash", () => {
    const a = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-25");
    const b = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-26");
    expect(a.sha256).not.toBe(b.sha256);
    expect(sha256Hex(a.text + " ")).not.toBe(a.sha256);
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("refuses unknown versions and malformed dates", () => {
    expect(isKnownConsentVersion("nope")).toBe(false);
    expect(isKnownConsentVersion("__proto__")).toBe(false);
    expect(() => renderConsent("nope", "2027-01-01")).toThrow(UnknownConsentVersionError);
    expect(() => renderConsent(CURRENT_CONSENT_VERSION, "2027-02-30")).toThrow(RangeError);
  });

  it("expires one year after signing, never later (29 February → 28 February)", () => {
    expect(consentExpiresOn({ year: 2026, month: 11, day: 25 })).toEqual({ year: 2027, month: 11, day: 25 });
    expect(consentExpiresOn({ year: 2028, month: 2, day: 29 })).toEqual({ year: 2029, month: 2, day: 28 });
    expect(formatLongDate({ year: 2029, month: 2, day: 28 })).toBe("February 28, 2029");
  });
});

describe("checking the consent a client says it showed", () => {
  const now = new Date("2026-11-25T15:00:00Z");
  const shown = consentToShow(now, "America/New_York");

  it("accepts the text we serve, as shown", () => {
    expect(shown.expiresOn).toBe("2027-11-25");
    expect(checkPostedConsent(shown, now, "America/New_York")).toBeNull();
  });

  it("rejects a hash that does not match the text of that version and date", () => {
    expect(checkPostedConsent({ ...shown, sha256: "0".repeat(64) }, now, "America/New_York")).toMatch(/does not match/);
    // The right hash for another date is still the wrong hash for this date.
    const other = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-24");
    expect(checkPostedConsent({ ...shown, sha256: other.sha256 }, now, "America/New_York")).toMatch(/does not match/);
  });

  it("rejects an old or unknown version", () => {
    expect(checkPostedConsent({ ...shown, version: "trial-matching-release-v0" }, now, "America/New_York")).toMatch(/updated/);
  });

  it("accepts a page rendered in another zone or left open a few days, not an expiry beyond a year", () => {
    // Rendered in UTC late on the 25th; the signer in Tokyo is already on the 26th.
    const late = new Date("2026-11-25T20:00:00Z");
    expect(checkPostedConsent(consentToShow(late, "UTC"), late, "Asia/Tokyo")).toBeNull();
    const week = new Date("2026-12-01T15:00:00Z");
    expect(checkPostedConsent(shown, week, "America/New_York")).toBeNull();
    expect(checkPostedConsent(shown, new Date("2026-12-09T15:00:00Z"), "America/New_York")).toMatch(/open for too long/);
    const tooLong = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-30");
    expect(checkPostedConsent(tooLong, now, "America/New_York")).toMatch(/open for too long/);
  });
});
