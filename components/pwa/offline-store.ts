/**
 * Writing the signed-in user's offline copy: who they are and their last good status response,
 * kept in one Cache Storage cache (sw/offline-keys.ts). Runs in the page on every signed-in
 * visit, so it stays small (no schema library); what is read back for display is validated in
 * full by offline-read.ts. The service worker only deletes the cache (sign-out).
 *
 * Guarantees (tests/unit/pwa/offline-store.test.ts, tests/e2e/pwa.spec.ts):
 * - a different user signing in empties the cache before anything of theirs is written;
 * - a status is stored only for the user recorded as signed in, and only if it is the patient's
 *   own (a late response after a sign-out or a switch of user is discarded);
 * - "not signed in" (401) deletes everything.
 */
import { ME_KEY, OFFLINE_USER_CACHE, statusKey } from "@/sw/offline-keys";

export type CacheStorageLike = Pick<CacheStorage, "open" | "delete">;

/** GET /api/me (app/api/me/route.ts). */
export interface Me {
  userId: string;
  name: string;
  roles: string[];
  patientId: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The /api/me answer, or null when it is not one. */
export function parseMe(value: unknown): Me | null {
  if (!isRecord(value)) return null;
  const { userId, name, roles, patientId } = value;
  if (typeof userId !== "string" || userId.length === 0 || typeof name !== "string") return null;
  if (!Array.isArray(roles) || !roles.every((r) => typeof r === "string")) return null;
  if (patientId !== null && typeof patientId !== "string") return null;
  return { userId, name, roles, patientId };
}

/** Enough of a status body to know whose it is and when it was made; offline-read.ts checks the rest. */
function statusIdentity(value: unknown): { patientId: string; generatedAt: string } | null {
  if (!isRecord(value) || !isRecord(value.patient) || typeof value.patient.id !== "string") return null;
  if (typeof value.generatedAt !== "string" || Number.isNaN(Date.parse(value.generatedAt))) return null;
  return { patientId: value.patient.id, generatedAt: value.generatedAt };
}

function jsonResponse(value: unknown): Response {
  return new Response(JSON.stringify(value), { headers: { "Content-Type": "application/json" } });
}

export async function readJson(cache: Cache, key: string): Promise<unknown> {
  const res = await cache.match(key);
  if (!res) return null;
  try {
    return await res.json();
  } catch {
    return null;
  }
}

export async function currentMe(cache: Cache): Promise<Me | null> {
  return parseMe(await readJson(cache, ME_KEY));
}

/** Everything of the user on this device goes (sign-out, session gone, user switch). */
export async function forgetOfflineData(storage: CacheStorageLike): Promise<void> {
  await storage.delete(OFFLINE_USER_CACHE);
}

/** Records who is signed in; a different user than before empties the cache first. */
export async function rememberUser(storage: CacheStorageLike, me: Me): Promise<void> {
  const before = await currentMe(await storage.open(OFFLINE_USER_CACHE));
  if (before?.userId !== me.userId) await forgetOfflineData(storage);
  await (await storage.open(OFFLINE_USER_CACHE)).put(ME_KEY, jsonResponse(me));
}

/**
 * Keeps `status` as `userId`'s last good status. Refused (false) unless that user is still the
 * one recorded as signed in and the status is their own patient record.
 */
export async function saveStatus(storage: CacheStorageLike, userId: string, status: unknown, savedAt: Date): Promise<boolean> {
  const cache = await storage.open(OFFLINE_USER_CACHE);
  const me = await currentMe(cache);
  const identity = statusIdentity(status);
  if (!me || me.userId !== userId || !identity || me.patientId !== identity.patientId) return false;
  await cache.put(statusKey(userId), jsonResponse({ v: 1, userId, savedAt: savedAt.toISOString(), status }));
  return true;
}

export type RefreshResult = "signed-out" | "unavailable" | "remembered" | "saved";

/**
 * Online: asks the server who is signed in (GET /api/me) and, for a patient, fetches and keeps
 * their status. Throws only when the network is unreachable (the caller then keeps what it has).
 */
export async function refreshOfflineData(storage: CacheStorageLike, fetchImpl: typeof fetch, { withStatus }: { withStatus: boolean }): Promise<RefreshResult> {
  const init: RequestInit = { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } };
  const meResponse = await fetchImpl("/api/me", init);
  if (meResponse.status === 401) {
    await forgetOfflineData(storage);
    return "signed-out";
  }
  if (!meResponse.ok) return "unavailable";
  const me = parseMe(await meResponse.json());
  if (!me) return "unavailable";
  await rememberUser(storage, me);
  if (!withStatus || !me.patientId) return "remembered";
  const statusResponse = await fetchImpl(`/api/patients/${encodeURIComponent(me.patientId)}/status`, init);
  // Only a good answer replaces the last good one.
  if (!statusResponse.ok) return "remembered";
  return (await saveStatus(storage, me.userId, await statusResponse.json(), new Date())) ? "saved" : "remembered";
}
