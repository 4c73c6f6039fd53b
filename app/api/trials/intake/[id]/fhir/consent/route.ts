// GET /api/trials/intake/:id/fhir/consent — the signed consent as FHIR R4 Consent with the exact text shown (refused once revoked or expired).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { currentActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";
import { authorizeIntake } from "@/lib/trials/access";
import { loadConsentState, signedDocument } from "@/lib/trials/consent";
import { buildConsent } from "@/lib/trials/fhir";
import { credentials, requireActiveConsent } from "@/lib/trials/http";
import { storedAnswers } from "@/lib/trials/intake";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const { id } = await params;
  const db = await getDb();
  const { intake } = await authorizeIntake(db, id, credentials(req, id, await currentActor(db)), "fhir");
  const state = await loadConsentState(db, intake.id, new Date());
  requireActiveConsent(state);
  const answers = storedAnswers(intake.answers);
  if (answers === null) throw new AppError(409, "conflict:answers", "This intake's answers cannot be exported.");
  const resource = buildConsent({ id: intake.id, createdAt: intake.createdAt, zip: intake.zip, answers }, state.signed, signedDocument(state.signed, answers.consentExpiresOn));
  return NextResponse.json(resource, { headers: { "Content-Type": "application/fhir+json; charset=utf-8", "Cache-Control": "private, no-store" } });
});
