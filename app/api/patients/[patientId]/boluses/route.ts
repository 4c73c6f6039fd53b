// GET  /api/patients/:patientId/boluses — the patient's bolus history (confirmed, denied, unconfirmed).
// POST /api/patients/:patientId/boluses — the patient's phone records a bolus request and the
//      handheld's answer. Recording only: no server route can make a pump deliver (safety rule 1).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { authorizePatient, requireActor } from "@/lib/auth/guard";
import { evaluateAndNotify } from "@/lib/alarms/notify-now";
import { listBoluses, recordBolus } from "@/lib/bolus/record";
import { bolusRecordSchema } from "@/lib/bolus/schemas";
import { AppError } from "@/lib/http/errors";
import { readJson, route } from "@/lib/http/respond";
import { getPatientPump } from "@/lib/pump/therapy";

export const dynamic = "force-dynamic";
type Ctx = { params: Promise<{ patientId: string }> };

async function pumpOf(db: Awaited<ReturnType<typeof getDb>>, patientId: string) {
  const pump = await getPatientPump(db, patientId);
  if (!pump) throw new AppError(404, "not_found:pump", "No pump is registered for this patient.");
  return pump;
}

export const GET = route<Ctx>(async (_req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "bolus:read");
  const pump = await pumpOf(db, patientId);
  return NextResponse.json({ boluses: await listBoluses(db, pump.id) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const POST = route<Ctx>(async (req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "bolus:record");
  const input = await readJson(req, bolusRecordSchema, 4096);
  const pump = await pumpOf(db, patientId);
  const bolus = await recordBolus(db, actor, pump.id, patientId, input);
  // A confirmed delivery may raise a limit-violation (critical) or opted-in info alarm at once.
  if (bolus.state === "confirmed") await evaluateAndNotify(db, patientId);
  return NextResponse.json({ bolus }, { status: 200, headers: { "Cache-Control": "no-store" } });
});
