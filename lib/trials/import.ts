/**
 * Imports ClinicalTrials.gov API v2 studies into the local catalogue (`trials`).
 *
 * Idempotent per NCT id, with the rule of `newerWins` (ctgov.ts): a study replaces the stored
 * one only when its `lastUpdatePostDate` is later (or the stored one has none). The rule is
 * enforced in the upsert's WHERE clause itself, so two imports running at once still
 * converge on the newest record, and importing the same file twice writes nothing.
 *
 * No `server-only` marker: the command-line importer (scripts/trials-import.ts) and the demo
 * seed (db/seed.ts) run this outside Next.js. It never runs in the browser.
 */
import { inArray, sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { trials } from "@/db/schema";
import {
  ctgovStudiesFileSchema,
  ctgovStudySchema,
  newerWins,
  normaliseStudy,
  parseStudiesFile,
  type StudyParseError,
  type TrialRecord,
} from "@/lib/trials/ctgov";

export interface ImportResult {
  /** Valid studies in the input (after merging duplicates within it). */
  readonly studies: number;
  readonly inserted: number;
  readonly updated: number;
  readonly unchanged: number;
  /** Studies that were not imported, each naming the study and the problem. */
  readonly errors: readonly StudyParseError[];
}

interface Candidate {
  readonly record: TrialRecord;
  /** The study exactly as it came in (kept verbatim in `trials.study`). */
  readonly raw: Record<string, unknown>;
}

/** The `date` column holds full dates; "YYYY-MM" is compared as the 1st, as newerWins does. */
function columnDate(date: string | null): string | null {
  if (date === null) return null;
  return date.length === 7 ? `${date}-01` : date;
}

/** Valid studies of a file with their raw JSON; a repeated NCT id keeps the newer one. */
function candidates(value: unknown): Candidate[] {
  const file = ctgovStudiesFileSchema.safeParse(value);
  if (!file.success) return [];
  const byId = new Map<string, Candidate>();
  for (const raw of file.data.studies) {
    const parsed = ctgovStudySchema.safeParse(raw);
    if (!parsed.success) continue;
    const normalised = normaliseStudy(parsed.data);
    if (!normalised.ok) continue;
    const incoming: Candidate = { record: normalised.trial, raw: raw as Record<string, unknown> };
    const held = byId.get(incoming.record.nctId);
    if (held === undefined || newerWins(held.record, incoming.record).action === "update") byId.set(incoming.record.nctId, incoming);
  }
  return [...byId.values()];
}

const BATCH = 200;

/**
 * Imports a studies file (`{"studies": [...]}`, parsed JSON or its text). Invalid studies
 * are reported and skipped; valid ones are upserted in one transaction.
 */
export async function importStudies(db: Db, json: unknown, now = new Date()): Promise<ImportResult> {
  let value: unknown = json;
  if (typeof json === "string") {
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      // parseStudiesFile reports the JSON error with its message.
    }
  }
  const { errors } = parseStudiesFile(typeof json === "string" ? json : value);
  const list = candidates(value);
  if (list.length === 0) return { studies: 0, inserted: 0, updated: 0, unchanged: 0, errors };

  let inserted = 0;
  let updated = 0;
  await db.transaction(async (tx) => {
    for (let i = 0; i < list.length; i += BATCH) {
      const batch = list.slice(i, i + BATCH);
      const ids = batch.map((c) => c.record.nctId);
      const existing = new Set(
        (await tx.select({ nctId: trials.nctId }).from(trials).where(inArray(trials.nctId, ids))).map((r) => r.nctId),
      );
      const written = await tx
        .insert(trials)
        .values(
          batch.map((c) => ({
            nctId: c.record.nctId,
            title: c.record.title,
            overallStatus: c.record.status,
            lastUpdatePostDate: columnDate(c.record.lastUpdatePostDate),
            study: c.raw,
            importedAt: now,
          })),
        )
        .onConflictDoUpdate({
          target: trials.nctId,
          set: {
            title: sql`excluded.title`,
            overallStatus: sql`excluded.overall_status`,
            lastUpdatePostDate: sql`excluded.last_update_post_date`,
            study: sql`excluded.study`,
            importedAt: sql`excluded.imported_at`,
          },
          // newerWins, in SQL: only a strictly later date (or a date where there was none) replaces.
          setWhere: sql`(${trials.lastUpdatePostDate} is null and excluded.last_update_post_date is not null) or excluded.last_update_post_date > ${trials.lastUpdatePostDate}`,
        })
        .returning({ nctId: trials.nctId });
      for (const row of written) {
        if (existing.has(row.nctId)) updated++;
        else inserted++;
      }
    }
  });
  return { studies: list.length, inserted, updated, unchanged: list.length - inserted - updated, errors };
}

/**
 * Loads the shipped sample catalogue (data/trials/sample-studies.json: illustrative, not real
 * trials) into `db`. Safe to call on every start: a second call changes nothing.
 * Called from the demo seed (db/seed.ts).
 */
export async function seedTrialCatalogue(db: Db, now = new Date()): Promise<ImportResult> {
  // Imported as a module (not read from disk) so the file ships inside every server bundle
  // and the script runner alike, whatever the working directory.
  const sample = (await import("@/data/trials/sample-studies.json")).default as unknown;
  return importStudies(db, sample, now);
}
