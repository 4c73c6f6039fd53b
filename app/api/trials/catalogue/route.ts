// GET  /api/trials/catalogue — how many trials the local catalogue holds (public: no patient data).
// POST /api/trials/catalogue — admins import a saved ClinicalTrials.gov API v2 response ({"studies": [...]}); idempotent.
import { count, max } from "drizzle-orm";
import { NextResponse } from "next/server";
import { z } from "zod";
import { getDb } from "@/db";
import { trials } from "@/db/schema";
import { audit } from "@/lib/audit/log";
import { requireActor, requireRole } from "@/lib/auth/guard";
import { readJson, route } from "@/lib/http/respond";
import { importStudies } from "@/lib/trials/import";

export const dynamic = "force-dynamic";

/** Where no shell is at hand (a hosted deployment), this is the importer; the CLI does the same. */
const MAX_IMPORT_BYTES = 8 * 1024 * 1024;

export const GET = route(async () => {
  const db = await getDb();
  const [row] = await db.select({ n: count(), lastImportedAt: max(trials.importedAt) }).from(trials);
  return NextResponse.json({ trials: row?.n ?? 0, lastImportedAt: row?.lastImportedAt ? new Date(row.lastImportedAt).toISOString() : null });
});

export const POST = route(async (req) => {
  const db = await getDb();
  const actor = await requireActor(db);
  requireRole(actor, "admin");
  const body = await readJson(req, z.unknown(), MAX_IMPORT_BYTES);
  const result = await importStudies(db, body);
  // Not a studies file at all: a 400 with the usual error shape (and the report), audited as failed.
  const invalidFile = result.errors.find((e) => e.code === "invalid_file");
  await audit(db, {
    actorUserId: actor.userId,
    patientId: null,
    action: "trials:import",
    outcome: invalidFile ? "failed" : "done",
    detail: { studies: result.studies, inserted: result.inserted, updated: result.updated, unchanged: result.unchanged, errors: result.errors.length },
  });
  if (invalidFile) return NextResponse.json({ ...result, error: { code: "bad_request:file", message: invalidFile.message } }, { status: 400 });
  return NextResponse.json(result);
});
