import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { patients } from "./patients";
import { users } from "./users";

// Units (DESIGN.md): doses integer µg (insulin: milli-units), volumes integer µL,
// concentrations integer µg/mL (insulin: U/mL), durations integer seconds, times timestamptz (UTC).

export const pumps = pgTable(
  "pumps",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    patientId: uuid("patient_id")
      .notNull()
      .references(() => patients.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    serialNumber: text("serial_number").notNull().unique(),
    reservoirCapacityUl: integer("reservoir_capacity_ul").notNull(),
    implantedAt: timestamp("implanted_at", { withTimezone: true }),
    batteryReplacementDueAt: timestamp("battery_replacement_due_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("pumps_patient_idx").on(t.patientId)],
);
export type Pump = typeof pumps.$inferSelect;

/** Versioned: a change is a new row; the row with the highest version effective at T applies at T. */
export const prescriptions = pgTable(
  "prescriptions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    drug: text("drug").notNull(),
    concentration: integer("concentration").notNull(),
    dailyDose: integer("daily_dose").notNull(),
    lowReservoirThresholdUl: integer("low_reservoir_threshold_ul").notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    setByUserId: uuid("set_by_user_id").references(() => users.id),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("prescriptions_pump_version_uq").on(t.pumpId, t.version)],
);
export type Prescription = typeof prescriptions.$inferSelect;

export const bolusPermissions = pgTable(
  "bolus_permissions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    version: integer("version").notNull(),
    enabled: boolean("enabled").notNull(),
    dose: integer("dose").notNull(),
    durationSeconds: integer("duration_seconds").notNull(),
    lockoutSeconds: integer("lockout_seconds").notNull(),
    maxPer24h: integer("max_per_24h").notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    setByUserId: uuid("set_by_user_id").references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("bolus_permissions_pump_version_uq").on(t.pumpId, t.version)],
);
export type BolusPermission = typeof bolusPermissions.$inferSelect;

export const refillStatusEnum = pgEnum("refill_status", ["scheduled", "completed", "cancelled", "missed"]);

export const refillAppointments = pgTable(
  "refill_appointments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    scheduledAt: timestamp("scheduled_at", { withTimezone: true }).notNull(),
    durationMinutes: integer("duration_minutes").notNull().default(30),
    location: text("location").notNull(),
    clinicianUserId: uuid("clinician_user_id").references(() => users.id),
    status: refillStatusEnum("status").notNull().default("scheduled"),
    completedAt: timestamp("completed_at", { withTimezone: true }),
    volumeAddedUl: integer("volume_added_ul"),
    newReservoirUl: integer("new_reservoir_ul"),
    notes: text("notes"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("refill_appointments_pump_time_idx").on(t.pumpId, t.scheduledAt)],
);
export type RefillAppointment = typeof refillAppointments.$inferSelect;

export const pumpStatusReadings = pgTable(
  "pump_status_readings",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    /** Device time of the reading (UTC). */
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    reservoirUl: integer("reservoir_ul").notNull(),
    batteryPercent: integer("battery_percent"),
    alarmFlags: integer("alarm_flags").notNull().default(0),
    therapyState: text("therapy_state").notNull().default("running"),
    source: text("source").notNull(),
  },
  (t) => [index("pump_status_readings_pump_time_idx").on(t.pumpId, t.recordedAt)],
);
export type PumpStatusReading = typeof pumpStatusReadings.$inferSelect;

/** The device's own event log; stored once per (pump, log identity, device sequence number). */
export const deviceEvents = pgTable(
  "device_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    pumpId: uuid("pump_id")
      .notNull()
      .references(() => pumps.id, { onDelete: "cascade" }),
    /** The device's event-log identity (Status.logId): a reset log restarts its sequence numbers. */
    logId: bigint("log_id", { mode: "number" }).notNull().default(0),
    deviceSeq: bigint("device_seq", { mode: "number" }).notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    type: text("type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("device_events_pump_log_seq_uq").on(t.pumpId, t.logId, t.deviceSeq),
    index("device_events_pump_time_idx").on(t.pumpId, t.occurredAt),
  ],
);
export type DeviceEvent = typeof deviceEvents.$inferSelect;
