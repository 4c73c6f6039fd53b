import type { Metadata } from "next";
import { connection } from "next/server";
import { OfflineStatus } from "@/components/pwa/offline-status";

export const metadata: Metadata = { title: "Offline", robots: { index: false } };

/**
 * What the service worker shows when a page cannot be loaded (it precaches this page at install).
 * It holds no user data: the signed-in patient's last saved status is read from this device by
 * the client component. Rendered per request like every page, so its scripts carry the nonce of
 * the CSP header they are cached with.
 */
export default async function OfflinePage() {
  await connection();
  return (
    <main className="mx-auto flex min-h-dvh max-w-3xl flex-col gap-5 px-4 py-6">
      <p className="text-lg font-bold text-brand-700">Pump Portal</p>
      <OfflineStatus />
    </main>
  );
}
