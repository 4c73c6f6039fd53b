import { describe, expect, it } from "vitest";
import { pageContentSecurityPolicy, WORKER_SCRIPT_HEADERS } from "@/sw/security-headers";

const NONCE = "q1w2e3r4t5y6u7i8o9p0aa==";

function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name = "", ...values]) => [name, values]));
}

describe("page Content-Security-Policy", () => {
  it("lets scripts run only with this response's nonce, never inline or eval in production", () => {
    const d = directives(pageContentSecurityPolicy(NONCE, { https: true, dev: false }));
    const script = d.get("script-src") ?? [];
    expect(script).toContain(`'nonce-${NONCE}'`);
    expect(script).toContain("'strict-dynamic'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(script).not.toContain("'unsafe-eval'");
    // Styles: this response's nonce, plus one exact hash (Next's built-in not-found page), never 'unsafe-inline'.
    expect(d.get("style-src")?.slice(0, 2)).toEqual(["'self'", `'nonce-${NONCE}'`]);
    expect(d.get("style-src")?.slice(2).every((v) => /^'sha256-[A-Za-z0-9+/]{43}='$/.test(v))).toBe(true);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'none'"]);
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("worker-src")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
    expect(d.has("upgrade-insecure-requests")).toBe(true);
  });

  it("does not upgrade requests of a plain-http origin (local server), and relaxes only for next dev", () => {
    expect(pageContentSecurityPolicy(NONCE, { https: false, dev: false })).not.toContain("upgrade-insecure-requests");
    const dev = directives(pageContentSecurityPolicy(NONCE, { https: false, dev: true }));
    expect(dev.get("script-src")).toContain("'unsafe-eval'");
    expect(dev.get("script-src")).not.toContain("'unsafe-inline'");
  });

  it("refuses a nonce that could break out of the header", () => {
    expect(() => pageContentSecurityPolicy("short", { https: false, dev: false })).toThrow(RangeError);
    expect(() => pageContentSecurityPolicy("aaaaaaaaaaaaaaaaaaaa'; script-src *", { https: false, dev: false })).toThrow(RangeError);
  });
});

describe("/sw.js headers", () => {
  it("is revalidated on every update check, may control the whole origin and loads no foreign script", () => {
    expect(WORKER_SCRIPT_HEADERS["Cache-Control"]).toBe("no-cache");
    expect(WORKER_SCRIPT_HEADERS["Service-Worker-Allowed"]).toBe("/");
    expect(WORKER_SCRIPT_HEADERS["Content-Type"]).toMatch(/^application\/javascript/);
    const d = directives(WORKER_SCRIPT_HEADERS["Content-Security-Policy"] ?? "");
    expect(d.get("script-src")).toEqual(["'self'"]);
    expect(d.get("connect-src")).toEqual(["'self'"]);
  });
});
