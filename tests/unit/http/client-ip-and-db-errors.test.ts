import { describe, expect, it } from "vitest";
import { clientIp } from "@/lib/http/client-ip";
import { isDatabaseUnavailable } from "@/lib/http/errors";

const h = (init: Record<string, string>) => new Headers(init);

describe("clientIp: only addresses added by trusted proxies count", () => {
  it("takes the right-most X-Forwarded-For entry with one trusted proxy (the default)", () => {
    // The client forged "6.6.6.6"; the proxy appended the address it really saw.
    expect(clientIp(h({ "x-forwarded-for": "6.6.6.6, 203.0.113.7" }), {})).toBe("203.0.113.7");
    expect(clientIp(h({ "x-forwarded-for": "203.0.113.7" }), {})).toBe("203.0.113.7");
  });
  it("counts TRUSTED_PROXY_HOPS entries from the right for a chain of proxies", () => {
    const headers = h({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" });
    expect(clientIp(headers, { TRUSTED_PROXY_HOPS: "2" })).toBe("198.51.100.4");
    expect(clientIp(headers, { TRUSTED_PROXY_HOPS: "9" })).toBe("6.6.6.6");
    expect(clientIp(headers, { TRUSTED_PROXY_HOPS: "nonsense" })).toBe("10.0.0.2");
  });
  it("falls back to X-Real-IP, then to none; never returns an unbounded string", () => {
    expect(clientIp(h({ "x-real-ip": " 192.0.2.1 " }), {})).toBe("192.0.2.1");
    expect(clientIp(h({}), {})).toBeNull();
    expect(clientIp(h({ "x-forwarded-for": " , " }), {})).toBeNull();
    expect(clientIp(h({ "x-forwarded-for": "x".repeat(500) }), {})).toHaveLength(64);
  });
});

describe("isDatabaseUnavailable: what a PostgreSQL restart throws becomes a 503, other faults do not", () => {
  const withCode = (code: string, message = "boom") => Object.assign(new Error(message), { code });
  it.each([
    ["refused socket", withCode("ECONNREFUSED")],
    ["admin shutdown (57P01)", withCode("57P01", "terminating connection due to administrator command")],
    ["starting up (57P03)", withCode("57P03", "the database system is starting up")],
    ["connection exception class 08", withCode("08006")],
    ["pool connect timeout", new Error("timeout exceeded when trying to connect")],
    ["terminated mid-query", new Error("Connection terminated unexpectedly")],
    ["wrapped by drizzle", Object.assign(new Error("Failed query: select 1"), { cause: withCode("ECONNRESET") })],
    ["dual-stack connect", Object.assign(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], ""), {})],
  ])("%s → unavailable", (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });
  it.each([
    ["unique violation", withCode("23505")],
    ["syntax error", withCode("42601")],
    ["a plain bug", new TypeError("cannot read properties of undefined")],
    ["not an error", "ECONNREFUSED"],
    ["nothing", null],
  ])("%s → not unavailable", (_label, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
  it("does not loop on a cyclic cause chain", () => {
    const a = new Error("a") as Error & { cause?: unknown };
    const b = new Error("b", { cause: a });
    a.cause = b;
    expect(isDatabaseUnavailable(a)).toBe(false);
  });
});
