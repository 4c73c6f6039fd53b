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

describe("which responses get which headers (next.config.ts and proxy.ts together)", () => {
  type Rule = { source: string; has?: { type: string; key: string; value?: string }[]; headers: { key: string; value: string }[] };

  /** Next's path patterns as these rules use them: literal segments and a trailing `:path*`. */
  function sourceMatches(source: string, pathname: string): boolean {
    const pattern = source.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\/:path\*$/, "(?:/.*)?");
    return new RegExp(`^${pattern}$`).test(pathname);
  }

  async function load() {
    const nextConfig = (await import("@/next.config")).default;
    const { config } = await import("@/proxy");
    const rules = (await nextConfig.headers!()) as Rule[];
    const matcher = config.matcher[0]!;
    const proxySees = (pathname: string) => new RegExp(`^${matcher.source}$`).test(pathname);
    return { rules, proxySees };
  }

  const samples = ["/", "/sign-in", "/patient", "/no-such-page", "/sw.js", "/api/health", "/api/patients/x/status", "/api/auth/csrf", "/_next/static/chunks/a.js", "/icons/icon-192.png", "/manifest.webmanifest", "/favicon.ico", "/_next/image"];

  it("gives every path exactly one Content-Security-Policy: the nonce policy from proxy.ts or a static one", async () => {
    const { rules, proxySees } = await load();
    for (const pathname of samples) {
      const staticCsp = rules.filter((r) => sourceMatches(r.source, pathname) && r.headers.some((h) => h.key === "Content-Security-Policy"));
      // /sw.js: proxy.ts serves the build's worker with WORKER_SCRIPT_HEADERS; the static rule covers public/sw.js.
      if (pathname === "/sw.js") {
        expect(staticCsp.map((r) => r.headers.find((h) => h.key === "Content-Security-Policy")!.value)).toEqual([WORKER_SCRIPT_HEADERS["Content-Security-Policy"]]);
        continue;
      }
      expect(staticCsp.length + (proxySees(pathname) ? 1 : 0), pathname).toBe(1);
      for (const rule of staticCsp) {
        const d = directives(rule.headers.find((h) => h.key === "Content-Security-Policy")!.value);
        expect(d.get("default-src"), pathname).toEqual(["'none'"]);
        expect(d.get("frame-ancestors"), pathname).toEqual(["'none'"]);
      }
    }
  });

  it("sends nosniff, a referrer policy and DENY framing everywhere, and HSTS only for requests that came over HTTPS", async () => {
    const { rules } = await load();
    const everywhere = rules.filter((r) => r.source === "/:path*" && !r.has);
    const keys = everywhere.flatMap((r) => r.headers.map((h) => `${h.key}: ${h.value}`));
    expect(keys).toContain("X-Content-Type-Options: nosniff");
    expect(keys).toContain("Referrer-Policy: strict-origin-when-cross-origin");
    expect(keys).toContain("X-Frame-Options: DENY");
    expect(keys.some((k) => k.startsWith("Strict-Transport-Security"))).toBe(false);
    const hsts = rules.filter((r) => r.headers.some((h) => h.key === "Strict-Transport-Security"));
    expect(hsts).toHaveLength(1);
    expect(hsts[0]!.source).toBe("/:path*");
    expect(hsts[0]!.has).toEqual([{ type: "header", key: "x-forwarded-proto", value: "https" }]);
    const maxAge = Number(/max-age=(\d+)/.exec(hsts[0]!.headers[0]!.value)?.[1]);
    expect(maxAge).toBeGreaterThanOrEqual(365 * 24 * 3600);
  });
});
