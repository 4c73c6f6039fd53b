/**
 * The consent for clinical-trial matching: a HIPAA-style authorisation to release medical
 * records for matching only, as versioned text.
 *
 * Why the text is data: the server stores the SHA-256 of the exact text a person was shown,
 * and later reproduces that text (PDF copy, FHIR Consent) from its version. So a version's
 * wording must never change once released: add a new version instead, and keep the old one
 * here for as long as any consent signed under it may be downloaded.
 *
 * The only variable part is the expiry date, which the text states as a calendar date. The
 * canonical text is the blocks joined by a blank line; the page renders one element per
 * block, so "the text shown" and "the text hashed" are the same strings.
 *
 * Pure (no Node or browser APIs): runs in server components, the client form and tests.
 * Hashing lives in `consent.ts` (server).
 */
import { daysInMonth, formatIsoDate, parseIsoDate, type CivilDate } from "@/lib/trials/age";

export interface ConsentBlock {
  readonly kind: "title" | "heading" | "paragraph";
  readonly text: string;
}

export interface ConsentDocument {
  readonly version: string;
  /** "YYYY-MM-DD": the last day on which the authorisation is in force. */
  readonly expiresOn: string;
  readonly blocks: readonly ConsentBlock[];
  /** The canonical text: block texts joined with "\n\n". This is what is hashed. */
  readonly text: string;
}

/** The words the issue requires verbatim, first thing under the title. */
export const CONSENT_LEAD =
  "By filling out this form, you're consenting only to release your medical records. You're not agreeing to participate in clinical trials yet.";

/** How long a signature lasts: one year, ending on the same calendar date next year. */
export const CONSENT_VALIDITY_YEARS = 1;

const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/**
 * "November 25, 2027". A fixed month table rather than Intl: the server render, the browser
 * and the PDF must produce the same characters, or the hash would differ.
 */
export function formatLongDate(d: CivilDate): string {
  return `${MONTH_NAMES[d.month - 1] ?? "?"} ${d.day}, ${d.year}`;
}

/**
 * The last day of an authorisation signed on `signedOn`: the same date one year later; a
 * signature on 29 February ends on 28 February (never longer than a year).
 */
export function consentExpiresOn(signedOn: CivilDate): CivilDate {
  const year = signedOn.year + CONSENT_VALIDITY_YEARS;
  return { year, month: signedOn.month, day: Math.min(signedOn.day, daysInMonth(year, signedOn.month)) };
}

type Renderer = (expiresOn: CivilDate) => readonly ConsentBlock[];

const title = (text: string): ConsentBlock => ({ kind: "title", text });
const heading = (text: string): ConsentBlock => ({ kind: "heading", text });
const paragraph = (text: string): ConsentBlock => ({ kind: "paragraph", text });

const V1: Renderer = (expiresOn) => [
  title("Authorization to release medical records for clinical-trial matching"),
  paragraph(CONSENT_LEAD),
  heading("What will be released"),
  paragraph(
    "Your answers on this form (cancer type, birthday, sex, ZIP code, how far you will travel, stage, treatments, activity level and contact details) and your medical records about your cancer: diagnoses, pathology and test results, imaging reports, stage, treatments and how they worked.",
  ),
  heading("Who releases it and who receives it"),
  paragraph(
    "Released by: the doctors, hospitals, clinics and laboratories that have treated or tested you for cancer, and Pump Portal, which keeps your answers. Received by: Pump Portal's clinical-trial matching service and the research teams (sponsors and study sites) of the trials we match you with.",
  ),
  heading("Why"),
  paragraph(
    "For matching you with clinical trials only: to find trials you may be able to join and to let their research teams contact you about them. It will not be used for marketing and will not be sold.",
  ),
  heading("How long it lasts"),
  paragraph(`This authorization expires at the end of ${formatLongDate(expiresOn)}, unless you revoke it before then.`),
  heading("Your right to revoke"),
  paragraph(
    'You can revoke (cancel) this authorization at any time. Press "Revoke consent" on your intake page: open it with the private link we give you after you submit, or sign in if your account is linked. Revoking stops all further matching and sharing from then on. It cannot undo a release that already happened while the authorization was in force.',
  ),
  heading("Your treatment does not depend on signing"),
  paragraph(
    "Your treatment, payment, enrollment in a health plan and eligibility for benefits do not depend on whether you sign this authorization.",
  ),
  heading("Released information may be shared again"),
  paragraph(
    "Once your information is released, the person or organization that receives it may share it again, and it may no longer be protected by federal privacy law (HIPAA).",
  ),
  heading("Signing"),
  paragraph(
    'Ticking the box and typing your full name is your signature. If you sign for a child under 18 as their parent or legal guardian, or as someone\'s legal representative, "you" and "your" mean the patient, and you confirm that you have the legal authority to sign for them. You can download a copy of this authorization after you sign it.',
  ),
];

/** Every released version, oldest first. Never edit a released entry. */
const VERSIONS: Readonly<Record<string, Renderer>> = {
  "trial-matching-release-v1": V1,
};

/** The version new signatures use. */
export const CURRENT_CONSENT_VERSION = "trial-matching-release-v1";

export function isKnownConsentVersion(version: string): boolean {
  return Object.hasOwn(VERSIONS, version);
}

export class UnknownConsentVersionError extends Error {
  constructor(readonly version: string) {
    super(`Unknown consent text version "${version}".`);
    this.name = "UnknownConsentVersionError";
  }
}

/**
 * The consent document of `version` with the given expiry date ("YYYY-MM-DD").
 * @throws UnknownConsentVersionError, or RangeError for a malformed date.
 */
export function renderConsent(version: string, expiresOnIso: string): ConsentDocument {
  const renderer = Object.hasOwn(VERSIONS, version) ? VERSIONS[version] : undefined;
  if (renderer === undefined) throw new UnknownConsentVersionError(version);
  const expiresOn = parseIsoDate(expiresOnIso);
  if (expiresOn === null) throw new RangeError(`renderConsent: "${expiresOnIso}" is not a YYYY-MM-DD date`);
  const blocks = renderer(expiresOn);
  return { version, expiresOn: formatIsoDate(expiresOn), blocks, text: blocks.map((b) => b.text).join("\n\n") };
}
