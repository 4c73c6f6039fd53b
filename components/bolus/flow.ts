/**
 * The bolus panel's decisions, framework-free so the fault schedules (tests/unit/pump-link/
 * bolus-faults.test.ts) drive exactly what the page runs: how one attempt is sent, what the
 * patient is told about its outcome, and the one-request-at-a-time lock.
 */
import type { BolusQueryResult, PumpLinkClient } from "@/lib/pump-link/client";

export type BolusOutcome = BolusQueryResult;

/**
 * What the page tells the patient:
 * - `delivered`: the device confirmed it delivered this token;
 * - `not_given`: the device decided not to deliver this token (final);
 * - `never_received`: the device holds no decision for this token (answer to "Check with the handheld");
 * - `check_handheld`: the app cannot know; the patient may check again with the same token.
 */
export type OutcomeView = "delivered" | "not_given" | "never_received" | "check_handheld";

export function outcomeView(result: BolusOutcome): OutcomeView {
  switch (result.state) {
    case "confirmed":
      return "delivered";
    case "denied":
      return "not_given";
    case "token_unknown":
      return "never_received";
    case "unconfirmed":
    case "not_sent":
    case "rejected":
      return "check_handheld";
  }
}

/**
 * How long after its request a token the device says it never received may be sent again
 * (protocol §9): the device remembers only its last 64 decisions, so past this an "unknown"
 * answer could mean "forgotten", and re-sending could deliver twice. Older tokens are settled
 * only by the history sync; the patient starts a new bolus (a new token) if they still need one.
 */
export const RESEND_WINDOW_MS = 10 * 60_000;

export function maySendSameTokenAgain(requestedAt: Date, now: Date): boolean {
  const age = now.getTime() - requestedAt.getTime();
  return age >= 0 && age < RESEND_WINDOW_MS;
}

export interface BolusAttempt {
  token: number;
  dose: number;
  permissionVersion: number;
}

/**
 * Sends (or re-sends, with the SAME token) one request, or asks what the device decided for the
 * token. Whatever goes wrong, the request may have reached the pump: never assume either way.
 */
export async function sendBolusAttempt(
  client: Pick<PumpLinkClient, "requestBolus" | "queryBolus"> | null,
  attempt: BolusAttempt,
  mode: "request" | "query",
): Promise<BolusOutcome> {
  try {
    if (!client) throw new Error("not connected");
    return mode === "query" ? await client.queryBolus(attempt.token) : await client.requestBolus(attempt);
  } catch (e) {
    return { state: "unconfirmed", token: attempt.token, message: e instanceof Error ? e.message : String(e) };
  }
}

/** One request at a time per page: a double click or a repeated key press is ignored. */
export interface SendLock {
  /** Runs `fn` unless a run is in progress; returns the run, or null when ignored. */
  run(fn: () => Promise<void>): Promise<void> | null;
  readonly busy: boolean;
}

export function createSendLock(): SendLock {
  let busy = false;
  return {
    run(fn) {
      if (busy) return null;
      busy = true;
      return (async () => {
        try {
          await fn();
        } finally {
          busy = false;
        }
      })();
    },
    get busy() {
      return busy;
    },
  };
}
