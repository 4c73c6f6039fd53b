// Security headers and session cookies on the production server (issue #9), for a sample of every
// kind of response: public page, signed-in page, API JSON, API error, 404 page, /sw.js, a build
// asset, the manifest and the sign-in POST. Each sample is fetched twice: as the local server sees
// a plain-http request, and as it sees a request that came over HTTPS through a TLS-terminating
// proxy (x-forwarded-proto: https, what Vercel and nginx send). Plain fetch, not the browser's
// cookie jar, so the exact Set-Cookie attributes and cookie names are visible.
import { expect, test } from "@playwright/test";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, signIn } from "./fixtures";

// A network of its own, so this spec's sign-ins never share a rate-limit bucket with another spec.
const NETWORK = "198.51.100.153";

type Scheme = "http" | "https";

interface Sample {
  kind: string;
  status: number;
  headers: Headers;
  body: string;
}

function directives(csp: string): Map<string, string[]> {
  return new Map(
    csp
      .split(";")
      .map((d) => d.trim())
      .filter(Boolean)
      .map((d) => d.split(/\s+/))
      .map(([name = "", ...values]) => [name.toLowerCase(), values]),
  );
}

/** What every response must carry, whatever its kind. */
function expectCommonHeaders(s: Sample, scheme: Scheme) {
  const h = s.headers;
  const csp = h.get("content-security-policy");
  expect(csp, `${s.kind}: Content-Security-Policy`).toBeTruthy();
  // One policy, not two joined by a comma (two policies would both be enforced).
  expect(csp, `${s.kind}: a single CSP`).not.toContain(",");
  const d = directives(csp!);
  expect(d.get("frame-ancestors"), `${s.kind}: frame-ancestors`).toEqual(["'none'"]);
  // No inline script anywhere: script-src (or default-src when script-src is absent) has no 'unsafe-inline'.
  const scripts = d.get("script-src") ?? d.get("default-src") ?? [];
  expect(scripts.length, `${s.kind}: a script policy`).toBeGreaterThan(0);
  expect(scripts, `${s.kind}: script-src`).not.toContain("'unsafe-inline'");
  expect(scripts, `${s.kind}: script-src`).not.toContain("'unsafe-eval'");
  expect(scripts, `${s.kind}: script-src`).not.toContain("*");
  expect(h.get("x-content-type-options"), `${s.kind}: nosniff`).toBe("nosniff");
  expect(h.get("referrer-policy"), `${s.kind}: Referrer-Policy`).toBe("strict-origin-when-cross-origin");
  expect(h.get("x-frame-options"), `${s.kind}: X-Frame-Options`).toBe("DENY");
  expect(h.get("x-powered-by"), `${s.kind}: no X-Powered-By`).toBeNull();
  const hsts = h.get("strict-transport-security");
  if (scheme === "https") {
    expect(hsts, `${s.kind}: HSTS over HTTPS`).toMatch(/^max-age=(\d+); includeSubDomains$/);
    expect(Number(/max-age=(\d+)/.exec(hsts!)![1]), `${s.kind}: HSTS max-age ≥ 1 year`).toBeGreaterThanOrEqual(31_536_000);
  } else {
    // Browsers ignore HSTS on plain http; the app sends it only when the request came over HTTPS.
    expect(hsts, `${s.kind}: no HSTS on plain http`).toBeNull();
  }
}

