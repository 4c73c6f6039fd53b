// POST /api/trials/intake — store a consented trial-matching intake and return explained matches (public, rate-limited).
// GET  /api/trials/intake — the signed-in user's own intakes.
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { audit } from "@/lib/audit/log";
import { clientIp } from "@/lib/auth/auth";
import { currentActor, ownPatientId, requireActor } from "@/lib/auth/guard";
import { AppError } from "@/lib/http/errors";
import { readJson, route } from "@/lib/http/respond";
import { loadCatalogue, matchIntake } from "@/lib/trials/catalogue";
import { isHttps, setIntakeCookies, writeWithoutPhiInLogs } from "@/lib/trials/http";
import { checkSubmission, createIntake } from "@/lib/trials/intake";
import { milesToKm } from "@/lib/trials/geo";
import { listOwnIntakes } from "@/lib/trials/queries";
import { INTAKE_RATE_LIMIT, hitRateLimit } from "@/lib/trials/rate-limit";

export const dynamic = "force-dynamic";

const anyObject = z.record(z.string(), z.unknown(), { error: "Send the form as a JSON object." });

export const POST = route(async (req) => {
  const db = await getDb();
  const now = new Date();
  const ip = clientIp(req.headers);
  // Before reading the body: a flood is refused without parsing it.
  const limit = await hitRateLimit(db, INTAKE_RATE_LIMIT, ip, now);
  if (!limit.allowed) {
    const minutes = Math.ceil(limit.retryAfterSeconds / 60);
    throw new AppError(429, "rate_limited", `Too many forms were sent from your network. Please try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`, undefined, {
      "Retry-After": String(limit.retryAfterSeconds),
    });
  }
  const body = await readJson(req, anyObject);
  // Honeypot: a field people never see. Refused like any bad request, nothing stored.
  if (typeof body.website === "string" && body.website.trim() !== "") {
    await audit(db, { actorUserId: null, patientId: null, action: "trial-intake:create", outcome: "denied", detail: { reason: "honeypot" } });
    throw new AppError(400, "bad_request:spam", "We could not accept this form. If you filled it in yourself, reload the page and try again.");
  }
  const check = checkSubmission(body, now);
  if (!check.ok) {
    const n = Object.keys(check.fields).length;
    throw new AppError(400, "bad_request:validation", `${n} answer${n === 1 ? " needs" : "s need"} attention. Nothing was saved.`, check.fields);
  }

  const actor = await currentActor(db);
  // Link to the patient record only when a signed-in patient answers about themselves.
  const patientId = actor !== null && check.input.signerRole === "self" ? await ownPatientId(db, actor) : null;
  const created = await writeWithoutPhiInLogs("storing an intake", () =>
    createIntake(db, check.input, check.location, {
      now,
      ip,
      userAgent: req.headers.get("user-agent"),
      submittedByUserId: actor?.userId ?? null,
      patientId,
    }),
  );
  const { input, location } = check;
  const matches = matchIntake(
    {
      cancerTypeId: input.cancerTypeId,
      dateOfBirth: input.dateOfBirth,
      sex: input.sex,
      latitude: location.lat,
      longitude: location.lon,
      travelKm: Math.round(milesToKm(input.travelMiles)),
      timeZone: input.timeZone,
    },
    await loadCatalogue(db),
    now,
    { stage: input.stage, metastatic: input.metastatic === "yes" ? true : input.metastatic === "no" ? false : null },
  );
  const res = NextResponse.json(
    {
      intakeId: created.intakeId,
      // Shown once. Keep it: it opens, downloads and revokes this intake without an account.
      accessToken: created.accessToken,
      intakeUrl: `/trials/intake/${created.intakeId}`,
      privateLink: `/trials/intake/${created.intakeId}#t=${created.accessToken}`,
      consent: { sha256: created.consentSha256, expiresAt: created.expiresAt.toISOString() },
      matches,
    },
    { status: 201, headers: { "Cache-Control": "no-store" } },
  );
  setIntakeCookies(res, created.intakeId, created.accessToken, created.expiresAt, isHttps(req));
  return res;
});

export const GET = route(async () => {
  const db = await getDb();
  const actor = await requireActor(db);
  return NextResponse.json({ intakes: await listOwnIntakes(db, actor, new Date()) }, { headers: { "Cache-Control": "private, no-store" } });
});
