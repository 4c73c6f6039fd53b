"use client";
/**
 * Reads the access token from the URL fragment (#t=…). The last token seen is remembered per
 * intake, because the page removes the fragment right after reading it (so the token does not
 * stay in the address bar or history) and must still know what it read.
 */
const captured = new Map<string, string>();

export function fragmentToken(intakeId: string): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("t");
  if (fromHash) captured.set(intakeId, fromHash);
  return captured.get(intakeId) ?? null;
}

/** For useSyncExternalStore: a link pasted into the same tab changes only the fragment. */
export function subscribeHash(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** For values that cannot change while the page is open. */
export function subscribeNothing(): () => void {
  return () => {};
}
