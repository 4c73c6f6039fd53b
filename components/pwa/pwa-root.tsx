"use client";

import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";
import { InstallGuidance } from "./install-guidance";
import { isSignedInArea } from "./install-platform";
import { OfflineBanner } from "./offline-banner";
import { setPwaState } from "./pwa-state";
import { UpdatePrompt } from "./update-prompt";

// Client-side navigations refresh the offline copy at most this often (a full load always does).
const REFRESH_EVERY_MS = 5 * 60 * 1000;
let lastPatientRefresh = 0;

/**
 * Background work (worker registration, refreshing the offline copy) waits until the page has
 * loaded and the browser is idle, so it never competes with the page becoming usable.
 */
function whenIdleAfterLoad(run: () => void): () => void {
  // Safari has no requestIdleCallback: a short delay after load does the same job there.
  const idle = typeof window.requestIdleCallback === "function";
  let id: number | null = null;
  const schedule = () => {
    id = idle ? window.requestIdleCallback(run, { timeout: 5000 }) : window.setTimeout(run, 1000);
  };
  if (document.readyState === "complete") schedule();
  else window.addEventListener("load", schedule, { once: true });
  return () => {
    window.removeEventListener("load", schedule);
    if (id !== null) {
      if (idle) window.cancelIdleCallback(id);
      else window.clearTimeout(id);
    }
  };
}

/**
 * Everything PWA on every page: the offline banner, the update prompt and install guidance, and,
 * once the page has loaded, the service worker and the user's offline copy (sw-runtime.ts,
 * loaded on demand so it never delays the first paint).
 */
export function PwaRoot() {
  const pathname = usePathname();

  useEffect(() => whenIdleAfterLoad(() => void import("./sw-runtime").then((m) => m.startServiceWorker())), []);

  const firstRender = useRef(true);
  useEffect(() => {
    // When this page's content was fetched (the offline banner's "last updated"): the document's
    // own start on a full load, now after a client-side navigation.
    setPwaState({ shownAt: firstRender.current ? performance.timeOrigin : Date.now() });
    firstRender.current = false;
  }, [pathname]);

  useEffect(() => {
    const kind = pathname === "/sign-in" ? "signed-out" : /^\/patient(\/|$)/.test(pathname) ? "patient" : isSignedInArea(pathname) ? "signed-in" : null;
    if (!kind) return;
    const run = (force: boolean) => {
      if (kind === "patient") {
        if (!force && Date.now() - lastPatientRefresh < REFRESH_EVERY_MS) return;
        lastPatientRefresh = Date.now();
      }
      void import("./sw-runtime").then((m) => m.refreshOfflineCopy(kind));
    };
    const onOnline = () => run(true);
    window.addEventListener("online", onOnline);
    const cancel = whenIdleAfterLoad(() => run(false));
    return () => {
      cancel();
      window.removeEventListener("online", onOnline);
    };
  }, [pathname]);

  return (
    <>
      <OfflineBanner />
      <div className="pointer-events-none fixed inset-x-0 bottom-0 z-50 flex flex-col items-center gap-2 p-3">
        <UpdatePrompt />
        <InstallGuidance pathname={pathname} />
      </div>
    </>
  );
}
