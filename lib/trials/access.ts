import "server-only";
/**
 * Who may see, download, export or revoke a trial-matching intake.
 *
 * An intake may be filled in without an account, so access has two roots:
 *  - a signed-in user who submitted it ("signer") or the patient it is linked to
 *    ("patient"), checked against the database on every request;
 *  - the holder of the intake's access token ("token"): 32 random bytes given once at
 *    submission; only its SHA-256 is stored (`trial_intakes.access_token_hash`).
 * Nobody else — caregivers and clinicians included — sees an intake: it is the person's own
 * release of records, not part of their pump care.
 *
 * Refusals look exactly like "not found", so an id cannot be probed for existence. Every
 * decision is written to the audit log (ids and reasons only, no answers).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "@/db";
import { trialIntakes } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { ownPatientId, type Actor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";

export type TrialIntake = typeof trialIntakes.$inferSelect;
export type IntakeAccessVia = "signer" | "patient" | "token";
export type IntakeAction = "read" | "unlock" | "pdf" | "fhir" | "revoke";

export interface IntakeAccess {
  readonly intake: TrialIntake;
  readonly via: IntakeAccessVia;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** base64url of 32 bytes. */
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;

export function isIntakeId(id: string): boolean {
  return UUID_RE.test(id);
}

export function isAccessTokenShape(token: string): boolean {
  return TOKEN_RE.test(token);
}

export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** A fresh access token and the hash to store. The token itself is never stored. */
export function newAccessToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashAccessToken(token) };
}

/** Constant-time comparison, so response timing does not reveal how much of a guess was right. */
export function accessTokenMatches(token: string, storedHash: string): boolean {
  if (!isAccessTokenShape(token)) return false;
  const a = Buffer.from(hashAccessToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

export const intakeNotFound = () =>
  new AppError(404, "not_found", "That intake was not found, or you do not have access to it. Open it with your private link, or sign in.");

export interface IntakeCredentials {
  readonly actor: Actor | null;
  readonly token: string | null;
}

/**
 * The one gate for intake data. Signed-in access is tried first (it is the stronger proof),
 * then the token. Throws a 404 AppError when neither grants access.
 */
export async function authorizeIntake(db: Db, intakeId: string, cred: IntakeCredentials, action: IntakeAction): Promise<IntakeAccess> {
  const auditAction = `trial-intake:${action}`;
  const deny = async (reason: string, patientId: string | null): Promise<never> => {
    await audit(db, { actorUserId: cred.actor?.userId ?? null, patientId, action: auditAction, outcome: "denied", detail: { intakeId: isIntakeId(intakeId) ? intakeId : null, reason } });
    throw intakeNotFound();
  };
  if (!isIntakeId(intakeId)) return deny("malformed id", null);
  const [intake] = await db.select().from(trialIntakes).where(eq(trialIntakes.id, intakeId)).limit(1);
  if (intake === undefined) return deny("no such intake", null);

  let via: IntakeAccessVia | null = null;
  if (cred.actor !== null) {
    if (intake.submittedByUserId === cred.actor.userId) via = "signer";
    else if (intake.patientId !== null && intake.patientId === (await ownPatientId(db, cred.actor))) via = "patient";
  }
  if (via === null && cred.token !== null && accessTokenMatches(cred.token, intake.accessTokenHash)) via = "token";
  if (via === null) return deny(cred.token !== null ? "wrong token" : "no credentials", intake.patientId);

  await audit(db, { actorUserId: cred.actor?.userId ?? null, patientId: intake.patientId, action: auditAction, outcome: "allowed", detail: { intakeId, via } });
  return { intake, via };
}

// ── carrying the token ──────────────────────────────────────────────────────

/**
 * The browser keeps an intake's token in an HttpOnly cookie, one per intake, scoped to the
 * intake's page and API paths, so it is sent only where it is needed and scripts cannot read
 * it. API clients send `Authorization: Bearer <token>` instead.
 */
export function intakeCookieName(intakeId: string): string {
  return `pp_trial_${intakeId.replace(/-/g, "")}`;
}

export function intakeCookiePaths(intakeId: string): readonly string[] {
  return [`/trials/intake/${intakeId}`, `/api/trials/intake/${intakeId}`];
}

function cookieValue(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The intake token a request carries: a Bearer header, else the intake's cookie. */
export function tokenFromHeaders(headers: Headers, intakeId: string): string | null {
  const authz = headers.get("authorization");
  const bearer = authz && /^Bearer\s+(\S+)$/i.exec(authz)?.[1];
  if (bearer) return bearer;
  return cookieValue(headers.get("cookie"), intakeCookieName(intakeId));
}
