/**
 * Pump Portal service worker. Bundled with esbuild and given its precache list by workbox-build
 * (scripts/build-sw.mjs) after `next build`; workbox is bundled in, nothing is loaded from a CDN.
 *
 * - Precaches the build's static assets, the icons and the /offline page (never authenticated
 *   HTML, never patient data).
 * - Page navigations always go to the network; when it fails, /offline is shown, and that page
 *   renders the signed-in user's last saved status from Cache Storage (components/pwa/offline-store.ts).
 * - Pump-link uploads (POST /api/patients/:id/sync) made offline are queued and replayed by
 *   background sync; the server's ingestion is idempotent, so a replay never duplicates events.
 * - A new version waits until the user chooses "Reload" (no silent half-updated app).
 */
import "./push";
import { Queue } from "workbox-background-sync";
import { clientsClaim } from "workbox-core";
import { enable as enableNavigationPreload } from "workbox-navigation-preload";
import { cleanupOutdatedCaches, PrecacheFallbackPlugin, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { NetworkOnly } from "workbox-strategies";
import { MSG, OFFLINE_USER_CACHE, SYNC_QUEUE_NAME, SYNC_UPLOAD_PATH } from "./offline-keys";
import { worker, tellPages } from "./scope";
import { queuedUploadResponse, replayOutcome, uploadIdOf } from "./sync-policy";

const OFFLINE_URL = "/offline";

interface PrecacheEntry {
  url: string;
  revision: string | null;
}

// workbox-build replaces `self.__WB_MANIFEST` (exactly this text) with the build's precache list.
precacheAndRoute((self as unknown as { __WB_MANIFEST: PrecacheEntry[] }).__WB_MANIFEST);
cleanupOutdatedCaches();
// On the first install there is no older version to be half-mixed with: take control at once so
// the page that installed the worker already works offline. Later versions wait (see "message").
clientsClaim();
enableNavigationPreload();

registerRoute(
  new NavigationRoute(new NetworkOnly({ plugins: [new PrecacheFallbackPlugin({ fallbackURL: OFFLINE_URL })] }), {
    // Downloads (calendar files, consent PDFs) are not pages: let them fail as downloads do.
    denylist: [/^\/api\//],
  }),
);

// --- pump-link uploads -----------------------------------------------------------------------

async function replayUploads(queue: Queue): Promise<void> {
  let delivered = 0;
  let dropped = 0;
  for (let entry = await queue.shiftRequest(); entry; entry = await queue.shiftRequest()) {
    let response: Response;
    try {
      response = await fetch(entry.request.clone());
    } catch {
      await queue.unshiftRequest(entry);
      // Throwing tells the browser this sync attempt failed, so it schedules another one.
      throw new Error("Pump upload replay: still offline; will retry at the next sync.");
    }
    const outcome = replayOutcome(response.status);
    if (outcome === "retry") {
      await queue.unshiftRequest(entry);
      throw new Error(`Pump upload replay: server answered ${response.status}; will retry at the next sync.`);
    }
    if (outcome === "delivered") delivered++;
    else dropped++;
  }
  if (delivered || dropped) await tellPages({ type: MSG.syncReplayed, delivered, dropped });
}

const syncQueue = new Queue(SYNC_QUEUE_NAME, {
  // Minutes. Older uploads are discarded: by then the pump has been synced again from its own history.
  maxRetentionTime: 7 * 24 * 60,
  onSync: ({ queue }) => replayUploads(queue),
});

// What workbox's BackgroundSyncPlugin does (queue the request when the network fails), written
// out so that the page gets a clear 202 "queued" answer and sign-out can empty the same queue.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && SYNC_UPLOAD_PATH.test(url.pathname),
  async ({ request }) => {
    const copy = request.clone();
    try {
      return await fetch(request);
    } catch {
      const uploadId = await uploadIdOf(copy);
      await syncQueue.pushRequest({ request: copy });
      return queuedUploadResponse(uploadId);
    }
  },
  "POST",
);

// --- messages from pages -----------------------------------------------------------------------

/** Sign-out: nothing of the leaving user may stay on the device for the next one. */
async function forgetUser(): Promise<void> {
  await caches.delete(OFFLINE_USER_CACHE);
  try {
    // Their session still exists: deliver what is waiting if the network allows…
    await replayUploads(syncQueue);
  } catch {
    // …and otherwise drop it (the pump keeps its history for the next sync).
  }
  while (await syncQueue.shiftRequest()) {
    // drain
  }
}

worker.addEventListener("message", (event) => {
  const data = event.data as { type?: unknown } | null;
  if (data?.type === MSG.skipWaiting) {
    // Only ever on the user's "Reload" click: the page reloads once this worker takes control.
    event.waitUntil(worker.skipWaiting());
  } else if (data?.type === MSG.signOut) {
    event.waitUntil(forgetUser().then(() => event.ports[0]?.postMessage({ ok: true })));
  }
});
