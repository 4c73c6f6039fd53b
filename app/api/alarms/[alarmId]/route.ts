// GET /api/alarms/:alarmId — one alarm with who acknowledged it (authorised, audited).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { alarmJson } from "@/lib/alarms/json";
import { authorizedAlarm } from "@/lib/alarms/mutations";
import { alarmView } from "@/lib/alarms/queries";
import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ alarmId: string }> }>(async (_req, { params }) => {
  const { alarmId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  const alarm = await authorizedAlarm(db, actor, alarmId, "alarms:read");
  return NextResponse.json({ alarm: alarmJson(await alarmView(db, alarm, actor.userId)) }, { headers: { "Cache-Control": "private, no-store" } });
});
