// GET /api/health — liveness + database reachability (no data).
import { sql } from "drizzle-orm";
import { NextResponse } from "next/server";
import { currentDriver, getDb } from "@/db";
import { route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const db = await getDb();
  await db.execute(sql`select 1`);
  return NextResponse.json({ ok: true, driver: currentDriver() }, { headers: { "Cache-Control": "no-store" } });
});
