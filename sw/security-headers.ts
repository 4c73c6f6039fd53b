/**
 * Content-Security-Policy and worker-script headers, shared by proxy.ts (per-request nonce for
 * pages) and next.config.ts (/sw.js when a host serves it straight from public/).
 *
 * Scripts run only with this response's nonce ('strict-dynamic' lets Next's nonced loader pull in
 * its own chunks); no 'unsafe-inline' and no 'unsafe-eval' for scripts in production. Inline
 * style *attributes* are allowed (style-src-attr): the reservoir gauge sets its fill width that
 * way, and an attribute cannot run code.
 */

/**
 * The one inline <style> Next writes without a nonce: its built-in not-found page's colours
 * (next/dist/client/components/http-access-fallback/error-fallback). Allowed by its exact hash;
 * drop it once the app has its own app/not-found.tsx. tests/e2e/pwa.spec.ts fails if it changes.
 */
const NEXT_NOT_FOUND_STYLE_HASH = "'sha256-Z5XTK23DFuEMs0PwnyZDO9SWxemQ5HxcpVaBNuUJyWY='";
export interface CspOptions {
  /** Upgrade any http: sub-resource to https: (only meaningful when the page itself is https). */
  https: boolean;
  /** `next dev` needs eval for React's debugging and inline styles for the error overlay. */
  dev: boolean;
}

export function pageContentSecurityPolicy(nonce: string, { https, dev }: CspOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{16,}$/.test(nonce)) throw new RangeError("A CSP nonce must be at least 16 base64 characters.");
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}' ${NEXT_NOT_FOUND_STYLE_HASH}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (https) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}

/** The worker's own policy: it fetches and caches same-origin resources and loads no other script. */
export const WORKER_CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * /sw.js: revalidated on every update check (no-cache), so a new version is found at once, and
 * allowed to control the whole origin.
 */
export const WORKER_SCRIPT_HEADERS: Readonly<Record<string, string>> = {
  "Content-Type": "application/javascript; charset=utf-8",
  "Cache-Control": "no-cache",
  "Service-Worker-Allowed": "/",
  "Content-Security-Policy": WORKER_CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
};
