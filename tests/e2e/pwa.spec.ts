import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, devices, expect, test, type Page } from "@playwright/test";
import { formatDateTime } from "../../lib/pump/time";
import { DEMO_ACCOUNTS, signIn, signedInPage } from "./fixtures";
import { everythingStoredOnDevice, me, waitForSavedStatus, waitForServiceWorker } from "./pwa-support";

test.describe("installable PWA", () => {
  test("manifest, icons and the worker script are served as an installable app needs", async ({ request }) => {
    const manifest = await request.get("/manifest.webmanifest");
    expect(manifest.status()).toBe(200);
    const body = await manifest.json();
    expect(body).toMatchObject({ name: "Pump Portal", short_name: "Pump Portal", start_url: "/", display: "standalone", theme_color: "#1d5fbf" });
    for (const icon of body.icons as { src: string }[]) {
      const res = await request.get(icon.src);
      expect(res.status(), icon.src).toBe(200);
      expect(res.headers()["content-type"]).toBe("image/png");
    }

    const sw = await request.get("/sw.js");
    expect(sw.status()).toBe(200);
    expect(sw.headers()["cache-control"]).toBe("no-cache");
    expect(sw.headers()["service-worker-allowed"]).toBe("/");
    expect(sw.headers()["content-type"]).toContain("javascript");
    expect(sw.headers()["content-security-policy"]).toContain("script-src 'self'");
    const script = await sw.text();
    // workbox is bundled: nothing is imported from a CDN.
    expect(script).not.toContain("importScripts");
    expect(script).not.toMatch(/https?:\/\/(storage\.googleapis|cdn|unpkg|jsdelivr)/);
    // The precache list names the offline page and files this very build serves.
    const urls = [...script.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(urls).toContain("/offline");
    expect(urls.filter((u) => u.startsWith("/_next/static/")).length).toBeGreaterThan(5);
    for (const url of urls) expect((await request.get(url)).status(), url).toBe(200);
  });

  test("pages carry a strict nonce-based CSP that their own scripts satisfy", async ({ page }) => {
    const violations: string[] = [];
    page.on("console", (msg) => {
      if (/Content Security Policy|Refused to/i.test(msg.text())) violations.push(msg.text());
    });
    const response = await page.goto("/sign-in");
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    // Every script Next wrote into the HTML carries this response's nonce (scripts those load
    // later are trusted through 'strict-dynamic').
    const html = (await response?.text()) ?? "";
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
    // A second response gets a different nonce.
    const again = await page.request.get("/sign-in");
    expect(again.headers()["content-security-policy"]).not.toContain(`'nonce-${nonce}'`);
    // So does the not-found page (rendered per request like every page).
    const missing = await page.goto("/no-such-page");
    expect(missing?.status()).toBe(404);
    const missingNonce = /'nonce-([^']+)'/.exec(missing?.headers()["content-security-policy"] ?? "")?.[1];
    for (const tag of (await missing?.text())?.match(/<script\b[^>]*>/g) ?? []) expect(tag).toContain(`nonce="${missingNonce}"`);
    // The page is interactive under the policy (hydrated form) and the worker installs.
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page).toHaveURL(/\/patient$/);
    await waitForServiceWorker(page);
    expect(violations).toEqual([]);
  });

  test("Chromium reports no installability errors for the production build", async ({}, testInfo) => {
    // Installability is never reported in an incognito profile: use a persistent one.
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pump-pwa-"));
    const launch = testInfo.project.use.launchOptions ?? {};
    const context = await chromium.launchPersistentContext(userDataDir, { ...launch, baseURL: testInfo.project.use.baseURL });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto("/sign-in");
      await waitForServiceWorker(page);
      const cdp = await context.newCDPSession(page);
      await expect
        .poll(async () => ((await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: unknown[] }).installabilityErrors, { timeout: 20_000 })
        .toEqual([]);
      const { errors } = (await cdp.send("Page.getAppManifest")) as { errors: unknown[] };
      expect(errors).toEqual([]);

      // Signed in, where the browser offers installation, the app offers it too — once the user
      // has started using the page (never on arrival).
      await signIn(page, DEMO_ACCOUNTS.patient);
      await expect(page).toHaveURL(/\/patient$/);
      await page.reload();
      await expect(page.getByTestId("drug-name")).toBeVisible();
      await expect(page.getByTestId("install-guidance")).toHaveCount(0);
      await page.getByRole("heading", { level: 1 }).click();
      await expect(page.getByTestId("install-guidance")).toContainText("Install Pump Portal");
      await page.getByRole("button", { name: "Not now" }).click();
      await expect(page.getByTestId("install-guidance")).toHaveCount(0);
      await page.reload();
      await page.getByRole("heading", { level: 1 }).click();
      await expect(page.getByTestId("install-guidance")).toHaveCount(0);
    } finally {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});

