import { expect, type BrowserContext, type CDPSession, type Page } from "@playwright/test";
import { OFFLINE_USER_CACHE, statusKey } from "../../sw/offline-keys";

/** The page is controlled by the active service worker (first install claims the page). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const registration = await navigator.serviceWorker.getRegistration();
          return Boolean(registration?.active?.state === "activated" && navigator.serviceWorker.controller);
        }),
      { timeout: 30_000 },
    )
    .toBe(true);
}

export interface SavedSnapshot {
  userId: string;
  savedAt: string;
  status: { generatedAt: string; patient: { id: string; displayName: string; timeZone: string }; nextRefill: { scheduledAt: string; location: string } | null };
}

/** The signed-in user's saved status, once the page has stored it. */
export async function waitForSavedStatus(page: Page, userId: string): Promise<SavedSnapshot> {
  const read = () =>
    page.evaluate(
      async ({ cacheName, key }) => {
        const res = await (await caches.open(cacheName)).match(key);
        return res ? ((await res.json()) as SavedSnapshot) : null;
      },
      { cacheName: OFFLINE_USER_CACHE, key: statusKey(userId) },
    );
  await expect.poll(read, { timeout: 20_000 }).not.toBeNull();
  return (await read()) as SavedSnapshot;
}

/** Every Cache Storage entry and IndexedDB database name, as text: to search for another user's data. */
export async function everythingStoredOnDevice(page: Page): Promise<string> {
  return page.evaluate(async () => {
    let out = "";
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) {
        const res = await cache.match(request);
        const type = res?.headers.get("content-type") ?? "";
        // Text only: the build's scripts and styles are the same for every user.
        const body = res && /json|html|text\/plain/.test(type) ? await res.text() : "";
        out += `${name} ${request.url} ${body}\n`;
      }
    }
    return out;
  });
}

export async function me(page: Page): Promise<{ userId: string; patientId: string | null; name: string }> {
  const res = await page.request.get("/api/me");
  expect(res.status()).toBe(200);
  return res.json();
}

/** ServiceWorker domain on the page's CDP session, with the registration id once the worker is known. */
export async function serviceWorkerCdp(context: BrowserContext, page: Page): Promise<{ cdp: CDPSession; registrationId: () => Promise<string> }> {
  const cdp = await context.newCDPSession(page);
  let id: string | null = null;
  cdp.on("ServiceWorker.workerRegistrationUpdated", (event: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
    for (const r of event.registrations) if (!r.isDeleted) id = r.registrationId;
  });
  await cdp.send("ServiceWorker.enable");
  return {
    cdp,
    registrationId: async () => {
      await expect.poll(() => id, { timeout: 15_000 }).not.toBeNull();
      return id as unknown as string;
    },
  };
}
