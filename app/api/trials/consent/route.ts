// GET /api/trials/consent?timeZone=America/New_York — the consent text to show before signing, with its version, expiry and SHA-256.
import { NextResponse } from "next/server";
import { route } from "@/lib/http/respond";
import { consentToShow } from "@/lib/trials/consent";

export const dynamic = "force-dynamic";

export const GET = route(async (req) => {
  const timeZone = new URL(req.url).searchParams.get("timeZone") ?? "UTC";
  const c = consentToShow(new Date(), timeZone.slice(0, 64));
  return NextResponse.json(
    { version: c.version, expiresOn: c.expiresOn, sha256: c.sha256, blocks: c.blocks, text: c.text },
    { headers: { "Cache-Control": "no-store" } },
  );
});