test.describe("install guidance on iPhone", () => {
  const { userAgent, viewport, deviceScaleFactor, isMobile, hasTouch } = devices["iPhone 13"];
  test.use({ userAgent, viewport, deviceScaleFactor, isMobile, hasTouch });

  test("explains Add to Home Screen, which iOS needs before it delivers alarms", async ({ page }) => {
    await signIn(page, DEMO_ACCOUNTS.patient);
    await expect(page).toHaveURL(/\/patient$/);
    await page.getByRole("heading", { level: 1 }).click();
    const hint = page.getByTestId("install-guidance-ios");
    await expect(hint).toContainText("Add to Home Screen");
    await expect(hint.getByRole("heading", { level: 2 })).toHaveText("Get pump alarms on this iPhone or iPad");
    await hint.getByRole("button", { name: "Got it" }).click();
    await expect(hint).toHaveCount(0);
  });
});

test.describe("who is signed in (GET /api/me)", () => {
  test("answers the signed-in user with their own patient record, never from a cache; 401 when signed out", async ({ browser, request }) => {
    const anonymous = await request.get("/api/me");
    expect(anonymous.status()).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthenticated");
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const res = await page.request.get("/api/me");
    expect(res.headers()["cache-control"]).toContain("no-store");
    const body = await res.json();
    expect(body).toMatchObject({ name: "Alex Morgan", roles: ["patient"] });
    expect(body.patientId).toMatch(/^[0-9a-f-]{36}$/);
    await context.close();
    const caregiver = await signedInPage(browser, DEMO_ACCOUNTS.caregiver, /\/caregiver$/);
    expect(await (await caregiver.page.request.get("/api/me")).json()).toMatchObject({ name: "Sam Morgan", roles: ["caregiver"], patientId: null });
    await caregiver.context.close();
  });
});

