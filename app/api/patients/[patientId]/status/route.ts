// GET /api/patients/:patientId/status — the pump status the status page shows (authorised, audited).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { authorizePatient, requireActor } from "@/lib/auth/guard";
import { AppError, notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";
import { statusToJson } from "@/lib/pump/status-json";
import { getPumpStatus } from "@/lib/pump/status-query";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ patientId: string }> }>(async (_req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  const access = await authorizePatient(db, actor, patientId, "status:read");
  const status = await getPumpStatus(db, patientId);
  if (!status) throw notFound("That patient");
  if (!status.pump) throw new AppError(404, "not_found:pump", "No pump is registered for this patient yet.");
  // Refill details ride along only for viewers who may see refills (same relationship, same audit).
  const includeRefills = access.can("refills:read");
  return NextResponse.json(statusToJson(status, includeRefills), { headers: { "Cache-Control": "private, no-store" } });
});
