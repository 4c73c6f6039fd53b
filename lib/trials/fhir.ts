import "server-only";
/**
 * FHIR R4 exports of a trial-matching intake, for handing to a matching partner:
 *  - the answers as a `QuestionnaireResponse` (questionnaire: `TRIAL_INTAKE_QUESTIONNAIRE`);
 *  - the signed authorisation as a `Consent` (scope patient-privacy, category LOINC 64292-6
 *    "Release of information consent"), with the exact text shown as its source attachment.
 *
 * The patient (and a signing guardian) are contained resources: the portal is not the
 * partner's patient registry, and an anonymous intake has no Patient record anywhere.
 * Builders are pure functions of stored data, so tests check the shape directly.
 */
import { createHash } from "node:crypto";
import type { TrialConsent } from "@/db/schema";
import { getCancerType } from "@/lib/trials/cancer-types";
import {
  ACTIVITY_OPTIONS,
  METASTATIC_OPTIONS,
  RELATIONSHIP_OPTIONS,
  SEX_OPTIONS,
  SIGNER_ROLE_OPTIONS,
  STAGE_OPTIONS,
  TREATMENT_OPTIONS,
  optionLabel,
  type GuardianRelationship,
  type Option,
} from "@/lib/trials/intake-schema";
import type { ShownConsent } from "@/lib/trials/consent";
import type { StoredAnswers } from "@/lib/trials/intake";

// ── minimal FHIR R4 types (only what we emit) ───────────────────────────────

export interface Coding {
  system?: string;
  code: string;
  display?: string;
}
export interface CodeableConcept {
  coding: Coding[];
  text?: string;
}
export interface Reference {
  reference?: string;
  display?: string;
}
export interface Extension {
  url: string;
  valueString: string;
}
type AnswerValue =
  | { valueString: string }
  | { valueDate: string }
  | { valueCoding: Coding }
  | { valueQuantity: { value: number; unit: string; system: string; code: string } };
export interface QuestionnaireResponseItem {
  linkId: string;
  text: string;
  answer: AnswerValue[];
}
export interface ContainedPatient {
  resourceType: "Patient";
  id: string;
  name: { text: string }[];
  birthDate: string;
  gender: "female" | "male" | "unknown";
  address: { postalCode: string; country: string }[];
  telecom?: { system: "email" | "phone"; value: string }[];
}
export interface ContainedRelatedPerson {
  resourceType: "RelatedPerson";
  id: string;
  patient: Reference;
  relationship: CodeableConcept[];
  name: { text: string }[];
}
export interface QuestionnaireResponse {
  resourceType: "QuestionnaireResponse";
  id: string;
  contained: (ContainedPatient | ContainedRelatedPerson)[];
  identifier: { system: string; value: string };
  questionnaire: string;
  status: "completed";
  subject: Reference;
  authored: string;
  author: Reference;
  source: Reference;
  item: QuestionnaireResponseItem[];
}
export interface Consent {
  resourceType: "Consent";
  id: string;
  contained: (ContainedPatient | ContainedRelatedPerson)[];
  extension: Extension[];
  identifier: { system: string; value: string }[];
  status: "active";
  scope: CodeableConcept;
  category: CodeableConcept[];
  patient: Reference;
  dateTime: string;
  performer: Reference[];
  organization: Reference[];
  sourceAttachment: { contentType: string; language: string; data: string; hash: string; title: string; creation: string };
  policy: { uri: string }[];
  policyRule: CodeableConcept;
  provision: {
    type: "permit";
    period: { start: string; end?: string };
    actor: { role: CodeableConcept; reference: Reference }[];
    action: CodeableConcept[];
    purpose: Coding[];
  };
}

// ── identifiers and code systems ────────────────────────────────────────────

/**
 * Base of our own code systems and canonical URLs. `.example` is the reserved placeholder
 * domain: these are identifiers, not addresses, and must stay stable across deployments.
 */
export const FHIR_SYSTEM_BASE = "https://pump-portal.example/fhir";
export const TRIAL_INTAKE_QUESTIONNAIRE = `${FHIR_SYSTEM_BASE}/Questionnaire/trial-matching-intake|1`;
export const CONSENT_TEXT_SHA256_EXTENSION = `${FHIR_SYSTEM_BASE}/StructureDefinition/consent-text-sha256`;
export const CONSENT_TEXT_VERSION_EXTENSION = `${FHIR_SYSTEM_BASE}/StructureDefinition/consent-text-version`;

