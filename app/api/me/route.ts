// GET /api/me — who is signed in on this device: the PWA keys its offline caches by this user.
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { ownPatientId, requireActor } from "@/lib/auth/guard";
import { route } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = route(async () => {
  const db = await getDb();
  const actor = await requireActor(db);
  const patientId = await ownPatientId(db, actor);
  // no-store: an identity answer must never be replayed from any cache to the next user of the device.
  return NextResponse.json(
    { userId: actor.userId, name: actor.name, roles: [...actor.roles].sort(), patientId },
    { headers: { "Cache-Control": "private, no-store", Vary: "Cookie" } },
  );
});
