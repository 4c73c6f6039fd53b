import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import type { TrialConsent } from "@/db/schema";
import { consentWithHash, type ConsentState } from "@/lib/trials/consent";
import { renderConsentPdf } from "@/lib/trials/consent-pdf";
import { CURRENT_CONSENT_VERSION } from "@/lib/trials/consent-text";

const doc = consentWithHash(CURRENT_CONSENT_VERSION, "2027-11-25");
const signed: TrialConsent = {
  id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
  intakeId: "0d4f7c1e-3b2a-4c5d-8e9f-0123456789ab",
  event: "signed",
  textVersion: doc.version,
  textSha256: doc.sha256,
  signerName: "Ann Lee",
  signerRole: "self",
  guardianRelationship: null,
  actorUserId: null,
  at: new Date("2026-11-25T15:00:00Z"),
  expiresAt: new Date("2027-11-26T04:59:59.999Z"),
  ip: null,
  userAgent: null,
};

async function render(state: ConsentState, patientName = "Ann Lee") {
  const bytes = await renderConsentPdf({ intakeId: signed.intakeId, patientName, dateOfBirth: "1980-02-03", timeZone: "America/New_York", doc, state, generatedAt: new Date("2026-11-25T16:00:00Z") });
  return { bytes, pdf: await PDFDocument.load(bytes) };
}

describe("consent PDF copy", () => {
  it("is a valid PDF with the consent title and the signer in its metadata", async () => {
    const { bytes, pdf } = await render({ status: "active", signed, revoked: null });
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe("%PDF-");
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    expect(pdf.getTitle()).toBe("Authorization to release medical records for clinical-trial matching");
    expect(pdf.getSubject()).toBe("Signed by Ann Lee for Ann Lee");
  });

  it("does not fail on names the standard font cannot draw", async () => {
    const { pdf } = await render({ status: "active", signed: { ...signed, signerName: "Анна Ли 李安" }, revoked: null }, "Анна Ли 李安");
    expect(pdf.getSubject()).toBe("Signed by Анна Ли 李安 for Анна Ли 李安");
  });

  it("renders a revoked consent too", async () => {
    const revoked: TrialConsent = { ...signed, id: "bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee", event: "revoked", at: new Date("2026-12-01T10:00:00Z") };
    const { pdf } = await render({ status: "revoked", signed, revoked });
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
  });
});