/** Pages: scripts only with this response's nonce, and every script tag in the page carries it. */
function expectPagePolicy(s: Sample, scheme: Scheme): string {
  const d = directives(s.headers.get("content-security-policy")!);
  const script = d.get("script-src") ?? [];
  const nonceSource = script.find((v) => v.startsWith("'nonce-"));
  expect(nonceSource, `${s.kind}: script-src nonce`).toBeTruthy();
  expect(script).toContain("'strict-dynamic'");
  expect(d.get("object-src")).toEqual(["'none'"]);
  expect(d.get("base-uri")).toEqual(["'none'"]);
  expect(d.has("upgrade-insecure-requests"), `${s.kind}: upgrade-insecure-requests only over HTTPS`).toBe(scheme === "https");
  const nonce = nonceSource!.slice("'nonce-".length, -1);
  const tags = [...s.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  expect(tags.length, `${s.kind}: page has scripts`).toBeGreaterThan(0);
  for (const tag of tags) expect(tag, `${s.kind}: script tag carries the nonce`).toContain(`nonce="${nonce}"`);
  return nonce;
}

/** Responses that are not pages run no script at all. */
function expectNoScriptPolicy(s: Sample) {
  const d = directives(s.headers.get("content-security-policy")!);
  expect(d.get("default-src"), `${s.kind}: default-src`).toEqual(["'none'"]);
  expect(d.has("script-src"), `${s.kind}: no script-src`).toBe(false);
}

function cookieNamed(setCookies: string[], name: string): string | undefined {
  return setCookies.find((c) => c.startsWith(`${name}=`));
}

function attributes(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(";")
      .slice(1)
      .map((a) => a.trim())
      .map((a) => {
        const [k = "", ...v] = a.split("=");
        return [k.toLowerCase(), v.join("=")] as [string, string];
      }),
  );
}

