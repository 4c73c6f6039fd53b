// POST /api/trials/intake/:id/revoke — revoke the consent: appends a "revoked" record and stops all further matching and sharing.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { audit } from "@/lib/audit/log";
import { clientIp } from "@/lib/auth/auth";
import { currentActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { readJson, route } from "@/lib/http/respond";
import { authorizeIntake } from "@/lib/trials/access";
import { loadConsentState, revokeConsent } from "@/lib/trials/consent";
import { credentials, writeWithoutPhiInLogs } from "@/lib/trials/http";
import { revokeSchema } from "@/lib/trials/intake-schema";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const { id } = await params;
  const { name } = await readJson(req, revokeSchema, 4096);
  const db = await getDb();
  const actor = await currentActor(db);
  const { intake, via } = await authorizeIntake(db, id, credentials(req, id, actor), "revoke");
  const now = new Date();
  const state = await loadConsentState(db, intake.id, now);
  // The linked patient revokes for themselves; whoever else holds access acts in the signer's role.
  const role = via === "patient" || state?.signed.signerRole !== "guardian" ? "self" : "guardian";
  const result = await writeWithoutPhiInLogs("recording a revocation", () =>
    revokeConsent(db, intake.id, {
      name,
      role,
      actorUserId: actor?.userId ?? null,
      ip: clientIp(req.headers),
      userAgent: req.headers.get("user-agent")?.slice(0, 512) ?? null,
      now,
    }),
  );
  if (result.kind === "no_consent") throw new AppError(409, "conflict:consent", "This intake has no signed consent to revoke.");
  if (result.kind === "revoked") {
    await audit(db, { actorUserId: actor?.userId ?? null, patientId: intake.patientId, action: "trial-consent:revoke", outcome: "done", detail: { intakeId: intake.id, via } });
  }
  return NextResponse.json(
    { status: "revoked", alreadyRevoked: result.kind === "already_revoked", revokedAt: result.row.at.toISOString(), revokedBy: result.row.signerName },
    { headers: { "Cache-Control": "no-store" } },
  );
});
