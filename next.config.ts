import type { NextConfig } from "next";
import { WORKER_SCRIPT_HEADERS } from "./sw/security-headers";

/** Two years, subdomains included (the hstspreload.org minimum is one year). */
const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";
/** For responses that are not pages: nothing may run, load or frame them. */
const NON_PAGE_CONTENT_SECURITY_POLICY = "default-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** Exactly the paths proxy.ts's matcher leaves out (it sets the page CSP on everything else). */
const NON_PAGE_SOURCES = ["/api/:path*", "/_next/static/:path*", "/_next/image", "/icons/:path*", "/manifest.webmanifest", "/favicon.ico"];

const nextConfig: NextConfig = {
  // PGlite ships a wasm file that Turbopack would rewrite into a URL; keep it external (STACK-NOTES).
  serverExternalPackages: ["@electric-sql/pglite", "@node-rs/argon2", "pg"],
  // The SQL migrations are read at run time (the embedded DB migrates itself; Vercel needs them traced).
  outputFileTracingIncludes: { "/**": ["./db/migrations/**/*"] },
  // Separate build folders let several builds coexist on one machine (NEXT_DIST_DIR=.next-other).
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  reactStrictMode: true,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "bluetooth=(self), camera=(), microphone=(), geolocation=()" },
        ],
      },
      // HSTS only means something over HTTPS (browsers ignore it on plain http), and the app is
      // served over HTTPS only behind a TLS-terminating proxy (Vercel, nginx …), which says so
      // with x-forwarded-proto. A local `next start` on http://127.0.0.1 therefore sends none.
      {
        source: "/:path*",
        has: [{ type: "header", key: "x-forwarded-proto", value: "https" }],
        headers: [{ key: "Strict-Transport-Security", value: STRICT_TRANSPORT_SECURITY }],
      },
      // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts. The
      // responses proxy.ts does not see (API routes, build assets, icons, the manifest) run no
      // script and are never framed: the strictest policy.
      ...NON_PAGE_SOURCES.map((source) => ({ source, headers: [{ key: "Content-Security-Policy", value: NON_PAGE_CONTENT_SECURITY_POLICY }] })),
      // The worker script: never served stale, allowed to control "/", with its own CSP. proxy.ts
      // serves it from the build folder with the same headers; these cover public/sw.js.
      {
        source: "/sw.js",
        headers: Object.entries(WORKER_SCRIPT_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