const SYSTEM = {
  mesh: "https://www.nlm.nih.gov/mesh",
  loinc: "http://loinc.org",
  ucum: "http://unitsofmeasure.org",
  gender: "http://hl7.org/fhir/administrative-gender",
  roleCode: "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
  consentScope: "http://terminology.hl7.org/CodeSystem/consentscope",
  consentAction: "http://terminology.hl7.org/CodeSystem/consentaction",
  actCode: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  actReason: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
  participationType: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
  stage: `${FHIR_SYSTEM_BASE}/CodeSystem/trial-intake-stage`,
  metastatic: `${FHIR_SYSTEM_BASE}/CodeSystem/trial-intake-metastatic`,
  treatment: `${FHIR_SYSTEM_BASE}/CodeSystem/trial-intake-treatment`,
  signerRole: `${FHIR_SYSTEM_BASE}/CodeSystem/trial-intake-signer-role`,
} as const;

const RELATIONSHIP_CODE: Readonly<Record<GuardianRelationship, Coding>> = {
  parent: { system: SYSTEM.roleCode, code: "PRN", display: "parent" },
  "legal-guardian": { system: SYSTEM.roleCode, code: "GUARD", display: "guardian" },
  representative: { system: SYSTEM.roleCode, code: "HPOWATT", display: "healthcare power of attorney" },
};

function local(system: string, options: readonly Option[], code: string): Coding {
  return { system, code, display: optionLabel(options, code) };
}

// ── shared pieces ───────────────────────────────────────────────────────────

export interface IntakeForExport {
  readonly id: string;
  readonly createdAt: Date;
  readonly zip: string | null;
  readonly answers: StoredAnswers;
}

function gender(sex: string): ContainedPatient["gender"] {
  return sex === "female" || sex === "male" ? sex : "unknown";
}

function containedPatient(intake: IntakeForExport): ContainedPatient {
  const a = intake.answers;
  const telecom: NonNullable<ContainedPatient["telecom"]> = [];
  if (a.contactEmail) telecom.push({ system: "email", value: a.contactEmail });
  if (a.contactPhone) telecom.push({ system: "phone", value: a.contactPhone });
  return {
    resourceType: "Patient",
    id: "patient",
    name: [{ text: a.patientName }],
    birthDate: a.dateOfBirth,
    gender: gender(a.sex),
    address: [{ postalCode: intake.zip ?? a.zip, country: "US" }],
    ...(telecom.length > 0 ? { telecom } : {}),
  };
}

function containedSigner(signerName: string, relationship: string | null): ContainedRelatedPerson {
  const coding = relationship !== null && Object.hasOwn(RELATIONSHIP_CODE, relationship) ? RELATIONSHIP_CODE[relationship as GuardianRelationship] : null;
  return {
    resourceType: "RelatedPerson",
    id: "signer",
    patient: { reference: "#patient" },
    relationship: coding ? [{ coding: [coding], text: optionLabel(RELATIONSHIP_OPTIONS, relationship ?? "") }] : [],
    name: [{ text: signerName }],
  };
}

// ── QuestionnaireResponse ───────────────────────────────────────────────────

export function buildQuestionnaireResponse(intake: IntakeForExport, signerName: string): QuestionnaireResponse {
  const a = intake.answers;
  const byGuardian = a.signerRole === "guardian";
  const type = getCancerType(a.cancerTypeId);
  const activity = ACTIVITY_OPTIONS.find((o) => o.value === a.activityLevel);
  const items: QuestionnaireResponseItem[] = [
    { linkId: "signer-role", text: "Who is filling in this form?", answer: [{ valueCoding: local(SYSTEM.signerRole, SIGNER_ROLE_OPTIONS, a.signerRole) }] },
  ];
  if (byGuardian && a.guardianRelationship) {
    items.push({ linkId: "guardian-relationship", text: "Relationship to the patient", answer: [{ valueCoding: RELATIONSHIP_CODE[a.guardianRelationship] }] });
  }
  items.push(
    { linkId: "patient-name", text: "Patient's full name", answer: [{ valueString: a.patientName }] },
    { linkId: "birth-date", text: "Birthday", answer: [{ valueDate: a.dateOfBirth }] },
    { linkId: "sex", text: "Sex", answer: [{ valueCoding: { system: SYSTEM.gender, code: gender(a.sex), display: optionLabel(SEX_OPTIONS, a.sex) } }] },
    {
      linkId: "cancer-type",
      text: "Cancer type",
      answer: [{ valueCoding: type ? { system: SYSTEM.mesh, code: type.mesh.id, display: type.mesh.term } : { code: a.cancerTypeId } }],
    },
    { linkId: "stage", text: "Stage", answer: [{ valueCoding: local(SYSTEM.stage, STAGE_OPTIONS, a.stage) }] },
    { linkId: "metastatic", text: "Has the cancer spread to other parts of the body?", answer: [{ valueCoding: local(SYSTEM.metastatic, METASTATIC_OPTIONS, a.metastatic) }] },
  );
  if (a.currentTreatments.length > 0) {
    items.push({ linkId: "current-treatments", text: "Current treatments", answer: a.currentTreatments.map((t) => ({ valueCoding: local(SYSTEM.treatment, TREATMENT_OPTIONS, t) })) });
  }
  if (a.priorTreatments.length > 0) {
    items.push({ linkId: "prior-treatments", text: "Earlier treatments", answer: a.priorTreatments.map((t) => ({ valueCoding: local(SYSTEM.treatment, TREATMENT_OPTIONS, t) })) });
  }
  if (a.treatmentNotes) items.push({ linkId: "treatment-notes", text: "Other treatments or details", answer: [{ valueString: a.treatmentNotes }] });
  if (activity) {
    items.push({
      linkId: "activity-level",
      text: "Activity level (ECOG performance status, LOINC 89247-1)",
      answer: [{ valueCoding: { system: SYSTEM.loinc, code: activity.loinc, display: `ECOG ${activity.value}: ${activity.label}` } }],
    });
  }
  items.push(
    { linkId: "zip", text: "ZIP code", answer: [{ valueString: intake.zip ?? a.zip }] },
    { linkId: "travel-distance", text: "How far they will travel", answer: [{ valueQuantity: { value: a.travelMiles, unit: "mi", system: SYSTEM.ucum, code: "[mi_i]" } }] },
  );
  if (a.contactEmail) items.push({ linkId: "contact-email", text: "Contact e-mail", answer: [{ valueString: a.contactEmail }] });
  if (a.contactPhone) items.push({ linkId: "contact-phone", text: "Contact phone", answer: [{ valueString: a.contactPhone }] });

  const author: Reference = { reference: byGuardian ? "#signer" : "#patient" };
  return {
    resourceType: "QuestionnaireResponse",
    id: intake.id,
    contained: byGuardian ? [containedPatient(intake), containedSigner(signerName, a.guardianRelationship || null)] : [containedPatient(intake)],
    identifier: { system: "urn:ietf:rfc:3986", value: `urn:uuid:${intake.id}` },
    questionnaire: TRIAL_INTAKE_QUESTIONNAIRE,
    status: "completed",
    subject: { reference: "#patient" },
    authored: intake.createdAt.toISOString(),
    author,
    source: author,
    item: items,
  };
}

