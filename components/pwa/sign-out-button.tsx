"use client";

import { MSG, OFFLINE_USER_CACHE } from "@/sw/offline-keys";

const FORGET_TIMEOUT_MS = 3000;

/**
 * Before the sign-out form is sent, removes this user's offline copy and asks the service worker
 * to forget them too (deliver or drop queued uploads), so the next person on this device sees
 * none of it — even if the sign-out request itself then fails for lack of a connection.
 */
async function forgetThisDevice(): Promise<void> {
  const tasks: Promise<unknown>[] = [];
  if ("caches" in window) tasks.push(caches.delete(OFFLINE_USER_CACHE));
  if ("serviceWorker" in navigator) {
    tasks.push(
      navigator.serviceWorker.getRegistration().then(
        (registration) =>
          new Promise<void>((resolve) => {
            const worker = registration?.active;
            if (!worker) return resolve();
            const channel = new MessageChannel();
            channel.port1.onmessage = () => resolve();
            worker.postMessage({ type: MSG.signOut }, [channel.port2]);
          }),
      ),
    );
  }
  await Promise.race([Promise.allSettled(tasks), new Promise((resolve) => window.setTimeout(resolve, FORGET_TIMEOUT_MS))]);
}

/** The sign-out form's submit button: forgets first, then submits (requestSubmit fires no second click). */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <button
      type="submit"
      className={className}
      onClick={(event) => {
        event.preventDefault();
        const button = event.currentTarget;
        void forgetThisDevice().then(() => button.form?.requestSubmit(button));
      }}
    >
      Sign out
    </button>
  );
}
