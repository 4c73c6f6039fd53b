/**
 * What to do with a push service's answer, and when to try again. Pure, unit-tested.
 * RFC 8030: 201 = accepted; 404/410 = the subscription is gone for good; 429 and 5xx are
 * temporary (honour Retry-After); other 4xx (bad VAPID, payload too large) will not get better
 * by retrying the same request.
 */

export const RETRY_BASE_MS = 10_000;
export const RETRY_MAX_MS = 15 * 60_000;
/** After this many attempts a message is given up (critical alarms keep queuing new rounds). */
export const MAX_ATTEMPTS = 12;
/** Retry-After beyond this is capped: an alarm must not wait a day because a server said so. */
export const RETRY_AFTER_CAP_MS = 60 * 60_000;

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, half random, so
 * retries from many senders spread out yet the delay still grows with every attempt.
 * `attempt` is the number of attempts already made (1 after the first failure).
 */
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const n = Math.max(1, Math.floor(attempt));
  const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(exp / 2 + (r * exp) / 2);
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined | null, now: Date): number | null {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined || raw === null) return null;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, RETRY_AFTER_CAP_MS);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, at - now.getTime()), RETRY_AFTER_CAP_MS);
}

export type PushOutcome =
  | { type: "sent" }
  | { type: "gone"; error: string }
  | { type: "retry"; delayMs: number; error: string }
  | { type: "failed"; error: string };

export interface PushResult {
  /** HTTP status, or null when no answer came (network error, timeout). */
  statusCode: number | null;
  headers?: Record<string, string | string[] | undefined>;
  /** Short description for last_error (never the payload). */
  message: string;
}

/** Classifies one attempt. `attempt` counts this one (1 = first try). */
export function classifyPushResult(result: PushResult, attempt: number, now: Date, random: () => number = Math.random): PushOutcome {
  const { statusCode } = result;
  const describe = statusCode === null ? result.message : `HTTP ${statusCode}${result.message ? `: ${result.message}` : ""}`;
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { type: "sent" };
  if (statusCode === 404 || statusCode === 410) return { type: "gone", error: describe };
  const temporary = statusCode === null || statusCode === 408 || statusCode === 429 || statusCode >= 500;
  if (!temporary) return { type: "failed", error: describe };
  if (attempt >= MAX_ATTEMPTS) return { type: "failed", error: `gave up after ${attempt} attempts; last: ${describe}` };
  const backoff = backoffDelayMs(attempt, random);
  const retryAfter = parseRetryAfter(result.headers?.["retry-after"], now);
  return { type: "retry", delayMs: retryAfter === null ? backoff : Math.max(retryAfter, backoff), error: describe };
}
