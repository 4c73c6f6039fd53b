// GET /api/trials/intake/:id/consent.pdf — the person's copy of their signed consent (also after revocation, marked as revoked).
import { getDb } from "@/db";
import { currentActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";
import { authorizeIntake } from "@/lib/trials/access";
import { loadConsentState, signedDocument } from "@/lib/trials/consent";
import { renderConsentPdf } from "@/lib/trials/consent-pdf";
import { credentials } from "@/lib/trials/http";
import { storedAnswers } from "@/lib/trials/intake";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const { id } = await params;
  const db = await getDb();
  const { intake } = await authorizeIntake(db, id, credentials(req, id, await currentActor(db)), "pdf");
  const now = new Date();
  const state = await loadConsentState(db, intake.id, now);
  const answers = storedAnswers(intake.answers);
  if (state === null || answers === null) throw new AppError(409, "conflict:consent", "This intake has no signed consent to download.");
  const pdf = await renderConsentPdf({
    intakeId: intake.id,
    patientName: answers.patientName,
    dateOfBirth: intake.dateOfBirth,
    timeZone: intake.timeZone,
    doc: signedDocument(state.signed, answers.consentExpiresOn),
    state,
    generatedAt: now,
  });
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="trial-matching-consent-${state.signed.at.toISOString().slice(0, 10)}.pdf"`,
      "Cache-Control": "private, no-store",
    },
  });
});
