import { randomUUID } from "node:crypto";
import { expect, test, type Page } from "@playwright/test";
import { SYNC_QUEUE_NAME } from "../../sw/offline-keys";
import { DEMO_ACCOUNTS, signedInPage } from "./fixtures";
import { me, serviceWorkerCdp, waitForServiceWorker } from "./pwa-support";

// The upload endpoint is another issue's work; until its route exists this file has nothing to test.

interface SyncState {
  logId: number | null;
  lastSeq: number;
  eventCount: number;
}

async function syncState(page: Page, patientId: string, logId: number): Promise<SyncState> {
  const res = await page.request.get(`/api/patients/${patientId}/sync?logId=${logId}`);
  expect(res.status()).toBe(200);
  return res.json();
}

/** Entries waiting in workbox's background-sync queue (its IndexedDB store). */
async function queuedUploads(page: Page): Promise<number> {
  return page.evaluate(async (queueName) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open("workbox-background-sync");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    try {
      if (!db.objectStoreNames.contains("requests")) return 0;
      const all = await new Promise<{ queueName: string }[]>((resolve, reject) => {
        const req = db.transaction("requests").objectStore("requests").getAll();
        req.onsuccess = () => resolve(req.result as { queueName: string }[]);
        req.onerror = () => reject(req.error);
      });
      return all.filter((e) => e.queueName === queueName).length;
    } finally {
      db.close();
    }
  }, SYNC_QUEUE_NAME);
}

test.describe("background sync of pump-link uploads", () => {

  test("an upload made offline is queued and reaches the database exactly once when the sync event fires", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const { patientId } = await me(page);
    expect(patientId).toBeTruthy();
    await waitForServiceWorker(page);
    const { cdp, registrationId } = await serviceWorkerCdp(context, page);

    // A device log of its own, so the counts are this test's alone.
    const logId = 0x7e570000 + Math.floor(Math.random() * 0xffff);
    const before = await syncState(page, patientId!, logId);
    expect(before.eventCount).toBe(0);
    const now = Math.floor(Date.now() / 1000);
    const upload = {
      uploadId: randomUUID(),
      device: { logId, status: { deviceTime: now, reservoirUl: 18_000, capacityUl: 40_000, batteryPercent: 80, alarmFlags: 0, therapyState: "running", highestSeq: 3 } },
      records: [1, 2, 3].map((seq) => ({ seq, time: now - 600 + seq * 60, kind: "reservoir_reading", reservoirUl: 18_100 - seq * 30 })),
    };

    await context.setOffline(true);
    const queued = await page.evaluate(
      async ({ url, body }) => {
        const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, header: res.headers.get("X-Pump-Sync"), body: await res.json() };
      },
      { url: `/api/patients/${patientId}/sync`, body: upload },
    );
    expect(queued).toMatchObject({ status: 202, header: "queued", body: { queued: true, uploadId: upload.uploadId } });
    expect(await queuedUploads(page)).toBe(1);
    // Nothing reached the server (the test's own requests do not go through the browser's network).
    expect((await syncState(page, patientId!, logId)).eventCount).toBe(0);

    const replayed = page.evaluate(
      () => new Promise<unknown>((resolve) => window.addEventListener("pump-sync-replayed", (e) => resolve((e as CustomEvent).detail), { once: true })),
    );
    const origin = new URL(page.url()).origin;
    const tag = `workbox-background-sync:${SYNC_QUEUE_NAME}`;
    // Back online, the sync event fires (Chromium may also fire it by itself on reconnecting:
    // either way the upload must arrive once).
    await context.setOffline(false);
    await cdp.send("ServiceWorker.dispatchSyncEvent", { origin, registrationId: await registrationId(), tag, lastChance: false });
    await expect.poll(() => queuedUploads(page)).toBe(0);
    expect(await replayed).toMatchObject({ delivered: 1, dropped: 0 });
    const after = await syncState(page, patientId!, logId);
    expect(after).toMatchObject({ logId, lastSeq: 3, eventCount: 3 });

    // A second sync event, and the phone retrying the same upload itself: still three events.
    await cdp.send("ServiceWorker.dispatchSyncEvent", { origin, registrationId: await registrationId(), tag, lastChance: false });
    const retry = await page.request.post(`/api/patients/${patientId}/sync`, { data: upload });
    expect(retry.status()).toBe(200);
    expect(await retry.json()).toMatchObject({ newEvents: 0, duplicateEvents: 3 });
    expect((await syncState(page, patientId!, logId)).eventCount).toBe(3);
    await context.close();
  });

  test("sign-out empties the queue: nothing of the leaving patient is replayed under the next session", async ({ browser }) => {
    const { context, page } = await signedInPage(browser, DEMO_ACCOUNTS.patient, /\/patient$/);
    const { patientId } = await me(page);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    const status = await page.evaluate(
      async ({ url, body }) => (await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })).status,
      {
        url: `/api/patients/${patientId}/sync`,
        body: { uploadId: randomUUID(), device: { logId: 1, status: { deviceTime: 1, reservoirUl: 1, capacityUl: 2, batteryPercent: 1, alarmFlags: 0, therapyState: "running", highestSeq: 0 } }, records: [] },
      },
    );
    expect(status).toBe(202);
    expect(await queuedUploads(page)).toBe(1);
    // Still offline: the sign-out request itself cannot go out, but the device is cleared first.
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect.poll(() => queuedUploads(page)).toBe(0);
    await context.close();
  });
});
