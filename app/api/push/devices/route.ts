// GET /api/push/devices — the signed-in user's devices with notifications turned on.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http/respond";
import { listDevices } from "@/lib/push/subscriptions";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const db = await getDb();
  const actor = await requireActor(db);
  return NextResponse.json({ devices: await listDevices(db, actor.userId) }, { headers: { "Cache-Control": "private, no-store" } });
});
