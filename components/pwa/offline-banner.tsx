"use client";

import { formatDateTime } from "@/lib/pump/time";
import { usePwaState, useOnline } from "./pwa-state";

/**
 * Shown at the top of any page while the device is offline: what is on screen is as old as the
 * page itself (safety rule 7), and nothing can be saved until the connection returns.
 */
export function OfflineBanner() {
  const online = useOnline();
  const { offlinePage, shownAt } = usePwaState();
  if (online || offlinePage) return null;
  // Only ever rendered in the browser (the server render assumes online): when this page's
  // content was fetched, in the device's time zone.
  const loadedAt = formatDateTime(new Date(shownAt ?? performance.timeOrigin), Intl.DateTimeFormat().resolvedOptions().timeZone);
  return (
    <div role="status" data-testid="offline-banner" className="sticky top-0 z-40 border-b-2 border-amber-600 bg-amber-50 px-4 py-3 text-base text-amber-900">
      <p className="mx-auto max-w-3xl">
        <strong>Offline — last updated at {loadedAt}.</strong> What you see may have
        changed since; nothing can be saved until the connection returns.
      </p>
    </div>
  );
}
