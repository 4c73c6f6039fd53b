import "server-only";
import type { Db } from "@/db";
import { compareRefillUrgency, daysUntilWorstCase } from "@/lib/pump/projection";
import { getPumpStatus } from "@/lib/pump/status-query";
import { listClinicPatients } from "./clinic";

export type WorklistFlag = "overdue" | "soon" | "ok" | "unknown";
export const SOON_DAYS = 14;

/**
 * The clinic's refill worklist: every patient, most urgent first (days until the worst-case
 * low-reservoir date; unknown projections first because they cannot be ruled safe).
 */
export async function clinicWorklist(db: Db, clinicianUserId: string, now = new Date()) {
  const { clinics, patients } = await listClinicPatients(db, clinicianUserId);
  const rows = [];
  for (const p of patients) {
    const status = await getPumpStatus(db, p.patientId, now);
    if (!status || !status.pump) {
      rows.push({ patient: p, status: null, days: null, flag: "unknown" as WorklistFlag });
      continue;
    }
    const days = daysUntilWorstCase(status.projection, now);
    const check = status.nextRefill?.check ?? "no_appointment";
    let flag: WorklistFlag = "ok";
    if (status.projection.kind === "unknown") flag = "unknown";
    else if ((days !== null && days <= 0) || check === "after_expected") flag = "overdue";
    else if ((days !== null && days <= SOON_DAYS) || check === "after_worst_case" || check === "no_appointment") flag = "soon";
    rows.push({ patient: p, status, days, flag });
  }
  rows.sort((a, b) => {
    if (!a.status) return -1;
    if (!b.status) return 1;
    return compareRefillUrgency(a.status.projection, b.status.projection, now);
  });
  return { clinics, rows };
}
