// GET /api/alarms/preferences — my notification settings per patient; PUT {patientId, warnings, info} — change one.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { setAlarmPreferences } from "@/lib/alarms/mutations";
import { preferencesFor } from "@/lib/alarms/queries";
import { preferencesSchema } from "@/lib/alarms/schemas";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const db = await getDb();
  const actor = await requireActor(db);
  return NextResponse.json({ preferences: await preferencesFor(db, actor.userId) }, { headers: { "Cache-Control": "private, no-store" } });
});

export const PUT = route(async (req: Request) => {
  const db = await getDb();
  const actor = await requireActor(db);
  const input = await readJson(req, preferencesSchema, 1024);
  return NextResponse.json({ preference: await setAlarmPreferences(db, actor, input) }, { headers: { "Cache-Control": "no-store" } });
});
