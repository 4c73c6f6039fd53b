// POST /api/push/test — send a test notification to one or all of the user's devices now, and say what happened.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { deliverDue } from "@/lib/alarms/deliver";
import { requireActor } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";
import { testPushSchema } from "@/lib/push/schemas";
import { queueTestNotification, testResults } from "@/lib/push/subscriptions";

export const dynamic = "force-dynamic";

export const POST = route(async (req: Request) => {
  const db = await getDb();
  const actor = await requireActor(db);
  const { subscriptionId } = await readJson(req, testPushSchema, 1024);
  const ids = await queueTestNotification(db, actor.userId, subscriptionId);
  await deliverDue(db, { onlyIds: ids, timeBudgetMs: 20_000 });
  const results = await testResults(db, ids);
  // A device the push service no longer knows (404/410) was removed, taking its message with it.
  const removed = ids.length - results.length;
  return NextResponse.json({ results, removed }, { headers: { "Cache-Control": "no-store" } });
});
