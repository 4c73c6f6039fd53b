/**
 * Small shared state for the PWA surfaces (update prompt, install guidance, offline banner), so
 * the worker runtime, the offline page and the banners can talk without a React context.
 */
import { useSyncExternalStore } from "react";

export interface PwaState {
  /** A new version is ready; `apply` switches to it and reloads. */
  update: { apply: () => void } | null;
  /** The offline page is showing: it states the age of what it shows itself, so the banner stays away. */
  offlinePage: boolean;
  /** When the page on screen was last fetched (full load or client-side navigation), epoch ms. */
  shownAt: number | null;
}

let state: PwaState = { update: null, offlinePage: false, shownAt: null };
const listeners = new Set<() => void>();

export function setPwaState(patch: Partial<PwaState>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const serverState: PwaState = { update: null, offlinePage: false, shownAt: null };

export function usePwaState(): PwaState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => serverState,
  );
}

function subscribeOnline(listener: () => void): () => void {
  window.addEventListener("online", listener);
  window.addEventListener("offline", listener);
  return () => {
    window.removeEventListener("online", listener);
    window.removeEventListener("offline", listener);
  };
}

/** navigator.onLine, re-rendering on changes; the server render assumes online. */
export function useOnline(): boolean {
  return useSyncExternalStore(
    subscribeOnline,
    () => navigator.onLine,
    () => true,
  );
}