// ── Consent ─────────────────────────────────────────────────────────────────

export function buildConsent(intake: IntakeForExport, signed: TrialConsent, doc: ShownConsent): Consent {
  const byGuardian = signed.signerRole === "guardian";
  const text = Buffer.from(doc.text, "utf8");
  const signedAt = signed.at.toISOString();
  return {
    resourceType: "Consent",
    id: signed.id,
    contained: byGuardian ? [containedPatient(intake), containedSigner(signed.signerName, signed.guardianRelationship)] : [containedPatient(intake)],
    extension: [
      { url: CONSENT_TEXT_SHA256_EXTENSION, valueString: signed.textSha256 },
      { url: CONSENT_TEXT_VERSION_EXTENSION, valueString: signed.textVersion },
    ],
    identifier: [
      { system: "urn:ietf:rfc:3986", value: `urn:uuid:${signed.id}` },
      { system: `${FHIR_SYSTEM_BASE}/trial-intake`, value: intake.id },
    ],
    // Exports are refused once a consent is revoked or expired, so an exported one is active.
    status: "active",
    scope: { coding: [{ system: SYSTEM.consentScope, code: "patient-privacy", display: "Privacy Consent" }] },
    category: [{ coding: [{ system: SYSTEM.loinc, code: "64292-6", display: "Release of information consent" }] }],
    patient: { reference: "#patient" },
    dateTime: signedAt,
    performer: [{ reference: byGuardian ? "#signer" : "#patient" }],
    organization: [{ display: "Pump Portal" }],
    sourceAttachment: {
      contentType: "text/plain; charset=utf-8",
      language: "en-US",
      data: text.toString("base64"),
      // FHIR defines Attachment.hash as the base64 SHA-1 of the data; our SHA-256 is in the extension.
      hash: createHash("sha1").update(text).digest("base64"),
      title: doc.blocks[0]?.text ?? "Authorization to release medical records",
      creation: signedAt,
    },
    policy: [{ uri: `${FHIR_SYSTEM_BASE}/consent-text/${signed.textVersion}` }],
    policyRule: { coding: [{ system: SYSTEM.actCode, code: "OPTIN", display: "opt-in" }] },
    provision: {
      type: "permit",
      period: { start: signedAt, ...(signed.expiresAt ? { end: signed.expiresAt.toISOString() } : {}) },
      actor: [
        {
          role: { coding: [{ system: SYSTEM.participationType, code: "IRCP", display: "information recipient" }] },
          reference: { display: "Pump Portal clinical-trial matching service and the research teams of matched trials" },
        },
      ],
      action: [{ coding: [{ system: SYSTEM.consentAction, code: "disclose", display: "Disclose" }] }],
      purpose: [{ system: SYSTEM.actReason, code: "HRESCH", display: "healthcare research" }],
    },
  };
}
