// GET /api/push/vapid-public-key — the applicationServerKey browsers subscribe with (public by design).
import { NextResponse } from "next/server";
import { route } from "@/lib/http/respond";
import { vapidKeys } from "@/lib/push/vapid";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  return NextResponse.json({ publicKey: vapidKeys().publicKey }, { headers: { "Cache-Control": "public, max-age=300" } });
});
