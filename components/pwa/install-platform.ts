/**
 * Which install guidance fits this browser. Chromium-based browsers offer their own install
 * prompt (the `beforeinstallprompt` event); Safari on iPhone/iPad has no prompt, and iOS delivers
 * Web Push (our alarms) only to an app added to the Home Screen, so it gets written steps instead.
 */
export type InstallPlatform = "installed" | "ios" | "other";

export function installPlatform({ userAgent, maxTouchPoints, standalone }: { userAgent: string; maxTouchPoints: number; standalone: boolean }): InstallPlatform {
  if (standalone) return "installed";
  const iPhoneOrIPad = /\b(iPhone|iPad|iPod)\b/.test(userAgent);
  // iPadOS 13+ reports itself as a Mac; touch points give it away.
  const iPadAsMac = /\bMacintosh\b/.test(userAgent) && maxTouchPoints > 1;
  return iPhoneOrIPad || iPadAsMac ? "ios" : "other";
}

/** Install guidance is about alarms and quick access: shown in the patient and caregiver areas. */
export function offersInstall(pathname: string): boolean {
  return /^\/(patient|caregiver)(\/|$)/.test(pathname);
}

/** Signed-in areas: where the page refreshes the user's offline copy. */
export function isSignedInArea(pathname: string): boolean {
  return /^\/(patient|caregiver|clinic|admin)(\/|$)/.test(pathname);
}

export const INSTALL_DISMISS_KEY = "pump-portal:install-dismissed-at";
export const INSTALL_DISMISS_DAYS = 30;

export function installDismissed(dismissedAt: string | null, now: Date): boolean {
  if (!dismissedAt) return false;
  const at = Date.parse(dismissedAt);
  return Number.isFinite(at) && now.getTime() - at < INSTALL_DISMISS_DAYS * 86_400_000;
}
