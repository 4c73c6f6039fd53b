import { readFile } from "node:fs/promises";
import path from "node:path";
import { NextResponse, type NextRequest } from "next/server";
import { pageContentSecurityPolicy, WORKER_SCRIPT_HEADERS } from "@/sw/security-headers";

// This build's service worker (scripts/build-sw.mjs writes it next to the build): each build
// folder serves its own worker, whose precache list names exactly the files that build has.
const WORKER_FILE = path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "sw.js");

async function serveWorker(): Promise<NextResponse> {
  try {
    return new NextResponse(await readFile(WORKER_FILE), { headers: WORKER_SCRIPT_HEADERS });
  } catch {
    // Not beside the build (e.g. a serverless host): public/sw.js answers, with next.config.ts headers.
    return NextResponse.next();
  }
}

/**
 * Every page gets a fresh CSP nonce: Next reads it from the request's Content-Security-Policy
 * header and puts it on its own scripts (pages are rendered per request). Authorisation is not
 * done here — every page and route checks it itself (lib/auth/guard.ts).
 */
export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === "/sw.js") return serveWorker();
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = pageContentSecurityPolicy(nonce, {
    // Behind a TLS-terminating proxy the server itself sees http; the proxy says https.
    https: request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https",
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  matcher: [
    {
      // Pages (and /sw.js); not API routes, build assets, icons or the manifest, which run no script.
      source: "/((?!api/|_next/static/|_next/image|icons/|manifest\\.webmanifest|favicon\\.ico).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
