import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Append-only: the code has no UPDATE or DELETE path for this table. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actorUserId: uuid("actor_user_id"),
    patientId: uuid("patient_id"),
    action: text("action").notNull(),
    outcome: text("outcome").notNull(),
    detail: jsonb("detail").$type<Record<string, unknown>>(),
  },
  (t) => [index("audit_log_patient_at_idx").on(t.patientId, t.at), index("audit_log_actor_at_idx").on(t.actorUserId, t.at)],
);
export type AuditEntry = typeof auditLog.$inferSelect;
