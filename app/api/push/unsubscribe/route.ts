// POST /api/push/unsubscribe — remove one of the signed-in user's devices (by id or endpoint).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";
import { unsubscribeSchema } from "@/lib/push/schemas";
import { removeDevice } from "@/lib/push/subscriptions";

export const dynamic = "force-dynamic";

export const POST = route(async (req: Request) => {
  const db = await getDb();
  const actor = await requireActor(db);
  const which = await readJson(req, unsubscribeSchema, 8 * 1024);
  const removed = await removeDevice(db, actor.userId, which);
  return NextResponse.json({ removed }, { headers: { "Cache-Control": "no-store" } });
});
