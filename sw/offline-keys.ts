/**
 * Names shared by the page and the service worker for the per-user offline copy.
 *
 * One Cache Storage cache holds everything that belongs to the signed-in user (who they are,
 * their last good status). Sign-out deletes the whole cache, and a different user signing in
 * empties it before anything of theirs is written, so one user's data is never shown to another.
 */
export const OFFLINE_USER_CACHE = "pump-portal-user-data-v1";

/** The signed-in user as last seen online (the /api/me answer). */
export const ME_KEY = "/__pwa/me";

/** That user's last good status response. The user id is part of the key as a second guard. */
export function statusKey(userId: string): string {
  return `/__pwa/users/${encodeURIComponent(userId)}/status`;
}

/** Background-sync queue for pump-link uploads made while offline. */
export const SYNC_QUEUE_NAME = "pump-sync-queue";

/** Messages between the page and the worker. */
export const MSG = {
  skipWaiting: "SKIP_WAITING",
  signOut: "SIGN_OUT",
  syncReplayed: "PUMP_SYNC_REPLAYED",
} as const;

/** POST /api/patients/:uuid/sync — the pump-link upload the worker queues when offline. */
export const SYNC_UPLOAD_PATH = /^\/api\/patients\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/sync$/i;
