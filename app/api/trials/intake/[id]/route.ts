// GET /api/trials/intake/:id — one intake: consent record and, while consent is active, explained matches (signer, linked patient or token holder).
import { NextResponse } from "next/server";
import { getDb } from "@/db";
import { currentActor } from "@/lib/auth/guard";
import { route } from "@/lib/http/respond";
import { authorizeIntake } from "@/lib/trials/access";
import { credentials, intakeView } from "@/lib/trials/http";

export const dynamic = "force-dynamic";

export const GET = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const { id } = await params;
  const db = await getDb();
  const access = await authorizeIntake(db, id, credentials(req, id, await currentActor(db)), "read");
  return NextResponse.json(await intakeView(db, access, new Date()), { headers: { "Cache-Control": "private, no-store" } });
});
