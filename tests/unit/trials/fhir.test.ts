import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { TrialConsent } from "@/db/schema";
import { consentWithHash } from "@/lib/trials/consent";
import { CURRENT_CONSENT_VERSION } from "@/lib/trials/consent-text";
import {
  CONSENT_TEXT_SHA256_EXTENSION,
  TRIAL_INTAKE_QUESTIONNAIRE,
  buildConsent,
  buildQuestionnaireResponse,
  type IntakeForExport,
  type QuestionnaireResponseItem,
} from "@/lib/trials/fhir";
import { answersSchema } from "@/lib/trials/intake-schema";
import { validPayload } from "./intake-fixtures";

const ID = "0d4f7c1e-3b2a-4c5d-8e9f-0123456789ab";
const doc = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-25");

function intake(overrides: Parameters<typeof validPayload>[0] = {}): IntakeForExport {
  const { consent: _c, website: _w, ...rest } = validPayload(overrides);
  return { id: ID, createdAt: new Date("2026-11-25T15:00:00Z"), zip: "02115", answers: answersSchema.parse(rest) };
}

function signed(overrides: Partial<TrialConsent> = {}): TrialConsent {
  return {
    id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    intakeId: ID,
    event: "signed",
    textVersion: doc.version,
    textSha256: doc.sha256,
    signerName: "Ann Lee",
    signerRole: "self",
    guardianRelationship: null,
    actorUserId: null,
    at: new Date("2026-11-25T15:00:00Z"),
    expiresAt: new Date("2027-11-26T04:59:59.999Z"),
    ip: "203.0.113.9",
    userAgent: "test",
    ...overrides,
  };
}

/** Every "#id" reference points at a contained resource, and every contained resource is referenced (FHIR dom-3). */
function checkContained(resource: { contained: { id: string }[] }) {
  const json = JSON.stringify(resource);
  const refs = new Set([...json.matchAll(/"reference":"#([^"]+)"/g)].map((m) => m[1]));
  const ids = new Set(resource.contained.map((c) => c.id));
  expect([...refs].sort()).toEqual([...ids].sort());
}

const item = (items: QuestionnaireResponseItem[], linkId: string) => items.find((i) => i.linkId === linkId);

describe("FHIR R4 QuestionnaireResponse export", () => {
  it("has the required shape and answers coded with MeSH, LOINC and UCUM", () => {
    const qr = buildQuestionnaireResponse(intake(), "Ann Lee");
    expect(qr).toMatchObject({
      resourceType: "QuestionnaireResponse",
      id: ID,
      status: "completed",
      questionnaire: TRIAL_INTAKE_QUESTIONNAIRE,
      subject: { reference: "#patient" },
      author: { reference: "#patient" },
      authored: "2026-11-25T15:00:00.000Z",
      identifier: { system: "urn:ietf:rfc:3986", value: `urn:uuid:${ID}` },
    });
    checkContained(qr);
    expect(qr.contained[0]).toMatchObject({ resourceType: "Patient", birthDate: "1980-02-03", gender: "female", name: [{ text: "Ann Lee" }], address: [{ postalCode: "02115", country: "US" }] });
    expect(item(qr.item, "cancer-type")?.answer).toEqual([{ valueCoding: { system: "https://www.nlm.nih.gov/mesh", code: "D001943", display: "Breast Neoplasms" } }]);
    expect(item(qr.item, "birth-date")?.answer).toEqual([{ valueDate: "1980-02-03" }]);
    expect(item(qr.item, "activity-level")?.answer[0]).toMatchObject({ valueCoding: { system: "http://loinc.org", code: "LA9623-5" } });
    expect(item(qr.item, "travel-distance")?.answer).toEqual([{ valueQuantity: { value: 50, unit: "mi", system: "http://unitsofmeasure.org", code: "[mi_i]" } }]);
    expect(item(qr.item, "current-treatments")?.answer).toHaveLength(1);
    expect(item(qr.item, "contact-phone")).toBeUndefined(); // not answered → not present (FHIR has no empty answers)
    for (const i of qr.item) {
      expect(i.linkId).toMatch(/^[a-z-]+$/);
      expect(i.answer.length).toBeGreaterThan(0);
    }
    expect(new Set(qr.item.map((i) => i.linkId)).size).toBe(qr.item.length);
  });

  it("names a signing guardian as author, with their relationship coded", () => {
    const qr = buildQuestionnaireResponse(
      intake({ signerRole: "guardian", guardianRelationship: "parent", dateOfBirth: "2015-06-01", patientName: "Sam Lee", consent: { signatureName: "Ann Lee" } }),
      "Ann Lee",
    );
    checkContained(qr);
    expect(qr.author).toEqual({ reference: "#signer" });
    expect(qr.contained[1]).toMatchObject({
      resourceType: "RelatedPerson",
      patient: { reference: "#patient" },
      name: [{ text: "Ann Lee" }],
      relationship: [{ coding: [{ system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode", code: "PRN" }] }],
    });
  });
});

describe("FHIR R4 Consent export", () => {
  it("is a patient-privacy release-of-information consent with the exact signed text", () => {
    const c = buildConsent(intake(), signed(), doc);
    expect(c).toMatchObject({
      resourceType: "Consent",
      status: "active",
      scope: { coding: [{ system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy" }] },
      category: [{ coding: [{ system: "http://loinc.org", code: "64292-6" }] }],
      patient: { reference: "#patient" },
      performer: [{ reference: "#patient" }],
      dateTime: "2026-11-25T15:00:00.000Z",
      provision: { type: "permit", period: { start: "2026-11-25T15:00:00.000Z", end: "2027-11-26T04:59:59.999Z" } },
    });
    checkContained(c);
    // ppc-1: a policy or policy rule; ppc-2: a privacy consent names its patient.
    expect(c.policy.length + (c.policyRule ? 1 : 0)).toBeGreaterThan(0);
    const text = Buffer.from(c.sourceAttachment.data, "base64").toString("utf8");
    expect(text).toBe(doc.text);
    expect(c.sourceAttachment.hash).toBe(createHash("sha1").update(text, "utf8").digest("base64"));
    expect(c.extension).toContainEqual({ url: CONSENT_TEXT_SHA256_EXTENSION, valueString: doc.sha256 });
    expect(createHash("sha256").update(text, "utf8").digest("hex")).toBe(doc.sha256);
  });

  it("names the guardian who signed as performer", () => {
    const c = buildConsent(intake({ signerRole: "guardian", guardianRelationship: "legal-guardian", consent: { signatureName: "Pat Lee" } }), signed({ signerRole: "guardian", signerName: "Pat Lee", guardianRelationship: "legal-guardian" }), doc);
    checkContained(c);
    expect(c.performer).toEqual([{ reference: "#signer" }]);
    expect(c.contained[1]).toMatchObject({ resourceType: "RelatedPerson", relationship: [{ coding: [{ code: "GUARD" }] }] });
  });
});
