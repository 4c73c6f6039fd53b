import "server-only";
/**
 * HTTP details shared by the trial-matching route handlers: the access cookies, the
 * credentials a request carries, and the intake view that the page and the API both show.
 */
import type { NextResponse } from "next/server";
import type { Db } from "@/db";
import type { Actor } from "@/lib/auth/guard";
import { AppError, isDatabaseUnavailable } from "@/lib/http/errors";
import { intakeCookieName, intakeCookiePaths, tokenFromHeaders, type IntakeAccess, type IntakeCredentials } from "@/lib/trials/access";
import { getCancerType } from "@/lib/trials/cancer-types";
import { loadCatalogue, matchIntake, type MatchView } from "@/lib/trials/catalogue";
import { loadConsentState, type ConsentState } from "@/lib/trials/consent";
import { storedAnswers } from "@/lib/trials/intake";

export function isHttps(req: Request): boolean {
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return forwarded === "https" || new URL(req.url).protocol === "https:";
}

/**
 * Gives this browser access to one intake: an HttpOnly, SameSite=Strict cookie on the intake's
 * page path and on its API path, lasting until the consent expires. Written as raw headers:
 * the response cookie jar keys cookies by name alone and would keep only one of the two paths.
 */
export function setIntakeCookies(res: NextResponse, intakeId: string, token: string, expires: Date, secure: boolean): void {
  for (const path of intakeCookiePaths(intakeId)) {
    const attrs = [`${intakeCookieName(intakeId)}=${encodeURIComponent(token)}`, `Path=${path}`, `Expires=${expires.toUTCString()}`, "HttpOnly", "SameSite=Strict"];
    if (secure) attrs.push("Secure");
    res.headers.append("Set-Cookie", attrs.join("; "));
  }
}

export function credentials(req: Request, intakeId: string, actor: Actor | null): IntakeCredentials {
  return { actor, token: tokenFromHeaders(req.headers, intakeId) };
}

/** Refuses sharing (exports) once consent is revoked or expired. */
export function requireActiveConsent(state: ConsentState | null): asserts state is ConsentState {
  if (state === null) throw new AppError(409, "conflict:consent", "This intake has no signed consent.");
  if (state.status === "revoked") {
    throw new AppError(403, "forbidden:consent_revoked", "The consent for this intake was revoked, so it is no longer shared.");
  }
  if (state.status === "expired") {
    throw new AppError(403, "forbidden:consent_expired", "The consent for this intake has expired, so it is no longer shared.");
  }
}

export interface ConsentView {
  readonly status: ConsentState["status"];
  readonly version: string;
  readonly sha256: string;
  readonly signerName: string;
  readonly signerRole: string;
  readonly guardianRelationship: string | null;
  readonly signedAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

export interface IntakeView {
  readonly id: string;
  readonly createdAt: string;
  readonly timeZone: string;
  readonly via: IntakeAccess["via"];
  readonly cancerType: { readonly id: string; readonly label: string };
  readonly patientName: string | null;
  readonly zip: string | null;
  readonly travelMiles: number | null;
  readonly consent: ConsentView;
  /** Null once consent is no longer active: revocation stops all further matching. */
  readonly matches: readonly MatchView[] | null;
}

/** What the intake page and `GET /api/trials/intake/:id` show. Matches are computed now. */
export async function intakeView(db: Db, access: IntakeAccess, now: Date): Promise<IntakeView> {
  const { intake, via } = access;
  const state = await loadConsentState(db, intake.id, now);
  if (state === null) throw new AppError(409, "conflict:consent", "This intake has no signed consent.");
  const answers = storedAnswers(intake.answers);
  const active = state.status === "active";
  return {
    id: intake.id,
    createdAt: intake.createdAt.toISOString(),
    timeZone: intake.timeZone,
    via,
    cancerType: { id: intake.cancerTypeId, label: getCancerType(intake.cancerTypeId)?.label ?? intake.cancerTypeId },
    patientName: answers?.patientName ?? null,
    zip: intake.zip,
    travelMiles: answers?.travelMiles ?? null,
    consent: {
      status: state.status,
      version: state.signed.textVersion,
      sha256: state.signed.textSha256,
      signerName: state.signed.signerName,
      signerRole: state.signed.signerRole,
      guardianRelationship: state.signed.guardianRelationship,
      signedAt: state.signed.at.toISOString(),
      expiresAt: state.signed.expiresAt?.toISOString() ?? null,
      revokedAt: state.revoked?.at.toISOString() ?? null,
      revokedBy: state.revoked?.signerName ?? null,
    },
    matches: active
      ? matchIntake(intake, await loadCatalogue(db), now, {
          stage: answers?.stage ?? null,
          metastatic: answers?.metastatic === "yes" ? true : answers?.metastatic === "no" ? false : null,
        })
      : null,
  };
}

function pgCode(e: unknown): string | null {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 4; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === "string") return code;
    cur = (cur as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Runs a write whose SQL parameters carry answers (names, birthdays, contact details). A
 * failed drizzle query puts its parameters in the error message, which the generic error
 * handler would log; here only the error's name and SQLSTATE reach the log.
 */
export async function writeWithoutPhiInLogs<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof AppError || isDatabaseUnavailable(e)) throw e;
    console.error(`[trials] ${what} failed: ${e instanceof Error ? e.name : "error"}${pgCode(e) ? ` (SQLSTATE ${pgCode(e)})` : ""}`);
    throw new AppError(500, "internal", "Something went wrong on our side. Nothing was saved. Please try again.");
  }
}
