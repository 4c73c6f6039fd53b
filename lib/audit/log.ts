import "server-only";
import type { Db } from "@/db";
import { auditLog } from "@/db/schema";

export interface AuditInput {
  actorUserId: string | null;
  patientId: string | null;
  action: string;
  outcome: "allowed" | "denied" | "done" | "failed";
  detail?: Record<string, unknown>;
}

/** Append-only audit trail. No PHI in `detail`: ids, action names, reasons. */
export async function audit(db: Db, entry: AuditInput): Promise<void> {
  await db.insert(auditLog).values({
    actorUserId: entry.actorUserId,
    patientId: entry.patientId,
    action: entry.action,
    outcome: entry.outcome,
    detail: entry.detail ?? null,
  });
}
