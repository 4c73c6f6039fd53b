// GET /api/patients/:patientId/status — the pump status the status page shows (authorised, audited).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { authorizePatient, mayPatient, requireActor } from "@/lib/auth/guard";
import { AppError, notFound } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";
import { statusToJson } from "@/lib/pump/status-json";
import { getPumpStatus } from "@/lib/pump/status-query";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ patientId: string }> }>(async (_req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "status:read");
  const status = await getPumpStatus(db, patientId);
  if (!status) throw notFound("That patient");
  if (!status.pump) throw new AppError(404, "not_found:pump", "No pump is registered for this patient yet.");
  const includeRefills = await mayPatient(db, actor, patientId, "refills:read");
  return NextResponse.json(statusToJson(status, includeRefills), { headers: { "Cache-Control": "private, no-store" } });
});
