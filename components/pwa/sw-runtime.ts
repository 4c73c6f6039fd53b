/**
 * Loaded after the page has loaded (dynamic import from pwa-root.tsx), so none of this weighs on
 * the first paint: registers the service worker, turns a waiting new version into the
 * "update available" prompt, and refreshes the signed-in user's offline copy.
 */
import { Workbox } from "workbox-window";
import { MSG } from "@/sw/offline-keys";
import { forgetOfflineData, refreshOfflineData } from "./offline-store";
import { setPwaState } from "./pwa-state";

const UPDATE_CHECK_MS = 60 * 60 * 1000;

/** Fired on window when the worker delivered uploads queued offline (for the pump-link sync UI). */
export const SYNC_REPLAYED_EVENT = "pump-sync-replayed";

let started = false;

export function startServiceWorker(): void {
  if (started || !("serviceWorker" in navigator)) return;
  started = true;
  const wb = new Workbox("/sw.js", { scope: "/", updateViaCache: "none" });
  let userChoseUpdate = false;

  // A new version installed and is waiting: it takes over only when the user says so, and the
  // page reloads at once, so old pages never run against the new worker's files.
  wb.addEventListener("waiting", () => {
    setPwaState({
      update: {
        apply: () => {
          userChoseUpdate = true;
          wb.addEventListener("controlling", () => window.location.reload());
          wb.messageSkipWaiting();
        },
      },
    });
  });
  // Another tab applied the update: this page is now older than its worker; offer the reload.
  wb.addEventListener("controlling", (event) => {
    if (event.isUpdate && !userChoseUpdate) setPwaState({ update: { apply: () => window.location.reload() } });
  });
  wb.addEventListener("message", (event) => {
    const data = event.data as { type?: unknown } | null;
    if (data?.type === MSG.syncReplayed) window.dispatchEvent(new CustomEvent(SYNC_REPLAYED_EVENT, { detail: data }));
  });
  void wb.register().catch((e: unknown) => console.warn("[pwa] service worker registration failed:", e instanceof Error ? e.message : e));
  window.setInterval(() => void wb.update().catch(() => undefined), UPDATE_CHECK_MS);
}

/**
 * Signed-in pages: re-learn who is signed in and, on patient pages, keep their latest status
 * for offline use. The sign-in page: nobody is signed in, so nothing may stay.
 */
export function refreshOfflineCopy(kind: "signed-in" | "patient" | "signed-out"): Promise<void> {
  if (!("caches" in window)) return Promise.resolve();
  // One at a time: a "forget" from the sign-in page must not interleave with the next user's save.
  queue = queue.then(async () => {
    try {
      if (kind === "signed-out") await forgetOfflineData(caches);
      else await refreshOfflineData(caches, window.fetch.bind(window), { withStatus: kind === "patient" });
    } catch {
      // Offline or storage refused: keep the last good copy.
    }
  });
  return queue;
}

let queue: Promise<void> = Promise.resolve();
