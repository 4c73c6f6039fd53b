import "server-only";
import { after } from "next/server";
import { getDb, type Db } from "@/db";
import { deliverDue } from "./deliver";
import { evaluatePatientAlarms, type EvaluationResult } from "./evaluate";

/**
 * Sends what is due right after the current response (Next's `after`), so an alarm raised by a
 * sync reaches phones in seconds rather than at the next tick. Outside a request (scripts) it
 * runs in the background. Failures only delay delivery: the tick retries whatever is left.
 */
export function deliverSoon(): void {
  const work = async () => {
    try {
      await deliverDue(await getDb());
    } catch (e) {
      console.error("[alarms] immediate delivery failed (the tick will retry):", e instanceof Error ? e.message : e);
    }
  };
  try {
    after(work);
  } catch {
    void work();
  }
}

/**
 * For the sync route: evaluate the patient's alarms against what was just stored, then send
 * any messages that queued. Call after the sync's transaction has committed.
 */
export async function evaluateAndNotify(db: Db, patientId: string, now: Date = new Date()): Promise<EvaluationResult> {
  const result = await evaluatePatientAlarms(db, patientId, now);
  if (result.queued > 0) deliverSoon();
  return result;
}
