import "server-only";
/**
 * Storing a trial-matching intake with its consent.
 *
 * Order of checks for a submission: the shared zod schema (intake-schema.ts), then what only
 * the server can check — the ZIP code in the offline table and the consent text's hash — all
 * merged into one set of field errors. Only a fully valid submission with a valid consent is
 * stored, and it is stored in one transaction (intake row, "signed" consent row, audit entry):
 * either all of it exists afterwards or none of it does.
 */
import { z } from "zod";
import type { Db } from "@/db";
import { trialConsents, trialIntakes } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { zodFieldErrors } from "@/lib/http/errors";
import { parseIsoDate } from "@/lib/trials/age";
import { checkPostedConsent, consentWithHash, endOfDayInZone } from "@/lib/trials/consent";
import type { LatLon } from "@/lib/trials/geo";
import { milesToKm } from "@/lib/trials/geo";
import { newAccessToken } from "@/lib/trials/access";
import { answersSchema, intakeSchema, type IntakeInput } from "@/lib/trials/intake-schema";
import { normaliseZip, zipToLocation } from "@/lib/trials/zip";

export type FieldErrors = Record<string, string>;

export type SubmissionCheck =
  | { readonly ok: true; readonly input: IntakeInput; readonly location: LatLon }
  | { readonly ok: false; readonly fields: FieldErrors };

function rawString(raw: unknown, key: string): string | null {
  if (typeof raw !== "object" || raw === null) return null;
  const v = (raw as Record<string, unknown>)[key];
  return typeof v === "string" ? v : null;
}

/** Checks a submission completely; every problem comes back keyed by its field. */
export function checkSubmission(raw: unknown, now: Date): SubmissionCheck {
  const parsed = intakeSchema(() => now).safeParse(raw);
  const fields: FieldErrors = parsed.success ? {} : zodFieldErrors(parsed.error);

  // The ZIP must be one we can place on the map: a typo would silently give wrong distances.
  const zipText = rawString(raw, "zip");
  const zip = zipText === null ? null : normaliseZip(zipText);
  let location: LatLon | null = null;
  if (zip !== null) {
    location = zipToLocation(zip);
    if (location === null && fields.zip === undefined) {
      fields.zip = `We could not find ZIP code ${zip}. Check it, or use the ZIP code of your home street address.`;
    }
  }

  // The consent must be the text we serve, as shown (version, expiry date and hash agree).
  const consent = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>).consent : undefined;
  const posted = z.object({ version: z.string(), sha256: z.string(), expiresOn: z.string() }).safeParse(consent);
  if (posted.success && fields["consent.version"] === undefined && fields["consent.sha256"] === undefined && fields["consent.expiresOn"] === undefined) {
    const problem = checkPostedConsent(posted.data, now, rawString(raw, "timeZone") ?? "UTC");
    if (problem !== null) fields.consent = problem;
  }
  // A missing version, hash or expiry is the page's fault, not the person's: one message.
  for (const key of ["consent.version", "consent.sha256", "consent.expiresOn"] as const) {
    if (fields[key] !== undefined) {
      fields.consent ??= fields[key];
      delete fields[key];
    }
  }

  if (!parsed.success || location === null || Object.keys(fields).length > 0) {
    return { ok: false, fields: Object.keys(fields).length > 0 ? fields : { _form: "Please check your answers." } };
  }
  return { ok: true, input: parsed.data, location };
}

export interface CreateContext {
  readonly now: Date;
  readonly ip: string | null;
  readonly userAgent: string | null;
  /** The signed-in user who submitted, if any. */
  readonly submittedByUserId: string | null;
  /** The patient record to link, when a signed-in patient filled it in about themselves. */
  readonly patientId: string | null;
}

export interface CreatedIntake {
  readonly intakeId: string;
  /** Shown once; only its hash is stored. */
  readonly accessToken: string;
  readonly consentSha256: string;
  readonly expiresAt: Date;
}

/** Stored answers: everything asked except the signature, which lives in trial_consents. */
export type StoredAnswers = z.output<typeof answersSchema>;

/**
 * Stores a checked intake and its "signed" consent in one transaction. Nothing is written
 * if any part fails.
 */
export async function createIntake(db: Db, input: IntakeInput, location: LatLon, ctx: CreateContext): Promise<CreatedIntake> {
  const { consent, ...answers } = input;
  const shown = consentWithHash(consent.version, consent.expiresOn);
  const expiresOn = parseIsoDate(shown.expiresOn);
  if (expiresOn === null) throw new Error("createIntake: consent expiry is not a date");
  const expiresAt = endOfDayInZone(expiresOn, input.timeZone);
  const { token, hash } = newAccessToken();
  const stored: StoredAnswers & { consentExpiresOn: string } = { ...answers, consentExpiresOn: shown.expiresOn };

  const intakeId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(trialIntakes)
      .values({
        patientId: ctx.patientId,
        submittedByUserId: ctx.submittedByUserId,
        accessTokenHash: hash,
        answers: stored,
        cancerTypeId: input.cancerTypeId,
        dateOfBirth: input.dateOfBirth,
        sex: input.sex,
        zip: normaliseZip(input.zip),
        latitude: location.lat,
        longitude: location.lon,
        travelKm: Math.round(milesToKm(input.travelMiles)),
        timeZone: input.timeZone,
        createdAt: ctx.now,
      })
      .returning({ id: trialIntakes.id });
    if (row === undefined) throw new Error("createIntake: insert returned no row");
    await tx.insert(trialConsents).values({
      intakeId: row.id,
      event: "signed",
      textVersion: shown.version,
      // Re-derived on the server (checkSubmission compared it with what the client showed).
      textSha256: shown.sha256,
      signerName: consent.signatureName,
      signerRole: input.signerRole,
      guardianRelationship: input.signerRole === "guardian" ? input.guardianRelationship || null : null,
      actorUserId: ctx.submittedByUserId,
      at: ctx.now,
      expiresAt,
      ip: ctx.ip,
      userAgent: ctx.userAgent?.slice(0, 512) ?? null,
    });
    await audit(tx as unknown as Db, {
      actorUserId: ctx.submittedByUserId,
      patientId: ctx.patientId,
      action: "trial-intake:create",
      outcome: "done",
      detail: { intakeId: row.id, consentVersion: shown.version },
    });
    return row.id;
  });
  return { intakeId, accessToken: token, consentSha256: shown.sha256, expiresAt };
}

/** The stored answers of an intake, typed; null for a row written by an incompatible version. */
export function storedAnswers(answers: Record<string, unknown>): (StoredAnswers & { consentExpiresOn: string }) | null {
  const parsed = answersSchema.extend({ consentExpiresOn: z.string() }).safeParse(answers);
  return parsed.success ? parsed.data : null;
}
