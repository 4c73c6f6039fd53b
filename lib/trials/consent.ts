import "server-only";
/**
 * Consent records for trial-matching intakes: hashing and checking the text a person was
 * shown, the consent's current state, and revocation.
 *
 * `trial_consents` is append-only (DESIGN.md): this module inserts rows and never updates or
 * deletes one. Signing is a "signed" row written with the intake (see intake.ts); revoking
 * appends a "revoked" row. The state of an intake's consent is derived from its rows.
 */
import { createHash } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/db";
import { trialConsents, type TrialConsent } from "@/db/schema";
import { zonedParts } from "@/lib/pump/time";
import { civilDateInZone, daysBetween, formatIsoDate, isValidTimeZone, parseIsoDate, type CivilDate } from "@/lib/trials/age";
import {
  CURRENT_CONSENT_VERSION,
  consentExpiresOn,
  isKnownConsentVersion,
  renderConsent,
  type ConsentDocument,
} from "@/lib/trials/consent-text";

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export interface ShownConsent extends ConsentDocument {
  /** SHA-256 (hex) of `text`, exactly as rendered. */
  readonly sha256: string;
}

/** A consent document with its hash. */
export function consentWithHash(version: string, expiresOnIso: string): ShownConsent {
  const doc = renderConsent(version, expiresOnIso);
  return { ...doc, sha256: sha256Hex(doc.text) };
}

/**
 * The consent to show someone about to sign at `now`: current version, expiring one year
 * from today on the calendar of `timeZone` (UTC when we do not know the zone yet).
 */
export function consentToShow(now: Date, timeZone = "UTC"): ShownConsent {
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  return consentWithHash(CURRENT_CONSENT_VERSION, formatIsoDate(consentExpiresOn(civilDateInZone(now, zone))));
}

/**
 * How far the posted expiry date may be from "one year from today" in the signer's zone:
 * the page may have been rendered in another zone (±1 day) or left open for a few days
 * (a shorter authorisation than a year is harmless; a longer one is not allowed).
 */
const EXPIRY_EARLIEST_DAYS = -7;
const EXPIRY_LATEST_DAYS = 1;

export interface PostedConsent {
  readonly version: string;
  readonly sha256: string;
  readonly expiresOn: string;
}

/**
 * Re-derives the text the client says it showed and checks its hash. Returns a message for
 * the consent section of the form, or null when the consent text is the one we serve.
 */
export function checkPostedConsent(posted: PostedConsent, now: Date, timeZone: string): string | null {
  if (posted.version !== CURRENT_CONSENT_VERSION || !isKnownConsentVersion(posted.version)) {
    return "The consent text has been updated since you opened this page. Reload the page, read it again and sign.";
  }
  const expiresOn = parseIsoDate(posted.expiresOn);
  const zone = isValidTimeZone(timeZone) ? timeZone : "UTC";
  const expected = consentExpiresOn(civilDateInZone(now, zone));
  if (expiresOn === null) return "The consent expiry date is not valid. Reload the page and sign again.";
  const offset = daysBetween(expected, expiresOn);
  if (offset < EXPIRY_EARLIEST_DAYS || offset > EXPIRY_LATEST_DAYS) {
    return "This page has been open for too long and the consent dates are out of date. Reload the page, read it again and sign.";
  }
  if (consentWithHash(posted.version, posted.expiresOn).sha256 !== posted.sha256) {
    return "The consent text you saw does not match ours. Reload the page, read it again and sign.";
  }
  return null;
}

/** The instant just before the day after `date` starts in `timeZone`: the end of that day there. */
export function endOfDayInZone(date: CivilDate, timeZone: string): Date {
  const wallMidnightNext = Date.UTC(date.year, date.month - 1, date.day + 1);
  const offsetAt = (instantMs: number): number => {
    const p = zonedParts(new Date(instantMs), timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instantMs / 1000) * 1000;
  };
  // Two rounds: the offset at the first guess may differ from the offset at the answer
  // when a DST change falls in between.
  let instant = wallMidnightNext - offsetAt(wallMidnightNext);
  instant = wallMidnightNext - offsetAt(instant);
  return new Date(instant - 1);
}

