"use client";

import { useState, useSyncExternalStore } from "react";
import { INSTALL_DISMISS_KEY, installDismissed, installPlatform, offersInstall } from "./install-platform";

/** Chromium's install prompt event (not in TypeScript's DOM library). */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: "accepted" | "dismissed" }>;
}

const CARD = "pointer-events-auto flex w-full max-w-md flex-col gap-3 rounded-2xl border-2 border-brand-600 bg-white p-4 text-base shadow-lg";
const PRIMARY = "min-h-12 rounded-xl bg-brand-600 px-5 font-semibold text-white hover:bg-brand-700";
const SECONDARY = "min-h-12 rounded-xl border-2 border-slate-400 bg-white px-5 font-semibold text-ink hover:bg-slate-100";

// The server render knows nothing of the device: it renders no guidance.
const ON_SERVER = "server";
const dismissalListeners = new Set<() => void>();

function subscribeDismissal(listener: () => void): () => void {
  dismissalListeners.add(listener);
  return () => dismissalListeners.delete(listener);
}

const INSTALL_EVENTS = ["beforeinstallprompt", "appinstalled", "pump-portal:engaged"] as const;

function subscribeInstallEvents(listener: () => void): () => void {
  for (const type of INSTALL_EVENTS) window.addEventListener(type, listener);
  return () => {
    for (const type of INSTALL_EVENTS) window.removeEventListener(type, listener);
  };
}

// Captured at module level so an event that fires before React mounts this component is kept.
let promptEvent: BeforeInstallPromptEvent | null = null;
let installed = false;
// Guidance appears only once the user has started using the page (a tap, a key, a scroll): never
// as an interruption on arrival, and never in the way of the page's own first content.
let engaged = false;
const ENGAGEMENT_EVENTS = ["pointerdown", "keydown", "scroll"] as const;
if (typeof window !== "undefined") {
  const onEngaged = () => {
    engaged = true;
    for (const type of ENGAGEMENT_EVENTS) window.removeEventListener(type, onEngaged, true);
    window.dispatchEvent(new Event("pump-portal:engaged"));
  };
  for (const type of ENGAGEMENT_EVENTS) window.addEventListener(type, onEngaged, { capture: true, passive: true });
  window.addEventListener("beforeinstallprompt", (event) => {
    // Our own card replaces the browser's mini-infobar, at a moment that suits the page.
    event.preventDefault();
    promptEvent = event as BeforeInstallPromptEvent;
  });
  window.addEventListener("appinstalled", () => {
    promptEvent = null;
    installed = true;
  });
}

function devicePlatform() {
  const standalone = window.matchMedia("(display-mode: standalone)").matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return installed ? "installed" : installPlatform({ userAgent: navigator.userAgent, maxTouchPoints: navigator.maxTouchPoints, standalone });
}

/**
 * Offers installation where the browser allows it (Chromium's `beforeinstallprompt`), and on
 * iPhone/iPad explains "Add to Home Screen", which iOS requires before it delivers alarms (Web Push).
 */
export function InstallGuidance({ pathname }: { pathname: string }) {
  const event = useSyncExternalStore(subscribeInstallEvents, () => promptEvent, () => null);
  const hasEngaged = useSyncExternalStore(subscribeInstallEvents, () => engaged, () => false);
  const platform = useSyncExternalStore(subscribeInstallEvents, devicePlatform, () => "installed" as const);
  const dismissedAt = useSyncExternalStore(subscribeDismissal, () => window.localStorage.getItem(INSTALL_DISMISS_KEY), () => ON_SERVER);
  const [, setAsked] = useState(0);

  const dismiss = () => {
    window.localStorage.setItem(INSTALL_DISMISS_KEY, new Date().toISOString());
    for (const listener of dismissalListeners) listener();
  };

  if (!hasEngaged || dismissedAt === ON_SERVER || installDismissed(dismissedAt, new Date()) || !offersInstall(pathname)) return null;
  if (event) {
    return (
      <section aria-labelledby="install-title" data-testid="install-guidance" className={CARD}>
        <h2 id="install-title" className="text-lg font-semibold">
          Install Pump Portal
        </h2>
        <p>It opens like an app, shows your last saved status when you are offline, and can alert you to pump alarms.</p>
        <div className="flex flex-wrap gap-3">
          <button
            type="button"
            className={PRIMARY}
            onClick={async () => {
              await event.prompt();
              await event.userChoice;
              // A prompt can be shown once: drop it whatever the answer.
              promptEvent = null;
              setAsked((n) => n + 1);
            }}
          >
            Install
          </button>
          <button type="button" className={SECONDARY} onClick={dismiss}>
            Not now
          </button>
        </div>
      </section>
    );
  }
  if (platform === "ios") {
    return (
      <section aria-labelledby="install-title" data-testid="install-guidance-ios" className={CARD}>
        <h2 id="install-title" className="text-lg font-semibold">
          Get pump alarms on this iPhone or iPad
        </h2>
        <p>
          iPhone and iPad deliver alarms only to apps on the Home Screen. Tap the <strong>Share</strong> button, choose <strong>Add to Home Screen</strong>, then
          open Pump Portal from its new icon.
        </p>
        <div>
          <button type="button" className={SECONDARY} onClick={dismiss}>
            Got it
          </button>
        </div>
      </section>
    );
  }
  return null;
}