test.describe("offline", () => {
  test("signed in, home visited, offline reload: status and next refill with the offline banner and the right time", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const alex = await me(page);
    await waitForServiceWorker(page);
    const saved = await waitForSavedStatus(page, alex.userId);
    const tz = saved.status.patient.timeZone;
    expect(saved.status.patient.id).toBe(alex.patientId);
    const refillAt = saved.status.nextRefill?.scheduledAt;
    expect(refillAt).toBeTruthy();
    // What the online page showed is what the offline page will show.
    await expect(page.getByTestId("next-refill")).toContainText(formatDateTime(new Date(refillAt ?? ""), tz));

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("offline-status")).toBeVisible();
    await expect(page.getByTestId("offline-last-updated")).toContainText(`Offline — last updated at ${formatDateTime(new Date(saved.status.generatedAt), tz)}.`);
    await expect(page.getByTestId("offline-next-refill")).toContainText(formatDateTime(new Date(refillAt ?? ""), tz));
    await expect(page.getByTestId("offline-next-refill")).toContainText(saved.status.nextRefill?.location ?? "");
    await expect(page.getByTestId("offline-reservoir")).toContainText(/\d+(\.\d)? mL\s*of 40 mL · \d+%/);
    await expect(page.getByTestId("offline-drug")).toHaveText("Baclofen");
    await expect(page.getByTestId("offline-worst-case")).toHaveText(/\d{4}$/);

    // Any other page of the app, and the start URL, fall back to the same saved copy.
    await page.goto("/patient/refills");
    await expect(page.getByTestId("offline-last-updated")).toBeVisible();

    await context.setOffline(false);
    await expect(page.getByTestId("back-online")).toBeVisible();
    await page.getByRole("button", { name: "Open Pump Portal" }).click();
    await expect(page).toHaveURL(/\/patient$/);
    await expect(page.getByTestId("drug-name")).toHaveText("Baclofen");
    await context.close();
  });

  test("a page already open shows the offline banner when the connection drops", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await expect(page.getByTestId("offline-banner")).toHaveCount(0);
    await context.setOffline(true);
    await expect(page.getByTestId("offline-banner")).toContainText(/^Offline — last updated at \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2}\./);
    await context.setOffline(false);
    await expect(page.getByTestId("offline-banner")).toHaveCount(0);
    await context.close();
  });

  test("sign out while offline content is cached, sign in as another user: none of the first user's data is shown", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const alex = await me(page);
    await waitForServiceWorker(page);
    await waitForSavedStatus(page, alex.userId);
    expect(await everythingStoredOnDevice(page)).toContain("Alex Morgan");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in$/);
    const afterSignOut = await everythingStoredOnDevice(page);
    expect(afterSignOut).not.toContain("Alex Morgan");
    expect(afterSignOut).not.toContain(alex.patientId ?? "-");

    await signIn(page, DEMO_ACCOUNTS.otherPatient);
    await expect(page).toHaveURL(/\/patient$/);
    const jordan = await me(page);
    await waitForSavedStatus(page, jordan.userId);
    const stored = await everythingStoredOnDevice(page);
    expect(stored).not.toContain("Alex Morgan");
    expect(stored).not.toContain(alex.patientId ?? "-");

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("offline-status")).toBeVisible();
    await expect(page.getByTestId("offline-drug")).not.toHaveText("Baclofen");
    await expect(page.locator("body")).not.toContainText("Alex");
    await expect(page.locator("body")).not.toContainText("Baclofen");
    await context.close();
  });

  test("a session that ended without sign-out leaves nothing for the next user either", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const alex = await me(page);
    await waitForServiceWorker(page);
    await waitForSavedStatus(page, alex.userId);
    // The session cookie expires (or is removed) while the offline copy is still on the device.
    await context.clearCookies();
    await page.goto("/patient");
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect.poll(() => everythingStoredOnDevice(page)).not.toContain("Alex Morgan");
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("offline-nothing-saved")).toBeVisible();
    await expect(page.locator("body")).not.toContainText("Baclofen");
    await context.close();
  });
});

test.describe("updates", () => {
  /** Asks the controlling worker which version it is; the original build does not answer ("v1"). */
  function askVersion(page: Page) {
    return page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = (e) => resolve(String(e.data));
          navigator.serviceWorker.controller?.postMessage("version?", [channel.port2]);
          setTimeout(() => resolve("v1"), 1000);
        }),
    );
  }

  test("a new version shows 'update available — reload' and takes over only when the user reloads", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    await waitForServiceWorker(page);
    await expect(page.getByTestId("update-available")).toHaveCount(0);

    // "Deploy" a new version: the worker file that proxy.ts serves from the build folder gets a
    // marker that answers which version it is. Restored afterwards.
    const workerFile = path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "sw.js");
    const current = fs.readFileSync(workerFile, "utf8");
    fs.writeFileSync(workerFile, `${current}\nself.addEventListener("message",e=>{if(e.data==="version?")e.ports[0].postMessage("v2")});\n`);
    try {
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
      await expect(page.getByTestId("update-available")).toContainText("Update available — reload");
      // Not silently mixed: the new version waits while the page is still served by the old one.
      expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);
      expect(await askVersion(page)).toBe("v1");

      await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: "Reload" }).click()]);
      await waitForServiceWorker(page);
      expect(await askVersion(page)).toBe("v2");
      await expect(page.getByTestId("update-available")).toHaveCount(0);
      await expect(page.getByTestId("drug-name")).toHaveText("Baclofen");
    } finally {
      fs.writeFileSync(workerFile, current);
    }
    await context.close();
  });
});
