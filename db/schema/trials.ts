import { date, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { users } from "./users";

/** Local catalogue in ClinicalTrials.gov API v2 form; import is idempotent by NCT id. */
export const trials = pgTable(
  "trials",
  {
    nctId: text("nct_id").primaryKey(),
    title: text("title").notNull(),
    overallStatus: text("overall_status").notNull(),
    lastUpdatePostDate: date("last_update_post_date", { mode: "string" }),
    /** The study exactly as imported (API v2 JSON). */
    study: jsonb("study").$type<Record<string, unknown>>().notNull(),
    importedAt: timestamp("imported_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("trials_status_idx").on(t.overallStatus)],
);

export const trialIntakes = pgTable(
  "trial_intakes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Linked when a signed-in patient filled it. */
    patientId: uuid("patient_id").references(() => patients.id, { onDelete: "set null" }),
    submittedByUserId: uuid("submitted_by_user_id").references(() => users.id, { onDelete: "set null" }),
    /** SHA-256 of the secret that lets an anonymous person view, download and revoke. */
    accessTokenHash: text("access_token_hash").notNull().unique(),
    answers: jsonb("answers").$type<Record<string, unknown>>().notNull(),
    cancerTypeId: text("cancer_type_id").notNull(),
    dateOfBirth: date("date_of_birth", { mode: "string" }).notNull(),
    sex: text("sex").notNull(),
    zip: text("zip"),
    latitude: doublePrecision("latitude"),
    longitude: doublePrecision("longitude"),
    travelKm: integer("travel_km"),
    timeZone: text("time_zone").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("trial_intakes_patient_idx").on(t.patientId)],
);

/**
 * Append-only consent history: a signature row, and later possibly a revocation row.
 * The current state of an intake's consent is its latest row.
 */
export const trialConsents = pgTable(
  "trial_consents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    intakeId: uuid("intake_id")
      .notNull()
      .references(() => trialIntakes.id, { onDelete: "restrict" }),
    /** "signed" | "revoked" */
    event: text("event").notNull(),
    textVersion: text("text_version").notNull(),
    textSha256: text("text_sha256").notNull(),
    signerName: text("signer_name").notNull(),
    /** "self" | "guardian" */
    signerRole: text("signer_role").notNull(),
    guardianRelationship: text("guardian_relationship"),
    actorUserId: uuid("actor_user_id").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("trial_consents_intake_idx").on(t.intakeId, t.at)],
);
export type TrialConsent = typeof trialConsents.$inferSelect;
