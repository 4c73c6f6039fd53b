// GET|POST /api/tick — all time-based alarm work in one idempotent pass (Vercel Cron; local: the server's interval or curl from this machine).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { runTick } from "@/lib/alarms/tick";
import { authorizeTick } from "@/lib/alarms/tick-auth";
import { AppError } from "@/lib/http/errors";
import { route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";
// Vercel: let a busy tick finish its delivery budget.
export const maxDuration = 60;

const tick = route(async (req: Request) => {
  const auth = authorizeTick({ authorization: req.headers.get("authorization"), forwardedFor: req.headers.get("x-forwarded-for"), host: req.headers.get("host") });
  if (!auth.ok) throw new AppError(auth.status, auth.status === 401 ? "unauthenticated:tick" : "unavailable:tick", auth.message);
  const report = await runTick(await getDb(), { delivery: { timeBudgetMs: 40_000 } });
  return NextResponse.json(report, { headers: { "Cache-Control": "no-store" } });
});

export const GET = tick;
export const POST = tick;
