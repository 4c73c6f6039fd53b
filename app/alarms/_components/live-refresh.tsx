"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { ALARM_ACKNOWLEDGED_MESSAGE } from "@/lib/alarms/notification-display";

/**
 * Keeps an alarm page current: refreshes when a notification's "Acknowledge" was used (the
 * service worker tells open pages), when the page comes back into view, and every minute.
 */
export function LiveRefresh({ everyMs = 60_000 }: { everyMs?: number }) {
  const router = useRouter();
  useEffect(() => {
    const refresh = () => router.refresh();
    const onMessage = (e: MessageEvent) => {
      if ((e.data as { type?: unknown } | null)?.type === ALARM_ACKNOWLEDGED_MESSAGE) refresh();
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") refresh();
    };
    navigator.serviceWorker?.addEventListener("message", onMessage);
    document.addEventListener("visibilitychange", onVisible);
    const timer = window.setInterval(refresh, everyMs);
    return () => {
      navigator.serviceWorker?.removeEventListener("message", onMessage);
      document.removeEventListener("visibilitychange", onVisible);
      window.clearInterval(timer);
    };
  }, [router, everyMs]);
  return null;
}
