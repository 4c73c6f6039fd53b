import type { NextConfig } from "next";
import { WORKER_SCRIPT_HEADERS } from "./sw/security-headers";

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
          { key: "Permissions-Policy", value: "bluetooth=(self), camera=(), microphone=(), geolocation=()" },
        ],
      },
      // Pages get their Content-Security-Policy (with a per-request nonce) from proxy.ts. The
      // worker script: never served stale, allowed to control "/", with its own CSP. proxy.ts
      // serves it from the build folder with the same headers; these cover public/sw.js.
      {
        source: "/sw.js",
        headers: Object.entries(WORKER_SCRIPT_HEADERS).map(([key, value]) => ({ key, value })),
      },
    ];
  },
};

export default nextConfig;
