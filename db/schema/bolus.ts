import { bigint, boolean, index, integer, jsonb, pgEnum, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { pumps } from "./pump";
import { users } from "./users";

export const bolusStateEnum = pgEnum("bolus_state", ["requested", "confirmed", "denied", "unconfirmed"]);

/**
 * One row per bolus token (safety rule 2): the live answer from the handheld and the later
 * synced device record reconcile into this same row. The server only records; it never commands.
 */
export const bolusRequests = pgTable(
  "bolus_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    /** 32-bit token the phone generated; the device remembers it and never delivers it twice. */
    token: bigint("token", { mode: "number" }).notNull(),
    requestedByUserId: uuid("requested_by_user_id").references(() => users.id),
    requestedAt: timestamp("requested_at", { withTimezone: true }).notNull(),
    dose: integer("dose").notNull(),
    permissionVersion: integer("permission_version"),
    state: bolusStateEnum("state").notNull().default("requested"),
    /** Device result code name (e.g. "lockout_active") when denied. */
    resultCode: text("result_code"),
    deliveredAt: timestamp("delivered_at", { withTimezone: true }),
    deviceSeq: bigint("device_seq", { mode: "number" }),
    /** Where the outcome came from: the live Web Bluetooth answer or a later history sync. */
    outcomeSource: text("outcome_source"),
    limitViolation: boolean("limit_violation").notNull().default(false),
    violationDetail: jsonb("violation_detail").$type<Record<string, unknown>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("bolus_requests_pump_token_uq").on(t.pumpId, t.token), index("bolus_requests_pump_time_idx").on(t.pumpId, t.requestedAt)],
);
export type BolusRequest = typeof bolusRequests.$inferSelect;
