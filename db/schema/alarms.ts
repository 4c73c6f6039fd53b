import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { users } from "./users";

export const alarmSeverityEnum = pgEnum("alarm_severity", ["critical", "warning", "info"]);
export const alarmStateEnum = pgEnum("alarm_state", ["active", "acknowledged", "resolved"]);

export const alarms = pgTable(
  "alarms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    severity: alarmSeverityEnum("severity").notNull(),
    /** Raising the same unresolved alarm twice does nothing (partial unique index below). */
    dedupeKey: text("dedupe_key").notNull(),
    state: alarmStateEnum("state").notNull().default("active"),
    raisedAt: timestamp("raised_at", { withTimezone: true }).notNull().defaultNow(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    acknowledgedByUserId: uuid("acknowledged_by_user_id").references(() => users.id),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    /** Critical alarms re-notify in rounds until acknowledged. */
    notifyRound: integer("notify_round").notNull().default(0),
    nextNotifyAt: timestamp("next_notify_at", { withTimezone: true }),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex("alarms_open_dedupe_uq").on(t.patientId, t.dedupeKey).where(sql`${t.state} <> 'resolved'`),
    index("alarms_patient_raised_idx").on(t.patientId, t.raisedAt),
    index("alarms_next_notify_idx").on(t.nextNotifyAt),
  ],
);
export type Alarm = typeof alarms.$inferSelect;

export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull().unique(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    label: text("label").notNull().default("This device"),
    userAgent: text("user_agent"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSuccessAt: timestamp("last_success_at", { withTimezone: true }),
  },
  (t) => [index("push_subscriptions_user_idx").on(t.userId)],
);
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

/** Per follower and patient. Critical alarms ignore these (safety rule 5). */
export const alarmPreferences = pgTable(
  "alarm_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id, { onDelete: "cascade" }),
    warnings: boolean("warnings").notNull().default(true),
    /** Info notifications (e.g. bolus delivered) are opt-in. */
    info: boolean("info").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.patientId] })],
);

/** A caregiver's snooze silences a warning for that caregiver only. */
export const alarmSnoozes = pgTable(
  "alarm_snoozes",
  {
    alarmId: uuid("alarm_id")
      .notNull()
      .references(() => alarms.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    until: timestamp("until", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.alarmId, t.userId] })],
);

/** One row per message per subscription; ticks claim due rows with FOR UPDATE SKIP LOCKED. */
export const pushOutbox = pgTable(
  "push_outbox",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alarmId: uuid("alarm_id").references(() => alarms.id, { onDelete: "cascade" }),
    subscriptionId: uuid("subscription_id")
      .notNull()
      .references(() => pushSubscriptions.id, { onDelete: "cascade" }),
    /** "raise" | "renotify" | "all_clear" | "test" */
    kind: text("kind").notNull(),
    round: integer("round").notNull().default(0),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("push_outbox_message_uq").on(t.alarmId, t.subscriptionId, t.kind, t.round),
    index("push_outbox_due_idx").on(t.sentAt, t.nextAttemptAt),
  ],
);
export type PushOutboxRow = typeof pushOutbox.$inferSelect;
