// POST /api/push/subscribe — store this browser's push subscription for the signed-in user.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";
import { subscribeSchema } from "@/lib/push/schemas";
import { saveSubscription } from "@/lib/push/subscriptions";

export const dynamic = "force-dynamic";

export const POST = route(async (req: Request) => {
  const db = await getDb();
  const actor = await requireActor(db);
  const input = await readJson(req, subscribeSchema, 8 * 1024);
  const device = await saveSubscription(db, actor.userId, input, { userAgent: req.headers.get("user-agent") });
  return NextResponse.json({ device }, { status: 201, headers: { "Cache-Control": "no-store" } });
});