// ── state ───────────────────────────────────────────────────────────────────

export type ConsentStatus = "active" | "revoked" | "expired";

export interface ConsentState {
  readonly status: ConsentStatus;
  readonly signed: TrialConsent;
  readonly revoked: TrialConsent | null;
}

/**
 * The state of one intake's consent from its append-only rows. Revocation is final; an
 * unrevoked consent past its expiry is expired. Null when there is no signature at all
 * (cannot happen for stored intakes: both are written in one transaction).
 */
export function consentState(rows: readonly TrialConsent[], now: Date): ConsentState | null {
  const signed = rows.find((r) => r.event === "signed");
  if (signed === undefined) return null;
  const revoked = rows.find((r) => r.event === "revoked") ?? null;
  if (revoked !== null) return { status: "revoked", signed, revoked };
  if (signed.expiresAt !== null && now.getTime() > signed.expiresAt.getTime()) return { status: "expired", signed, revoked };
  return { status: "active", signed, revoked };
}

export async function consentRows(db: Db, intakeId: string): Promise<TrialConsent[]> {
  return db.select().from(trialConsents).where(eq(trialConsents.intakeId, intakeId)).orderBy(asc(trialConsents.at), asc(trialConsents.id));
}

export async function loadConsentState(db: Db, intakeId: string, now: Date): Promise<ConsentState | null> {
  return consentState(await consentRows(db, intakeId), now);
}

/** The document that was signed, rebuilt from the stored version, and checked against the stored hash. */
export function signedDocument(signed: TrialConsent, expiresOnIso: string): ShownConsent {
  const doc = consentWithHash(signed.textVersion, expiresOnIso);
  if (doc.sha256 !== signed.textSha256) {
    // Either a released text was edited (forbidden) or the stored expiry was altered.
    throw new Error(`Consent text of version ${signed.textVersion} no longer matches its stored hash.`);
  }
  return doc;
}

// ── revocation ──────────────────────────────────────────────────────────────

export interface RevokeInput {
  /** The full name the person typed to confirm. */
  readonly name: string;
  readonly role: "self" | "guardian";
  readonly actorUserId: string | null;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly now: Date;
}

export type RevokeResult =
  | { readonly kind: "revoked"; readonly row: TrialConsent }
  | { readonly kind: "already_revoked"; readonly row: TrialConsent }
  | { readonly kind: "no_consent" };

/**
 * Appends a "revoked" row (once: a second revocation returns the first). Serialised per
 * intake with an advisory lock, so two simultaneous clicks cannot append two rows.
 */
export async function revokeConsent(db: Db, intakeId: string, input: RevokeInput): Promise<RevokeResult> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"trial-consent:" + intakeId}))`);
    const rows = await tx.select().from(trialConsents).where(eq(trialConsents.intakeId, intakeId)).orderBy(asc(trialConsents.at));
    const signed = rows.find((r) => r.event === "signed");
    if (signed === undefined) return { kind: "no_consent" } as const;
    const existing = rows.find((r) => r.event === "revoked");
    if (existing !== undefined) return { kind: "already_revoked", row: existing } as const;
    const [row] = await tx
      .insert(trialConsents)
      .values({
        intakeId,
        event: "revoked",
        // What was revoked: the signed text, identified by version and hash.
        textVersion: signed.textVersion,
        textSha256: signed.textSha256,
        signerName: input.name,
        signerRole: input.role,
        guardianRelationship: input.role === "guardian" ? signed.guardianRelationship : null,
        actorUserId: input.actorUserId,
        at: input.now,
        expiresAt: signed.expiresAt,
        ip: input.ip,
        userAgent: input.userAgent,
      })
      .returning();
    if (row === undefined) throw new Error("revokeConsent: insert returned no row");
    return { kind: "revoked", row } as const;
  });
}
