// POST /api/alarms/:alarmId/ack — acknowledge for everyone (from the alarm page, or the notification's "Acknowledge" action in the service worker).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { alarmJson } from "@/lib/alarms/json";
import { acknowledgeAlarm } from "@/lib/alarms/mutations";
import { deliverSoon } from "@/lib/alarms/notify-now";
import { alarmView } from "@/lib/alarms/queries";
import { assertSameOrigin } from "@/lib/alarms/request-origin";
import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const POST = route<{ params: Promise<{ alarmId: string }> }>(async (req, { params }) => {
  assertSameOrigin(req);
  const { alarmId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  const result = await acknowledgeAlarm(db, actor, alarmId);
  if (result.queued > 0) deliverSoon();
  return NextResponse.json({ changed: result.changed, alarm: alarmJson(await alarmView(db, result.alarm, actor.userId)) }, { headers: { "Cache-Control": "no-store" } });
});
