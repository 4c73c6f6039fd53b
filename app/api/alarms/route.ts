// GET /api/alarms[?patientId=…] — open and recent alarms of every patient the user may see (or of one), authorised and audited per patient.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { alarmJson } from "@/lib/alarms/json";
import { alarmPatientsForActor, listPatientAlarms } from "@/lib/alarms/queries";
import { authorizePatient, mayPatient, requireActor } from "@/lib/auth/guard";
import { parseParam, route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = route(async (req: Request) => {
  const raw = new URL(req.url).searchParams.get("patientId");
  const only = raw === null ? null : parseParam(z.uuid(), raw, "patient id");
  const db = await getDb();
  const actor = await requireActor(db);
  const patients = [];
  if (only) {
    // Asked for one patient: a denial is a 404, like every other patient route.
    await authorizePatient(db, actor, only, "alarms:read");
    patients.push({ patientId: only });
  } else {
    for (const p of await alarmPatientsForActor(db, actor)) if (await mayPatient(db, actor, p.patientId, "alarms:read")) patients.push(p);
  }
  const out = [];
  for (const p of patients) {
    const { active, past } = await listPatientAlarms(db, p.patientId, actor.userId);
    out.push({ patientId: p.patientId, active: active.map(alarmJson), past: past.map(alarmJson) });
  }
  return NextResponse.json({ patients: out }, { headers: { "Cache-Control": "private, no-store" } });
});
