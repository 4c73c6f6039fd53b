// POST /api/alarms/:alarmId/snooze {minutes} — silence this warning's reminders for me only; DELETE — undo.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { cancelSnooze, snoozeAlarm } from "@/lib/alarms/mutations";
import { assertSameOrigin } from "@/lib/alarms/request-origin";
import { snoozeSchema } from "@/lib/alarms/schemas";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ alarmId: string }> };

export const POST = route<Ctx>(async (req, { params }) => {
  assertSameOrigin(req);
  const { alarmId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  const { minutes } = await readJson(req, snoozeSchema, 1024);
  const { until } = await snoozeAlarm(db, actor, alarmId, minutes);
  return NextResponse.json({ snoozedUntil: until.toISOString() }, { headers: { "Cache-Control": "no-store" } });
});

export const DELETE = route<Ctx>(async (req, { params }) => {
  assertSameOrigin(req);
  const { alarmId } = await params;
  const db = await getDb();
  const actor = await requireActor(db);
  await cancelSnooze(db, actor, alarmId);
  return NextResponse.json({ snoozedUntil: null }, { headers: { "Cache-Control": "no-store" } });
});
