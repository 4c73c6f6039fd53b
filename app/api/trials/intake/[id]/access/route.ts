// POST /api/trials/intake/:id/access — trade the private link's token for this browser's access cookie.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { readJson, route } from "@/lib/http/respond";
import { authorizeIntake } from "@/lib/trials/access";
import { loadConsentState } from "@/lib/trials/consent";
import { isHttps, setIntakeCookies } from "@/lib/trials/http";

export const dynamic = "force-dynamic";

const bodySchema = z.strictObject({ token: z.string().max(128) });

export const POST = route<{ params: Promise<{ id: string }> }>(async (req, { params }) => {
  const { id } = await params;
  const { token } = await readJson(req, bodySchema, 1024);
  const db = await getDb();
  // Only the token proves access here: a signed-in user needs no cookie.
  const { intake } = await authorizeIntake(db, id, { actor: null, token }, "unlock");
  const state = await loadConsentState(db, intake.id, new Date());
  const res = NextResponse.json({ ok: true }, { headers: { "Cache-Control": "no-store" } });
  // The cookie lasts as long as the consent would; after that the link still works.
  const expires = state?.signed.expiresAt && state.signed.expiresAt > new Date() ? state.signed.expiresAt : new Date(Date.now() + 24 * 3600_000);
  setIntakeCookies(res, intake.id, token, expires, isHttps(req));
  return res;
});
