import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { evaluateAndNotify } from "@/lib/alarms/notify-now";
import { authorizePatient, requireActor } from "@/lib/auth/guard";
import { parseParam, readJson, route } from "@/lib/http/respond";
import { getSyncState, ingestSync } from "@/lib/sync/ingest";
import { SYNC_BODY_LIMIT_BYTES, syncStateQuerySchema, syncUploadSchema } from "@/lib/sync/schema";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ patientId: string }> };
const NO_STORE = { "Cache-Control": "private, no-store" };

// GET /api/patients/:patientId/sync — where the phone resumes (?logId=), and how many events the server holds.
export const GET = route<Ctx>(async (req, { params }) => {
  const { patientId } = await params;
  const query = parseParam(syncStateQuerySchema, Object.fromEntries(new URL(req.url).searchParams), "logId");
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "status:read");
  return NextResponse.json(await getSyncState(db, patientId, query.logId), { headers: NO_STORE });
});

// POST /api/patients/:patientId/sync — stores a status reading and pump records from the patient's phone, idempotently.
export const POST = route<Ctx>(async (req, { params }) => {
  const { patientId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await authorizePatient(db, actor, patientId, "sync:write");
  const upload = await readJson(req, syncUploadSchema, SYNC_BODY_LIMIT_BYTES);
  const result = await ingestSync(db, { patientId, actorUserId: actor.userId, upload });
  // After the sync's transaction committed: raise/resolve alarms and push them within seconds.
  await evaluateAndNotify(db, patientId);
  return NextResponse.json(result, { headers: NO_STORE });
});
