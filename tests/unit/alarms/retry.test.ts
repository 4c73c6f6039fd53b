import { describe, expect, it } from "vitest";
import { backoffDelayMs, classifyPushResult, MAX_ATTEMPTS, parseRetryAfter, RETRY_AFTER_CAP_MS, RETRY_BASE_MS, RETRY_MAX_MS } from "@/lib/push/retry";

const now = new Date("2026-11-25T10:00:00Z");

describe("push retry policy", () => {
  it("backs off exponentially with equal jitter, capped", () => {
    expect(backoffDelayMs(1, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(backoffDelayMs(1, () => 1)).toBe(RETRY_BASE_MS);
    expect(backoffDelayMs(3, () => 0)).toBe(2 * RETRY_BASE_MS);
    expect(backoffDelayMs(3, () => 1)).toBe(4 * RETRY_BASE_MS);
    expect(backoffDelayMs(40, () => 1)).toBe(RETRY_MAX_MS);
    // Below the cap, whatever the jitter, a retry never waits less than the one before it.
    for (let n = 1; RETRY_BASE_MS * 2 ** n <= RETRY_MAX_MS; n++) expect(backoffDelayMs(n + 1, () => 0)).toBeGreaterThanOrEqual(backoffDelayMs(n, () => 1));
  });

  it("reads Retry-After as seconds or an HTTP date, capped", () => {
    expect(parseRetryAfter("120", now)).toBe(120_000);
    expect(parseRetryAfter(new Date(now.getTime() + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter("999999", now)).toBe(RETRY_AFTER_CAP_MS);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it("classifies answers: sent, gone, retry (honouring Retry-After), failed", () => {
    const r = (statusCode: number | null, headers: Record<string, string> = {}, attempt = 1) => classifyPushResult({ statusCode, headers, message: "x" }, attempt, now, () => 0);
    expect(r(201)).toEqual({ type: "sent" });
    expect(r(404).type).toBe("gone");
    expect(r(410).type).toBe("gone");
    expect(r(500)).toEqual({ type: "retry", delayMs: RETRY_BASE_MS / 2, error: "HTTP 500: x" });
    expect(r(503, { "retry-after": "300" })).toMatchObject({ type: "retry", delayMs: 300_000 });
    expect(r(429, { "retry-after": "1" })).toMatchObject({ type: "retry", delayMs: RETRY_BASE_MS / 2 });
    expect(r(null)).toMatchObject({ type: "retry", error: "x" });
    expect(r(400).type).toBe("failed");
    expect(r(403).type).toBe("failed");
    expect(r(413).type).toBe("failed");
    expect(r(500, {}, MAX_ATTEMPTS)).toMatchObject({ type: "failed", error: expect.stringContaining("gave up after 12 attempts") });
  });
});