for (const scheme of ["http", "https"] as const) {
  test.describe(`security headers, request over ${scheme}`, () => {
    test("every kind of response carries the headers; the session cookie is HttpOnly, SameSite=Lax and Secure over HTTPS", async ({ baseURL }) => {
      const base = baseURL!;
      const extra: Record<string, string> = { "x-forwarded-for": NETWORK };
      if (scheme === "https") extra["x-forwarded-proto"] = "https";
      const get = async (kind: string, path: string, init: RequestInit = {}): Promise<Sample & { res: Response }> => {
        const res = await fetch(base + path, { redirect: "manual", ...init, headers: { ...extra, ...(init.headers as Record<string, string> | undefined) } });
        return { kind, status: res.status, headers: res.headers, body: await res.text(), res };
      };

      // Public page.
      const publicPage = await get("public page", "/sign-in");
      expect(publicPage.status).toBe(200);
      expectCommonHeaders(publicPage, scheme);
      const nonce1 = expectPagePolicy(publicPage, scheme);
      // A fresh nonce per response.
      const again = await get("public page again", "/sign-in");
      expect(expectPagePolicy(again, scheme)).not.toBe(nonce1);

      // Static build asset, linked from that page.
      const asset = /\/_next\/static\/[^"']+\.js/.exec(publicPage.body)?.[0];
      expect(asset, "the page links a build asset").toBeTruthy();
      const staticAsset = await get("static asset", asset!);
      expect(staticAsset.status).toBe(200);
      expectCommonHeaders(staticAsset, scheme);
      expectNoScriptPolicy(staticAsset);

      // Manifest and worker script.
      const manifest = await get("manifest", "/manifest.webmanifest");
      expect(manifest.status).toBe(200);
      expectCommonHeaders(manifest, scheme);
      expectNoScriptPolicy(manifest);
      const worker = await get("service worker", "/sw.js");
      expect(worker.status).toBe(200);
      expectCommonHeaders(worker, scheme);
      // The worker's own policy: its script from this origin only.
      expect(directives(worker.headers.get("content-security-policy")!).get("script-src")).toEqual(["'self'"]);

      // 404 page.
      const missing = await get("404 page", "/no-such-page-here");
      expect(missing.status).toBe(404);
      expectCommonHeaders(missing, scheme);
      expectPagePolicy(missing, scheme);

      // API JSON (public) and API error (unauthenticated).
      const health = await get("API JSON", "/api/health");
      expect(health.status).toBe(200);
      expectCommonHeaders(health, scheme);
      expectNoScriptPolicy(health);
      const apiError = await get("API error", "/api/me");
      expect(apiError.status).toBe(401);
      expect(JSON.parse(apiError.body)).toMatchObject({ error: { code: "unauthenticated" } });
      expectCommonHeaders(apiError, scheme);
      expectNoScriptPolicy(apiError);

      // Sign-in POST (Auth.js credentials callback), as the server sees it.
      const csrf = await get("CSRF token", "/api/auth/csrf");
      expectCommonHeaders(csrf, scheme);
      const csrfCookies = csrf.res.headers.getSetCookie();
      const csrfName = scheme === "https" ? "__Host-authjs.csrf-token" : "authjs.csrf-token";
      const csrfCookie = cookieNamed(csrfCookies, csrfName);
      expect(csrfCookie, `${csrfName} is set`).toBeTruthy();
      expect(attributes(csrfCookie!).has("httponly")).toBe(true);
      const signInPost = await get("sign-in POST", "/api/auth/callback/credentials", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: csrfCookies.map((c) => c.split(";")[0]).join("; ") },
        body: new URLSearchParams({ csrfToken: JSON.parse(csrf.body).csrfToken, email: DEMO_ACCOUNTS.patient, password: DEMO_PASSWORD, callbackUrl: "/" }),
      });
      expect(signInPost.status).toBe(302);
      expectCommonHeaders(signInPost, scheme);
      const setCookies = signInPost.res.headers.getSetCookie();
      const sessionName = scheme === "https" ? "__Secure-authjs.session-token" : "authjs.session-token";
      const session = cookieNamed(setCookies, sessionName);
      expect(session, `${sessionName} is set (got ${setCookies.map((c) => c.split("=")[0]).join(", ")})`).toBeTruthy();
      const attrs = attributes(session!);
      expect(attrs.has("httponly"), "session cookie HttpOnly").toBe(true);
      expect(attrs.get("samesite")?.toLowerCase(), "session cookie SameSite").toMatch(/^(lax|strict)$/);
      expect(attrs.get("path")).toBe("/");
      expect(attrs.has("domain"), "session cookie bound to this host").toBe(false);
      expect(attrs.has("secure"), "session cookie Secure exactly when the request came over HTTPS").toBe(scheme === "https");
      // Every cookie Auth.js sets is HttpOnly, and Secure over HTTPS.
      for (const c of setCookies) {
        expect(attributes(c).has("httponly"), c.split("=")[0]).toBe(true);
        if (scheme === "https") expect(attributes(c).has("secure"), c.split("=")[0]).toBe(true);
      }
      const cookie = session!.split(";")[0]!;

      // Signed-in page and signed-in API JSON.
      const home = await get("signed-in page", "/patient", { headers: { cookie } });
      expect(home.status).toBe(200);
      expectCommonHeaders(home, scheme);
      expectPagePolicy(home, scheme);
      const me = await get("signed-in API JSON", "/api/me", { headers: { cookie } });
      expect(me.status).toBe(200);
      const { patientId } = JSON.parse(me.body) as { patientId: string };
      expectCommonHeaders(me, scheme);
      expectNoScriptPolicy(me);
      const status = await get("status API JSON", `/api/patients/${patientId}/status`, { headers: { cookie } });
      expect(status.status).toBe(200);
      expectCommonHeaders(status, scheme);
      expectNoScriptPolicy(status);
      // An API error for a signed-in user (another patient's data, or none).
      const forbidden = await get("API error (signed in)", "/api/patients/00000000-0000-4000-8000-000000000000/status", { headers: { cookie } });
      expect([403, 404]).toContain(forbidden.status);
      expectCommonHeaders(forbidden, scheme);
      expectNoScriptPolicy(forbidden);
    });
  });
}

test("the sign-in form sets an HttpOnly, SameSite=Lax session cookie that a page script cannot read", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": NETWORK } });
  const page = await context.newPage();
  await signIn(page, DEMO_ACCOUNTS.patient);
  await expect(page).toHaveURL(/\/patient$/);
  const session = (await context.cookies()).find((c) => c.name === "authjs.session-token");
  expect(session).toBeTruthy();
  expect(session!.httpOnly).toBe(true);
  expect(session!.sameSite).toBe("Lax");
  // Over plain http (this test server) the cookie cannot be Secure, or the browser would drop it.
  expect(session!.secure).toBe(false);
  expect(await page.evaluate(() => document.cookie)).not.toContain("session-token");
  await context.close();
});
