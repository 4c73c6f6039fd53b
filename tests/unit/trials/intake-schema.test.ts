import { describe, expect, it } from "vitest";
import { zodFieldErrors } from "@/lib/http/errors";
import { intakeSchema, normaliseName, normalisePhone, revokeSchema } from "@/lib/trials/intake-schema";
import { NOW, validPayload } from "./intake-fixtures";

function errors(payload: unknown, now = NOW): Record<string, string> {
  const r = intakeSchema(() => now).safeParse(payload);
  return r.success ? {} : zodFieldErrors(r.error);
}

describe("intake schema (shared by the form and the API)", () => {
  it("accepts a complete intake and types it", () => {
    const r = intakeSchema(() => NOW).safeParse(validPayload());
    expect(r.success).toBe(true);
    if (r.success) {
      expect(r.data.travelMiles).toBe(50);
      expect(r.data.consent.accepted).toBe(true);
    }
  });

  it("refuses a birthday in the future, next to the birthday field", () => {
    expect(errors(validPayload({ dateOfBirth: "2026-11-26" }))).toEqual({ dateOfBirth: "Your birthday cannot be in the future." });
    expect(errors(validPayload({ dateOfBirth: "2026-11-26", signerRole: "guardian", guardianRelationship: "parent", consent: { signatureName: "Pat Lee" } }))).toMatchObject({
      dateOfBirth: "The patient's birthday cannot be in the future.",
    });
  });

  it("judges 'today' on the patient's calendar: born 26 Nov is fine in Tokyo, future in New York", () => {
    const now = new Date("2026-11-25T20:00:00Z"); // 26 Nov 05:00 in Tokyo, 25 Nov 15:00 in New York
    const born = { dateOfBirth: "2026-11-26", signerRole: "guardian" as const, guardianRelationship: "parent" as const, consent: { signatureName: "Pat Lee" } };
    expect(errors(validPayload({ ...born, timeZone: "Asia/Tokyo" }, now), now)).toEqual({});
    expect(errors(validPayload({ ...born, timeZone: "America/New_York" }, now), now)).toHaveProperty("dateOfBirth");
  });

  it("refuses dates that do not exist, and malformed ones", () => {
    expect(errors(validPayload({ dateOfBirth: "1990-02-30" })).dateOfBirth).toMatch(/not a real date/);
    expect(errors(validPayload({ dateOfBirth: "1990-2-3" })).dateOfBirth).toMatch(/year-month-day/);
    expect(errors(validPayload({ dateOfBirth: "" })).dateOfBirth).toBe("Enter your birthday.");
  });

  it("needs a parent or guardian for a patient under 18, with the exact 18th birthday as the boundary", () => {
    // 18 today on the patient's calendar: an adult.
    expect(errors(validPayload({ dateOfBirth: "2008-11-25" }))).toEqual({});
    // One day short of 18.
    expect(errors(validPayload({ dateOfBirth: "2008-11-26" }))).toEqual({
      signerRole: "The patient is under 18, so a parent or legal guardian must fill in and sign this form.",
    });
    expect(
      errors(validPayload({ dateOfBirth: "2008-11-26", signerRole: "guardian", guardianRelationship: "parent", consent: { signatureName: "Pat Lee" } })),
    ).toEqual({});
  });

  it("asks a guardian for their relationship and their own name", () => {
    expect(errors(validPayload({ signerRole: "guardian", guardianRelationship: "", consent: { signatureName: "Ann Lee" } }))).toEqual({
      guardianRelationship: "Choose your relationship to the patient.",
      "consent.signatureName": "Type your own name (the parent, guardian or representative who signs), not the patient's.",
    });
  });

  it("needs the signature of a patient signing for themselves to be their name (case and spacing aside)", () => {
    expect(errors(validPayload({ consent: { signatureName: "  ann   LEE " } }))).toEqual({});
    expect(errors(validPayload({ consent: { signatureName: "Someone Else" } }))).toEqual({
      "consent.signatureName": "To sign, type your full name as you entered it above.",
    });
  });

  it("refuses a submission without consent", () => {
    expect(errors(validPayload({ consent: { accepted: false as never } }))).toEqual({
      "consent.accepted": "Tick the box to give your consent. Without it we cannot keep your answers or look for trials.",
    });
    const { consent: _c, ...noConsent } = validPayload();
    expect(Object.keys(errors(noConsent))).toContain("consent");
  });

  it("needs an e-mail address or a phone number, and checks both", () => {
    expect(errors(validPayload({ contactEmail: "", contactPhone: "" }))).toEqual({
      contactEmail: "Give an e-mail address or a phone number, so a trial team can reach you.",
    });
    expect(errors(validPayload({ contactEmail: "", contactPhone: "(617) 555-0100" }))).toEqual({});
    expect(errors(validPayload({ contactEmail: "not-an-email" }))).toHaveProperty("contactEmail");
    expect(errors(validPayload({ contactPhone: "call me" }))).toHaveProperty("contactPhone");
    expect(errors(validPayload({ contactPhone: "12345" }))).toHaveProperty("contactPhone");
  });

  it("checks the ZIP format, travel distance, and every choice against its list", () => {
    const e = errors(validPayload({ zip: "2115", travelMiles: "37", cancerTypeId: "flu" as never, sex: "x" as never, stage: "V" as never, activityLevel: "5" as never }));
    expect(Object.keys(e).sort()).toEqual(["activityLevel", "cancerTypeId", "sex", "stage", "travelMiles", "zip"]);
    expect(errors(validPayload({ zip: "02115-1234" }))).toEqual({});
  });

  it("reports every problem at once, including cross-field ones when other fields are invalid", () => {
    const e = errors({ signerRole: "self", dateOfBirth: "2030-01-01", timeZone: "America/New_York", consent: { accepted: false } });
    expect(e).toMatchObject({
      dateOfBirth: expect.any(String),
      cancerTypeId: expect.any(String),
      zip: expect.any(String),
      contactEmail: expect.any(String),
      "consent.accepted": expect.any(String),
      "consent.signatureName": expect.any(String),
    });
  });

  it("refuses an unknown time zone", () => {
    expect(errors(validPayload({ timeZone: "Mars/Olympus" }))).toHaveProperty("timeZone");
  });

  it("normalises names and phone numbers for comparison", () => {
    expect(normaliseName("  José  O'Neil ")).toBe(normaliseName("jose o neil"));
    expect(normalisePhone("+1 (617) 555-0100")).toBe("+16175550100");
    expect(revokeSchema.safeParse({ name: " " }).success).toBe(false);
  });
});
