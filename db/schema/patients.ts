import { index, integer, pgEnum, pgTable, text, timestamp, uuid, date, uniqueIndex } from "drizzle-orm/pg-core";
import { clinics } from "./clinics";
import { users } from "./users";

export const patients = pgTable(
  "patients",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .unique()
      .references(() => users.id, { onDelete: "restrict" }),
    clinicId: uuid("clinic_id")
      .notNull()
      .references(() => clinics.id, { onDelete: "restrict" }),
    displayName: text("display_name").notNull(),
    dateOfBirth: date("date_of_birth", { mode: "string" }),
    timeZone: text("time_zone").notNull().default("Europe/London"),
    /** After this long without a sync the app shows data as stale and raises a warning. */
    staleSyncThresholdSeconds: integer("stale_sync_threshold_seconds").notNull().default(24 * 3600),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("patients_clinic_idx").on(t.clinicId)],
);
export type Patient = typeof patients.$inferSelect;

export const careLinkStatusEnum = pgEnum("care_link_status", ["invited", "active", "revoked"]);
export const careScopeValues = ["status", "refills", "bolus", "alarms"] as const;
export type CareScope = (typeof careScopeValues)[number];

export const careLinks = pgTable(
  "care_links",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id, { onDelete: "cascade" }),
    caregiverUserId: uuid("caregiver_user_id").references(() => users.id, { onDelete: "cascade" }),
    /** Label the patient gave the invite ("Mum", an e-mail address); never used for authorisation. */
    inviteLabel: text("invite_label").notNull(),
    /** SHA-256 of the one-time code: the code itself is shown once and never stored. */
    inviteCodeHash: text("invite_code_hash").notNull(),
    inviteExpiresAt: timestamp("invite_expires_at", { withTimezone: true }).notNull(),
    scopes: text("scopes").array().$type<CareScope[]>().notNull(),
    status: careLinkStatusEnum("status").notNull().default("invited"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedByUserId: uuid("revoked_by_user_id").references(() => users.id),
  },
  (t) => [
    uniqueIndex("care_links_code_hash_idx").on(t.inviteCodeHash),
    index("care_links_patient_idx").on(t.patientId),
    index("care_links_caregiver_idx").on(t.caregiverUserId),
  ],
);
export type CareLink = typeof careLinks.$inferSelect;
